"""Quick entry of a patrol finding (问题) with photos; also corrects one not yet notified."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QSettings, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.businesses import BusinessRow
from desktop.domain.divisions import CommunityInfo
from desktop.domain.errors import DomainError
from desktop.domain.findings import SOURCES, FindingInput, FindingRow

from . import finding_operations, operations, prompts
from .agreement_business_picker import BusinessPicker
from .context import AppContext
from .field_message import FieldMessage, add_field, show_refusal
from .photo_grid import PhotoGrid
from .window_state import RememberingDialog

NO_DEADLINE = QDate(2000, 1, 1)
INSPECTORS_KEY = "findings/last-inspectors"
# Service fields shown in a combined row of the form.
_ROW_OF = {"person": "person_row", "grid_id": "community_id", "source": "category"}


def to_datetime(value: QDateTime) -> dt.datetime:
    d, t = value.date(), value.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def ceil_minute(moment: dt.datetime) -> dt.datetime:
    """The first whole minute not before `moment` (the editors show no seconds)."""
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + dt.timedelta(minutes=1)


def to_qdatetime(moment: dt.datetime) -> QDateTime:
    return QDateTime(QDate(moment.year, moment.month, moment.day),
                     QTime(moment.hour, moment.minute))


class FindingDialog(RememberingDialog):
    """A new finding when `row` is None; otherwise a correction of one still at 发现."""

    saved = Signal(object)  # FindingRow as stored

    def __init__(self, ctx: AppContext, categories: list[str], communities: list[CommunityInfo],
                 row: FindingRow | None = None, parent: QWidget | None = None, *,
                 now: dt.datetime | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FindingDialog")
        self._ctx = ctx
        self._row = row
        self._saving = False
        self._communities = [c for c in communities if c.active
                             or (row is not None and c.id == row.community_id)]
        now = (now or dt.datetime.now()).replace(second=0, microsecond=0)
        self.setWindowTitle(self.tr("登记巡查问题") if row is None
                            else self.tr("修改问题 — {0}").format(row.category))
        self.setMinimumWidth(600)

        self.category_combo = QComboBox()
        self.category_combo.setEditable(True)  # the office may use its own categories
        self.category_combo.addItems(categories)
        self.category_combo.setCurrentIndex(-1)
        self.category_combo.lineEdit().setPlaceholderText(self.tr("选择或输入类别"))
        self.category_combo.setMinimumWidth(self.fontMetrics().horizontalAdvance("门前三包不落实") + 60)
        self.source_combo = QComboBox()
        self.source_combo.addItems(SOURCES)
        self.source_combo.setToolTip(self.tr("问题来源"))
        category_box = self._row_of(self.category_combo, QLabel(self.tr("来源")), self.source_combo)
        self.found_edit = QDateTimeEdit()
        self.found_edit.setCalendarPopup(True)
        self.found_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.found_edit.setMaximumDateTime(to_qdatetime(now + dt.timedelta(minutes=10)))
        self.found_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("2026-12-31 23:59") + 50)
        self.picker = BusinessPicker(ctx)
        self.picker.edit.setPlaceholderText(self.tr("输入商户名称、拼音首字母或地址查找（无商户可不填）"))
        self.person_edit = QLineEdit(maxLength=50)
        self.person_edit.setPlaceholderText(self.tr("无固定商户时填写当事人姓名，如流动摊贩"))
        self.community_combo = QComboBox()
        self.community_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.community_combo.addItem(self.tr("（请选择）"), None)
        for community in self._communities:
            self.community_combo.addItem(community.name, community.id)
        self.grid_combo = QComboBox()
        self.grid_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.grid_combo.setMinimumContentsLength(6)
        community_box = self._row_of(self.community_combo, QLabel(self.tr("网格")), self.grid_combo)
        self.place_edit = QLineEdit(maxLength=200)
        self.place_edit.setPlaceholderText(self.tr("选了商户可不填，默认为商户地址"))
        self.description_edit = QPlainTextEdit()
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setPlaceholderText(self.tr("如：在店门外人行道摆放桌椅4张经营"))
        self.description_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.inspectors_edit = QLineEdit(maxLength=100)
        self.inspectors_edit.setPlaceholderText(self.tr("如：张三、李四"))
        self.deadline_edit = QDateEdit()
        self.deadline_edit.setCalendarPopup(True)
        self.deadline_edit.setDisplayFormat("yyyy-MM-dd")
        self.deadline_edit.setMinimumDate(NO_DEADLINE)
        self.deadline_edit.setSpecialValueText(self.tr("不设（签发通知书时确定）"))
        self.deadline_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("不设（签发通知书时确定）") + 50)
        deadline_box = self._row_of(self.deadline_edit)
        self.photos = PhotoGrid()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        fields: list[tuple[str, str, QWidget, bool]] = [
            ("category", self.tr("问题类别"), category_box, True),
            ("found_at", self.tr("发现时间"), self._row_of(self.found_edit), True),
            ("business_id", self.tr("涉及商户"), self.picker, False),
            ("person_row", self.tr("当事人"), self.person_edit, False),
            ("community_id", self.tr("所在社区"), community_box, True),
            ("place", self.tr("发现地点"), self.place_edit, True),
            ("description", self.tr("问题描述"), self.description_edit, True),
            ("inspectors", self.tr("巡查人员"), self.inspectors_edit, True),
            ("deadline", self.tr("整改期限"), deadline_box, False),
            ("photo", self.tr("现场照片"), self.photos, False),
        ]
        self.messages: dict[str, FieldMessage] = {
            key: add_field(form, text, editor, required=required)
            for key, text, editor, required in fields}
        self._focus_of: dict[str, QWidget] = {
            "category": self.category_combo, "found_at": self.found_edit,
            "business_id": self.picker.edit, "person_row": self.person_edit,
            "community_id": self.community_combo, "place": self.place_edit,
            "description": self.description_edit, "inspectors": self.inspectors_edit,
            "deadline": self.deadline_edit, "photo": self.photos.add_button}

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("保存"))
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("取消"))
        note = QLabel(self.tr('带 <span style="color:#c62828">*</span> 的为必填项；'
                              '商户与当事人至少填一项'))
        note.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(note, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addLayout(bottom)
        order: list[QWidget] = [
            self.category_combo, self.source_combo, self.found_edit, self.picker.edit,
            self.person_edit, self.community_combo, self.grid_combo, self.place_edit,
            self.description_edit, self.inspectors_edit, self.deadline_edit,
            self.photos.add_button, self.photos.folder_button, self.photos.list, self.buttons]
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)

        self._fill(row, now)
        self._initial = (self.current_input(), ())

        self.picker.picked.connect(self._business_picked)
        self.community_combo.currentIndexChanged.connect(self._community_changed)
        self.category_combo.currentTextChanged.connect(
            lambda: self.messages["category"].clear_message())
        for key, edit in (("person_row", self.person_edit), ("place", self.place_edit),
                          ("inspectors", self.inspectors_edit)):
            edit.textEdited.connect(lambda _t, k=key: self._clear(k))
        self.description_edit.textChanged.connect(lambda: self._clear("description"))
        self.photos.changed.connect(lambda: self._clear("photo"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    @staticmethod
    def _row_of(*widgets: QWidget) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            row.addWidget(widget)
        row.addStretch(1)
        return box

    # --- values ---------------------------------------------------------------------------

    def _fill(self, row: FindingRow | None, now: dt.datetime) -> None:
        if row is None:
            self.found_edit.setDateTime(to_qdatetime(now))
            self.inspectors_edit.setText(str(QSettings().value(INSPECTORS_KEY, "") or ""))
            self.deadline_edit.setDate(NO_DEADLINE)
            self._fill_grids(None)
            return
        self.category_combo.setCurrentText(row.category)
        self.source_combo.setCurrentText(row.source)
        self.found_edit.setDateTime(to_qdatetime(row.found_at))
        self.person_edit.setText(row.person)
        self.community_combo.setCurrentIndex(max(0, self.community_combo.findData(row.community_id)))
        self._fill_grids(row.grid_id)
        self.place_edit.setText(row.place)
        self.description_edit.setPlainText(row.description)
        self.inspectors_edit.setText(row.inspectors)
        self.deadline_edit.setDate(QDate(row.deadline.year, row.deadline.month, row.deadline.day)
                                   if row.deadline else NO_DEADLINE)
        self.photos.existing = row.photos
        self.photos.add_paths([])
        if row.business_id is not None:
            self.picker.edit.setText(row.business)
            operations.load_business(self._ctx, row.business_id, self._business_loaded, owner=self)

    def _business_loaded(self, business: BusinessRow) -> None:
        self.picker.set_business(business)
        self._business_picked(business)
        self._initial = (self.current_input(), ())

    def current_input(self) -> FindingInput:
        deadline = self.deadline_edit.date()
        return FindingInput(
            category=self.category_combo.currentText().strip(),
            found_at=to_datetime(self.found_edit.dateTime()),
            place=self.place_edit.text(), business_id=self.picker.business_id(),
            person=self.person_edit.text(), community_id=self.community_combo.currentData(),
            grid_id=self.grid_combo.currentData(), description=self.description_edit.toPlainText(),
            inspectors=self.inspectors_edit.text(),
            deadline=None if deadline == NO_DEADLINE else dt.date(
                deadline.year(), deadline.month(), deadline.day()),
            source=self.source_combo.currentText(),
            inspection_id=None)

    def is_modified(self) -> bool:
        return (self.current_input(), tuple(self.photos.paths())) != self._initial

    # --- reacting -------------------------------------------------------------------------

    def _clear(self, key: str) -> None:
        self.messages[key].clear_message()

    def _business_picked(self, business: BusinessRow | None) -> None:
        # The finding belongs to the business's community; the place defaults to its address.
        has = business is not None
        self.community_combo.setEnabled(not has)
        self.grid_combo.setEnabled(not has)
        if business is not None:
            self._clear("business_id")
            self._clear("community_id")
            self.community_combo.setCurrentIndex(
                max(0, self.community_combo.findData(business.community_id)))
            self._fill_grids(business.grid_id)
            self.place_edit.setPlaceholderText(self.tr("默认为商户地址：{0}").format(business.address))
        else:
            self.place_edit.setPlaceholderText(self.tr("选了商户可不填，默认为商户地址"))

    def _community_changed(self) -> None:
        self._clear("community_id")
        self._fill_grids(None)

    def _fill_grids(self, grid_id: int | None) -> None:
        self.grid_combo.clear()
        self.grid_combo.addItem(self.tr("（不限）"), None)
        community = next((c for c in self._communities
                          if c.id == self.community_combo.currentData()), None)
        for grid in community.grids if community else ():
            self.grid_combo.addItem(grid.name, grid.id)
        self.grid_combo.setCurrentIndex(max(0, self.grid_combo.findData(grid_id)))

    def _check_all(self) -> bool:
        data = self.current_input()
        checks = [("category", not data.category, self.tr("请选择问题类别")),
                  ("description", not data.description.strip(), self.tr("请描述发现的问题")),
                  ("inspectors", not data.inspectors.strip(), self.tr("请填写巡查人员"))]
        if data.business_id is None:
            checks += [
                ("business_id", not data.person.strip(),
                 self.tr("请选择涉及的商户，或在下一行填写当事人姓名")),
                ("community_id", data.community_id is None, self.tr("请选择问题所在社区")),
                ("place", not data.place.strip(), self.tr("请填写发现地点"))]
        for key, bad, text in checks:
            if bad:
                self.messages[key].set_error(text)
        return not self._focus_first_error()

    def _focus_first_error(self) -> bool:
        for key, message in self.messages.items():
            if message.has_error():
                self._focus_of[key].setFocus()
                return True
        return False

    # --- saving and leaving ---------------------------------------------------------------

    def accept(self) -> None:
        if self._saving or not self._check_all():
            return
        self._set_saving(True)
        row = self._row
        data = self.current_input()
        QSettings().setValue(INSPECTORS_KEY, data.inspectors.strip())
        finding_operations.save_finding(self._ctx, row.id if row else None,
                                        row.version if row else 0, data, self.photos.paths(),
                                        self._saved, failed=self._refused, owner=self)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)
        self.save_button.setText(self.tr("正在保存…") if saving else self.tr("保存"))

    def _saved(self, row: FindingRow) -> None:
        self._set_saving(False)
        self.saved.emit(row)
        super().accept()

    def _refused(self, error: DomainError) -> None:
        self._set_saving(False)
        show_refusal(self, self.tr("未保存"), error, self.messages, _ROW_OF)
        self._focus_first_error()

    def reject(self) -> None:
        if self._saving:
            return
        if self.is_modified() and not prompts.confirm(
                self, self.tr("放弃登记？"), self.tr("填写的内容尚未保存，确定要放弃吗？"),
                ok_text=self.tr("放弃")):
            return
        super().reject()
