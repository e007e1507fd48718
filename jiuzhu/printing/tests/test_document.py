"""Documents render to A4 PDFs with embedded Chinese fonts; the text comes back out as it went in."""

from __future__ import annotations

import datetime
import re
import time

import pytest

from jiuzhu.printing.document import LETTER, REGISTER, AmountLine, Document, chinese_date
from jiuzhu.printing.fonts import BOLD, REGULAR
from jiuzhu.printing.tests.pdf import A4_POINTS, embedded_fonts, page_size, page_texts, read_pdf, squeeze


def decision_letter() -> Document:
    doc = Document(title="最低生活保障审批决定书", authority="开江县民政局", number="开民低保〔2026〕12号")
    doc.paragraph("张三：", indent=False)
    doc.paragraph("你家申请最低生活保障一事，经调查审核和公示，本局决定批准你家享受农村最低生活保障待遇。")
    doc.facts([("户主", "张三"), ("家庭人口", "3 人"), ("身份证号", "511723********1234"), ("所属村", "凤凰村")])
    doc.amounts(
        [AmountLine("补差", 120000, "(600.00 − 200.00) × 3 人"), AmountLine("重度残疾人分类施保", 30000, "按标准 50%")],
        total_fen=150000,
        total_label="月保障金合计",
    )
    doc.paragraph("如不服本决定，可以自收到之日起60日内申请行政复议，或者在6个月内提起行政诉讼。")
    doc.signature(date=datetime.date(2026, 11, 28))
    return doc


def test_a_letter_is_an_a4_pdf_with_noto_sans_sc_embedded():
    reader = read_pdf(decision_letter().render())
    assert len(reader.pages) == 1
    assert page_size(reader) == A4_POINTS
    fonts = embedded_fonts(reader)
    assert fonts == {REGULAR: True, BOLD: True}  # both weights, embedded, and nothing else (no Helvetica)
    assert reader.metadata is not None and reader.metadata.title == "最低生活保障审批决定书"


def test_a_letter_says_what_was_put_in_it():
    text = squeeze(page_texts(read_pdf(decision_letter().render()))[0])
    for expected in (
        "开江县民政局",
        "最低生活保障审批决定书",
        "开民低保〔2026〕12号",
        "张三：",
        "本局决定批准你家享受农村最低生活保障待遇。",
        "身份证号511723********1234",
        "补差(600.00−200.00)×3人1,200.00",
        "重度残疾人分类施保按标准50%300.00",
        "月保障金合计1,500.00",
        "60日内申请行政复议",
        "开江县民政局（盖章）2026年11月28日",
        "第1页共1页",
    ):
        assert expected in text, expected


def test_text_is_printed_literally_not_read_as_markup():
    doc = Document(title="测试", layout=REGISTER)
    doc.paragraph("<b>不是粗体</b> & 第二行\n第三行")
    doc.table(["名称"], [["<i>x</i> & y"]])
    text = page_texts(read_pdf(doc.render()))[0]
    assert "<b>不是粗体</b> & 第二行\n第三行" in text
    assert "<i>x</i> & y" in text


def test_landscape_is_a4_on_its_side():
    doc = Document(title="宽表", layout=REGISTER, landscape=True)
    doc.table([f"第{i}列" for i in range(12)], [[str(i) for i in range(12)]])
    reader = read_pdf(doc.render())
    assert page_size(reader) == (A4_POINTS[1], A4_POINTS[0])
    assert "第11列" in page_texts(reader)[0]


def test_long_cjk_text_wraps_inside_a_narrow_column_and_on_the_page():
    sentence = "城乡居民最低生活保障制度是社会救助体系的基础。" * 12
    doc = Document(title="换行", layout=LETTER)
    doc.paragraph(sentence)
    doc.table(["项目", "说明"], [["一", sentence]], widths=[1, 3])
    reader = read_pdf(doc.render())
    text = page_texts(reader)[0]
    assert squeeze(text).count(squeeze(sentence)) == 2  # every character is printed, in order, twice
    assert text.count("\n") > 20  # …over many lines: it wrapped


def test_a_table_with_a_total_row_and_an_empty_table_with_a_note():
    doc = Document(title="收入", layout=REGISTER)
    doc.table(["收入类型", "月收入（元）"], [["工资", "1,000.00"], ["养老金", "500.00"]], total=["合计", "1,500.00"])
    doc.table(["财产类型"], [], empty="暂无财产记录。")
    doc.table(["附件"], [])  # no rows, no note: nothing at all
    text = squeeze(page_texts(read_pdf(doc.render()))[0])
    assert "工资1,000.00养老金500.00合计1,500.00" in text
    assert "暂无财产记录。" in text and "附件" not in text


def test_table_arguments_are_checked():
    doc = Document(title="检查", layout=REGISTER)
    with pytest.raises(ValueError, match="widths"):
        doc.table(["a", "b"], [["1", "2"]], widths=[1])
    with pytest.raises(ValueError, match="2 values"):
        doc.table(["a", "b"], [["1"]])
    with pytest.raises(ValueError, match="2 values"):
        doc.table(["a", "b"], [["1", "2"]], align=["left"])


def test_two_thousand_rows_render_quickly_with_the_header_once_on_every_page_and_right_page_numbers():
    doc = Document(title="最低生活保障对象公示名单", authority="讲治镇人民政府", layout=REGISTER, footer="公示期七日")
    rows = [[f"{i + 1:04d}", f"户主{i:04d}", str(1 + i % 5), f"{(i * 137) % 100000 / 100:,.2f}"] for i in range(2000)]
    doc.table(["序号", "户主姓名", "家庭人口", "月保障金（元）"], rows, widths=[1, 3, 1.5, 2])
    started = time.monotonic()
    reader = read_pdf(doc.render())
    assert time.monotonic() - started < 15  # about 0.8 s here; 2000 rows in one reportlab Table would be ~3 s
    pages = page_texts(reader)
    total = len(pages)
    assert 30 < total < 80
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 共 {total} 页" in text
        assert text.count("月保障金（元）") == 1, number  # the header on each page, never twice on one
        assert "公示期七日" in text
    # Every row is printed exactly once, in order, across the page breaks.
    serials = [line.strip() for text in pages for line in text.splitlines() if re.fullmatch(r"\d{4}", line.strip())]
    assert serials == [f"{i:04d}" for i in range(1, 2001)]


def test_chinese_date():
    assert chinese_date(datetime.date(2026, 11, 28)) == "2026年11月28日"
    assert chinese_date(datetime.date(2027, 1, 5)) == "2027年1月5日"


def test_signature_lines_for_forms():
    doc = Document(title="入户调查表", layout=LETTER)
    doc.signature_lines(["调查人（签字）", "被调查人（签字）"])
    text = squeeze(page_texts(read_pdf(doc.render()))[0])
    assert "调查人（签字）：日期：年月日被调查人（签字）：日期：年月日" in text
