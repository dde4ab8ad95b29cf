"""The `export` and `report` commands: lists to .xlsx and the district workbooks."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from db.engine import Database, open_database

from .config import resolve_db_url
from .domain.stats import Period

PROGRESS_STEP = 20_000


def _open(args: argparse.Namespace) -> Database:
    return open_database(resolve_db_url(args.db))


def _emit(args: argparse.Namespace, payload: dict[str, Any], text: str) -> None:
    if args.json:
        json.dump(payload, sys.stdout, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    else:
        print(text)


def _progress() -> Any:
    last = [0]

    def report(done: int, total: int) -> None:
        if done - last[0] >= PROGRESS_STEP or done == total:
            last[0] = done
            print(f"已写入 {done:,} / {total:,} 行", file=sys.stderr, flush=True)

    return report


def os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in a service account
        return ""


def cmd_export(args: argparse.Namespace) -> None:
    from .io.excel_export import write_list
    from .io.list_sources import list_source

    db = _open(args)
    with db.session() as s:
        source = list_source(s, args.kind, args.filter or "", args.all)
        result = write_list(Path(args.out), source, progress=_progress())
    _emit(args, result.as_json(), f"已导出 {result.rows:,} 行到 {result.out}")


def cmd_report(args: argparse.Namespace) -> None:
    from .io.district_report import write_summary
    from .io.template_fill import fill_template

    db = _open(args)
    period = Period.parse(args.period)
    by = args.by if args.by is not None else os_user()
    with db.session() as s:
        if args.template:
            filled = fill_template(s, period, Path(args.template), Path(args.out), prepared_by=by)
            _emit(args, filled.as_json(),
                  f"已按模板生成 {filled.out}：填入 {filled.cells} 个数据项"
                  + (f"，社区明细 {filled.block_rows} 行" if filled.block_rows else ""))
            return
        result = write_summary(s, period, Path(args.out), prepared_by=by)
    _emit(args, result.as_json(),
          f"已生成 {result.out}（{result.period}，{result.communities} 个社区，"
          f"工作表：{'、'.join(result.sheets)}）")


def add_export_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    from .io.list_sources import export_kinds

    p = sub.add_parser("export", parents=[common], help="把列表导出为 Excel 工作簿（.xlsx）")
    p.add_argument("kind", choices=export_kinds())
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.add_argument("--filter", metavar="TEXT", default="", help="与 list 命令的 --filter 相同")
    p.add_argument("--all", action="store_true", help="包括已移出台账的记录")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("report", parents=[common], help="生成报送区城管局的统计报表（.xlsx）")
    p.add_argument("--period", required=True, metavar="P", help="2026-10（月）或 2026-Q3（季度）")
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.add_argument("--template", metavar="T.xlsx", help="按区里下发的模板填报")
    p.add_argument("--by", metavar="NAME", help="填报人（默认当前系统用户）")
    p.set_defaults(func=cmd_report)
