"""Headless commands (argparse): thin wrappers that call the same services as the GUI."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy import exc as sa_exc

from db.engine import Database, DatabaseOpenError, open_database, translate_operational

from . import __version__
from .config import resolve_db_url
from .domain import businesses
from .domain.errors import DomainError
from .domain.stats import Period, community_stats
from .listing import LIST_KINDS
from .pdf.kinds import DOCUMENT_KINDS


class CliError(Exception):
    """A user error: printed as one line, exit code 1."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        raise CliError(f"参数错误 / bad arguments: {message}")


def _progress(args: argparse.Namespace) -> Callable[[str], None]:
    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    return say


def _open(args: argparse.Namespace) -> Database:
    return open_database(resolve_db_url(args.db))


def _emit(args: argparse.Namespace, payload: dict[str, Any], text: str) -> None:
    if args.json:
        json.dump(payload, sys.stdout, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    else:
        print(text)


# --- commands -----------------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> None:
    from .demo import generate

    db = _open(args)
    summary = generate(db, businesses=args.businesses, seed=args.seed, progress=_progress(args))
    _emit(args, summary, "演示数据已生成：" + "，".join(f"{k} {v}" for k, v in summary.items()
                                                 if isinstance(v, int)))


def _table_text(payload: dict[str, Any], columns: list[str]) -> str:
    lines = ["\t".join(columns)]
    for row in payload["rows"]:
        lines.append("\t".join(str(row.get(c, "")) for c in columns))
    lines.append(f"共 {payload['total']:,} 条，显示 {len(payload['rows'])} 条")
    return "\n".join(lines)


def cmd_list(args: argparse.Namespace) -> None:
    db = _open(args)
    with db.session() as s:
        payload = LIST_KINDS[args.kind](s, args.filter or "", args.limit, args.all)
    columns = list(payload["rows"][0].keys())[:8] if payload["rows"] else []
    _emit(args, payload, _table_text(payload, columns))


def cmd_search(args: argparse.Namespace) -> None:
    db = _open(args)
    with db.session() as s:
        total, rows = businesses.search(s, args.text, limit=args.limit, include_inactive=args.all)
    payload = {"total": total, "rows": [r.as_json() for r in rows]}
    _emit(args, payload, _table_text(payload, ["name", "credit_code", "operator", "phone",
                                               "address", "community", "grid", "status"]))


def cmd_stats(args: argparse.Namespace) -> None:
    db = _open(args)
    period = Period.parse(args.period)
    with db.session() as s:
        payload = community_stats(s, period)
    lines = [f"统计期间 {payload['period']}（截至 {payload['as_of']}）",
             "社区\t商户\t三包应签\t已签\t签约率\t分类检查\t合格率\t问题\t逾期\t通知书"
             "\t有效招牌\t60天内到期\t招牌隐患"]
    for e in [*payload["communities"], {"community": "合计", **payload["total"]}]:
        lines.append("\t".join(str(x) for x in (
            e["community"], e["businesses"], e["agreements"]["required"], e["agreements"]["signed"],
            f"{e['agreements']['rate']:.1%}", e["sorting"]["checks"], f"{e['sorting']['rate']:.1%}",
            e["findings"]["found"], e["findings"]["overdue"], e["notices"]["issued"],
            e["permits"]["valid"], e["permits"]["expiring"], e["permits"]["unsafe"])))
    _emit(args, payload, "\n".join(lines))


def cmd_print(args: argparse.Namespace) -> None:
    from .pdf.fonts import FontNotFoundError
    from .pdf.layout import PdfWriteError
    from .pdf.render import print_documents

    db = _open(args)
    out = Path(args.out)
    try:
        with db.session() as s:
            result = print_documents(s, args.doc, args.numbers, out, copies=args.copies)
    except (PdfWriteError, FontNotFoundError) as exc:
        raise CliError(str(exc)) from exc
    payload = {"out": str(out), "documents": result.documents, "pages": result.pages}
    _emit(args, payload, f"已生成 {out}：{result.documents} 份文书，共 {result.pages} 页")


def cmd_backup(args: argparse.Namespace) -> None:
    from .io.backup import backup_to

    db = _open(args)
    report = backup_to(db, Path(args.out),
                       progress=lambda done, total: print(f"{done}/{total}", file=sys.stderr))
    _emit(args, report.as_json(),
          f"已备份到 {report.path}（校验通过，{sum(report.tables.values()):,} 条记录）")


def cmd_restore(args: argparse.Namespace) -> None:
    from .io.backup import check_file, restore

    source = Path(args.file)
    report = check_file(source)
    if not args.yes:
        raise CliError("恢复会替换当前数据库，请确认后加 --yes 再运行")
    db = _open(args)
    kept = restore(db, source)
    payload = {"restored": str(source), "previous_saved_to": str(kept), "tables": report.tables}
    _emit(args, payload, f"已从 {source} 恢复；原数据库已保存为 {kept}")


def cmd_verify(args: argparse.Namespace) -> None:
    from .domain.audit import verify_chain
    from .io.backup import BackupError, check_file

    db = _open(args)
    payload: dict[str, Any] = {"database": db.describe()}
    problems: list[str] = []
    if db.path is not None:
        try:
            payload["integrity"] = check_file(db.path).integrity
        except BackupError as exc:
            payload["integrity"] = "failed"
            problems.append(exc.message)
    with db.session() as s:
        chain = verify_chain(s)
    payload["audit"] = {"entries": chain.entries, "broken_at": chain.broken_at}
    if chain.broken_at is not None:
        problems.append(chain.message)
    payload["ok"] = not problems
    payload["problems"] = problems
    if problems:
        if args.json:
            _emit(args, payload, "")
        raise CliError("校验未通过：" + "；".join(problems))
    _emit(args, payload, f"校验通过：数据库完整，{chain.message}")


def cmd_bench(args: argparse.Namespace) -> None:
    from .bench import run_bench

    payload = run_bench(scale=args.scale, only=args.only, progress=_progress(args))
    lines = [f"{f['name']:<40} {f['ms']:>9.1f} ms  baseline {f['baseline_ms']:>9.1f} ms  "
             f"ratio {f['ratio']:>6.2f}  goal {f['goal']}" for f in payload["figures"]]
    _emit(args, payload, "\n".join(lines))


# --- parser -------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", help="数据库（SQLAlchemy URL 或 SQLite 文件路径）")
    common.add_argument("--json", action="store_true", help="以一个 JSON 对象输出结果")

    parser = _Parser(prog="python -m desktop", description="街道城管台账（StreetLedger）命令行")
    parser.add_argument("--version", action="version", version=f"StreetLedger {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("demo", parents=[common], help="生成演示数据")
    p.add_argument("--businesses", type=int, default=2000, metavar="N")
    p.add_argument("--seed", type=int, default=2026, metavar="S")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("list", parents=[common], help="列出记录")
    p.add_argument("kind", choices=sorted(LIST_KINDS))
    p.add_argument("--filter", metavar="TEXT", default="")
    p.add_argument("--limit", type=int, default=100, metavar="N")
    p.add_argument("--all", action="store_true", help="包括已移出台账的记录")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("search", parents=[common], help="按名称、拼音首字母、信用代码、地址、经营者、电话查找商户")
    p.add_argument("text")
    p.add_argument("--limit", type=int, default=50, metavar="N")
    p.add_argument("--all", action="store_true", help="包括已移出台账的商户")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("stats", parents=[common], help="各社区主要指标")
    p.add_argument("--period", metavar="P", help="2026-10 或 2026-Q3，默认本月")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("print", parents=[common], help="按编号打印文书为 PDF")
    p.add_argument("doc", choices=sorted(DOCUMENT_KINDS))
    p.add_argument("numbers", nargs="+", metavar="NUMBER")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--copies", type=int, default=1, choices=range(1, 4), metavar="N",
                   help="每份文书连续打印的份数（1–3）")
    p.set_defaults(func=cmd_print)

    p = sub.add_parser("backup", parents=[common], help="备份数据库到文件（备份后自动校验）")
    p.add_argument("--out", required=True, metavar="FILE")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", parents=[common], help="从备份恢复（先保存当前数据库）")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--yes", action="store_true", help="确认替换当前数据库")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("verify", parents=[common], help="检查数据库完整性和审计日志哈希链")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("bench", parents=[common], help="性能基准（JSON 数据）")
    p.add_argument("--scale", type=int, default=200_000, metavar="N")
    p.add_argument("--only", metavar="NAME", default="", help="只运行名称含此文字的项目")
    p.set_defaults(func=cmd_bench)

    from .cli_import import add_import_commands

    add_import_commands(sub, common)
    from .cli_export import add_export_commands

    add_export_commands(sub, common)
    return parser


def run_cli(argv: list[str]) -> int:
    args = None
    try:
        args = build_parser().parse_args(argv)
        if getattr(args, "limit", 1) is not None and getattr(args, "limit", 1) < 0:
            raise CliError("--limit 不能为负数")
        args.func(args)
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except (DomainError, DatabaseOpenError) as exc:
        print(str(exc).replace("\n", " "), file=sys.stderr)
        return 1
    except sa_exc.OperationalError as exc:
        print(translate_operational(exc, resolve_db_url(getattr(args, "db", None))), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已取消 / cancelled", file=sys.stderr)
        return 1
    return 0
