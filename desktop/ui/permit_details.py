"""The right-hand panel of 户外广告: the permit, the rules as they stand, its steps and checks."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QTextBrowser,
    QWidget,
)

from desktop.domain.permits import metres

from .details_layout import fields_over_text
from .permit_operations import PermitDetails

_FIELDS = ("number", "state", "business", "sign", "place", "size", "term", "decision", "signs",
           "rules", "reason", "files")


def _e(text: object) -> str:
    return html.escape(str(text) if text not in (None, "") else "—")


def _when(moment: dt.datetime) -> str:
    # Steps dated by the day only (entered afterwards) carry no invented hour.
    if moment.time() == dt.time():
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%d %H:%M")


class PermitDetailsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.permit_id: int | None = None
        self._lines: list[str] = []
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QWidget()
        self._form = QFormLayout(top)
        self._form.setContentsMargins(6, 4, 6, 4)
        self._form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self._form.addRow(self.title)
        labels = {
            "number": self.tr("申请编号"), "state": self.tr("状态"), "business": self.tr("申请人"),
            "sign": self.tr("招牌"), "place": self.tr("设置地点"), "size": self.tr("规格"),
            "term": self.tr("期限"), "decision": self.tr("决定书"), "signs": self.tr("一店一牌"),
            "rules": self.tr("规则提示"), "reason": self.tr("理由"), "files": self.tr("图纸照片"),
        }
        self.values: dict[str, QLabel] = {}
        for key in _FIELDS:
            value = QLabel("—")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._form.addRow(labels[key] + "：", value)
            self.values[key] = value
        self.values["rules"].setStyleSheet(
            "color: #6d4c00; background: #fff4c4; border-radius: 3px; padding: 2px 4px;")
        self.timeline = QTextBrowser()
        self.timeline.setOpenLinks(False)
        self.timeline.setPlaceholderText(self.tr("办理过程"))
        fields_over_text(self, top, self.timeline, "permit-details", sizes=(320, 320))
        self.show_details(None)

    def _show_rows(self, keys: set[str]) -> None:
        for key, label in self.values.items():
            self._form.setRowVisible(label, key in keys)

    def show_details(self, details: PermitDetails | None) -> None:
        if details is None:
            self.permit_id = None
            self.title.setText(self.tr("未选择许可申请"))
            self._show_rows(set())
            self.timeline.setHtml("")
            self._lines = []
            return
        row = details.row
        self.permit_id = row.id
        self.title.setText(self.tr("{0} — {1}").format(row.business, row.state_label))
        term = self.tr("申请 {0} 个月").format(row.term_months)
        if row.start_date and row.end_date:
            term = self.tr("{0} 至 {1}（{2} 个月）").format(row.start_date, row.end_date,
                                                         row.term_months)
            if row.days_left is not None:
                term += self.tr("，已过期") if row.days_left < 0 else self.tr("，剩 {0} 天").format(
                    row.days_left)
        height = (self.tr("，下沿距地面 {0} 米").format(metres(row.install_height_m))
                  if row.install_height_m is not None else "")
        texts = {
            "number": row.number,
            "state": row.state_label,
            "business": "　".join(t for t in (row.business, row.operator, row.phone,
                                             row.community) if t),
            "sign": self.tr("{0}，{1}，照明：{2}").format(row.sign_type, row.material, row.lighting),
            "place": self.tr("{0}（{1}）").format(row.location, row.facade_position),
            "size": self.tr("宽 {0} × 高 {1} 米，外挑 {2} 米，面积 {3} 平方米{4}").format(
                metres(row.width_m), metres(row.height_m), metres(row.protrusion_m),
                metres(row.area_m2), height),
            "term": term,
            "decision": "；".join(f"{d.title} {d.number}" for d in details.documents),
            "signs": (self.tr("另有 {0} 块招牌；豁免理由：{1}").format(
                row.other_signs, row.exemption_reason or "—") if row.other_signs
                else row.exemption_reason),
            "rules": "\n".join(i.message for i in details.rules),
            "reason": row.decision_reason or (self.tr("拆除原因：{0}").format(row.removal_reason)
                                              if row.removal_reason else ""),
            "files": "、".join(details.attachments),
        }
        shown = {"number", "state", "business", "sign", "place", "size", "term"}
        shown |= {k for k in ("decision", "signs", "rules", "reason", "files") if texts[k]}
        for key, text in texts.items():
            self.values[key].setText(text or "—")
        self._show_rows(shown)
        self._show_timeline(details)

    def _show_timeline(self, details: PermitDetails) -> None:
        self._lines = []
        parts = [f"<p style='margin:0 0 4px 0'><b>{_e(self.tr('办理过程'))}</b></p>"]
        for event in details.events:
            photos = self.tr("（照片 {0} 张）").format(event.photos) if event.photos else ""
            self._lines.append(f"{event.step} {event.by} {event.notes}")
            parts.append(f"<p style='margin:6px 0 0 0'><span style='color:#666'>{_when(event.at)}"
                         f"　{_e(event.by)}</span><br><b>{_e(event.step)}</b>　"
                         f"{_e(event.notes)}{_e(photos) if photos else ''}</p>")
        if details.checks:
            parts.append(f"<p style='margin:10px 0 0 0'><b>{_e(self.tr('安全检查'))}</b></p>")
            for check in details.checks:
                colour = "#2e7d32" if check.passed else "#b71c1c"
                hazards = "、".join(check.hazards)
                line = f"{check.check_date}　{check.inspector}　{check.result}"
                self._lines.append(line + (f" {hazards}" if hazards else ""))
                parts.append(f"<p style='margin:4px 0 0 0'>{_e(check.check_date)}　"
                             f"{_e(check.inspector)}　<span style='color:{colour}'>"
                             f"{_e(check.result)}</span>"
                             + (f"：{_e(hazards)}" if hazards else "")
                             + (f"；{_e(check.notes)}" if check.notes else "") + "</p>")
        self.timeline.setHtml("".join(parts))

    def timeline_lines(self) -> list[str]:
        return list(self._lines)
