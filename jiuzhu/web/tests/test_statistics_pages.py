"""Statistics pages: the county approver builds March's snapshot (a job), reads the monthly report,
drills down to a township and its villages, follows a figure to the households behind it, and
downloads the workbook and the PDF; a coordinator sees her own village only."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from docx import Document as WordDocument
from pypdf import PdfReader

from jiuzhu.reports.models import MonthSnapshot, SnapshotStatus
from jiuzhu.reports.services.snapshots import snapshot_build
from jiuzhu.reports.tests.fixtures import MARCH, build_county
from jiuzhu.reports.tests.test_snapshots import TODAY
from jiuzhu.testing.builders import COUNTY, TOWNSHIP, VILLAGE_A, VILLAGE_B
from jiuzhu.testing.jobs import work_the_queue

pytestmark = pytest.mark.django_db


def test_build_read_drill_down_and_download(client_as, regions, users):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    approver = client_as("county_approver")
    page = approver.get(reverse("web:statistics-monthly"), {"region": COUNTY, "month": "2026-03"})
    assert page.status_code == 200 and b'id="report-missing"' in page.content
    assert b'id="snapshot-build"' in page.content and b'id="report-xlsx"' not in page.content
    queued = approver.post(
        reverse("web:statistics-snapshot-build"), {"region": COUNTY, "month": "2026-03", "reason": "三月月报"}
    )
    assert queued.status_code == 302 and "/jobs/" in queued["Location"]
    work_the_queue()
    snapshot = MonthSnapshot.objects.get()
    assert snapshot.status == SnapshotStatus.READY and snapshot.built_by == users["county_approver"]

    page = approver.get(reverse("web:statistics-monthly"), {"region": COUNTY, "month": "2026-03"})
    html = page.content.decode()
    assert 'id="report-dibao_rural"' in html and 'id="report-dibao_urban"' in html
    assert f'data-code="{TOWNSHIP}"' in html and "1,500.00" in html and "三月月报" in html
    drill = f"region={TOWNSHIP}&amp;month=2026-03"
    assert drill in html  # the township row drills down

    township = approver.get(reverse("web:statistics-monthly"), {"region": TOWNSHIP, "month": "2026-03"})
    villages = township.content.decode()
    assert f'data-code="{VILLAGE_A}"' in villages and f'data-code="{VILLAGE_B}"' in villages

    # The stopped figure of the township leads to the one household stopped in March.
    cases = approver.get(
        reverse("web:statistics-cases", args=[snapshot.pk]),
        {"region": TOWNSHIP, "program": "dibao_rural", "figure": "stopped"},
    )
    listing = cases.content.decode()
    assert cases.status_code == 200 and "共 1 户" in listing
    assert reverse("web:household-file", args=[county.households["B1"].pk]) in listing
    assert reverse("web:household-file", args=[county.households["A1"].pk]) not in listing

    workbook = approver.get(reverse("web:statistics-monthly-xlsx"), {"region": COUNTY, "month": "2026-03"})
    assert workbook["Content-Disposition"].startswith("attachment")
    book = openpyxl.load_workbook(io.BytesIO(workbook.content))
    assert "农村最低生活保障（按村）" in book.sheetnames
    pdf = approver.get(reverse("web:statistics-monthly-pdf"), {"region": COUNTY, "month": "2026-03"})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "开江县民政局" in text.replace(" ", "")


def test_a_coordinator_sees_her_village_only(client_as, regions):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    snapshot = snapshot_build(actor=county.actor, region_code=COUNTY, month=MARCH, today=TODAY)
    coordinator = client_as("coordinator_a")
    own = coordinator.get(reverse("web:statistics-monthly"), {"month": "2026-03"})  # her village by default
    assert own.status_code == 200 and "900.00" in own.content.decode()
    assert b'id="snapshot-build"' not in own.content
    assert (
        coordinator.get(reverse("web:statistics-monthly"), {"region": TOWNSHIP, "month": "2026-03"}).status_code == 404
    )
    other = coordinator.get(
        reverse("web:statistics-cases", args=[snapshot.pk]),
        {"region": VILLAGE_B, "program": "dibao_rural", "figure": "households"},
    )
    assert other.status_code == 404
    assert (
        coordinator.post(
            reverse("web:statistics-snapshot-build"), {"region": VILLAGE_A, "month": "2026-03", "reason": "x"}
        ).status_code
        == 403
    )
    bad = coordinator.get(reverse("web:statistics-monthly"), {"region": "12x", "month": "2026-13"})
    assert bad.status_code == 200 and "区划代码应为" in bad.content.decode() and "请按" in bad.content.decode()


def test_the_work_summary_page_and_its_downloads(client_as, regions):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    for month in (datetime.date(2025, 12, 1), datetime.date(2026, 1, 1)):
        snapshot_build(actor=county.actor, region_code=COUNTY, month=month, today=TODAY)
    officer = client_as("county_officer")
    page = officer.get(reverse("web:statistics-summary"), {"region": COUNTY, "year": "2025"})
    html = page.content.decode()
    assert page.status_code == 200 and "开江县2025年社会救助工作总结（统计数字部分）" in html
    assert "城市低保对象1户1人，月发放低保金400元" in html and 'href="#note-1"' in html and 'id="note-1"' in html
    assert "本项目尚未在系统中建立" in html
    word = officer.get(reverse("web:statistics-summary-docx"), {"region": COUNTY, "year": "2025"})
    assert word["Content-Disposition"].startswith("attachment")
    assert WordDocument(io.BytesIO(word.content)).paragraphs[0].text == "开江县2025年社会救助工作总结（统计数字部分）"
    pdf = officer.get(reverse("web:statistics-summary-pdf"), {"region": COUNTY, "year": "2025"})
    assert pdf["Content-Type"] == "application/pdf" and "月发放低保金400元" in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages
    ).replace(" ", "")
    assert client_as("coordinator_a").get(reverse("web:statistics-summary"), {"region": COUNTY}).status_code == 404


def test_the_dashboard_charts_link_to_the_households_behind_them(client_as, regions):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    march = snapshot_build(actor=county.actor, region_code=COUNTY, month=MARCH, today=TODAY)
    page = client_as("county_approver").get(reverse("web:statistics-dashboard"), {"region": COUNTY})
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "<script" not in html.split('id="dashboard-overdue"')[1]
    households = html.split('id="chart-households"')[1].split("</section>")[0]
    link = reverse("web:statistics-cases", args=[march.pk]) + f"?region={COUNTY}&amp;figure=households"
    assert link in households and "<title>26.03：3</title>" in households  # A1, B1 and O1 in force in March
    paid = html.split('id="chart-paid"')[1].split("</section>")[0]
    assert "<title>26.03：900</title>" in paid and "figure=paid" in paid
    villages = html.split('id="chart-villages"')[1].split("</section>")[0]
    assert f"region={VILLAGE_A}&amp;figure=households" in villages
    assert "暂无数据" in html.split('id="chart-flags"')[1].split("</section>")[0]
    behind = client_as("county_approver").get(link.replace("&amp;", "&"))
    assert "共 3 户" in behind.content.decode()
    # A coordinator's dashboard is her village's: its bars count her households only.
    own = client_as("coordinator_a").get(reverse("web:statistics-dashboard")).content.decode()
    assert "<title>26.03：1</title>" in own.split('id="chart-households"')[1]
    assert f"{reverse('web:case-list')}?overdue=on&amp;region={VILLAGE_A}" in own  # the tiles keep the area
