"""Month-end snapshots and the monthly report, against the county of fixtures.py worked out by hand."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from pypdf import PdfReader

from jiuzhu.audit.models import AuditEvent
from jiuzhu.common.exceptions import NotFoundOrNoAccess, PermissionDeniedError, RuleViolation
from jiuzhu.jobs.models import Job
from jiuzhu.registry.models import IncomeItem, MembershipPeriod, Person
from jiuzhu.registry.rules.categories import NOT_A_LIVING
from jiuzhu.reports.documents import report_pdf, report_xlsx
from jiuzhu.reports.models import MonthSnapshot, SnapshotCase, SnapshotStatus
from jiuzhu.reports.rules import (
    Categories,
    Figures,
    HistoryEntry,
    MemberFacts,
    age_on,
    born_by,
    categories_on,
    changed_persons,
    movement_persons,
)
from jiuzhu.reports.selectors import monthly_report
from jiuzhu.reports.services.snapshots import snapshot_build
from jiuzhu.reports.tests.fixtures import MARCH, build_county
from jiuzhu.testing.builders import COUNTY, TOWNSHIP, VILLAGE_A
from jiuzhu.testing.jobs import work_the_queue

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 28)
OTHER_TOWNSHIP = "511723106"

# Township 511723105 in March, rural: A1 (3 persons, 900 yuan) and B1 (2 persons, 600 yuan) in force;
# A2 approved (from April); A1 raised (from April); B1 stopped (from April). Paid: A1's 900 (B1's failed).
RURAL_105 = Figures(
    households=2, persons=5, amount_fen=150_000, standard_persons_fen=5 * 80_000, paid_fen=90_000,
    elderly=1, minors=1, working_age=3, disabled=1, new_households=1, new_persons=1, changed_households=1,
    changed_persons=3, stopped_households=1, stopped_persons=2,
)  # fmt: skip
# Township 511723106 in March, urban: O1 (1 person born 1940, 400 yuan), its payroll still a draft.
URBAN_106 = Figures(households=1, persons=1, amount_fen=40_000, standard_persons_fen=90_000, elderly=1)


def _build(county, month=MARCH, region=COUNTY):  # type: ignore[no-untyped-def]
    return snapshot_build(actor=county.actor, region_code=region, month=month, reason="月报", today=TODAY)


def test_a_month_is_counted_as_worked_out_by_hand(regions):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    snapshot = _build(county)
    assert snapshot.status == SnapshotStatus.READY and snapshot.cases == 4  # A2 is there for its approval only
    report = monthly_report(actor=county.actor, region_code=COUNTY, month=MARCH)
    rows = {row.code: row for row in report.rows}
    assert set(rows) == {TOWNSHIP, OTHER_TOWNSHIP}
    assert rows[TOWNSHIP].figures("dibao_rural") == RURAL_105
    assert rows[OTHER_TOWNSHIP].figures("dibao_urban") == URBAN_106
    assert report.total.figures("dibao_rural") == RURAL_105
    assert RURAL_105.average_standard_fen == 80_000 and RURAL_105.per_capita_fen == 30_000
    assert [code for code, _name in report.programs] == [
        "dibao_urban", "dibao_rural", "near_poor_urban", "near_poor_rural",
    ]  # fmt: skip
    # Only March has a snapshot: the year to date is March's, and January and February are named as missing.
    assert report.missing_months == [datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)]
    assert report.total.to_date("dibao_rural").paid_fen == 90_000
    event = AuditEvent.objects.get(subject_id=snapshot.pk, event_type=601)
    assert event.after == {"month": "2026-03", "cases": 4} and event.reason == "月报"


def test_villages_and_the_rows_behind_a_figure(regions):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    snapshot = _build(county)
    report = monthly_report(actor=county.actor, region_code=TOWNSHIP, month=MARCH, villages=True)
    village_a = next(row for row in report.rows if row.code == VILLAGE_A)
    assert (village_a.figures("dibao_rural").households, village_a.figures("dibao_rural").persons) == (1, 3)
    behind = SnapshotCase.objects.filter(snapshot=snapshot, region_code=VILLAGE_A, households=1)
    assert list(behind.values_list("household_id", flat=True)) == [county.households["A1"].pk]


def test_year_to_date_adds_the_months_and_a_past_month_stays_as_built(regions):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    for month in (1, 2, 3):
        _build(county, datetime.date(2026, month, 1))
    report = monthly_report(actor=county.actor, region_code=COUNTY, month=MARCH)
    assert report.missing_months == []
    year = report.total.to_date("dibao_rural")
    assert (year.new_households, year.new_persons, year.stopped_persons, year.paid_fen) == (1, 1, 2, 90_000)
    january = monthly_report(actor=county.actor, region_code=COUNTY, month=datetime.date(2026, 1, 1))
    assert (january.total.figures("dibao_rural").households, january.total.figures("dibao_rural").persons) == (2, 5)
    # The records move on (the spouse's disability is struck off); March's figures do not, until rebuilt.
    Person.objects.filter(disability_grade=2).update(disability_grade=None, disability_category="")
    assert (
        monthly_report(actor=county.actor, region_code=COUNTY, month=MARCH).total.figures("dibao_rural").disabled == 1
    )
    rebuilt = _build(county)
    assert monthly_report(actor=county.actor, region_code=COUNTY, month=MARCH).snapshot == rebuilt
    assert (
        monthly_report(actor=county.actor, region_code=COUNTY, month=MARCH).total.figures("dibao_rural").disabled == 0
    )
    assert MonthSnapshot.objects.filter(month=MARCH).count() == 2  # the earlier build is kept


def test_who_may_build_and_see(regions, users):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    with pytest.raises(PermissionDeniedError):
        snapshot_build(actor=users["coordinator_a"], region_code=VILLAGE_A, month=MARCH, today=TODAY)
    with pytest.raises(NotFoundOrNoAccess):
        snapshot_build(actor=users["county_officer"], region_code="511724", month=MARCH, today=TODAY)
    with pytest.raises(RuleViolation) as future:
        snapshot_build(actor=users["county_officer"], region_code=COUNTY, month=datetime.date(2026, 12, 1), today=TODAY)
    assert "尚未到来" in future.value.user_message
    assert not MonthSnapshot.objects.exists()
    _build(county)
    # A coordinator sees the figures of her village from the county's snapshot, and nothing above it.
    mine = monthly_report(actor=users["coordinator_a"], region_code=VILLAGE_A, month=MARCH)
    assert mine.total.figures("dibao_rural").persons == 3
    with pytest.raises(NotFoundOrNoAccess):
        monthly_report(actor=users["coordinator_a"], region_code=TOWNSHIP, month=MARCH)


def test_a_failed_build_is_marked_and_leaves_the_earlier_one(regions, monkeypatch):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    first = _build(county)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr("jiuzhu.reports.services.snapshots._movement_persons", broken)
    with pytest.raises(RuntimeError):
        _build(county)
    assert MonthSnapshot.objects.filter(status=SnapshotStatus.FAILED).count() == 1
    assert monthly_report(actor=county.actor, region_code=COUNTY, month=MARCH).snapshot == first
    assert SnapshotCase.objects.exclude(snapshot=first).count() == 0


def test_the_workbook_and_the_pdf_carry_the_figures(regions):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    _build(county)
    report = monthly_report(actor=county.actor, region_code=COUNTY, month=MARCH)
    villages = monthly_report(actor=county.actor, region_code=COUNTY, month=MARCH, villages=True)
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report, villages)))
    assert book.sheetnames[:2] == ["城市最低生活保障", "农村最低生活保障"]
    assert "农村最低生活保障（按村）" in book.sheetnames
    sheet = book["农村最低生活保障"]
    headers = [cell.value for cell in sheet[3]]
    assert headers[:4] == ["地区", "区划代码", "户数（户）", "人数（人）"]
    total = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "合计")
    by_header = dict(zip(headers, total, strict=False))
    assert by_header["户数（户）"] == 2 and by_header["人数（人）"] == 5
    assert by_header["月保障金（元）"] == 1500 and by_header["人均补助水平（元/人·月）"] == 300
    assert by_header["本月支出（元）"] == 900 and by_header["本月停保（人）"] == 2
    township = next(row for row in sheet.iter_rows(values_only=True) if row[1] == TOWNSHIP)
    assert sheet.cell(row=4, column=2).number_format == "@" and township[2] == 2
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(report_pdf(report, authority="开江县民政局"))).pages
    )
    assert "最低生活保障统计月报（2026年03月）" in text.replace(" ", "")
    assert "1,500.00" in text and "300.00" in text and "900.00" in text


def test_the_categories_are_the_rule_applied_to_the_members(regions):  # type: ignore[no-untyped-def]
    """The build counts categories in SQL; they must be what `rules.categories_on` says of the same
    members on the month's last day (a member who left, died or lives elsewhere included)."""
    county = build_county(regions)
    a1 = county.households["A1"]
    child = Person.objects.get(household=a1, relation="child")
    MembershipPeriod.objects.filter(person=child).update(ended_on=datetime.date(2026, 3, 31))  # left on the last day
    Person.objects.create(
        household=a1, relation="parent", name="甲父", name_initials="X", sex="male",
        birth_date=datetime.date(1930, 1, 1), death_date=datetime.date(2026, 3, 15),
    )  # fmt: skip
    away = Person.objects.create(
        household=a1, relation="child", name="甲女", name_initials="X", sex="female",
        birth_date=datetime.date(2008, 3, 31), is_co_resident=False,
    )  # fmt: skip
    for person in Person.objects.filter(household=a1).exclude(pk=child.pk):
        MembershipPeriod.objects.get_or_create(
            person=person, household=a1, defaults={"relation": person.relation, "started_on": person.birth_date}
        )
    Person.objects.filter(pk=a1.head_id).update(work_ability="none", supporter="unable")  # 三无
    snapshot = _build(county)
    row = SnapshotCase.objects.get(snapshot=snapshot, household=a1)
    members = [
        MemberFacts(
            birth_date=p.birth_date,
            joined_on=m.started_on,
            left_on=m.ended_on,
            died_on=p.death_date,
            co_resident=p.is_co_resident,
            disabled=p.disability_grade is not None,
            work_ability=p.work_ability,
            supporter=p.supporter,
            has_living_income=IncomeItem.objects.filter(
                person=p, monthly_amount_fen__gt=0, recorded_on__lte=datetime.date(2026, 3, 31)
            )
            .exclude(kind__in=NOT_A_LIVING)
            .exists(),
        )
        for m in MembershipPeriod.objects.filter(household=a1).select_related("person")
        for p in [m.person]
    ]
    expected = categories_on(members, datetime.date(2026, 3, 31))
    assert (row.elderly, row.minors, row.working_age, row.disabled, row.three_no) == (
        expected.elderly, expected.minors, expected.working_age, expected.disabled, expected.three_no,
    )  # fmt: skip
    assert expected == Categories(
        elderly=1, minors=0, working_age=1, disabled=1, three_no=1
    )  # the head and the spouse only
    assert away.pk


def test_birthdays_on_the_last_day_and_on_29_february():
    assert born_by(datetime.date(2026, 3, 31), 60) == datetime.date(1966, 3, 31)
    assert born_by(datetime.date(2024, 2, 29), 60) == datetime.date(1964, 2, 29)
    assert born_by(datetime.date(2024, 2, 29), 18) == datetime.date(2006, 2, 28)
    assert age_on(datetime.date(2006, 2, 28), datetime.date(2024, 2, 29)) == 18
    assert age_on(datetime.date(2006, 3, 1), datetime.date(2024, 2, 29)) == 17


def test_a_monthly_build_from_cron_runs_as_a_job_without_a_user(regions):  # type: ignore[no-untyped-def]
    build_county(regions)
    out = io.StringIO()
    call_command(
        "job", "reports.snapshot_build", "--param", f"region_code={COUNTY}", "--param", "month=2026-03-01",
        "--param", "reason=每月1日自动生成", "--no-wait", stdout=out,
    )  # fmt: skip
    work_the_queue()
    snapshot = MonthSnapshot.objects.get()
    assert snapshot.status == SnapshotStatus.READY and snapshot.built_by is None and snapshot.job_id is not None
    assert snapshot.reason == "每月1日自动生成" and "生成月末统计快照" in out.getvalue()
    assert Job.objects.get(pk=snapshot.job_id).result["cases"] == 4


def test_the_persons_of_a_change_are_those_whose_benefit_it_changed():
    assert changed_persons(2, 1) == 1  # a member died: one person less
    assert changed_persons(1, 3) == 2  # two members added
    assert changed_persons(3, 3) == 3  # the amount alone changed: all three persons' benefit


def test_the_persons_of_a_month_s_stops_and_changes_come_from_the_history():
    march, end = datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)
    granted = HistoryEntry("grant", 3, None)
    history = [granted, HistoryEntry("increase", 3, datetime.date(2026, 3, 5)), HistoryEntry("decrease", 2, end)]
    assert movement_persons(history, march, end) == (0, 1)  # 3 before the first change, 2 after the last
    stopped = [granted, HistoryEntry("decrease", 2, datetime.date(2026, 2, 9)), HistoryEntry("stop", 0, march)]
    assert movement_persons(stopped, march, end) == (2, 0)  # the persons just before the stop
    assert movement_persons(stopped, datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)) == (0, 1)
    assert movement_persons([granted], march, end) == (0, 0)
