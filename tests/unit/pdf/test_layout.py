"""Tests of the A4 document layout, checked on real PDFs with poppler's command-line tools."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from reportlab.platypus import Flowable

from desktop.pdf.layout import (
    CHARS_PER_LINE,
    LINES_PER_PAGE,
    FormRow,
    PdfWriteError,
    Styles,
    blank,
    build_pdf,
    checkbox,
    copies_note,
    form_table,
    p,
    signature_block,
)
from desktop.pdf.linebreak import CANNOT_END

CLOSING = "，。；：！？、》）”’】〕…%)]}.,;:!?"

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdfinfo", "pdffonts", "pdftotext")),
    reason="poppler-utils (pdfinfo, pdffonts, pdftotext) are not installed",
)

FACTS = (
    "经查，你（单位）于2026年3月15日在本街道人民路128号门前，存在占道经营、店外堆放货物的行为；"
    "执法人员当场进行了拍照取证（照片3张），并制作了《现场检查笔录》。上述行为违反了《某市市容和"
    "环境卫生管理条例》第二十一条第（三）项的规定：“任何单位和个人不得擅自占用道路、桥梁、广场等"
    "公共场所摆摊设点、堆放物品。”根据《中华人民共和国行政处罚法》第二十八条第一款、《某市城市管理"
    "综合行政执法条例》第十九条的规定，现责令你（单位）立即停止违法行为，并于2026年3月20日18时前"
    "改正，即：清理店外堆放的货物、撤除占道设施，恢复道路通行！逾期不改正的，本局将依法作出行政处罚"
    "决定……你（单位）如有异议，可以在收到本通知书之日起三日内向本局提出陈述、申辩。联系电话：0571-"
    "88886666；地址：某市某区人民路1号（邮编310000）。请你单位按照“门前三包”责任书的约定，落实门前"
    "市容环境卫生、绿化、秩序等责任，做到门前无乱堆乱放、无乱搭乱建、无乱贴乱画、无占道经营？是否"
    "清楚？统一社会信用代码：91330100MA2H1234XY，法定代表人：李四；经营场所面积约45.5平方米，营业"
    "时间8:00—22:00。以上情况，经当事人确认无误！附件：现场照片（3张）、《现场检查笔录》（1份）。"
    "【提示】你（单位）应当自觉履行；“门前三包”责任区内不得设置未经批准的户外设施，不得占道。"
)


def notice(st: Styles) -> list[Flowable]:
    return [
        p("某市某区城市管理局", st.heading),
        p("责令限期改正通知书", st.title),
        p("X城管责改〔2026〕第0001号", st.number),
        p("张三（某某便利店）：", st.body_noindent),
        p(FACTS, st.body),
        p(
            [
                checkbox(True, st.fonts),
                "立即改正　",
                checkbox(False, st.fonts),
                "限于",
                blank(5),
                "前改正。",
            ],
            st.body,
        ),
        p(["执法人员：", blank(4), "证号：", blank(6)], st.body_noindent),
        signature_block("某市某区城市管理局", "2026年3月15日", st),
        copies_note("本通知书一式两份，一份存档，一份交当事人。", st),
    ]


def delivery(st: Styles) -> list[Flowable]:
    return [
        p("送达回证", st.title),
        form_table(
            [
                FormRow("送达文书名称及文号", "责令限期改正通知书 X城管责改〔2026〕第0001号"),
                FormRow("受送达人", "张三 <b>&amp;</b> 李四 <&>"),
                FormRow("送达地点", "某市某区人民路128号"),
                FormRow("受送达人签名或盖章", "", min_height=70, footer="年　　月　　日"),
                FormRow(None, "备注：当事人拒绝签收，已留置送达。"),
            ],
            st,
        ),
        p("说明：邮寄送达的，以回执上注明的收件日期为送达日期。", st.small),
    ]


def run(*args: str | Path) -> str:
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, encoding="utf-8", check=True
    )
    return result.stdout


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture()
def sample_pdf(st: Styles, tmp_path: Path) -> tuple[Path, int]:
    out = tmp_path / "文书 批量.pdf"
    pages = build_pdf(out, [notice(st), delivery(st)], title="责令限期改正通知书", author="测试")
    return out, pages


def test_page_size_is_a4(sample_pdf: tuple[Path, int]) -> None:
    out, pages = sample_pdf
    info = run("pdfinfo", out)
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert match, info
    assert abs(float(match[1]) - 595) <= 1 and abs(float(match[2]) - 842) <= 1
    assert re.search(rf"Pages:\s+{pages}\n", info), info
    assert pages == 3  # the notice runs to two pages, the proof of delivery starts a new one


def test_every_font_is_embedded(sample_pdf: tuple[Path, int]) -> None:
    out, _ = sample_pdf
    lines = run("pdffonts", out).splitlines()
    header = lines[0]
    emb = header.index("emb")
    fonts = lines[2:]
    assert fonts, "the PDF names no fonts"
    for line in fonts:
        assert line[emb : emb + 3] == "yes", line


def test_text_is_all_there_in_order(sample_pdf: tuple[Path, int]) -> None:
    out, _ = sample_pdf
    text = squeeze(run("pdftotext", "-layout", out, "-"))
    expected = [
        "某市某区城市管理局",
        "责令限期改正通知书",
        "X城管责改〔2026〕第0001号",
        "张三（某某便利店）：",
        squeeze(FACTS[:200]),
        "第1页共2页",
        squeeze(FACTS[-120:]),
        "某市某区城市管理局2026年3月15日",
        "本通知书一式两份，一份存档，一份交当事人。",
        "第2页共2页",
        "送达回证",
        "张三<b>&amp;</b>李四<&>",
        "年月日",
        "备注：当事人拒绝签收，已留置送达。",
    ]
    position = 0
    for piece in expected:
        found = text.find(piece, position)
        assert found >= 0, f"{piece!r} missing after position {position}"
        position = found + len(piece)
    assert "共1页" not in text  # one-page documents carry no page number


def test_each_document_starts_a_new_page(sample_pdf: tuple[Path, int]) -> None:
    out, _ = sample_pdf
    last_page = squeeze(run("pdftotext", "-f", "3", "-l", "3", out, "-"))
    assert last_page.startswith("送达回证")


def test_no_line_starts_with_a_closing_mark(sample_pdf: tuple[Path, int]) -> None:
    out, _ = sample_pdf
    for line in run("pdftotext", "-layout", out, "-").splitlines():
        visible = line.strip()
        if visible:
            assert visible[0] not in CLOSING, line
            assert visible[-1] not in CANNOT_END, line


def test_body_is_22_lines_of_28_characters(st: Styles, tmp_path: Path) -> None:
    chars = "城市管理综合执法局街道办事处门前三包责任区市容环境卫生绿化秩序"
    text = (chars * 40)[: CHARS_PER_LINE * 30]
    out = tmp_path / "grid.pdf"
    build_pdf(out, [[p(text, st.body)]], title="版心")
    first_page = run("pdftotext", "-f", "1", "-l", "1", "-layout", out, "-")
    lines = [squeeze(line) for line in first_page.splitlines() if squeeze(line)]
    assert lines[-1] == "第1页共2页"
    assert len(lines[:-1]) == LINES_PER_PAGE
    assert [len(line) for line in lines[:-1]] == [CHARS_PER_LINE - 2] + [CHARS_PER_LINE] * 21


def test_markup_characters_print_as_typed(st: Styles, tmp_path: Path) -> None:
    out = tmp_path / "escape.pdf"
    build_pdf(out, [[p("甲<&>乙 a<b>c</b>", st.body)]], title="<&>")
    text = run("pdftotext", out, "-")
    assert "甲<&>乙 a<b>c</b>" in text
    assert "<&>" in run("pdfinfo", out)


def test_stream_output(st: Styles) -> None:
    buffer = io.BytesIO()
    assert build_pdf(buffer, [[p("正文", st.body)]], title="t") == 1
    assert buffer.getvalue().startswith(b"%PDF")


def leftovers(folder: Path) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir()) if folder.is_dir() else []


def test_missing_folder_raises_and_writes_nothing(st: Styles, tmp_path: Path) -> None:
    out = tmp_path / "不存在的文件夹" / "通知书.pdf"
    with pytest.raises(PdfWriteError, match="不存在"):
        build_pdf(out, [[p("正文", st.body)]], title="t")
    assert not out.exists()
    assert leftovers(tmp_path) == []


def test_parent_that_is_a_file_raises(st: Styles, tmp_path: Path) -> None:
    (tmp_path / "a").write_text("x")
    with pytest.raises(PdfWriteError):
        build_pdf(tmp_path / "a" / "b.pdf", [[p("正文", st.body)]], title="t")
    assert leftovers(tmp_path) == ["a"]


def test_read_only_folder_raises(
    st: Styles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            # Root ignores folder permissions; refuse the way Windows would.
            def refuse(*_args: object, **_kwargs: object) -> None:
                raise PermissionError(13, "Permission denied")

            monkeypatch.setattr(tempfile, "mkstemp", refuse)
        with pytest.raises(PdfWriteError, match="权限"):
            build_pdf(folder / "x.pdf", [[p("正文", st.body)]], title="t")
        assert leftovers(folder) == []
    finally:
        folder.chmod(0o700)


def test_locked_target_keeps_the_old_file(
    st: Styles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "通知书.pdf"
    out.write_bytes(b"old")

    def locked(_src: object, _dst: object) -> None:
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(PdfWriteError, match="其他程序") as caught:
        build_pdf(out, [[p("正文", st.body)]], title="t")
    assert caught.value.path == out
    assert out.read_bytes() == b"old"
    assert leftovers(tmp_path) == ["通知书.pdf"]


def test_failing_layout_leaves_no_file(st: Styles, tmp_path: Path) -> None:
    class Broken(Flowable):
        def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
            raise RuntimeError("boom")

    out = tmp_path / "x.pdf"
    with pytest.raises(RuntimeError):
        build_pdf(out, [[p("正文", st.body), Broken()]], title="t")
    assert leftovers(tmp_path) == []


def test_checkbox_glyphs_exist_in_the_fonts(st: Styles) -> None:
    from desktop.pdf.fonts import has_glyph

    for ch in checkbox(True, st.fonts) + checkbox(False, st.fonts):
        assert any(has_glyph(name, ch) for name in st.fonts.names())
    assert checkbox(True, st.fonts) != checkbox(False, st.fonts)
