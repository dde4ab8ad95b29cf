"""The editor of one sorting-check site: type, division, address, who answers for it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.businesses import BusinessRow
from desktop.domain.divisions import CommunityInfo
from desktop.domain.errors import DomainError, ValidationError
from desktop.domain.sorting_sites import SiteInput, SiteRow
from desktop.domain.sorting_templates import SITE_TYPES

from . import operations, prompts, sorting_operations
from .agreement_business_picker import BusinessPicker
from .context import AppContext
from .field_message import FieldMessage, add_field
from .window_state import RememberingDialog


class SiteDialog(RememberingDialog):
    saved = Signal(object)  # SiteRow as stored

    def __init__(self, ctx: AppContext, communities: list[CommunityInfo], row: SiteRow | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SiteDialog")
        self._ctx = ctx
        self._row = row
        self._communities = communities
        self._saving = False
        self.setWindowTitle(self.tr("编辑检查点位 — {0}").format(row.name) if row
                            else self.tr("新增垃圾分类检查点位"))
        self.setMinimumWidth(520)
        self.name_edit = QLineEdit(maxLength=100)
        self.type_combo = QComboBox()
        for site_type in SITE_TYPES:
            self.type_combo.addItem(site_type, site_type)
        self.community_combo = QComboBox()
        for community in communities:
            self.community_combo.addItem(community.name, community.id)
        self.grid_combo = QComboBox()
        self.address_edit = QLineEdit(maxLength=200)
        self.responsible_edit = QLineEdit(maxLength=50)
        self.contact_edit = QLineEdit(maxLength=30)
        self.points_spin = QSpinBox()
        self.points_spin.setRange(1, 999)
        self.picker = BusinessPicker(ctx)
        self.picker.edit.setPlaceholderText(self.tr("商户类点位可关联台账中的商户（可不填）"))
        form = QFormLayout()
        fields: list[tuple[str, str, QWidget, bool]] = [
            ("name", self.tr("点位名称"), self.name_edit, True),
            ("site_type", self.tr("类型"), self.type_combo, True),
            ("community_id", self.tr("社区"), self.community_combo, True),
            ("grid_id", self.tr("网格"), self.grid_combo, False),
            ("address", self.tr("地址"), self.address_edit, False),
            ("responsible", self.tr("责任人"), self.responsible_edit, False),
            ("contact", self.tr("联系电话"), self.contact_edit, False),
            ("collection_points", self.tr("收集点数量"), self.points_spin, True),
            ("business_id", self.tr("关联商户"), self.picker, False),
        ]
        self.messages: dict[str, FieldMessage] = {
            key: add_field(form, text, editor, required=required)
            for key, text, editor, required in fields}
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.community_combo.currentIndexChanged.connect(self._fill_grids)
        self.picker.picked.connect(self._business_picked)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._fill(row)

    def _fill(self, row: SiteRow | None) -> None:
        data = row.as_input() if row else SiteInput(collection_points=1)
        self.name_edit.setText(data.name)
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(data.site_type)))
        self.community_combo.setCurrentIndex(max(0, self.community_combo.findData(data.community_id)))
        self._fill_grids()
        self.grid_combo.setCurrentIndex(max(0, self.grid_combo.findData(data.grid_id)))
        self.address_edit.setText(data.address)
        self.responsible_edit.setText(data.responsible)
        self.contact_edit.setText(data.contact)
        self.points_spin.setValue(data.collection_points)
        if data.business_id:
            operations.load_business(self._ctx, data.business_id, self.picker.set_business,
                                     owner=self)

    def _fill_grids(self) -> None:
        self.grid_combo.clear()
        self.grid_combo.addItem(self.tr("（不分网格）"), None)
        community = next((c for c in self._communities
                          if c.id == self.community_combo.currentData()), None)
        for grid in community.grids if community else ():
            self.grid_combo.addItem(grid.name, grid.id)

    def _business_picked(self, row: BusinessRow | None) -> None:
        if row is None:
            return
        # A shop site takes the shop's name, place and people unless the clerk typed them.
        self.type_combo.setCurrentIndex(self.type_combo.findData("商户"))
        for edit, value in ((self.name_edit, row.name), (self.address_edit, row.address),
                            (self.responsible_edit, row.operator), (self.contact_edit, row.phone)):
            if not edit.text().strip():
                edit.setText(value)
        self.community_combo.setCurrentIndex(max(0, self.community_combo.findData(row.community_id)))
        self.grid_combo.setCurrentIndex(max(0, self.grid_combo.findData(row.grid_id)))

    def current_input(self) -> SiteInput:
        return SiteInput(
            self.name_edit.text(), str(self.type_combo.currentData()),
            self.community_combo.currentData(), self.grid_combo.currentData(),
            self.address_edit.text(), self.responsible_edit.text(), self.contact_edit.text(),
            self.points_spin.value(), self.picker.business_id())

    def accept(self) -> None:
        if self._saving:
            return
        for message in self.messages.values():
            message.clear_message()
        self._saving = True
        self.save_button.setEnabled(False)
        row = self._row
        sorting_operations.save_site(self._ctx, row.id if row else None, row.version if row else 0,
                                     self.current_input(), self._saved, failed=self._refused,
                                     owner=self)

    def _saved(self, row: SiteRow) -> None:
        self._saving = False
        self.saved.emit(row)
        super().accept()

    def _refused(self, error: DomainError) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationError):
            unplaced = [text for key, text in error.fields.items() if key not in self.messages]
            for key, text in error.fields.items():
                if key in self.messages:
                    self.messages[key].set_error(text)
            if not unplaced:
                return
            error = DomainError("；".join(unplaced))
        prompts.show_error(self, self.tr("未保存"), error.message)
