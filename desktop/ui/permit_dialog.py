"""The 招牌设置申请 dialog: sizes with the area as typed, and the rules explained as they break."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import permits as P
from desktop.domain.businesses import BusinessRow
from desktop.domain.errors import DomainError

from . import permit_operations, prompts
from .agreement_business_picker import BusinessPicker
from .context import AppContext
from .field_message import FieldMessage, add_field, show_refusal
from .permit_files import FileList
from .permit_operations import PermitForm
from .window_state import RememberingDialog

# Service field names shown in a combined row of the form.
_ROW_OF = {"width_m": "size", "height_m": "size", "protrusion_m": "size", "area": "size",
           "photo": "files"}


def _date(edit: QDateEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


class PermitDialog(RememberingDialog):
    """A new application when `row` is None, or a correction of one not yet decided."""

    saved = Signal(object)  # PermitRow as stored

    def __init__(self, ctx: AppContext, form: PermitForm, row: P.PermitRow | None,
                 parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PermitDialog")
        self._ctx = ctx
        self._form = form
        self._row = row
        self._saving = False
        self._others: list[P.OtherSign] = []
        self.setWindowTitle(self.tr("招牌设置申请") if row is None
                            else self.tr("修改申请 — {0}").format(row.number))
        self.setMinimumWidth(600)
        today = today or dt.date.today()

        self.picker = BusinessPicker(ctx)
        self.type_combo = QComboBox()
        self.type_combo.addItems(P.SIGN_TYPES)
        self.lighting_combo = QComboBox()
        self.lighting_combo.addItems(P.LIGHTING)
        kind_box = QWidget()
        kind_row = QHBoxLayout(kind_box)
        kind_row.setContentsMargins(0, 0, 0, 0)
        kind_row.addWidget(self.type_combo)
        kind_row.addWidget(QLabel(self.tr("照明")))
        kind_row.addWidget(self.lighting_combo)
        kind_row.addStretch(1)
        self.location_edit = QLineEdit(maxLength=200, placeholderText=self.tr("默认为商户地址"))
        self.facade_edit = QLineEdit(maxLength=100,
                                     placeholderText=self.tr("如：临街正立面一层门头上方"))
        self.width_spin = self._metres()
        self.height_spin = self._metres()
        self.protrusion_spin = self._metres(special="")
        self.area_label = QLabel()
        self.area_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("面积 999.99 平方米"))
        size_box = QWidget()
        size_row = QHBoxLayout(size_box)
        size_row.setContentsMargins(0, 0, 0, 0)
        for text, spin in ((self.tr("宽"), self.width_spin), (self.tr("高"), self.height_spin),
                           (self.tr("外挑"), self.protrusion_spin)):
            size_row.addWidget(QLabel(text))
            size_row.addWidget(spin)
        size_row.addWidget(self.area_label)
        size_row.addStretch(1)
        self.material_edit = QLineEdit(maxLength=50, placeholderText=self.tr("如：铝塑板、不锈钢字"))
        self.install_spin = self._metres()
        self.install_spin.setRange(0, 300)
        self.install_spin.setToolTip(self.tr("招牌下沿距地面的高度"))
        self.term_spin = QSpinBox()
        self.term_spin.setRange(1, 120)  # beyond 36 the rule is explained, not hidden
        self.term_spin.setSuffix(self.tr(" 个月"))
        self.term_spin.setToolTip(self.tr("最长三年（36个月）"))
        self.applied_edit = QDateEdit()
        self.applied_edit.setCalendarPopup(True)
        self.applied_edit.setDisplayFormat("yyyy-MM-dd")
        self.applied_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        self.exemption_edit = QLineEdit(maxLength=200, placeholderText=self.tr(
            "商户已有招牌时填写，如：临街两面均为店面"))
        self.drawings = FileList(self.tr("添加设计图"))
        self.photos = FileList(self.tr("添加现场照片"))
        files_box = QWidget()
        files_row = QHBoxLayout(files_box)
        files_row.setContentsMargins(0, 0, 0, 0)
        for text, widget in ((self.tr("设计图"), self.drawings), (self.tr("照片"), self.photos)):
            column = QVBoxLayout()
            column.addWidget(QLabel(text))
            column.addWidget(widget)
            files_row.addLayout(column)

        layout_form = QFormLayout()
        layout_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        fields: list[tuple[str, str, QWidget, bool]] = [
            ("business_id", self.tr("申请人（商户）"), self.picker, True),
            ("sign_type", self.tr("招牌类型"), kind_box, True),
            ("location", self.tr("设置地点"), self.location_edit, True),
            ("facade_position", self.tr("立面位置"), self.facade_edit, True),
            ("size", self.tr("规格（米）"), size_box, True),
            ("material", self.tr("材质"), self.material_edit, True),
            ("install_height_m", self.tr("设置高度"), self.install_spin, True),
            ("term_months", self.tr("申请期限"), self.term_spin, True),
            ("applied_date", self.tr("申请日期"), self.applied_edit, True),
            ("exemption_reason", self.tr("一店一牌豁免理由"), self.exemption_edit, False),
            ("files", self.tr("申请材料"), files_box, False),
        ]
        self.messages: dict[str, FieldMessage] = {
            key: add_field(layout_form, text, editor, required=required)
            for key, text, editor, required in fields}
        self.messages["lighting"] = self.messages["sign_type"]
        self.rules_label = QLabel()
        self.rules_label.setWordWrap(True)
        self.rules_label.setStyleSheet(
            "color: #6d4c00; background: #fff4c4; border-radius: 3px; padding: 4px;")
        self.rules_label.hide()

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("保存申请") if row is None else self.tr("保存修改"))
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("取消"))
        note = QLabel(self.tr("保存时按本办事处的编号格式自动编号；超出规格上限的可以申请，"
                              "但不能准予许可。") if row is None else
                      self.tr("作出许可决定前可以修改；决定作出后申请内容即固定。"))
        note.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(note, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(layout_form)
        layout.addWidget(self.rules_label)
        layout.addStretch(1)
        layout.addLayout(bottom)

        self._fill(row, today)
        self._initial = self.current_input()
        self.picker.picked.connect(self._business_picked)
        for spin in (self.width_spin, self.height_spin, self.protrusion_spin):
            spin.valueChanged.connect(self.check_rules)
        self.term_spin.valueChanged.connect(self.check_rules)
        self.exemption_edit.textChanged.connect(self.check_rules)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.check_rules()

    def _metres(self, special: str = "未填") -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(0, 100)
        spin.setDecimals(2)
        spin.setSingleStep(0.1)
        spin.setSuffix(self.tr(" 米"))
        if special:
            spin.setSpecialValueText(self.tr(special))
        spin.setMinimumWidth(self.fontMetrics().horizontalAdvance("99.99 米") + 40)
        return spin

    # --- values ---------------------------------------------------------------------------

    def _fill(self, row: P.PermitRow | None, today: dt.date) -> None:
        data = row.as_input() if row else P.PermitInput(applied_date=today, width_m=None,
                                                        height_m=None)
        if row is not None:
            self.picker.set_fixed(row)  # type: ignore[arg-type]  # the applicant never changes
            self._load_others(row.business_id)
        self.type_combo.setCurrentText(data.sign_type)
        self.lighting_combo.setCurrentText(data.lighting)
        self.location_edit.setText(data.location)
        self.facade_edit.setText(data.facade_position)
        self.width_spin.setValue(data.width_m or 0)
        self.height_spin.setValue(data.height_m or 0)
        self.protrusion_spin.setValue(data.protrusion_m or 0)
        self.material_edit.setText(data.material)
        self.install_spin.setValue(data.install_height_m or 0)
        self.term_spin.setValue(data.term_months or P.MAX_TERM_MONTHS)
        day = data.applied_date or today
        self.applied_edit.setDate(QDate(day.year, day.month, day.day))
        self.exemption_edit.setText(data.exemption_reason)

    def current_input(self) -> P.PermitInput:
        return P.PermitInput(
            business_id=self.picker.business_id(), sign_type=self.type_combo.currentText(),
            location=self.location_edit.text(), facade_position=self.facade_edit.text(),
            width_m=self.width_spin.value(), height_m=self.height_spin.value(),
            protrusion_m=self.protrusion_spin.value(), material=self.material_edit.text(),
            lighting=self.lighting_combo.currentText(),
            install_height_m=self.install_spin.value() or None,
            term_months=self.term_spin.value(), applied_date=_date(self.applied_edit),
            exemption_reason=self.exemption_edit.text())

    def is_modified(self) -> bool:
        return (self.current_input() != self._initial or bool(self.drawings.paths())
                or bool(self.photos.paths()))

    # --- the rules as the clerk types -----------------------------------------------------

    def _business_picked(self, row: BusinessRow | None) -> None:
        self._others = []
        if row is None:
            self.check_rules()
            return
        self.messages["business_id"].clear_message()
        if not self.location_edit.text().strip():
            self.location_edit.setText(row.address)
        self._load_others(row.id)

    def _load_others(self, business_id: int) -> None:
        exclude = self._row.id if self._row else None

        def loaded(others: list[P.OtherSign]) -> None:
            if self.picker.business_id() == business_id:
                self._others = others
                self.check_rules()

        permit_operations.load_other_signs(self._ctx, business_id, exclude, loaded, owner=self)

    def issues(self) -> list[P.RuleIssue]:
        data = self.current_input()
        return P.rule_issues(data.width_m, data.height_m, data.protrusion_m, data.term_months,
                             self._form.max_protrusion_m, self._form.max_area_m2, self._others,
                             data.exemption_reason)

    def check_rules(self) -> None:
        width, height = self.width_spin.value(), self.height_spin.value()
        self.area_label.setText(self.tr("面积 {0} 平方米").format(P.metres(P.area_of(width, height)))
                                if width and height else self.tr("面积 —"))
        for key in ("size", "term_months", "exemption_reason"):
            self.messages[key].clear_message()
        notes = []
        shown: dict[str, tuple[str, list[str]]] = {}  # field → (worst level, messages)
        for issue in self.issues():
            if issue.level == "note":
                notes.append(issue.message)
                continue
            field = _ROW_OF.get(issue.field, issue.field)
            level, texts = shown.get(field, (issue.level, []))
            shown[field] = ("error" if "error" in (level, issue.level) else level,
                            [*texts, issue.message])
        for field, (level, texts) in shown.items():
            if level == "error":
                self.messages[field].set_error("\n".join(texts))
            else:
                self.messages[field].set_warning("\n".join(texts))
        self.rules_label.setText("\n".join(notes))
        self.rules_label.setVisible(bool(notes))

    def _check_all(self) -> bool:
        if self.picker.business_id() is None:
            self.messages["business_id"].set_error(self.tr("请从列表中选择申请设置招牌的商户"))
        for spin, label in ((self.width_spin, self.tr("宽度")), (self.height_spin, self.tr("高度"))):
            if not spin.value():
                self.messages["size"].set_error(self.tr("招牌{0}应大于0米").format(label))
        return not any(m.has_error() for m in self.messages.values())

    # --- saving ---------------------------------------------------------------------------

    def accept(self) -> None:
        if self._saving:
            return
        for message in self.messages.values():
            message.clear_message()
        self.check_rules()
        if not self._check_all():
            return
        self._set_saving(True)
        row = self._row
        permit_operations.save_application(
            self._ctx, row.id if row else None, row.version if row else 0, self.current_input(),
            self.drawings.paths(), self.photos.paths(), self._saved, failed=self._refused,
            owner=self)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)

    def _saved(self, row: P.PermitRow) -> None:
        self._set_saving(False)
        self.saved.emit(row)
        super().accept()

    def _refused(self, error: DomainError) -> None:
        self._set_saving(False)
        show_refusal(self, self.tr("未保存"), error, self.messages, _ROW_OF)

    def reject(self) -> None:
        if self._saving:
            return
        if self.is_modified() and not prompts.confirm(
                self, self.tr("放弃修改？"), self.tr("所填内容尚未保存，确定要放弃吗？"),
                ok_text=self.tr("放弃")):
            return
        super().reject()
