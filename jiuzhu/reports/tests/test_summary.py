"""The yearly work summary of the county of fixtures.py for 2025, from the month-end snapshots."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document as WordDocument
from pypdf import PdfReader

from jiuzhu.common.exceptions import DomainError, NotFoundOrNoAccess
from jiuzhu.regions.models import Region
from jiuzhu.reports.services.snapshots import snapshot_build
from jiuzhu.reports.summary import build_work_summary, resolve_region, work_summary
from jiuzhu.reports.summary_documents import summary_docx, summary_pdf, summary_text
from jiuzhu.reports.tests.fixtures import build_county
from jiuzhu.reports.tests.test_snapshots import TODAY
from jiuzhu.testing.builders import COUNTY, VILLAGE_A

pytestmark = pytest.mark.django_db


def _months(county, months):  # type: ignore[no-untyped-def]
    for month in months:
        snapshot_build(actor=county.actor, region_code=COUNTY, month=month, reason="年报", today=TODAY)


def _paragraphs(summary):  # type: ignore[no-untyped-def]
    return ["".join(p.text for p in paragraph) for paragraph in summary.sections[0].paragraphs]


def test_the_dibao_section_is_drafted_from_the_snapshots(regions):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    _months(county, [datetime.date(2025, m, 1) for m in range(1, 13)] + [datetime.date(2026, 1, 1)])
    summary = build_work_summary(region=Region.objects.get(code=COUNTY), year=2025)
    roll, moves, money, boards = _paragraphs(summary)
    # The roll of January 2026: O1 (urban, 1 person, 400 yuan); A1 (3, 900) and B1 (2, 600) rural.
    assert roll == "截至2025年底，全县城市低保对象1户1人，月发放低保金400元；农村低保对象2户5人，月发放低保金1500元。"
    # 2025: B1 approved in June (2 persons), A1 in December (3 persons); nothing waiting at the year's end.
    assert "农村新增低保对象2户5人，变更0户0人，取消0户0人" in moves and "城市新增低保对象0户0人" in moves
    assert "年末已申报待审批0户0人" in moves
    assert money == "全年发放城乡低保金0元。现全县城市低保标准为900元/人·月，农村低保标准为800元/人·月。"
    assert boards == "在各村（社区）设置公示栏3处，把3户低保家庭的名册、救助金额进行公示。"
    assert [s.title for s in summary.sections][:3] == [
        "一、城乡最低生活保障",
        "二、医疗救助",
        "三、特困人员救助供养（五保）",
    ]
    assert all(not s.built for s in summary.sections[1:])
    assert summary.sections[1].paragraphs[0][0].text == "本项目尚未在系统中建立，本节数字须另行填写。"
    # Every figure has its note, and the notes name the snapshot and the sums behind it.
    figures = [p for paragraph in summary.sections[0].paragraphs for p in paragraph if p.note]
    assert [p.note for p in figures] == list(range(1, len(summary.notes) + 1))
    assert "2026年01月月末快照" in summary.notes[0].text and "program = 'dibao_urban'" in summary.notes[0].text


def test_missing_months_and_no_january_are_said(regions):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    _months(county, [datetime.date(2025, m, 1) for m in (6, 12)])
    summary = build_work_summary(region=Region.objects.get(code=COUNTY), year=2025)
    roll, moves, *_rest = _paragraphs(summary)
    assert roll.startswith("截至2025年底，全县城市低保对象1户1人")  # December's roll: A1 starts in January
    assert "农村低保对象1户2人" in roll
    assert moves.startswith("2025年各月")
    notes = " ".join(note.text for note in summary.notes)
    assert "尚无2026年1月的月末快照" in notes and "1月、2月、3月、4月、5月、7月" in notes
    empty = build_work_summary(region=Region.objects.get(code=COUNTY), year=2020)
    assert "尚无2020年12月或2021年1月的月末快照" in _paragraphs(empty)[0]


def test_word_pdf_text_and_the_command(regions, tmp_path):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    _months(county, [datetime.date(2025, 12, 1), datetime.date(2026, 1, 1)])
    summary = build_work_summary(region=Region.objects.get(code=COUNTY), year=2025)
    word = WordDocument(io.BytesIO(summary_docx(summary)))
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "开江县2025年社会救助工作总结（统计数字部分）"
    assert any(t.startswith("截至2025年底，全县城市低保对象1户1人，月发放低保金400元[1]") for t in texts)
    assert "数据说明" in texts
    superscripts = [r.text for p in word.paragraphs for r in p.runs if r.font.superscript]
    assert superscripts[:2] == ["[1]", "[2]"]
    pdf = PdfReader(io.BytesIO(summary_pdf(summary, authority="开江县民政局")))
    assert "月发放低保金400元" in "".join(page.extract_text() for page in pdf.pages).replace(" ", "")
    assert summary_text(summary).splitlines()[0] == summary.title

    out = io.StringIO()
    call_command("work_summary", "--region", "开江县", "--year", "2025", stdout=out)
    assert "全县城市低保对象1户1人" in out.getvalue() and "[1] " in out.getvalue()
    target = tmp_path / "总结.docx"
    call_command("work_summary", "--region", COUNTY, "--year", "2025", "--out", str(target), stdout=io.StringIO())
    assert WordDocument(str(target)).paragraphs[0].text == summary.title
    with pytest.raises(CommandError, match="没有找到区划"):
        call_command("work_summary", "--region", "无此县", "--year", "2025")


def test_a_name_shared_by_two_regions_asks_for_the_code(regions):  # type: ignore[no-untyped-def]
    Region.objects.create(code="511724", name="凤凰村", level=3, parent=regions["5117"])
    with pytest.raises(DomainError, match="对应多个区划"):
        resolve_region("凤凰村")
    assert resolve_region(VILLAGE_A).code == VILLAGE_A


def test_users_get_their_own_area_only(regions, users):  # type: ignore[no-untyped-def]
    build_county(regions)
    assert work_summary(actor=users["coordinator_a"], region_code=VILLAGE_A, year=2025).region.code == VILLAGE_A
    with pytest.raises(NotFoundOrNoAccess):
        work_summary(actor=users["coordinator_a"], region_code=COUNTY, year=2025)
