"""One audit entry in full: who, when, what, and the changed fields before and after."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.businesses import LABELS as BUSINESS_LABELS
from desktop.domain.permissions import ROLES

from .audit_query import AuditRow

ENTITIES = {
    "business": "商户", "agreement": "门前三包责任书", "finding": "巡查问题", "notice": "文书",
    "community": "社区", "grid": "网格", "legal_basis": "法律依据", "office": "办事处信息",
    "numbering_pattern": "文书编号", "user": "用户", "sign_permit": "招牌许可",
    "sorting_check": "分类检查", "sorting_site": "分类检查点", "checklist_template": "检查表",
    "import_batch": "导入批次", "reported_period": "上报期", "demo": "演示数据",
}
ACTIONS = {
    "create": "新增", "update": "修改", "deactivate": "移出", "reactivate": "恢复",
    "login": "登录", "lock": "锁定", "password": "密码", "sign": "签订", "terminate": "终止",
    "renew": "续签", "issue": "开具", "void": "作废", "deliver": "送达", "recheck": "复查",
    "refer": "移交", "attach": "附件", "detach": "删除附件", "confirm": "确认",
    "unconfirm": "取消确认",
    "approve": "批准", "refuse": "不予许可", "reject": "退回", "accept": "受理",
    "survey": "勘查", "install": "安装", "remove": "拆除", "expire": "到期", "check": "检查",
    "status": "状态", "report": "上报", "import_update": "导入更新", "undo_import": "撤销导入",
}
FIELDS: dict[str, str] = {
    **BUSINESS_LABELS,
    "login": "登录名", "display_name": "姓名", "role": "角色", "cert_no": "执法证号",
    "active": "启用", "number": "编号", "business": "商户", "deadline": "期限",
    "signed_date": "签订日期", "start": "起始日期", "end": "截止日期", "reason": "原因",
    "pattern": "编号格式", "kind": "类别", "title": "标题", "text": "内容", "place": "地点",
    "category": "类别", "community_id": "社区", "grid_id": "网格",
}
_CHANGED = QBrush(QColor(255, 244, 196))


def _tr(text: str) -> str:
    return QCoreApplication.translate("AuditDetails", text)


def entity_label(entity: str) -> str:
    return _tr(ENTITIES.get(entity, entity))


def action_label(action: str) -> str:
    return _tr(ACTIONS.get(action, action))


def value_text(key: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _tr("是") if value else _tr("否")
    if key == "role" and isinstance(value, str):
        return ROLES.get(value, value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def field_rows(row: AuditRow) -> list[tuple[str, str, str, bool]]:
    """(label, before, after, changed) for every field either side mentions."""
    before = row.before or {}
    after = row.after or {}
    keys = list(after) + [k for k in before if k not in after]  # in the order recorded
    out = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        changed = bool(before) and bool(after) and old != new
        out.append((_tr(FIELDS.get(key, key)), value_text(key, old), value_text(key, new), changed))
    return out


class AuditDetailsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fields = QTableWidget(0, 3)
        self.fields.setHorizontalHeaderLabels([_tr("字段"), _tr("修改前"), _tr("修改后")])
        self.fields.verticalHeader().setVisible(False)
        self.fields.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fields.setWordWrap(True)
        header = self.fields.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.hash_label = QLabel()
        self.hash_label.setWordWrap(True)
        self.hash_label.setStyleSheet("color: palette(mid);")
        self.hash_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.fields, 1)
        layout.addWidget(self.hash_label)
        self.show_entry(None)

    def show_entry(self, row: AuditRow | None, user_name: str = "") -> None:
        if row is None:
            self.heading.setText(_tr("选择左侧一条记录查看详情。"))
            self.fields.setRowCount(0)
            self.hash_label.clear()
            return
        target = entity_label(row.entity) + (f" #{row.entity_id}" if row.entity_id else "")
        self.heading.setText(_tr("<b>{0}</b><br>{1} · {2} · {3} {4}").format(
            row.summary.replace("<", "&lt;") or action_label(row.action),
            f"{row.at:%Y-%m-%d %H:%M:%S}", user_name or row.user or _tr("（系统）"),
            action_label(row.action), target))
        rows = field_rows(row)
        self.fields.clearSpans()
        self.fields.setRowCount(len(rows))
        for r, (label, old, new, changed) in enumerate(rows):
            for column, text in enumerate((label, old, new)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if changed:
                    item.setBackground(_CHANGED)
                self.fields.setItem(r, column, item)
        self.fields.resizeRowsToContents()
        if not rows:
            self.fields.setRowCount(1)
            self.fields.setItem(0, 0, QTableWidgetItem(_tr("（此操作不涉及字段变化）")))
            self.fields.setSpan(0, 0, 1, 3)
        self.hash_label.setText(_tr("记录号 {0}").format(row.id))
