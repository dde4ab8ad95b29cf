"""The `import` and `undo-import` commands: the legacy-ledger import without the wizard."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from db.engine import Database, open_database

from .config import resolve_db_url

CLI_USER = "命令行导入"
SHOWN_ERRORS = 20
PROGRESS_STEP = 10_000


def _open(args: argparse.Namespace) -> Database:
    return open_database(resolve_db_url(args.db))


def _emit(args: argparse.Namespace, payload: dict[str, Any], text: str) -> None:
    if args.json:
        json.dump(payload, sys.stdout, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    else:
        print(text)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _progress() -> Any:
    last = [0]

    def report(done: int, total: int) -> None:
        if done - last[0] >= PROGRESS_STEP or done == total:
            last[0] = done
            _say(f"已读取 {done:,}/{total:,} 行")

    return report


def cmd_import(args: argparse.Namespace) -> None:
    from .cli import CliError

    if args.undo is not None:
        if args.file:
            raise CliError("--undo 与文件不能同时给出")
        _undo(args, args.undo)
        return
    if not args.file:
        raise CliError("请给出要导入的文件，或用 --undo BATCH 撤销一次导入")
    from .io.excel_import import ImportOptions, import_file
    from .io.import_report import write_error_workbook

    db = _open(args)
    options = ImportOptions(sheet=args.sheet, header_row=args.header_row,
                            on_duplicate=args.on_duplicate, dry_run=args.dry_run,
                            default_community=args.community or "", user=CLI_USER)
    _say(f"正在读取 {args.file} …")
    result = import_file(db, Path(args.file), options, progress=_progress())
    payload = result.as_json()
    if args.errors_out:
        written = write_error_workbook(result, Path(args.errors_out))
        payload["errors_out"] = str(args.errors_out)
        _say(f"错误清单已保存：{args.errors_out}（{written} 行）")
    _emit(args, payload, _summary(payload))


def _summary(p: dict[str, Any]) -> str:
    head = "【试运行，未写入】" if p["dry_run"] else ""
    lines = [f"{head}工作表“{p['sheet']}”，表头在第 {p['header_row']} 行：新增 {p['imported']} 家，"
             f"更新 {p['updated']} 家，跳过 {p['skipped']} 行，责任书 {p['agreements']} 份"]
    if p["batch"] is not None:
        lines.append(f"导入批次：{p['batch']}（撤销：python -m desktop undo-import {p['batch']}）")
    created = p["created"]
    if created["communities"]:
        lines.append("新建社区：" + "、".join(created["communities"]))
    if created["grids"]:
        lines.append("新建网格：" + "、".join(created["grids"]))
    for e in p["errors"][:SHOWN_ERRORS]:
        lines.append(f"第 {e['row']} 行 [{e['column']}] {e['message']}")
    if len(p["errors"]) > SHOWN_ERRORS:
        lines.append(f"……另有 {len(p['errors']) - SHOWN_ERRORS} 个错误（用 --errors-out 保存全部）")
    for d in p["duplicates"][:SHOWN_ERRORS]:
        lines.append(f"第 {d['row']} 行 {d['message']}")
    return "\n".join(lines)


def _undo(args: argparse.Namespace, batch_id: int) -> None:
    from .io.import_batches import undo_batch

    db = _open(args)
    with db.transaction() as session:
        result = undo_batch(session, batch_id, user=CLI_USER)
    payload = result.as_json()
    _emit(args, payload, f"已撤销导入批次 {batch_id}：删除 {result.businesses} 家商户、"
                         f"{result.agreements} 份责任书，恢复 {result.restored} 家")


def cmd_undo_import(args: argparse.Namespace) -> None:
    if args.list:
        from .io.import_batches import recent_batches

        db = _open(args)
        with db.session() as session:
            batches = recent_batches(session, args.limit)
        payload = {"total": len(batches), "rows": [b.as_json() for b in batches]}
        _emit(args, payload, "\n".join(
            f"{b.id}\t{b.created_at:%Y-%m-%d %H:%M}\t{b.file_name}\t新增 {b.imported}"
            + ("\t已撤销" if b.undone_at else "") for b in batches) or "没有导入记录")
        return
    if args.batch is None:
        from .cli import CliError

        raise CliError("请给出要撤销的导入批次号（用 --list 查看最近的导入）")
    _undo(args, args.batch)


def add_import_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("import", parents=[common], help="导入旧台账（.xlsx/.xls/.ods/.csv）")
    p.add_argument("file", nargs="?", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="只检查，显示将会发生什么，不写入")
    p.add_argument("--sheet", metavar="NAME|INDEX", help="工作表名称或序号（从1起），默认第一个有数据的")
    p.add_argument("--header-row", type=int, metavar="N", help="表头所在行（默认自动查找）")
    p.add_argument("--on-duplicate", choices=("skip", "update"), default="skip",
                   help="台账中已有的商户：跳过（默认）或按文件更新")
    p.add_argument("--errors-out", metavar="FILE.xlsx", help="把未导入的行及原因保存为工作簿")
    p.add_argument("--community", metavar="NAME", help="社区一栏为空时归入的社区")
    p.add_argument("--undo", type=int, metavar="BATCH", help="撤销一次导入（整批）")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("undo-import", parents=[common], help="撤销一次导入（整批）")
    p.add_argument("batch", nargs="?", type=int, metavar="BATCH")
    p.add_argument("--list", action="store_true", help="列出最近的导入批次")
    p.add_argument("--limit", type=int, default=20, metavar="N")
    p.set_defaults(func=cmd_undo_import)
