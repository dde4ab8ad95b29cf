"""Printing by document number: fetch the records, lay them out, write one PDF."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import Flowable
from sqlalchemy.orm import Session

from ..domain import agreements, notices
from ..domain.office import get_office
from ..domain.permits import documents_by_numbers
from .agreement import agreement_story
from .delivery import delivery_story
from .layout import Styles, build_pdf, styles
from .notice import copy_labels, notice_story
from .permit import copy_labels as permit_copy_labels
from .permit import permit_story
from .recheck import recheck_story


@dataclass(frozen=True)
class PrintResult:
    documents: int
    pages: int


StoryBuilder = Callable[[Session, list[str], Styles, int], tuple[str, list[list[Flowable]]]]


def _agreement_docs(session: Session, rows: list[agreements.AgreementRow], st: Styles,
                    copies: int) -> list[list[Flowable]]:
    office = get_office(session)
    duties = agreements.duty_items(session)
    return [agreement_story(r, office, duties, st) for r in rows for _ in range(copies)]


def _agreements(session: Session, numbers: list[str], st: Styles,
                copies: int) -> tuple[str, list[list[Flowable]]]:
    return "门前三包责任书", _agreement_docs(session, agreements.by_numbers(session, numbers), st, copies)


def _notices(session: Session, numbers: list[str], st: Styles,
             copies: int) -> tuple[str, list[list[Flowable]]]:
    # Printed once per holder, each copy labelled (存档 / 交当事人).
    labels = copy_labels(copies)
    return "责令（限期）改正通知书", [notice_story(r, st, copy_label=label)
                              for r in notices.by_numbers(session, numbers) for label in labels]


def _deliveries(session: Session, numbers: list[str], st: Styles,
                copies: int) -> tuple[str, list[list[Flowable]]]:
    # Addressed by the notice's number; before delivery it prints blank, to take along.
    rows = notices.by_numbers(session, numbers)
    docs = [delivery_story(r, notices.delivery_for(session, r.id), st) for r in rows]
    return "送达回证", [d for d in docs for _ in range(copies)]


def _rechecks(session: Session, numbers: list[str], st: Styles,
              copies: int) -> tuple[str, list[list[Flowable]]]:
    labels = copy_labels(copies)
    return "整改复查意见书", [recheck_story(r, st, copy_label=label)
                          for r in notices.recheck_by_numbers(session, numbers) for label in labels]


def _permits(session: Session, numbers: list[str], st: Styles,
             copies: int) -> tuple[str, list[list[Flowable]]]:
    # By application number: every document issued so far; by a document's own number: that one.
    labels = permit_copy_labels(copies)
    return "招牌设置许可文书", [permit_story(d, st, copy_label=label)
                          for d in documents_by_numbers(session, numbers) for label in labels]


DOCUMENTS: dict[str, StoryBuilder] = {
    "agreement": _agreements,
    "notice": _notices,
    "delivery": _deliveries,
    "recheck": _rechecks,
    "permit": _permits,
}


def print_documents(session: Session, kind: str, numbers: list[str], out: Path | BinaryIO, *,
                    copies: int = 1) -> PrintResult:
    """All given documents of one kind into one PDF, each `copies` times in a row."""
    st = styles()
    title, docs = DOCUMENTS[kind](session, numbers, st, copies)
    pages = build_pdf(out, docs, title=title, author=get_office(session).name)
    return PrintResult(len(docs), pages)


def print_agreement_rows(rows: list[agreements.AgreementRow], session: Session,
                         out: Path | BinaryIO, *, copies: int = 1) -> PrintResult:
    """Agreements already loaded (a selection in the list, drafts too) into one PDF."""
    docs = _agreement_docs(session, rows, styles(), copies)
    pages = build_pdf(out, docs, title="门前三包责任书", author=get_office(session).name)
    return PrintResult(len(docs), pages)
