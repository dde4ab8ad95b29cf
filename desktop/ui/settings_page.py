"""系统设置: the office profile, document numbering, and the communities with their grids."""

from __future__ import annotations

from PySide6.QtWidgets import QScrollArea, QTabWidget, QWidget

from . import hub
from .audit_page import AuditPanel
from .context import AppContext
from .divisions_tree import DivisionsTree
from .legal_basis_panel import LegalBasisPanel
from .numbering_table import NumberingTable
from .office_form import OfficeForm
from .page import Page
from .user_panel import UserPanel


class SettingsPage(Page):
    cares_about = frozenset({hub.OFFICE, hub.NUMBERING, hub.COMMUNITY, hub.GRID, "legal_basis"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.office_form = OfficeForm(ctx)
        self.numbering = NumberingTable(ctx)
        self.divisions = DivisionsTree(ctx)
        self.legal_basis = LegalBasisPanel(ctx)
        office_scroll = QScrollArea()  # the form stays usable on a 768-pixel-high screen
        office_scroll.setWidget(self.office_form)
        office_scroll.setWidgetResizable(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(office_scroll, self.tr("办事处信息"))
        self.tabs.addTab(self.numbering, self.tr("文书编号"))
        self.tabs.addTab(self.divisions, self.tr("社区与网格"))
        self.tabs.addTab(self.legal_basis, self.tr("法律依据"))
        self.users = UserPanel(ctx)  # both load when first shown
        self.audit = AuditPanel(ctx)
        self.tabs.addTab(self.users, self.tr("用户"))
        self.tabs.addTab(self.audit, self.tr("审计日志"))
        self.body().addWidget(self.tabs, 1)

        self.act_new.setText(self.tr("新增社区"))
        self.act_new.setEnabled(True)
        self.act_edit.setText(self.tr("重命名"))
        self.act_edit.setEnabled(True)
        self.act_new.triggered.connect(self._new)
        self.act_edit.triggered.connect(self._rename)

    def activate(self, arg: object = None) -> None:
        if isinstance(arg, str):
            tab = {"office": 0, "numbering": 1, "divisions": 2, "legal": 3}.get(arg)
            if tab is not None:
                self.tabs.setCurrentIndex(tab)
            panel = {"users": self.users, "audit": self.audit}.get(arg)
            if panel is not None:
                self.tabs.setCurrentWidget(panel)

    def _new(self) -> None:
        self.tabs.setCurrentWidget(self.divisions)
        self.divisions.add_community()

    def _rename(self) -> None:
        self.tabs.setCurrentWidget(self.divisions)
        self.divisions.rename()

    def refresh(self) -> None:
        self.ledger_changed(self.cares_about)

    def ledger_changed(self, kinds: frozenset[str]) -> None:
        if hub.OFFICE in kinds:
            self.office_form.reload()
        if hub.NUMBERING in kinds:
            self.numbering.reload()
        if kinds & {hub.COMMUNITY, hub.GRID}:
            self.divisions.reload()
        if "legal_basis" in kinds:
            self.legal_basis.reload()
