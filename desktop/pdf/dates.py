"""Dates as printed on documents: 2026年3月1日."""

from __future__ import annotations

import datetime as dt


def cn_date(day: dt.date | None, blank: str = "    年  月  日") -> str:
    if day is None:
        return blank
    return f"{day.year}年{day.month}月{day.day}日"


def cn_datetime(moment: dt.datetime | None) -> str:
    if moment is None:
        return "    年  月  日  时  分"
    return f"{moment.year}年{moment.month}月{moment.day}日{moment.hour}时{moment.minute:02d}分"
