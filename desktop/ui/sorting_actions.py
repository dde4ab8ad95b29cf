"""What the 垃圾分类 page's actions do: enter, correct and recheck checks, add and remove their
photos, make a finding, edit sites and checklists, mark a period as reported."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog

from desktop.domain.divisions import CommunityInfo
from desktop.domain.errors import DomainError
from desktop.domain.sorting import CheckRow
from desktop.domain.sorting_sites import SiteRow

from . import prompts, sorting_operations
from .photo_grid import choose_photo_files
from .photo_viewer import PhotoViewer
from .sorting_entry_dialog import CheckEntryDialog
from .sorting_operations import EntrySetup
from .sorting_site_dialog import SiteDialog
from .sorting_template_dialog import TemplateDialog

if TYPE_CHECKING:
    from .sorting_page import SortingPage


class SortingActions(QObject):
    """Lives with the page; every change goes through an operation and comes back by the hub."""

    def __init__(self, page: SortingPage) -> None:
        super().__init__(page)
        self.page = page
        self.ctx = page.ctx
        self.entry: CheckEntryDialog | None = None
        self._busy = False

    def _refused(self, error: DomainError) -> None:
        self._busy = False
        prompts.show_error(self.page, self.tr("未完成"), error.message)

    # --- checks -----------------------------------------------------------------------------

    def new_check(self) -> None:
        if self._busy:
            return
        self._busy = True
        site = self.page.selected_site()
        sorting_operations.prepare_new_check(
            self.ctx, lambda setup: self._open_entry(setup, site.id if site else None), owner=self)

    def edit_selected(self) -> None:
        row = self.page.selected_check()
        if row is None or self._busy:
            return
        self._busy = True
        sorting_operations.prepare_edit(self.ctx, row.id, self._open_entry,
                                        failed=self._refused, owner=self)

    def recheck_selected(self) -> None:
        row = self.page.selected_check()
        if row is None or self._busy:
            return
        self._busy = True
        sorting_operations.prepare_recheck(self.ctx, row.id, self._open_entry,
                                           failed=self._refused, owner=self)

    def _open_entry(self, setup: EntrySetup, site_id: int | None = None) -> None:
        self._busy = False
        dialog = CheckEntryDialog(self.ctx, setup, self.page, site_id=site_id)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._check_saved)
        dialog.open()
        # Keyboard from the first field that needs typing: the site, else the date.
        if dialog.mode == "new" and site_id is None:
            dialog.site_combo.setFocus()
        else:
            dialog.date_edit.setFocus()
        self.entry = dialog

    def _check_saved(self, row: CheckRow) -> None:
        self.page.select_check(row.id)

    # --- photos -----------------------------------------------------------------------------

    def add_photos(self) -> None:
        """Photos of the selected check picked from files; all are saved or, if one is not a
        photo, none."""
        check_id = self.page.photo_check_id()
        if check_id is None:
            return
        paths = choose_photo_files(self.page, self.tr("添加检查现场照片"))
        if not paths:
            return
        sorting_operations.add_photos(
            self.ctx, check_id, paths, lambda _rows: None,
            failed=lambda e: prompts.show_error(self.page, self.tr("照片未添加"), e.message),
            owner=self)

    def remove_photo(self) -> None:
        check = self.page.details.check
        photo = self.page.details.selected_photo()
        if check is None or photo is None:
            return
        attachment_id, name = photo
        what = self.tr("复查") if check.is_recheck else self.tr("检查")
        if not prompts.confirm(self.page, self.tr("删除照片"), self.tr(
                "从“{0}”{1}的{2}中删除照片“{3}”？\n删除后不能恢复，变更记录中会记下此次删除。").format(
                check.site, check.check_date, what, name), ok_text=self.tr("删除")):
            return
        sorting_operations.remove_photo(
            self.ctx, check.id, attachment_id, lambda _none: None,
            failed=lambda e: prompts.show_error(self.page, self.tr("照片未删除"), e.message),
            owner=self)

    def open_photo(self, attachment_id: int, file_name: str) -> QDialog:
        viewer = PhotoViewer(self.ctx, attachment_id, file_name, self.page)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.open()
        return viewer

    def make_finding(self) -> None:
        row = self.page.selected_check()
        if row is None or row.passed or row.business_id is None or row.finding_id is not None:
            return
        if not prompts.confirm(self.page, self.tr("登记问题"), self.tr(
                "将“{0}”{1}的不合格检查登记为商户问题（垃圾分类不达标），整改期限 {2}？").format(
                row.site, row.check_date, row.deadline or "—"), ok_text=self.tr("登记")):
            return
        sorting_operations.create_finding(
            self.ctx, row.id, lambda _id: prompts.show_info(
                self.page, self.tr("登记问题"), self.tr("已登记问题，可在“巡查与通知”中跟进。")),
            failed=self._refused, owner=self)

    def mark_reported(self) -> None:
        period = self.page.filter_bar.period()
        if period is None:
            prompts.show_error(self.page, self.tr("标记已上报"), self.tr("请先在筛选栏选择统计期间"))
            return
        if not prompts.confirm(self.page, self.tr("标记已上报"), self.tr(
                "标记 {0} 的垃圾分类检查结果已上报区城管局？\n之后修改该期间的检查须填写原因，并记入变更记录。")
                .format(period.label), ok_text=self.tr("标记已上报")):
            return
        sorting_operations.mark_reported(self.ctx, period, lambda _none: None,
                                         failed=self._refused, owner=self)

    # --- sites and checklists ---------------------------------------------------------------

    def new_site(self) -> None:
        sorting_operations.load_site_form(self.ctx, lambda c: self._open_site(c, None), owner=self)

    def edit_site(self) -> None:
        row = self.page.selected_site()
        if row is not None:
            sorting_operations.load_site_form(self.ctx, lambda c: self._open_site(c, row),
                                              owner=self)

    def _open_site(self, communities: list[CommunityInfo], row: SiteRow | None) -> None:
        dialog = SiteDialog(self.ctx, [c for c in communities if c.active], row, self.page)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda site: self.page.select_site(site.id))
        dialog.open()

    def toggle_site(self) -> None:
        row = self.page.selected_site()
        if row is None:
            return
        reason = ""
        if row.active:
            answer = prompts.ask_text(self.page, self.tr("停用点位"), self.tr(
                "停用“{0}”的原因（如：小区拆迁、商户关闭）：").format(row.name))
            if answer is None:
                return
            reason = answer
        sorting_operations.set_site_active(self.ctx, row, not row.active, reason,
                                           lambda site: self.page.select_site(site.id),
                                           failed=self._refused, owner=self)

    def edit_templates(self) -> TemplateDialog:
        dialog = TemplateDialog(self.ctx, self.page)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
