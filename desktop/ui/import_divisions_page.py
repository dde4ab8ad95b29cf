"""The import wizard's page for communities and grids the ledger does not have yet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from desktop.io.import_rows import BLANK, CREATE, SKIP

from .import_summary_pages import compact

if TYPE_CHECKING:
    from .import_wizard import ImportWizard


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
    return item


def _table(labels: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(labels))
    table.setHorizontalHeaderLabels(labels)
    table.verticalHeader().hide()
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    compact(table, extra=10)
    return table


class DivisionsPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self._community_combos: dict[str, QComboBox] = {}
        self._grid_combos: dict[str, QComboBox] = {}
        self.setTitle(self.tr("台账中还没有的社区和网格"))
        self.setSubTitle(self.tr("请逐个确认：新建、归入已有的社区，或不导入这些行。"
                                 "名称有错别字时，选择归入正确的社区即可。"))
        self.communities = _table([self.tr("社区（文件中的写法）"), self.tr("行数"), self.tr("处理")])
        self.grids = _table([self.tr("社区"), self.tr("网格"), self.tr("行数"), self.tr("处理")])
        self.grid_label = QLabel(self.tr("网格："))
        self.confirm = QCheckBox(self.tr("我已核对，新建上面选择“新建”的社区和网格"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("社区：")))
        layout.addWidget(self.communities, 1)
        layout.addWidget(self.grid_label)
        layout.addWidget(self.grids, 1)
        layout.addWidget(self.confirm)
        self.confirm.toggled.connect(self.completeChanged)

    def initializePage(self) -> None:
        dry = self._wizard.first_dry
        analysis = self._wizard.analysis
        if dry is None or analysis is None:
            return
        existing = sorted(analysis.divisions.names.items(), key=lambda item: item[0])
        self._community_combos = {}
        self.communities.setRowCount(len(dry.unknown_communities))
        for row, (name, count) in enumerate(dry.unknown_communities.items()):
            combo = QComboBox()
            combo.addItem(self.tr("新建社区“{0}”").format(name), CREATE)
            for cid, known in existing:
                combo.addItem(self.tr("归入：{0}").format(known), cid)
            combo.addItem(self.tr("不导入这些行"), SKIP)
            combo.currentIndexChanged.connect(self._changed)
            self.communities.setItem(row, 0, _item(name))
            self.communities.setItem(row, 1, _item(str(count)))
            self.communities.setCellWidget(row, 2, combo)
            self._community_combos[name] = combo
        self._grid_combos = {}
        self.grids.setRowCount(len(dry.unknown_grids))
        for row, ((community, grid), count) in enumerate(dry.unknown_grids.items()):
            self.grids.setItem(row, 0, _item(community))
            self.grids.setItem(row, 1, _item(grid))
            self.grids.setItem(row, 2, _item(str(count)))
            if community in dry.unknown_communities:
                self.grids.setItem(row, 3, _item(self.tr("随社区一起处理")))
                continue
            combo = QComboBox()
            combo.addItem(self.tr("新建网格"), CREATE)
            combo.addItem(self.tr("不填网格，照常导入"), BLANK)
            combo.addItem(self.tr("不导入这些行"), SKIP)
            combo.currentIndexChanged.connect(self._changed)
            self.grids.setCellWidget(row, 3, combo)
            self._grid_combos[f"{community}/{grid}"] = combo
        self.grid_label.setVisible(bool(dry.unknown_grids))
        self.grids.setVisible(bool(dry.unknown_grids))
        self.confirm.setChecked(False)
        self._changed()

    def _changed(self) -> None:
        self.confirm.setEnabled(self._creates())
        self.completeChanged.emit()

    def _creates(self) -> bool:
        return any(c.currentData() == CREATE for c in self._community_combos.values()) or \
            any(c.currentData() == CREATE for c in self._grid_combos.values())

    def choices(self) -> dict[str, str | int]:
        out: dict[str, str | int] = {}
        for name, combo in self._community_combos.items():
            out[name] = combo.currentData()
        for key, combo in self._grid_combos.items():
            out[key] = combo.currentData()
        return out

    def set_choice(self, name: str, value: str | int) -> None:
        combo = self._community_combos.get(name) or self._grid_combos[name]
        combo.setCurrentIndex(combo.findData(value))

    def isComplete(self) -> bool:
        return not self._creates() or self.confirm.isChecked()
