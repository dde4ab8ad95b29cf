"""The right-hand panel of 垃圾分类: the selected check's sheet, its rechecks and history, and
its photos below (the page's actions add and remove them)."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.sorting import CheckDetails, CheckRow
from desktop.domain.sorting_sites import SiteRow

from .finding_operations import Photo
from .photo_strip import PhotoStrip

_LOST = "#ffe0e0"
_VETO = "#ef9a9a"


def _e(value: object) -> str:
    return html.escape(str(value))


class SortingDetailsPanel(QWidget):
    open_check = Signal(int)  # a check of the chain was clicked
    open_photo = Signal(int, str)  # attachment id, file name: show it at full size
    photo_selected = Signal()  # the photo picked in the strip changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check_id: int | None = None
        self.check: CheckRow | None = None
        self._remove: QAction | None = None
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(
            lambda url: self.open_check.emit(int(url.toString().removeprefix("check:"))))
        self.photos_label = QLabel()
        self.add_photos_button = QToolButton()
        self.remove_photo_button = QToolButton()
        self.photos = PhotoStrip()
        self.photos.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.photo_box = QWidget()
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.photos_label, 1)
        bar.addWidget(self.add_photos_button)
        bar.addWidget(self.remove_photo_button)
        box = QVBoxLayout(self.photo_box)
        box.setContentsMargins(0, 4, 0, 0)
        box.setSpacing(2)
        box.addLayout(bar)
        box.addWidget(self.photos)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.photo_box)
        remove = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.photos)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)

        remove.activated.connect(self._remove_selected)
        self.photos.open_photo.connect(self.open_photo)
        self.photos.itemSelectionChanged.connect(self.photo_selected)
        self.photos.customContextMenuRequested.connect(self._photo_menu)
        self.show_details(None)

    def set_photo_actions(self, add: QAction, remove: QAction) -> None:
        """The page's 添加照片 and 删除照片: the buttons follow their state and the clerk's role."""
        self.add_photos_button.setDefaultAction(add)
        self.remove_photo_button.setDefaultAction(remove)
        self._remove = remove

    def selected_photo(self) -> tuple[int, str] | None:
        return self.photos.selected_photo() if self.check is not None else None

    def photo_count(self) -> int:
        return self.photos.count()

    def _remove_selected(self) -> None:
        if self._remove is not None:
            self._remove.trigger()  # does nothing while the action is disabled

    def _photo_menu(self, pos: QPoint) -> None:
        item = self.photos.itemAt(pos)
        menu = QMenu(self)
        if item is not None:
            item.setSelected(True)
            self.photos.setCurrentItem(item)
            view = menu.addAction(self.tr("查看原图"))
            view.triggered.connect(lambda: self.photos.itemActivated.emit(item))
            if self._remove is not None:
                menu.addAction(self._remove)
        add = self.add_photos_button.defaultAction()
        if add is not None:
            menu.addAction(add)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.photos.viewport().mapToGlobal(pos))

    def _show_photos(self, check: CheckRow | None, photos: Sequence[Photo]) -> None:
        self.photos.set_photos(photos)
        self.photo_box.setVisible(check is not None)
        self.photos.setVisible(bool(photos))
        what = self.tr("复查照片") if check is not None and check.is_recheck else self.tr("现场照片")
        self.photos_label.setText(self.tr("{0}（{1} 张）").format(what, len(photos)) if photos
                                  else self.tr("{0}：无").format(what))
        self.photo_selected.emit()

    def show_details(self, details: CheckDetails | None, photos: Sequence[Photo] = ()) -> None:
        self.check_id = details.check.id if details else None
        self.check = details.check if details else None
        self._show_photos(self.check, photos if details else ())
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
        self.check = None
        self._show_photos(None, ())
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
