"""Messy ledger files for the import tests, made the way clerks make them."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook

from desktop.domain.codes import credit_code_check_char

HEADER = ["序号", "社区", "网格", "店铺名称", "统一社会信用代码", "经营者", "电话（旧）", "联系电话",
          "经营地址", "行业类别", "经营状态", "门前三包签订日期", "责任书编号", "备注"]
COL = {name: i for i, name in enumerate(HEADER)}


def cc(n: int) -> str:
    body = f"91330106{n:09d}"
    return body + credit_code_check_char(body)


def bad_check(n: int) -> str:
    code = cc(n)
    return code[:-1] + ("0" if code[-1] != "0" else "1")


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# (序号, 社区, 网格, 名称, 代码, 经营者, 旧电话, 电话, 地址, 行业, 状态, 签订日期, 编号, 备注)
MESSY_ROWS: list[list[object] | None] = [
    [1, "东湖社区", "东湖一网格", "阿明小吃", cc(101), "张三", "0000", "13800001111", "解放路1号",
     "餐饮", "营业", dt.datetime(2023, 5, 1), "东三包〔2023〕001", ""],
    [2, None, None, "阿明小吃二店", fullwidth(cc(102)), "李四", "", fullwidth("13800002222"),
     "解放路2号", "零售", "正常", "2023/5/2", "", ""],
    [3, None, "东湖二网格", "王记面馆", cc(103), "王五", "", "0571-88886666", "解放路3号", "餐饮",
     "停业", "2023.5.3", None, ""],
    [4, None, None, "周记烟酒", cc(104).lower(), "周六", "", "13800004444/13900005555", "解放路4号",
     "烟酒茶叶", "", "2023年5月4日", None, "老店"],
    None,
    [5, "西岭", "西岭一网格", "鑫鑫超市", "", "孙七", "", "13800006666", "建设路1号", "便利店",
     "营业", 20230505, "西三包-5", ""],
    [6, None, None, "坏码商店", bad_check(106), "周八", "", "13800007777", "建设路2号", "零售", "",
     None, None, ""],
    [7, None, None, "", cc(107), "吴九", "", "13800008888", "建设路3号", "零售", "", None, None, ""],
    [8, None, None, "电话不对店", "", "郑十", "", "12345", "建设路4号", "零售", "", None, None, ""],
    [9, "南山社区", "南山一网格", "南山茶馆", "", "钱七", "", "13800009999", "南山路1号", "餐饮", "",
     45054, None, ""],
    [10, None, None, "南山茶馆", "", "钱七", "", "13800009999", "南山路1号", "餐饮", "", 45054, None,
     ""],
    [11, "东湖社区", "东湖一网格", "老王火锅店", "91350100M000100Y43", "王建国", "", "13800138000",
     "解放路12号", "火锅", "", None, None, ""],
    [12, None, "东湖二网格", "重庆小面馆", "", "李秀英", "", "0571-88886666", "人民路5号", "餐饮", "",
     None, None, ""],
    [13, None, None, "日期不对店", "", "冯一", "", "13800001234", "建设路5号", "零售", "",
     "2023-02-30", None, ""],
    [14, None, None, "同码店", cc(101), "陈二", "", "13800004321", "建设路6号", "零售", "", None,
     None, ""],
]
FIRST_ROW = 5  # the header is on row 4
# Spreadsheet row of each MESSY_ROWS entry.
ROW_OF = {entry[0]: FIRST_ROW + i for i, entry in enumerate(MESSY_ROWS) if entry}


def messy_workbook(path: Path, *, hidden_column: bool = True) -> Path:
    """Title rows, header on row 4, merged communities, a blank row, 合计 and a note at the end."""
    book = Workbook()
    sheet = book.active
    sheet.title = "沿街商户"
    sheet["A1"] = "XX街道沿街商户台账（2024年）"
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet["A2"] = "填报单位：XX街道城管科"
    sheet["L2"] = "填报日期：2024年6月"
    for col, text in enumerate(HEADER, start=1):
        sheet.cell(row=4, column=col, value=text)
    for i, entry in enumerate(MESSY_ROWS):
        if entry is None:
            continue
        for col, value in enumerate(entry, start=1):
            if value is not None and value != "":
                sheet.cell(row=FIRST_ROW + i, column=col, value=value)
    community = COL["社区"] + 1
    grid = COL["网格"] + 1
    sheet.merge_cells(start_row=ROW_OF[1], start_column=community, end_row=ROW_OF[4],
                      end_column=community)
    sheet.merge_cells(start_row=ROW_OF[1], start_column=grid, end_row=ROW_OF[2], end_column=grid)
    sheet.merge_cells(start_row=ROW_OF[3], start_column=grid, end_row=ROW_OF[4], end_column=grid)
    sheet.merge_cells(start_row=ROW_OF[5], start_column=community, end_row=ROW_OF[8],
                      end_column=community)
    sheet.merge_cells(start_row=ROW_OF[9], start_column=community, end_row=ROW_OF[10],
                      end_column=community)
    sheet.merge_cells(start_row=ROW_OF[11], start_column=community, end_row=ROW_OF[14],
                      end_column=community)
    total = ROW_OF[14] + 1
    sheet.cell(row=total, column=1, value="合  计")
    sheet.cell(row=total, column=COL["店铺名称"] + 1, value="14户")
    sheet.cell(row=total + 2, column=1, value="注：本表由社区网格员填报，联系人：张三 13800000000")
    sheet.merge_cells(start_row=total + 2, start_column=1, end_row=total + 2, end_column=len(HEADER))
    if hidden_column:
        sheet.column_dimensions["G"].hidden = True
    else:
        sheet.delete_cols(COL["电话（旧）"] + 1)
    book.save(path)
    return path


def simple_rows() -> list[list[object]]:
    return [["店铺名称", "社区", "网格", "联系电话", "地址", "统一社会信用代码", "签约日期"],
            ["甲店", "东湖社区", "东湖一网格", "13800000001", "一路1号", cc(201), "2023-05-01"],
            ["乙店", "", "", "13800000002", "一路2号", cc(202), ""],
            ["丙店", "西岭社区", "", "13800000003", "二路1号", "", "2023年6月1日"]]


def write_csv(path: Path, rows: list[list[object]], encoding: str) -> Path:
    text = "\r\n".join(",".join(str(c) for c in row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


# --- LibreOffice ---------------------------------------------------------------------------


def soffice_or_skip() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("LibreOffice (soffice) must be installed in CI for the .xls/.ods import tests")
    pytest.skip("LibreOffice (soffice) is not installed")


def convert(sources: list[Path], fmt: str, outdir: Path, profile: Path) -> list[Path]:
    """Convert with LibreOffice headless, in a profile of its own (no clash with a running one)."""
    soffice = soffice_or_skip()
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", fmt, "--outdir", str(outdir), *map(str, sources)],
                   check=True, capture_output=True, timeout=120)
    out = [outdir / (src.stem + "." + fmt) for src in sources]
    for path in out:
        assert path.exists(), f"LibreOffice did not write {path}"
    return out
