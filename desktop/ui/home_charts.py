"""首页's charts: this month's rates per community and the twelve-month trend."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from desktop.domain.dashboard import Dashboard

from . import home_links as links
from .charts import BarChart, LineChart, Series

# (figure of home_links) per series, chart by chart
_FINDING_SERIES = (links.FOUND, links.RECTIFIED, links.OVERDUE)
_RATE_SERIES = (links.SIGNING_RATE, links.PASS_RATE)
_COUNT_SERIES = (links.FOUND, links.RECTIFIED, links.NOTICES)


class HomeCharts(QWidget):
    navigate = Signal(str, object)  # page key, argument for Page.activate

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dashboard: Dashboard | None = None
        click_bar = self.tr("点击查看名单")
        click_month = self.tr("点击查看该月明细")
        self.signing = BarChart(self.tr("各社区门前三包签约率"), percent=True,
                                hint=self.tr("点击查看该社区未签约商户"))
        self.sorting = BarChart(self.tr("各社区垃圾分类检查合格率（本月）"), percent=True,
                                hint=self.tr("点击查看该社区本月的检查记录"))
        self.findings = BarChart(self.tr("各社区巡查发现与整改（本月）"), hint=click_bar)
        self.rates_trend = LineChart(self.tr("近12个月：签约率与合格率"), percent=True,
                                     hint=click_month)
        self.counts_trend = LineChart(self.tr("近12个月：发现问题与签发通知书"), hint=click_month)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        grid.addWidget(self.signing, 0, 0)
        grid.addWidget(self.sorting, 0, 1)
        grid.addWidget(self.findings, 0, 2)
        grid.addWidget(self.rates_trend, 1, 0, 1, 2)
        grid.addWidget(self.counts_trend, 1, 2)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        self.signing.activated.connect(lambda _s, c: self._community(links.SIGNING_RATE, c))
        self.sorting.activated.connect(lambda _s, c: self._community(links.PASS_RATE, c))
        self.findings.activated.connect(
            lambda s, c: self._community(_FINDING_SERIES[s], c))
        self.rates_trend.activated.connect(lambda s, c: self._month(_RATE_SERIES[s], c))
        self.counts_trend.activated.connect(lambda s, c: self._month(_COUNT_SERIES[s], c))

    def show_dashboard(self, dashboard: Dashboard) -> None:
        self._dashboard = dashboard
        names = [r.name for r in dashboard.rows]
        rows = dashboard.rows
        self.signing.set_data(names, [Series(self.tr("签约率"), [r.signing_rate for r in rows])])
        self.sorting.set_data(names, [Series(self.tr("合格率"), [r.pass_rate for r in rows],
                                             "#2e9d5b")])
        self.findings.set_data(names, [
            Series(self.tr("发现问题"), [r.found for r in rows], "#1f6fb2"),
            Series(self.tr("已整改"), [r.rectified for r in rows], "#2e9d5b"),
            Series(self.tr("逾期未改"), [r.overdue for r in rows], "#b71c1c")])
        # The running month is not over: it says so rather than look like a slump.
        months = [self.tr("{0}月").format(m.period.start.month) for m in dashboard.trend[:-1]]
        months.append(self.tr("本月"))
        self.rates_trend.set_data(months, [
            Series(self.tr("门前三包签约率（月末）"), [m.signing_rate for m in dashboard.trend],
                   "#1f6fb2"),
            Series(self.tr("垃圾分类合格率"), [m.pass_rate for m in dashboard.trend], "#2e9d5b")])
        self.counts_trend.set_data(months, [
            Series(self.tr("发现问题"), [m.found for m in dashboard.trend], "#1f6fb2"),
            Series(self.tr("其中已整改"), [m.rectified for m in dashboard.trend], "#2e9d5b"),
            Series(self.tr("签发通知书"), [m.notices for m in dashboard.trend], "#d9822b")])

    def _community(self, figure: str, index: int) -> None:
        if self._dashboard is None:
            return
        row = self._dashboard.rows[index]
        self.navigate.emit(*links.community_link(figure, row.community_id, self._dashboard.period))

    def _month(self, figure: str, index: int) -> None:
        if self._dashboard is None:
            return
        self.navigate.emit(*links.month_link(figure, self._dashboard.trend[index]))
