"""Entering a sorting check from the paper sheet, keyboard only: a new check, a correction of
one, or the recheck of the items that failed. The total and pass/fail update as the clerk types;
the photos taken on site are saved with the check."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QSettings, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import DomainError, ValidationError
from desktop.domain.sorting import CheckInput, CheckRow, ReasonRequiredError, RecheckInput
from desktop.domain.sorting_sites import SiteChoice
from desktop.domain.sorting_templates import TemplateRow

from . import prompts, sorting_operations
from .context import AppContext
from .photo_grid import PhotoGrid
from .sorting_operations import EntrySetup
from .sorting_score_table import PREVIOUS, ScoreSheetModel, ScoreTable
from .window_state import RememberingDialog

INSPECTORS_KEY = "sorting/inspectors"  # the last inspectors typed: usually the same pair
_OK = "color: white; background: #2e7d32; border-radius: 4px; padding: 2px 10px;"
_BAD = "color: white; background: #c62828; border-radius: 4px; padding: 2px 10px;"
_OPEN = "color: #555; background: #eeeeee; border-radius: 4px; padding: 2px 10px;"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(edit: QDateEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


class CheckEntryDialog(RememberingDialog):
    saved = Signal(object)  # CheckRow as stored

    def __init__(self, ctx: AppContext, setup: EntrySetup, parent: QWidget | None = None, *,
                 site_id: int | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CheckEntryDialog")
        self._ctx = ctx
        self._setup = setup
        self._today = today or dt.date.today()
        self._saving = False
        self._then_next = False
        self._deadline_touched = False
        self._photo_refused = False
        form = setup.form
        self.mode = "new" if form is None else ("recheck" if form.check is None else "edit")
        self._site: SiteChoice | None = None
        self._sites = setup.sites

        # --- header -------------------------------------------------------------------
        self.site_combo = QComboBox()
        self.site_combo.setEditable(True)
        self.site_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        site_edit = self.site_combo.lineEdit()
        assert site_edit is not None
        site_edit.setPlaceholderText(self.tr("输入点位名称查找"))
        self.site_combo.addItem("", None)
        for site in self._sites:
            self.site_combo.addItem(site.label(), site.id)
        completer = QCompleter(self.site_combo.model(), self.site_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.site_combo.setCompleter(completer)
        self.site_combo.setMinimumWidth(self.fontMetrics().horizontalAdvance("锦绣花园（公共场所，东湖社区）") + 40)
        self.site_label = QLabel()
        self.site_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.date_edit = QDateEdit(_qdate(self._today))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMaximumDate(_qdate(self._today))
        self.date_edit.setMinimumDate(QDate(2000, 1, 1))
        self.inspectors_edit = QLineEdit(maxLength=100)
        self.inspectors_edit.setPlaceholderText(self.tr("如：张建华、李卫东"))
        self.template_label = QLabel()
        self.template_label.setStyleSheet("color: #555;")
        header = QGridLayout()
        header.setHorizontalSpacing(8)
        site_caption = QLabel(self.tr("点位(&S)"))
        site_caption.setBuddy(self.site_combo)
        date_caption = QLabel(self.tr("检查日期(&D)"))
        date_caption.setBuddy(self.date_edit)
        people_caption = QLabel(self.tr("检查人员(&P)"))
        people_caption.setBuddy(self.inspectors_edit)
        header.addWidget(site_caption, 0, 0)
        header.addWidget(self.site_combo if self.mode == "new" else self.site_label, 0, 1)
        header.addWidget(date_caption, 0, 2)
        header.addWidget(self.date_edit, 0, 3)
        header.addWidget(people_caption, 0, 4)
        header.addWidget(self.inspectors_edit, 0, 5)
        header.addWidget(self.template_label, 1, 1, 1, 5)
        header.setColumnStretch(1, 3)
        header.setColumnStretch(5, 2)

        # --- the sheet ----------------------------------------------------------------
        self.table = ScoreTable()
        self.criteria_label = QLabel()
        self.criteria_label.setWordWrap(True)
        self.criteria_label.setStyleSheet("color: #444;")
        self.total_label = QLabel()
        font = self.total_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.total_label.setFont(font)
        self.verdict_label = QLabel()
        self.verdict_label.setFont(font)
        self.progress_label = QLabel()
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        totals = QFrame()
        totals.setFrameShape(QFrame.Shape.StyledPanel)
        totals_row = QHBoxLayout(totals)
        totals_row.setContentsMargins(8, 4, 8, 4)
        totals_row.addWidget(self.total_label)
        totals_row.addWidget(self.verdict_label)
        totals_row.addSpacing(12)
        totals_row.addWidget(self.progress_label)
        totals_row.addSpacing(12)
        totals_row.addWidget(self.message_label, 1)

        # --- footer -------------------------------------------------------------------
        self.notes_edit = QLineEdit(maxLength=1000)
        self.notes_edit.setPlaceholderText(self.tr("检查意见、整改要求"))
        self.deadline_edit = QDateEdit()
        self.deadline_edit.setCalendarPopup(True)
        self.deadline_edit.setDisplayFormat("yyyy-MM-dd")
        self.finding_check = QCheckBox(self.tr("同时登记为商户问题（垃圾分类不达标）"))
        self.finding_check.setVisible(False)
        footer = QFormLayout()
        footer.addRow(self.tr("检查意见(&N)"), self.notes_edit)
        deadline_row = QHBoxLayout()
        deadline_row.addWidget(self.deadline_edit)
        deadline_row.addWidget(QLabel(self.tr("不合格时须在此日期前整改，之后复查")))
        deadline_row.addStretch(1)
        deadline_row.addWidget(self.finding_check)
        footer.addRow(self.tr("整改期限"), deadline_row)
        self.photos = PhotoGrid()
        self.photos.list.setAccessibleName(self.tr("随检查保存的照片"))
        footer.addRow(self.tr("复查照片") if self.mode == "recheck" else self.tr("现场照片"),
                      self.photos)
        self.save_button = QPushButton(self.tr("保存（Ctrl+S）"))
        self.next_button = QPushButton(self.tr("保存并录入下一张"))
        self.next_button.setVisible(self.mode == "new")
        self.cancel_button = QPushButton(self.tr("取消"))
        for button in (self.save_button, self.next_button, self.cancel_button):
            button.setAutoDefault(False)  # Enter is handled below, never by a default button
        hint = QLabel(self.tr("键入分数后按回车到下一项；扣分项填写扣除的分数，得分项填写得到的分数"))
        hint.setStyleSheet("color: #555;")
        buttons = QHBoxLayout()
        buttons.addWidget(hint, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.criteria_label)
        layout.addWidget(totals)
        layout.addLayout(footer)
        layout.addLayout(buttons)
        order = [self.site_combo if self.mode == "new" else self.date_edit, self.date_edit,
                 self.inspectors_edit, self.table, self.notes_edit, self.deadline_edit,
                 self.finding_check, self.photos.add_button, self.photos.folder_button,
                 self.photos.list, self.save_button, self.next_button, self.cancel_button]
        for first, second in zip(order, order[1:], strict=False):
            if first is not second:
                self.setTabOrder(first, second)
        self.resize(1060, 680)  # fits a 1366×768 screen with its taskbar and title bar

        self._fill(site_id)
        self.deadline_edit.setMinimumDate(self.date_edit.date())
        self._initial = self._state()
        QShortcut(QKeySequence("Ctrl+S"), self, self.save)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.save)
        self.site_combo.currentIndexChanged.connect(self._site_picked)
        self.date_edit.dateChanged.connect(self._date_changed)
        self.deadline_edit.dateChanged.connect(self._deadline_changed)
        self.table.finished.connect(self.save_button.setFocus)
        self.photos.changed.connect(self._photos_changed)
        self.save_button.clicked.connect(self.save)
        self.next_button.clicked.connect(self.save_and_next)
        self.cancel_button.clicked.connect(self.reject)

    # --- filling ------------------------------------------------------------------------

    def _fill(self, site_id: int | None) -> None:
        form = self._setup.form
        self.inspectors_edit.setText(str(QSettings().value(INSPECTORS_KEY, "") or ""))
        if form is None:
            self.setWindowTitle(self.tr("录入垃圾分类检查"))
            self._set_model(None, ())
            if site_id is not None:
                self.site_combo.setCurrentIndex(max(0, self.site_combo.findData(site_id)))
                self._site_picked()
            return
        template = form.template
        if form.check is not None:  # a correction
            check = form.check
            self.setWindowTitle(self.tr("修改检查记录 — {0}").format(check.site))
            self.date_edit.setDate(_qdate(check.check_date))
            self.inspectors_edit.setText(check.inspectors)
            self.notes_edit.setText(check.notes)
            shown = tuple(i for i in template.items if not form.recheck_items
                          or i.id in form.recheck_items)
            fixed = {k: s.score for k, s in form.scores.items() if k not in {i.id for i in shown}}
            self._set_model(template, shown, fixed)
            self.model.set_values({k: (s.value, s.note) for k, s in form.scores.items()})
            if check.deadline is not None:
                self.deadline_edit.setDate(_qdate(check.deadline))
                self._deadline_touched = True
            what = self.tr("复查") if check.is_recheck else self.tr("检查")
            self.photos.existing = form.photos
            self.photos.add_paths([])  # shows how many are stored already
            self.site_label.setText(f"<b>{check.site}</b>（{check.site_type}，{check.community}）"
                                    f"　{what}")
            if self._setup.reported:
                self.message_label.setText(self.tr("{0} 已上报，修改需填写原因").format(
                    self._setup.reported))
                self.message_label.setStyleSheet("color: #8a5a00;")
        else:  # a recheck of the failed items
            previous = form.previous
            assert previous is not None
            self.setWindowTitle(self.tr("复查 — {0}").format(previous.site))
            shown = tuple(i for i in template.items if i.id in form.recheck_items)
            fixed = {k: s.score for k, s in form.scores.items() if k not in form.recheck_items}
            self._set_model(template, shown, fixed,
                            previous={k: form.scores[k].score for k in form.recheck_items})
            self.date_edit.setMinimumDate(_qdate(previous.check_date))
            self.site_label.setText(self.tr(
                "<b>{0}</b>（{1}）　上次 {2} 得分 {3:g}，{4}；整改期限 {5}；只需复查以下 {6} 项")
                .format(previous.site, previous.site_type, previous.check_date, previous.total,
                        self.tr("否决项不合格") if previous.vetoed else self.tr("不合格"),
                        previous.deadline or "—", len(shown)))
        self.template_label.setText(template.label())

    def _set_model(self, template: TemplateRow | None, rows: tuple, fixed: dict[int, float] | None = None,
                   previous: dict[int, float] | None = None) -> None:
        if template is None:
            template = next(iter(self._setup.templates.values()), None)  # type: ignore[arg-type]
            assert template is not None
        self.model = ScoreSheetModel(template, rows, fixed=fixed, previous=previous, parent=self)
        old = self.table.model()
        self.table.setModel(self.model)
        if old is not None:
            old.deleteLater()
        self.table.setColumnHidden(PREVIOUS, not previous)
        self.model.sheet_changed.connect(self._update_totals)
        self.model.refused.connect(self._refused_value)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        if rows:
            self.table.go_to(0)
        self._update_totals()

    def _site_picked(self) -> None:
        site_id = self.site_combo.currentData()
        site = next((s for s in self._sites if s.id == site_id), None)
        if site is None or (self._site is not None and site.id == self._site.id):
            return
        same_sheet = self._site is not None and self._site.site_type == site.site_type
        self._site = site
        template = self._setup.templates[site.site_type]
        if not same_sheet:
            self._set_model(template, template.items)
        self.template_label.setText(template.label())
        self.finding_check.setVisible(site.business_id is not None)
        self._update_totals()

    # --- live figures -------------------------------------------------------------------

    def _update_totals(self) -> None:
        model = self.model
        if not model.last_refusal and self.message_label.styleSheet() == "color: #c62828;":
            self.message_label.clear()  # the refused value has been put right
        rows = model.rows
        if not rows:
            self.total_label.setText(self.tr("总分 —"))
            self.verdict_label.setText(self.tr("请先选择点位"))
            self.verdict_label.setStyleSheet(_OPEN)
            self.progress_label.setText("")
            self._update_deadline(None)
            return
        sheet = model.sheet()
        typed = sum(model.values[i.id] is not None for i in rows)
        self.total_label.setText(self.tr("总分 {0:g} / {1:g}").format(sheet.total, sheet.max_total))
        if sheet.passed is None:
            verdict, style = self.tr("待录完"), _OPEN
        elif sheet.passed:
            verdict, style = self.tr("合格"), _OK
        else:
            verdict, style = (self.tr("否决项不合格") if sheet.vetoed else self.tr("不合格")), _BAD
        self.verdict_label.setText(verdict)
        self.verdict_label.setStyleSheet(style)
        self.progress_label.setText(self.tr("合格线 {0:g} 分　已填 {1}/{2} 项　已扣 {3:g} 分").format(
            sheet.pass_score, typed, len(rows), sheet.lost))
        self._update_deadline(sheet.passed)

    def _update_deadline(self, passed: bool | None) -> None:
        failing = passed is False
        self.deadline_edit.setEnabled(failing)
        self.finding_check.setEnabled(failing)
        if not failing:
            self.finding_check.setChecked(False)
        if not self._deadline_touched:
            self.deadline_edit.blockSignals(True)
            self.deadline_edit.setDate(self.date_edit.date().addDays(7))
            self.deadline_edit.blockSignals(False)

    def _date_changed(self) -> None:
        self.deadline_edit.setMinimumDate(self.date_edit.date())
        self._update_deadline(self.model.sheet().passed if self.model.rows else None)

    def _deadline_changed(self) -> None:
        self._deadline_touched = True

    def _row_changed(self) -> None:
        row = self.table.currentIndex().row()
        if 0 <= row < len(self.model.rows):
            item = self.model.rows[row]
            what = self.tr("扣分项：填写扣除的分数") if item.deduct else self.tr("得分项：填写得到的分数")
            veto = self.tr("；否决项，扣分即整张检查不合格") if item.veto else ""
            criteria = item.criteria or self.tr("（无）")
            self.criteria_label.setText(self.tr("第{0}项 {1}（满分 {2:g}，{3}{4}）评分标准：{5}").format(
                item.position, item.group, item.max_score, what, veto, criteria))

    def _photos_changed(self) -> None:
        if self._photo_refused:
            self._photo_refused = False
            self.message_label.clear()  # the refused photo may have been taken out

    def _point_at_photo(self, message: str) -> None:
        """Select the refused file in the grid so that Delete takes it out."""
        self._photo_refused = True
        self.photos.list.clearSelection()
        for row, path in enumerate(self.photos.paths()):
            if f"“{path.name}”" in message:
                self.photos.list.item(row).setSelected(True)
        self.photos.list.setFocus()

    def _refused_value(self, message: str) -> None:
        self._show_message(message)

    def _show_message(self, text: str, *, ok: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet("color: #2e7d32;" if ok else "color: #c62828;")

    # --- keys -----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            focus = self.focusWidget()
            if focus is self.table or self.table.isAncestorOf(focus):
                return  # the sheet moves on by itself once the typed score is committed
            if isinstance(focus, QPushButton):
                focus.click()
            elif focus is self.inspectors_edit:
                self.focus_sheet()
            else:
                self.focusNextChild()
            return
        super().keyPressEvent(event)

    def focus_sheet(self) -> None:
        missing = self.model.first_missing()
        if self.model.rows:
            self.table.go_to(missing if missing is not None else 0)
        self.table.setFocus()

    # --- saving ---------------------------------------------------------------------------

    def save_and_next(self) -> None:
        self._then_next = True
        self.save()

    def save(self) -> None:
        if self._saving:
            return
        then_next, self._then_next = self._then_next, False
        if self.mode == "new" and self._site is None:
            self._show_message(self.tr("请选择检查点位"))
            self.site_combo.setFocus()
            return
        if not self.inspectors_edit.text().strip():
            self._show_message(self.tr("请填写检查人员"))
            self.inspectors_edit.setFocus()
            return
        missing = self.model.first_missing()
        if missing is not None:
            item = self.model.rows[missing]
            self._show_message(self.tr("第{0}项“{1}”还未填写").format(item.position, item.text[:16]))
            self.table.go_to(missing)
            self.table.setFocus()
            return
        self._submit(then_next, "")

    def _submit(self, then_next: bool, reason: str) -> None:
        self._set_saving(True)
        sheet = self.model.sheet()
        deadline = _date(self.deadline_edit) if sheet.passed is False else None
        day = _date(self.date_edit)
        people = self.inspectors_edit.text()
        notes = self.notes_edit.text()
        scores = self.model.scores()
        photos = self.photos.paths()

        def done(row: CheckRow) -> None:
            self._saved(row, then_next)

        def failed(error: DomainError) -> None:
            self._refused(error, then_next)

        form = self._setup.form
        if self.mode == "new":
            assert self._site is not None
            data = CheckInput(self._site.id, self.model.template.id, day, people, scores, notes,
                              deadline)
            sorting_operations.record_check(self._ctx, data, self.finding_check.isChecked()
                                            and self.finding_check.isVisible(), done,
                                            photos=photos, failed=failed, owner=self)
        elif self.mode == "edit":
            assert form is not None and form.check is not None
            data = CheckInput(None, None, day, people, scores, notes, deadline)
            sorting_operations.update_check(self._ctx, form.check.id, form.check.version, data,
                                            reason, done, photos=photos, failed=failed, owner=self)
        else:
            assert form is not None and form.previous is not None
            sorting_operations.record_recheck(
                self._ctx, form.previous.id, RecheckInput(day, people, scores, notes, deadline),
                done, photos=photos, failed=failed, owner=self)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)
        self.next_button.setEnabled(not saving)
        self.save_button.setText(self.tr("正在保存…") if saving else self.tr("保存（Ctrl+S）"))

    def _saved(self, row: CheckRow, then_next: bool) -> None:
        self._set_saving(False)
        QSettings().setValue(INSPECTORS_KEY, self.inspectors_edit.text().strip())
        self.saved.emit(row)
        if not then_next:
            super().accept()
            return
        # The next paper sheet of the pile: same day and inspectors, a new site.
        self._show_message(self.tr("已保存：{0}，{1:g} 分，{2}").format(
            row.site, row.total, self.tr("合格") if row.passed else self.tr("不合格")), ok=True)
        self._site = None
        self.site_combo.setCurrentIndex(0)
        self.notes_edit.clear()
        self.photos.clear()
        self.finding_check.setChecked(False)
        self._deadline_touched = False
        self._set_model(None, ())
        self.site_combo.setFocus()

    def _refused(self, error: DomainError, then_next: bool) -> None:
        self._set_saving(False)
        if isinstance(error, ReasonRequiredError):
            reason = prompts.ask_text(self, self.tr("修改已上报的检查"),
                                      error.message + self.tr("。\n修改原因："))
            if reason:
                self._submit(then_next, reason)
            return
        if isinstance(error, ValidationError):
            for key in error.fields:
                if key.startswith("item_"):
                    row = self.model.row_of_item(int(key.removeprefix("item_")))
                    if row is not None:
                        self.table.go_to(row)
                        self.table.setFocus()
                        break
            else:
                focus = {"check_date": self.date_edit, "inspectors": self.inspectors_edit,
                         "deadline": self.deadline_edit, "notes": self.notes_edit}
                for key in error.fields:
                    if key in focus:
                        focus[key].setFocus()
                        break
            if "photo" in error.fields:
                photo = error.fields["photo"]
                self._point_at_photo(photo)
                self._show_message(self.tr("{0}。请移除该文件后再保存（检查记录尚未保存）").format(photo))
                return
            self._show_message(error.message)
            return
        prompts.show_error(self, self.tr("未保存"), error.message)

    def _state(self) -> tuple[object, ...]:
        return (dict(self.model.values), dict(self.model.notes), self.notes_edit.text(),
                self.date_edit.date(), self.inspectors_edit.text(), tuple(self.photos.paths()))

    def is_modified(self) -> bool:
        if self.mode == "new":
            return (self.model.is_modified() or bool(self.notes_edit.text().strip())
                    or bool(self.photos.paths()))
        return self._state() != self._initial

    def reject(self) -> None:
        if self._saving:
            return
        if self.is_modified() and not prompts.confirm(
                self, self.tr("放弃录入？"), self.tr("已填写的分数尚未保存，确定要放弃吗？"),
                ok_text=self.tr("放弃")):
            return
        super().reject()
