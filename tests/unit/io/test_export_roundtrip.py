"""LibreOffice reads what we write: exported workbooks converted to CSV, cells checked as shown.

One soffice run converts every workbook (its start-up is the slow part), with a private
profile so a LibreOffice the clerk or another test has open does not get in the way.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from db.engine import Database
from desktop.domain import businesses as B
from desktop.domain.businesses import BusinessQuery
from desktop.io.district_report import write_summary
from desktop.io.excel_export import write_list
from desktop.io.list_sources import business_source, list_source
from desktop.io.template_fill import fill_template

from .district_data import PERIOD, TODAY, build
from .test_template_fill import district_template

ALL_DIGITS_CODE = "913301060000000000"
# Separator, quote, UTF-8, from line 1, -, -, -, -, cells as shown, no formulas, -, every sheet.
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is not installed: CI must provide it")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def _to_csv(soffice: str, files: list[Path], folder: Path) -> dict[str, list[list[str]]]:
    out = folder / "csv"
    out.mkdir()
    profile = (folder / "lo-profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    CSV_FILTER, "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True, timeout=120)
    sheets = {}
    for path in out.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            sheets[path.stem] = list(csv.reader(f))
    return sheets


def test_libreoffice_reads_exports_summary_and_filled_template(db: Database, tmp_path: Path) -> None:
    soffice = _soffice()
    ledger = build(db)
    with db.transaction() as s:
        row = B.get(s, ledger.businesses["好又多便利店"])
        data = row.as_input()
        data.credit_code = ALL_DIGITS_CODE
        B.update(s, row.id, row.version, data, user="clerk")
    work = tmp_path / "导出 文件"
    work.mkdir()
    with db.session() as s:
        write_list(work / "ledger.xlsx", business_source(s, BusinessQuery()))
        write_list(work / "agreements.xlsx", list_source(s, "agreements"))
        write_summary(s, PERIOD, work / "summary.xlsx", prepared_by="王科员", today=TODAY)
        template = district_template(tmp_path / "template.xlsx")
        fill_template(s, PERIOD, template, work / "filled.xlsx", prepared_by="王科员", today=TODAY)
    sheets = _to_csv(soffice, sorted(work.glob("*.xlsx")), tmp_path)

    ledger_rows = {r[0]: r for r in sheets["ledger-商户台账"][1:]}
    assert sheets["ledger-商户台账"][0][:4] == ["名称", "统一社会信用代码", "经营者", "联系电话"]
    assert ledger_rows["老王火锅店"][1] == "91350100M000100Y43"
    assert ledger_rows["好又多便利店"][1] == ALL_DIGITS_CODE  # not 9.13301E+17
    assert ledger_rows["重庆小面馆"][3] == "0571-88886666"
    assert ledger_rows["老王火锅店"][6] == "东湖社区"

    agreements = sheets["agreements-门前三包责任书"]
    header = agreements[0]
    xinyuan = next(r for r in agreements[1:] if r[1] == "鑫源五金店")
    assert xinyuan[header.index("开始日期")] == "2025-04-16"
    assert xinyuan[header.index("结束日期")] == "2026-04-15"
    assert xinyuan[header.index("门前长度（米）")] == "8.5"

    frontage = sheets["summary-门前三包"]
    assert frontage[0][0] == "门前三包责任制落实情况（2026年3月）"
    assert frontage[3][:8] == ["1", "东湖社区", "2", "2", "1", "50.0%", "0", "1"]
    assert frontage[5][1:8] == ["合计", "5", "4", "3", "75.0%", "1", "1"]
    patrol = sheets["summary-巡查与通知"]
    # 发现, 已整改, 按期整改, 逾期, 移交执法, 签发, 作废, 复查
    assert patrol[5][1:] == ["合计", "4", "1", "0", "2", "1", "3", "1", "2"]
    assert "王科员" in {c for r in sheets["summary-封面"] for c in r}

    filled = sheets["filled-汇总表"]
    assert filled[0][0] == "X街道办事处城市管理工作月报（2026年3月）"
    assert filled[1][1] == "2026-03-31"
    assert filled[3][:4] == ["1", "东湖社区", "2", "1"]
    assert filled[4][:4] == ["2", "西岭社区", "2", "2"]
    assert filled[5][1:4] == ["合计", "4", "3"]  # the template's SUM, computed by LibreOffice
    assert filled[3][4] == "50.00%" and filled[4][4] == "100.00%"  # the block's own formula
    assert filled[5][4] == "0.75"
