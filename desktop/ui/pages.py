"""The registry of the main window's pages: adding an area is one line in PAGES."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QStyle, QWidget

from .context import AppContext
from .page import Page

SP = QStyle.StandardPixmap


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: object  # QT_TRANSLATE_NOOP source text, translated in the "Navigation" context
    icon: QStyle.StandardPixmap
    factory: str  # "module:Class", imported when the page is first shown

    def create(self, ctx: AppContext, parent: QWidget | None = None) -> Page:
        module_name, class_name = self.factory.split(":")
        cls = getattr(importlib.import_module(module_name), class_name)
        page = cls(ctx, parent)
        assert isinstance(page, Page)
        return page


PAGES: list[PageSpec] = [
    PageSpec("home", QT_TRANSLATE_NOOP("Navigation", "首页"), SP.SP_DirHomeIcon,
             "desktop.ui.home_page:HomePage"),
    PageSpec("ledger", QT_TRANSLATE_NOOP("Navigation", "商户台账"), SP.SP_FileDialogDetailedView,
             "desktop.ui.ledger_page:LedgerPage"),
    PageSpec("agreements", QT_TRANSLATE_NOOP("Navigation", "门前三包"), SP.SP_FileDialogContentsView,
             "desktop.ui.agreement_page:AgreementPage"),
    PageSpec("permits", QT_TRANSLATE_NOOP("Navigation", "户外广告"), SP.SP_DesktopIcon,
             "desktop.ui.permit_page:PermitPage"),
    PageSpec("sorting", QT_TRANSLATE_NOOP("Navigation", "垃圾分类"), SP.SP_TrashIcon,
             "desktop.ui.sorting_page:SortingPage"),
    PageSpec("findings", QT_TRANSLATE_NOOP("Navigation", "巡查与通知"), SP.SP_MessageBoxWarning,
             "desktop.ui.finding_page:FindingPage"),
    PageSpec("settings", QT_TRANSLATE_NOOP("Navigation", "系统设置"), SP.SP_FileDialogInfoView,
             "desktop.ui.settings_page:SettingsPage"),
]
