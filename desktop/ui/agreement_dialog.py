"""The editor of one 门前三包 draft (read-only for signed ones): area, duties, term, signatories."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.agreements import AgreementInput, AgreementRow, default_end
from desktop.domain.businesses import BusinessRow
from desktop.domain.errors import DomainError

from . import operations, prompts
from .agreement_business_picker import BusinessPicker
from .context import AppContext
from .field_message import FieldMessage, add_field, show_refusal
from .operations import AgreementFormData
from .window_state import RememberingDialog

# Service field names shown in a combined row of the form.
_ROW_OF = {"area_east": "area", "area_west": "area", "area_south": "area", "area_north": "area",
           "frontage_length_m": "size", "area_m2": "size"}
_BOUNDS = ("area_east", "area_west", "area_south", "area_north")


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(edit: QDateEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


def _measure(spin: QDoubleSpinBox) -> float | None:
    return spin.value() or None  # the minimum, 0, shows as 未填


class AgreementDialog(RememberingDialog):
    """A new draft when `row` is None (for `business` if given), an edit of a draft, or a
    read-only view of a signed or ended agreement."""

    saved = Signal(object)  # AgreementRow as stored

    def __init__(self, ctx: AppContext, form: AgreementFormData, row: AgreementRow | None,
                 parent: QWidget | None = None, *, business: BusinessRow | None = None,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AgreementDialog")
        self._ctx = ctx
        self._row = row
        self._term = form.term_months
        self._saving = False
        self._setting_end = False
        self.read_only = row is not None and row.status != "draft"
        if row is None:
            self.setWindowTitle(self.tr("新建门前三包责任书"))
        elif self.read_only:
            self.setWindowTitle(self.tr("查看责任书 — {0}").format(row.number or row.business))
        else:
            self.setWindowTitle(self.tr("编辑责任书草稿 — {0}").format(row.business))
        self.setMinimumWidth(560)

        self.picker = BusinessPicker(ctx)
        self.bounds: dict[str, QLineEdit] = {key: QLineEdit(maxLength=100) for key in _BOUNDS}
        bound_labels = (self.tr("东至"), self.tr("西至"), self.tr("南至"), self.tr("北至"))
        bounds_box = QWidget()
        grid = QGridLayout(bounds_box)
        grid.setContentsMargins(0, 0, 0, 0)
        for n, (key, text) in enumerate(zip(_BOUNDS, bound_labels, strict=True)):
            label = QLabel(text)
            label.setBuddy(self.bounds[key])
            grid.addWidget(label, n // 2, (n % 2) * 2)
            grid.addWidget(self.bounds[key], n // 2, (n % 2) * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.area_text_edit = QPlainTextEdit()
        self.area_text_edit.setTabChangesFocus(True)
        self.area_text_edit.setPlaceholderText(self.tr("如：店门前台阶及人行道至路缘石"))
        self.area_text_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 14)
        self.length_spin = self._measure_spin(self.tr(" 米"))
        self.area_spin = self._measure_spin(self.tr(" 平方米"))
        size_box = QWidget()
        size_row = QHBoxLayout(size_box)
        size_row.setContentsMargins(0, 0, 0, 0)
        size_row.addWidget(self.length_spin)
        size_row.addWidget(QLabel(self.tr("面积")))
        size_row.addWidget(self.area_spin)
        size_row.addStretch(1)
        self.duty_checks: dict[str, QCheckBox] = {}
        duties_box = QWidget()
        duties_grid = QGridLayout(duties_box)
        duties_grid.setContentsMargins(0, 0, 0, 0)
        duties_grid.setVerticalSpacing(2)
        groups = list(dict.fromkeys(item.group for item in form.duties))
        for column, group in enumerate(groups):
            heading = QLabel(f"<b>{group}</b>")
            duties_grid.addWidget(heading, 0, column)
            items = [item for item in form.duties if item.group == group]
            for n, item in enumerate(items, start=1):
                check = QCheckBox(item.title)
                check.setToolTip(item.text)
                self.duty_checks[item.key] = check
                duties_grid.addWidget(check, n, column)
        self._duty_group = {item.key: item.group for item in form.duties}
        self.start_edit = self._date_edit()
        self.end_edit = self._date_edit()
        end_box = QWidget()
        end_row = QHBoxLayout(end_box)
        end_row.setContentsMargins(0, 0, 0, 0)
        end_row.addWidget(self.end_edit)
        self.term_label = QLabel(self.tr("默认期限 {0} 个月").format(self._term))
        self.term_label.setStyleSheet("color: #555;")
        end_row.addWidget(self.term_label)
        end_row.addStretch(1)
        start_box = QWidget()
        start_row = QHBoxLayout(start_box)
        start_row.setContentsMargins(0, 0, 0, 0)
        start_row.addWidget(self.start_edit)
        start_row.addStretch(1)
        self.office_edit = QLineEdit(maxLength=50, placeholderText=self.tr("街道办事处代表"))
        self.business_edit = QLineEdit(maxLength=50, placeholderText=self.tr("一般为经营者本人"))

        form_layout = QFormLayout()
        form_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        fields: list[tuple[str, str, QWidget, bool]] = [
            ("business_id", self.tr("商户"), self.picker, True),
            ("area", self.tr("四至"), bounds_box, True),
            ("area_text", self.tr("文字说明"), self.area_text_edit, False),
            ("size", self.tr("门前长度"), size_box, False),
            ("duties", self.tr("责任事项"), duties_box, True),
            ("start_date", self.tr("开始日期"), start_box, True),
            ("end_date", self.tr("结束日期"), end_box, True),
            ("office_signatory", self.tr("甲方代表"), self.office_edit, False),
            ("business_signatory", self.tr("乙方签字人"), self.business_edit, False),
        ]
        self.messages: dict[str, FieldMessage] = {
            key: add_field(form_layout, text, editor, required=required and not self.read_only)
            for key, text, editor, required in fields
        }
        self._focus_of: dict[str, QWidget] = {
            "business_id": self.picker.edit, "area": self.bounds["area_east"],
            "area_text": self.area_text_edit, "size": self.length_spin,
            "duties": next(iter(self.duty_checks.values()), self.start_edit),
            "start_date": self.start_edit, "end_date": self.end_edit,
            "office_signatory": self.office_edit, "business_signatory": self.business_edit,
        }

        self.buttons = QDialogButtonBox()
        if self.read_only:
            close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
            close.setText(self.tr("关闭"))
            self.save_button = None
        else:
            self.save_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Save)
            self.save_button.setText(self.tr("保存草稿"))
            cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            cancel.setText(self.tr("取消"))
        note = QLabel(self.tr("已签订的责任书不能修改；如需变更，请终止后重新签订或办理续签。")
                      if self.read_only else
                      self.tr('带 <span style="color:#c62828">*</span> 的为必填项；'
                              '保存后为草稿，签订时编号'))
        note.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(note, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(form_layout)
        layout.addStretch(1)
        layout.addLayout(bottom)

        order: list[QWidget] = [self.picker.edit, *self.bounds.values(), self.area_text_edit,
                                self.length_spin, self.area_spin, *self.duty_checks.values(),
                                self.start_edit, self.end_edit, self.office_edit,
                                self.business_edit, self.buttons]
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)

        self._fill(row, business, today or dt.date.today())
        if self.read_only:
            self._make_read_only()
        self._initial = self.current_input()

        self.picker.picked.connect(self._business_picked)
        for edit in self.bounds.values():
            edit.textEdited.connect(self._check_area)
        self.area_text_edit.textChanged.connect(self._check_area)
        for check in self.duty_checks.values():
            check.toggled.connect(self._check_duties)
        self.start_edit.dateChanged.connect(self._start_changed)
        self.end_edit.dateChanged.connect(self._end_changed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    # --- widgets --------------------------------------------------------------------------

    def _measure_spin(self, suffix: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(0, 99_999.9)
        spin.setDecimals(1)
        spin.setSuffix(suffix)
        spin.setSpecialValueText(self.tr("未填"))
        spin.setMinimumWidth(self.fontMetrics().horizontalAdvance("99999.9 平方米") + 40)
        return spin

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(QDate(2000, 1, 1))
        edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("2026-12-31") + 50)
        return edit

    def _make_read_only(self) -> None:
        self.picker.edit.setReadOnly(True)
        for edit in (*self.bounds.values(), self.office_edit, self.business_edit):
            edit.setReadOnly(True)
        self.area_text_edit.setReadOnly(True)
        for widget in (self.length_spin, self.area_spin, self.start_edit, self.end_edit):
            widget.setReadOnly(True)
            widget.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)
        for check in self.duty_checks.values():
            check.setEnabled(False)
        self.term_label.hide()

    # --- values ---------------------------------------------------------------------------

    def _fill(self, row: AgreementRow | None, business: BusinessRow | None, today: dt.date) -> None:
        if row is None:
            data = AgreementInput(business_id=business.id if business else None,
                                  duties=[k for k, g in self._duty_group.items() if g == "三包"],
                                  start_date=today, end_date=default_end(today, self._term),
                                  business_signatory=business.operator if business else "")
            self.picker.set_business(business)
        else:
            data = row.as_input()
            self.picker.set_fixed(row)  # a draft's business is never changed
        for key, edit in self.bounds.items():
            edit.setText(getattr(data, key))
        self.area_text_edit.setPlainText(data.area_text)
        self.length_spin.setValue(data.frontage_length_m or 0)
        self.area_spin.setValue(data.area_m2 or 0)
        for key, check in self.duty_checks.items():
            check.setChecked(key in data.duties)
        start = data.start_date or today
        end = data.end_date or default_end(start, self._term)
        self.start_edit.setDate(_qdate(start))
        self._set_end(end)
        # The end follows the start until the clerk sets it; a renewal starts that way too.
        self._end_follows_start = end == default_end(start, self._term)
        self.office_edit.setText(data.office_signatory)
        self.business_edit.setText(data.business_signatory)

    def current_input(self) -> AgreementInput:
        business = self.picker.business_id()
        bounds = self.bounds
        return AgreementInput(
            business_id=business, area_east=bounds["area_east"].text(),
            area_west=bounds["area_west"].text(), area_south=bounds["area_south"].text(),
            area_north=bounds["area_north"].text(), area_text=self.area_text_edit.toPlainText(),
            frontage_length_m=_measure(self.length_spin), area_m2=_measure(self.area_spin),
            duties=[key for key, check in self.duty_checks.items() if check.isChecked()],
            start_date=_date(self.start_edit), end_date=_date(self.end_edit),
            office_signatory=self.office_edit.text(),
            business_signatory=self.business_edit.text(),
        )

    def is_modified(self) -> bool:
        return self.current_input() != self._initial

    def _set_end(self, day: dt.date) -> None:
        self._setting_end = True
        self.end_edit.setDate(_qdate(day))
        self._setting_end = False

    # --- checks as the clerk works --------------------------------------------------------

    def _business_picked(self, row: BusinessRow | None) -> None:
        if row is None:
            return
        self.messages["business_id"].clear_message()
        if not self.business_edit.text().strip():
            self.business_edit.setText(row.operator)

    def _check_area(self) -> None:
        if any(e.text().strip() for e in self.bounds.values()) or \
                self.area_text_edit.toPlainText().strip():
            self.messages["area"].clear_message()

    def _check_duties(self) -> None:
        if any(check.isChecked() for check in self.duty_checks.values()):
            self.messages["duties"].clear_message()
        else:
            self.messages["duties"].set_error(self.tr("请至少勾选一项责任事项"))

    def _start_changed(self) -> None:
        self.messages["start_date"].clear_message()
        if self._end_follows_start:
            self._set_end(default_end(_date(self.start_edit), self._term))
        self._check_dates()

    def _end_changed(self) -> None:
        if not self._setting_end:
            self._end_follows_start = False
        self._check_dates()

    def _check_dates(self) -> None:
        if _date(self.end_edit) < _date(self.start_edit):
            self.messages["end_date"].set_error(self.tr("结束日期不能早于开始日期"))
        else:
            self.messages["end_date"].clear_message()

    def _check_all(self) -> bool:
        if self.picker.business_id() is None:
            self.messages["business_id"].set_error(self.tr("请从列表中选择签订责任书的商户"))
        if not (any(e.text().strip() for e in self.bounds.values())
                or self.area_text_edit.toPlainText().strip()):
            self.messages["area"].set_error(self.tr("请填写责任区范围（东西南北四至或文字说明）"))
        self._check_duties()
        self._check_dates()
        return not self._focus_first_error()

    def _focus_first_error(self) -> bool:
        for key, message in self.messages.items():
            if message.has_error():
                self._focus_of[key].setFocus()
                return True
        return False

    # --- saving and leaving ---------------------------------------------------------------

    def accept(self) -> None:
        if self.read_only:
            super().accept()
            return
        if self._saving or not self._check_all():
            return
        self._set_saving(True)
        row = self._row
        operations.save_agreement(self._ctx, row.id if row else None, row.version if row else 0,
                                  self.current_input(), self._saved, failed=self._refused,
                                  owner=self)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        if self.save_button is not None:
            self.save_button.setEnabled(not saving)
            self.save_button.setText(self.tr("正在保存…") if saving else self.tr("保存草稿"))

    def _saved(self, row: AgreementRow) -> None:
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
        if not self.read_only and self.is_modified() and not prompts.confirm(
                self, self.tr("放弃修改？"), self.tr("所做的修改尚未保存，确定要放弃吗？"),
                ok_text=self.tr("放弃修改")):
            return
        super().reject()
