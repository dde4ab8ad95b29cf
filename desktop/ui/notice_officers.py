"""The two law-enforcement officers of a notice or recheck, each with a 执法证号.

Names come from recent notices (picking one fills in the number); anyone can be typed.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from .field_message import FieldMessage
from .finding_operations import Officer

KEYS = ("officer1", "officer1_cert", "officer2", "officer2_cert")


class OfficersBox(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._known: dict[str, str] = {}
        self.names: list[QComboBox] = []
        self.certs: list[QLineEdit] = []
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        for n in range(2):
            name = QComboBox()
            name.setEditable(True)
            name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            name.lineEdit().setMaxLength(50)
            name.lineEdit().setPlaceholderText(self.tr("姓名"))
            name.setMinimumContentsLength(5)
            name.setAccessibleName(self.tr("执法人员{0}").format(n + 1))
            cert = QLineEdit(maxLength=30)
            cert.setPlaceholderText(self.tr("执法证号"))
            cert.setAccessibleName(self.tr("执法人员{0}的执法证号").format(n + 1))
            label = QLabel(self.tr("{0}.").format(n + 1))
            label.setBuddy(name)
            cert_label = QLabel(self.tr("证号"))
            cert_label.setBuddy(cert)
            grid.addWidget(label, n, 0)
            grid.addWidget(name, n, 1)
            grid.addWidget(cert_label, n, 2)
            grid.addWidget(cert, n, 3)
            self.names.append(name)
            self.certs.append(cert)
            name.currentTextChanged.connect(lambda _t, k=n: self._name_changed(k))
            name.activated.connect(lambda _i, k=n: self._name_picked(k))
            cert.textEdited.connect(self._edited)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        self.message = FieldMessage()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        self.setFocusProxy(self.names[0])

    def set_known(self, officers: list[Officer]) -> None:
        """Offer these names; a name signed with several numbers offers the latest."""
        self._known = {}
        for officer in officers:
            self._known.setdefault(officer.name, officer.cert)
        for combo in self.names:
            text = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(list(self._known))
            combo.setCurrentIndex(-1)
            combo.setEditText(text)
            combo.blockSignals(False)

    def set_values(self, officer1: str, cert1: str, officer2: str, cert2: str) -> None:
        for combo, edit, name, cert in ((self.names[0], self.certs[0], officer1, cert1),
                                        (self.names[1], self.certs[1], officer2, cert2)):
            combo.blockSignals(True)
            combo.setEditText(name)
            combo.blockSignals(False)
            edit.setText(cert)

    def values(self) -> dict[str, str]:
        return {"officer1": self.names[0].currentText().strip(),
                "officer1_cert": self.certs[0].text().strip(),
                "officer2": self.names[1].currentText().strip(),
                "officer2_cert": self.certs[1].text().strip()}

    def check(self) -> bool:
        """Two different officers, each with a number; the message says what is missing."""
        v = self.values()
        missing = [n for n in ("1", "2") if not v[f"officer{n}"] or not v[f"officer{n}_cert"]]
        if missing:
            self.message.set_error(
                self.tr("须由两名执法人员签名，并分别填写执法证号（还缺第{0}名）").format(
                    "、".join(missing)))
        elif v["officer1"] == v["officer2"]:
            self.message.set_error(self.tr("两名执法人员不能是同一人"))
        elif v["officer1_cert"] == v["officer2_cert"]:
            self.message.set_error(self.tr("两名执法人员的执法证号不能相同"))
        else:
            self.message.clear_message()
            return True
        self.focus_first_gap()
        return False

    def focus_first_gap(self) -> None:
        v = self.values()
        for n in range(2):
            if not v[f"officer{n + 1}"]:
                self.names[n].setFocus()
                return
            if not v[f"officer{n + 1}_cert"]:
                self.certs[n].setFocus()
                return
        self.names[1].setFocus()

    def _name_picked(self, n: int) -> None:
        cert = self._known.get(self.names[n].currentText().strip())
        if cert:
            self.certs[n].setText(cert)
        self._edited()

    def _name_changed(self, n: int) -> None:
        # Typing a known name in full fills the number too, if none was typed yet.
        cert = self._known.get(self.names[n].currentText().strip())
        if cert and not self.certs[n].text().strip():
            self.certs[n].setText(cert)
        self._edited()

    def _edited(self) -> None:
        if self.message.has_error():
            self.message.clear_message()
        self.changed.emit()

    def last_widget(self) -> QWidget:
        return self.certs[1]

    def widgets(self) -> list[QWidget]:
        return [self.names[0], self.certs[0], self.names[1], self.certs[1]]

