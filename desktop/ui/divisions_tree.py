"""Communities and their grids as a tree, with 新增社区 / 新增网格 / 重命名 / 停用."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.divisions import CommunityInfo, GridInfo
from desktop.domain.errors import DomainError

from . import operations, prompts
from .context import AppContext

_INACTIVE = QBrush(QColor(128, 128, 128))


@dataclass(frozen=True)
class _Node:
    kind: str  # "community" or "grid"
    id: int
    version: int
    name: str
    active: bool
    community_id: int


class DivisionsTree(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._select_after: tuple[str, int] | None = None
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("社区 / 网格"), self.tr("网格员"), self.tr("状态")])
        self.tree.setColumnWidth(0, 260)
        self.add_community_button = QPushButton(self.tr("新增社区"))
        self.add_grid_button = QPushButton(self.tr("新增网格"))
        self.rename_button = QPushButton(self.tr("重命名"))
        self.active_button = QPushButton(self.tr("停用"))
        buttons = QHBoxLayout()
        for button in (self.add_community_button, self.add_grid_button, self.rename_button,
                       self.active_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.tree, 1)

        self.add_community_button.clicked.connect(self.add_community)
        self.add_grid_button.clicked.connect(self.add_grid)
        self.rename_button.clicked.connect(self.rename)
        self.active_button.clicked.connect(self.toggle_active)
        self.tree.currentItemChanged.connect(self._update_buttons)
        self._update_buttons()
        self.reload()

    # --- showing --------------------------------------------------------------------------

    def reload(self) -> None:
        operations.load_communities(self._ctx, self._show, owner=self)

    def _show(self, communities: list[CommunityInfo]) -> None:
        current = self.selected()
        wanted = self._select_after or ((current.kind, current.id) if current else None)
        self._select_after = None
        self.tree.clear()
        for community in communities:
            item = self._item(_Node("community", community.id, community.version, community.name,
                                    community.active, community.id), "")
            self.tree.addTopLevelItem(item)
            for grid in community.grids:
                item.addChild(self._grid_item(grid, community.active))
            item.setExpanded(True)
        if wanted:
            self._select(*wanted)
        self._update_buttons()

    def _grid_item(self, grid: GridInfo, community_active: bool) -> QTreeWidgetItem:
        node = _Node("grid", grid.id, grid.version, grid.name, grid.active and community_active,
                     grid.community_id)
        return self._item(node, grid.keeper)

    def _item(self, node: _Node, keeper: str) -> QTreeWidgetItem:
        status = self.tr("在用") if node.active else self.tr("已停用")
        item = QTreeWidgetItem([node.name, keeper, status])
        item.setData(0, Qt.ItemDataRole.UserRole, node)
        if not node.active:
            for column in range(3):
                item.setForeground(column, _INACTIVE)
        return item

    def items(self) -> list[QTreeWidgetItem]:
        """Every community followed by its grids, top to bottom."""
        out: list[QTreeWidgetItem] = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top is not None:
                out.append(top)
                out.extend(c for j in range(top.childCount()) if (c := top.child(j)) is not None)
        return out

    def _select(self, kind: str, node_id: int) -> None:
        for item in self.items():
            node = item.data(0, Qt.ItemDataRole.UserRole)
            if node.kind == kind and node.id == node_id:
                self.tree.setCurrentItem(item)
                return

    def _community_name(self, community_id: int) -> str:
        for item in self.items():
            node = item.data(0, Qt.ItemDataRole.UserRole)
            if node.kind == "community" and node.id == community_id:
                return node.name
        return ""

    def selected(self) -> _Node | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def _update_buttons(self) -> None:
        node = self.selected()
        self.add_grid_button.setEnabled(node is not None)
        self.rename_button.setEnabled(node is not None)
        is_community = node is not None and node.kind == "community"
        self.active_button.setEnabled(is_community)
        self.active_button.setText(self.tr("启用") if is_community and node and not node.active
                                   else self.tr("停用"))
        self.active_button.setToolTip("" if is_community or node is None
                                      else self.tr("网格暂不能停用，可重命名"))

    # --- changing -------------------------------------------------------------------------

    def _failed(self, error: DomainError) -> None:
        prompts.show_error(self, self.tr("未完成"), error.message)

    def _then_select(self, kind: str) -> operations.Done[int]:
        def done(new_id: int) -> None:
            self._select_after = (kind, new_id)
        return done

    def add_community(self) -> None:
        name = prompts.ask_text(self, self.tr("新增社区"), self.tr("社区名称："))
        if name:
            operations.create_community(self._ctx, name, self._then_select("community"),
                                        failed=self._failed, owner=self)

    def add_grid(self) -> None:
        node = self.selected()
        if node is None:
            return
        title = self.tr("新增网格 — {0}").format(self._community_name(node.community_id))
        name = prompts.ask_text(self, title, self.tr("网格名称："))
        if name:
            operations.create_grid(self._ctx, node.community_id, name, self._then_select("grid"),
                                   failed=self._failed, owner=self)

    def rename(self) -> None:
        node = self.selected()
        if node is None:
            return
        name = prompts.ask_text(self, self.tr("重命名"), self.tr("新名称："), node.name)
        if not name or name == node.name:
            return
        rename = operations.rename_community if node.kind == "community" else operations.rename_grid
        rename(self._ctx, node.id, node.version, name, lambda _none: None,
               failed=self._failed, owner=self)

    def toggle_active(self) -> None:
        node = self.selected()
        if node is None or node.kind != "community":
            return
        if node.active:
            question = self.tr("停用社区“{0}”？停用后新增商户时不再可选。").format(node.name)
        else:
            question = self.tr("重新启用社区“{0}”？").format(node.name)
        if prompts.confirm(self, self.tr("社区"), question):
            operations.set_community_active(self._ctx, node.id, not node.active,
                                            lambda _none: None, failed=self._failed, owner=self)
