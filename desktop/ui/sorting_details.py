"""The right-hand panel of 垃圾分类: the selected check's sheet, its rechecks and history."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from desktop.domain.sorting import CheckDetails
from desktop.domain.sorting_sites import SiteRow

_LOST = "#ffe0e0"
_VETO = "#ef9a9a"


def _e(value: object) -> str:
    return html.escape(str(value))


class SortingDetailsPanel(QWidget):
    open_check = Signal(int)  # a check of the chain was clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check_id: int | None = None
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(
            lambda url: self.open_check.emit(int(url.toString().removeprefix("check:"))))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self.show_details(None)

    def show_details(self, details: CheckDetails | None) -> None:
        self.check_id = details.check.id if details else None
        if details is None:
            self.browser.setHtml(f"<p style='color:#777'>{_e(self.tr('未选择检查记录'))}</p>")
            return
        c = details.check
        kind = self.tr("复查") if c.is_recheck else self.tr("检查")
        result = self.tr("合格") if c.passed else (
            self.tr("否决项不合格") if c.vetoed else self.tr("不合格"))
        colour = "#2e7d32" if c.passed else "#c62828"
        parts = [
            f"<h3>{_e(c.site)}</h3>",
            f"<p>{_e(c.site_type)}　{_e(c.community)} {_e(c.grid)}<br>"
            f"{_e(kind)}日期 {_e(c.check_date)}　{_e(self.tr('检查人员'))}：{_e(c.inspectors)}<br>"
            f"<b style='font-size:large'>{c.total:g} 分</b>　"
            f"<b style='color:{colour}'>{_e(result)}</b>　"
            f"{_e(self.tr('合格线'))} {c.pass_score:g}　"
            f"{_e(self.tr('检查表第{0}版').format(c.template_version))}</p>",
        ]
        if c.deadline and not c.passed:
            parts.append(f"<p>{_e(self.tr('整改期限'))}：{_e(c.deadline)}</p>")
        if c.notes:
            parts.append(f"<p>{_e(self.tr('检查意见'))}：{_e(c.notes)}</p>")
        if details.reported:
            reported = self.tr("{0} 已上报，修改需填写原因").format(details.reported)
            parts.append(f"<p style='color:#8a5a00'>{_e(reported)}</p>")
        if c.finding_id:
            parts.append(f"<p>{_e(self.tr('已登记问题（垃圾分类不达标）'))}</p>")
        if len(details.chain) > 1:
            rows = []
            for visit in details.chain:
                label = self.tr("复查") if visit.is_recheck else self.tr("检查")
                mark = "▶ " if visit.id == c.id else ""
                verdict = self.tr("合格") if visit.passed else self.tr("不合格")
                rows.append(f"<li>{mark}<a href='check:{visit.id}'>{_e(visit.check_date)} "
                            f"{_e(label)}</a> {visit.total:g} 分 {_e(verdict)}</li>")
            parts.append(f"<p><b>{_e(self.tr('检查与复查'))}</b></p><ul>{''.join(rows)}</ul>")
        lines = []
        for score in details.scores:
            item = score.item
            background = ""
            if score.failed:
                background = f" style='background:{_VETO if item.veto else _LOST}'"
            mode = self.tr("扣") if item.deduct else self.tr("得")
            carried = self.tr("（沿用）") if score.carried else ""
            note = f"<br><i>{_e(score.note)}</i>" if score.note else ""
            lines.append(
                f"<tr{background}><td>{item.position}</td><td>{_e(item.text)}{note}</td>"
                f"<td align='right'>{mode}{score.value:g}</td>"
                f"<td align='right'>{score.score:g}/{item.max_score:g}{_e(carried)}</td></tr>")
        parts.append("<table cellspacing='0' cellpadding='3' border='1' "
                     "style='border-collapse:collapse; border-color:#ccc'>"
                     f"<tr><th>#</th><th>{_e(self.tr('检查内容'))}</th><th>{_e(self.tr('填写'))}</th>"
                     f"<th>{_e(self.tr('得分'))}</th></tr>{''.join(lines)}</table>")
        if details.history:
            items = "".join(f"<li>{_e(h.at)} {_e(h.user)}：{_e(h.summary)}</li>"
                            for h in details.history)
            parts.append(f"<p><b>{_e(self.tr('变更记录'))}</b></p><ul>{items}</ul>")
        self.browser.setHtml("".join(parts))

    def show_site(self, site: SiteRow | None) -> None:
        self.check_id = None
        if site is None:
            self.show_details(None)
            return
        last = (f"{site.last_check_date} {site.last_total:g} 分" if site.last_check_date
                else self.tr("未检查"))
        rows = [(self.tr("类型"), site.site_type), (self.tr("社区"), f"{site.community} {site.grid}"),
                (self.tr("地址"), site.address), (self.tr("责任人"), site.responsible),
                (self.tr("联系电话"), site.contact), (self.tr("收集点"), site.collection_points),
                (self.tr("关联商户"), site.business or "—"), (self.tr("最近检查"), last)]
        body = "".join(f"<tr><td style='color:#555'>{_e(k)}</td><td>{_e(v)}</td></tr>"
                       for k, v in rows)
        self.browser.setHtml(f"<h3>{_e(site.name)}</h3><table cellpadding='3'>{body}</table>")
