"""Edge households (低保边缘家庭): recognition from a fresh assessment, refusals with their reasons,
ending, the register's days of force, and their line in the month-end snapshot and the report."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command

from jiuzhu.accounts.roles import Role
from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.models import Entitlement
from jiuzhu.common.exceptions import (
    ConflictError,
    NotFoundOrNoAccess,
    PermissionDeniedError,
    RuleViolation,
    ValidationFailed,
)
from jiuzhu.jobs.models import Job
from jiuzhu.lowincome.choices import NearPoorEndReason, NearPoorState
from jiuzhu.lowincome.models import NearPoorHousehold
from jiuzhu.lowincome.rules import in_force_on, valid_until
from jiuzhu.lowincome.selectors import near_poor_list, state_of
from jiuzhu.lowincome.services.near_poor import near_poor_end, near_poor_end_on_dibao, near_poor_recognise
from jiuzhu.programs.models import Program
from jiuzhu.registry.models import Household, IncomeItem, MembershipPeriod, Person
from jiuzhu.reports.documents import report_xlsx
from jiuzhu.reports.models import SnapshotCase
from jiuzhu.reports.selectors import monthly_report, snapshot_cases
from jiuzhu.reports.services.snapshots import snapshot_build
from jiuzhu.reports.summary import work_summary
from jiuzhu.reports.summary_documents import summary_text
from jiuzhu.reports.tests.fixtures import County, _case, _household, build_county
from jiuzhu.testing.builders import COMMUNITY, COUNTY, TOWNSHIP, VILLAGE_A, VILLAGE_B, make_user
from jiuzhu.testing.jobs import work_the_queue

OTHER_TOWNSHIP = "511723106"

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 28)
MARCH_10 = datetime.date(2026, 3, 10)


def _family(county: County, name: str, per_capita_yuan: int, region: str = VILLAGE_B) -> int:
    """A rural family of two (a head born 1945 with no work ability and no supporter, a son born
    1985) whose only income is the son's wages: `per_capita_yuan` a person a month."""
    household = _household(
        county.actor, county.regions[region], name,
        [("head", datetime.date(1945, 1, 1), None), ("child", datetime.date(1985, 1, 1), None)],
    )  # fmt: skip
    son = Person.objects.get(household=household, relation="child")
    IncomeItem.objects.create(
        household=household, person=son, kind="wages", monthly_amount_fen=per_capita_yuan * 2 * 100,
        recorded_on=datetime.date(2026, 1, 5),
    )  # fmt: skip
    return household.pk


def test_the_register_rules_are_plain_dates():
    assert valid_until(datetime.date(2026, 3, 10), 12) == datetime.date(2027, 3, 9)
    assert valid_until(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)  # no 31 Feb: to the month's end
    assert valid_until(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
    assert valid_until(datetime.date(2026, 2, 28), 1) == datetime.date(2026, 3, 27)
    kwargs = {"recognised_on": MARCH_10, "until": datetime.date(2027, 3, 9), "ended_on": datetime.date(2026, 5, 20)}
    assert not in_force_on(datetime.date(2026, 3, 9), **kwargs)
    assert in_force_on(MARCH_10, **kwargs) and in_force_on(datetime.date(2026, 5, 19), **kwargs)
    assert not in_force_on(datetime.date(2026, 5, 20), **kwargs)  # ended that day
    assert not in_force_on(datetime.date(2027, 3, 10), **(kwargs | {"ended_on": None}))


def test_a_family_between_the_standard_and_the_edge_line_is_recognised(regions):  # type: ignore[no-untyped-def]
    """The county's rural standard is 800 yuan, the edge line 1.5 × = 1,200 yuan."""
    county = build_county(regions)
    household = _family(county, "戊", 1000)
    row = near_poor_recognise(
        actor=county.actor, household_id=household, recognised_on=MARCH_10, reason="低保申请核对后认定", today=TODAY
    )
    assert (row.per_capita_income_fen, row.standard_fen, row.line_fen) == (100_000, 80_000, 120_000)
    assert row.member_count == 2 and row.program.code == "dibao_rural" and row.region.code == VILLAGE_B
    assert row.valid_until == datetime.date(2027, 3, 9) and row.assessment["is_near_poor"] is True
    event = AuditEvent.objects.get(event_type=AuditEventType.NEAR_POOR_RECOGNISED)
    assert event.subject_id == row.pk and event.region_code == VILLAGE_B and event.actor == county.actor
    assert event.after["per_capita_income_fen"] == 100_000

    with pytest.raises(RuleViolation, match="已认定为低保边缘家庭（2026年03月10日至2027年03月09日）"):
        near_poor_recognise(
            actor=county.actor, household_id=household, recognised_on=TODAY, reason="重复", today=TODAY
        )  # fmt: skip
    rows = near_poor_list(actor=county.actor, state=NearPoorState.IN_FORCE, on=TODAY)
    assert [r.pk for r in rows] == [row.pk] and state_of(row, TODAY) == NearPoorState.IN_FORCE
    assert state_of(row, datetime.date(2027, 3, 10)) == NearPoorState.EXPIRED


@pytest.mark.parametrize(
    ("per_capita", "message"),
    [
        (700, "低于低保标准800.00元，符合低保条件，应按低保申请办理"),
        (1200, "不低于低保边缘家庭收入上限1,200.00元"),
    ],
)
def test_a_family_outside_the_band_is_refused_with_its_figures(regions, per_capita, message):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    household = _family(county, "己", per_capita)
    with pytest.raises(RuleViolation, match=message):
        near_poor_recognise(
            actor=county.actor, household_id=household, recognised_on=MARCH_10, reason="试认定", today=TODAY
        )  # fmt: skip
    assert not AuditEvent.objects.filter(event_type=AuditEventType.NEAR_POOR_RECOGNISED).exists()


def test_who_may_recognise_and_what_is_refused(regions):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    household = _family(county, "庚", 1000)
    on_dibao = county.households["A1"].pk
    with pytest.raises(RuleViolation, match="正在享受低保"):
        near_poor_recognise(actor=county.actor, household_id=on_dibao, recognised_on=MARCH_10, reason="x", today=TODAY)
    with pytest.raises(ValidationFailed) as future:
        near_poor_recognise(
            actor=county.actor, household_id=household, recognised_on=TODAY + datetime.timedelta(days=1), reason="x",
            today=TODAY,
        )  # fmt: skip
    assert "认定日期不能晚于今天" in str(future.value.field_errors["recognised_on"])
    with pytest.raises(ValidationFailed):
        near_poor_recognise(actor=county.actor, household_id=household, recognised_on=MARCH_10, reason=" ", today=TODAY)
    coordinator = make_user("np_coordinator", Role.COORDINATOR, regions[VILLAGE_B])
    with pytest.raises(PermissionDeniedError):
        near_poor_recognise(actor=coordinator, household_id=household, recognised_on=MARCH_10, reason="x", today=TODAY)
    elsewhere = make_user("np_other_approver", Role.COUNTY_APPROVER, regions[OTHER_TOWNSHIP])
    with pytest.raises(NotFoundOrNoAccess):
        near_poor_recognise(actor=elsewhere, household_id=household, recognised_on=MARCH_10, reason="x", today=TODAY)
    township_officer = make_user("np_township", Role.TOWNSHIP_OFFICER, regions[TOWNSHIP])
    with pytest.raises(PermissionDeniedError):
        near_poor_recognise(
            actor=township_officer, household_id=household, recognised_on=MARCH_10, reason="x", today=TODAY
        )  # fmt: skip
    assert near_poor_list(actor=township_officer, on=TODAY).count() == 0


def test_ending_a_recognition_is_checked_and_audited(regions):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    row = near_poor_recognise(
        actor=county.actor, household_id=_family(county, "辛", 1000), recognised_on=MARCH_10, reason="认定",
        today=TODAY,
    )  # fmt: skip
    with pytest.raises(ConflictError):
        near_poor_end(
            actor=county.actor, recognition_id=row.pk, expected_version=row.version + 1,
            ended_on=datetime.date(2026, 5, 20), end_reason=NearPoorEndReason.INCOME_ROSE, today=TODAY,
        )  # fmt: skip
    with pytest.raises(ValidationFailed) as early:
        near_poor_end(
            actor=county.actor, recognition_id=row.pk, expected_version=row.version,
            ended_on=datetime.date(2026, 3, 1), end_reason=NearPoorEndReason.INCOME_ROSE, today=TODAY,
        )  # fmt: skip
    assert "不能早于认定日期" in str(early.value.field_errors["ended_on"])
    with pytest.raises(ValidationFailed) as other:
        near_poor_end(
            actor=county.actor, recognition_id=row.pk, expected_version=row.version,
            ended_on=datetime.date(2026, 5, 20), end_reason=NearPoorEndReason.OTHER, today=TODAY,
        )  # fmt: skip
    assert "note" in other.value.field_errors
    ended = near_poor_end(
        actor=county.actor, recognition_id=row.pk, expected_version=row.version,
        ended_on=datetime.date(2026, 5, 20), end_reason=NearPoorEndReason.INCOME_ROSE, note="儿子工资上涨", today=TODAY,
    )  # fmt: skip
    assert ended.version == row.version + 1 and ended.ended_by == county.actor
    event = AuditEvent.objects.get(event_type=AuditEventType.NEAR_POOR_ENDED)
    assert event.before["ended_on"] is None and event.after["ended_on"] == "2026-05-20"
    assert event.reason == "儿子工资上涨"
    with pytest.raises(RuleViolation, match="已于2026年05月20日退出"):
        near_poor_end(
            actor=county.actor, recognition_id=row.pk, expected_version=ended.version,
            ended_on=datetime.date(2026, 6, 1), end_reason=NearPoorEndReason.MOVED, today=TODAY,
        )  # fmt: skip


def _edge_line(county: County, month: datetime.date) -> tuple[object, object]:
    snapshot = snapshot_build(actor=county.actor, region_code=COUNTY, month=month, today=TODAY)
    report = monthly_report(actor=county.actor, region_code=COUNTY, month=month)
    return snapshot, report.total.figures("near_poor_rural")


def test_edge_households_are_counted_by_month(regions):  # type: ignore[no-untyped-def]
    """戊 (2 persons: the head is 81 and 三无) recognised on 10 March, ended on 20 May; 癸 (1 person)
    recognised on 1 April 2025, valid to 31 March 2026: in force in March, past its validity in April."""
    county = build_county(regions)
    wu = _family(county, "戊", 1000)
    head = Person.objects.get(household_id=wu, relation="head")
    Person.objects.filter(pk=head.pk).update(work_ability="none", supporter="none")
    gui = _household(county.actor, county.regions[VILLAGE_A], "癸", [("head", datetime.date(1970, 1, 1), None)])
    IncomeItem.objects.create(
        household=gui, person=gui.head, kind="wages", monthly_amount_fen=90_000, recorded_on=datetime.date(2025, 1, 1)
    )  # fmt: skip
    old = near_poor_recognise(
        actor=county.actor, household_id=gui.pk, recognised_on=datetime.date(2025, 4, 1), reason="认定", today=TODAY
    )
    assert old.valid_until == datetime.date(2026, 3, 31)
    row = near_poor_recognise(actor=county.actor, household_id=wu, recognised_on=MARCH_10, reason="认定", today=TODAY)

    snapshot, march = _edge_line(county, datetime.date(2026, 3, 1))
    assert (march.households, march.persons, march.new_households, march.new_persons) == (2, 3, 1, 2)
    assert (march.elderly, march.working_age, march.three_no, march.amount_fen, march.paid_fen) == (1, 2, 1, 0, 0)
    assert march.stopped_households == 0
    rows = SnapshotCase.objects.filter(snapshot=snapshot, program="near_poor_rural")
    assert {r.near_poor_id for r in rows} == {row.pk, old.pk} and all(r.application_id is None for r in rows)
    # The benefits' figures do not take the register in.
    benefit = monthly_report(actor=county.actor, region_code=COUNTY, month=datetime.date(2026, 3, 1))
    assert benefit.total.figures("dibao_rural").households == 2
    listing = snapshot_cases(actor=county.actor, snapshot_id=snapshot.pk, program="near_poor_rural", figure="three_no")
    assert [r.household_id for r in listing.rows] == [wu]
    assert wu not in {r.household_id for r in snapshot_cases(actor=county.actor, snapshot_id=snapshot.pk).rows}

    _snapshot, april = _edge_line(county, datetime.date(2026, 4, 1))
    assert (april.households, april.persons, april.stopped_households, april.stopped_persons) == (1, 2, 1, 1)

    near_poor_end(
        actor=county.actor, recognition_id=row.pk, expected_version=row.version, ended_on=datetime.date(2026, 5, 20),
        end_reason=NearPoorEndReason.INCOME_ROSE, today=TODAY,
    )  # fmt: skip
    _snapshot, may = _edge_line(county, datetime.date(2026, 5, 1))
    assert (may.households, may.stopped_households, may.stopped_persons) == (0, 1, 2)
    report = monthly_report(actor=county.actor, region_code=COUNTY, month=datetime.date(2026, 5, 1))
    year = report.total.to_date("near_poor_rural")
    assert (year.new_households, year.new_persons, year.stopped_households, year.stopped_persons) == (1, 2, 2, 3)

    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report)))
    sheet = book["农村低保边缘家庭"]
    headers = [c.value for c in sheet[3]]
    assert "本月退出（户）" in headers and "月保障金（元）" not in headers
    total = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "合计")
    assert dict(zip(headers, total, strict=False))["本年新认定（人）"] == 2


def test_three_no_members_follow_their_facts(regions):  # type: ignore[no-untyped-def]
    """A1's head (76, no work ability, no supporter) is 三无 until he has an income of his own;
    the assistance he receives is not one."""
    county = build_county(regions)
    a1 = county.households["A1"]
    Person.objects.filter(pk=a1.head_id).update(work_ability="none", supporter="none")
    march = datetime.date(2026, 3, 1)

    def three_no() -> int:
        snapshot = snapshot_build(actor=county.actor, region_code=COUNTY, month=march, today=TODAY)
        return SnapshotCase.objects.get(snapshot=snapshot, household=a1).three_no

    assert three_no() == 1
    IncomeItem.objects.create(
        household=a1, person_id=a1.head_id, kind="assistance", monthly_amount_fen=30_000, recorded_on=march
    )
    assert three_no() == 1
    Person.objects.filter(pk=a1.head_id).update(supporter="able")
    assert three_no() == 0
    Person.objects.filter(pk=a1.head_id).update(supporter="unable")
    pension = IncomeItem.objects.create(
        household=a1, person_id=a1.head_id, kind="pension", monthly_amount_fen=20_000, recorded_on=march
    )
    assert three_no() == 0
    pension.delete()
    assert three_no() == 1
    assert MembershipPeriod.objects.filter(household=a1).count() == 3


def test_the_work_summary_names_the_edge_households_and_not_their_villages_as_boards(regions):  # type: ignore[no-untyped-def]
    """癸, recognised in April 2025 in the community (which has no dibao case), is on the roll at the
    end of 2025; the county's notice boards stay those of the villages with dibao households."""
    county = build_county(regions)
    gui = _household(county.actor, county.regions[COMMUNITY], "癸", [("head", datetime.date(1970, 1, 1), None)])
    IncomeItem.objects.create(
        household=gui, person=gui.head, kind="wages", monthly_amount_fen=90_000, recorded_on=datetime.date(2025, 1, 1)
    )  # fmt: skip
    near_poor_recognise(
        actor=county.actor, household_id=gui.pk, recognised_on=datetime.date(2025, 4, 1), reason="认定", today=TODAY
    )
    for month in (datetime.date(2025, 12, 1), datetime.date(2026, 1, 1)):
        snapshot_build(actor=county.actor, region_code=COUNTY, month=month, today=TODAY)
    summary = work_summary(actor=county.actor, region_code=COUNTY, year=2025)
    text = summary_text(summary)
    assert "年末全县认定低保边缘家庭农村1户1人" in text
    assert "设置公示栏3处" in text  # A1's village A, B1's village B, O1's village: not the community
    assert any("near_poor_rural" in note.text for note in summary.notes)


def test_a_backdated_recognition_may_not_overlap_and_an_expired_one_is_not_ended(regions):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    household = _family(county, "壬", 1000)
    row = near_poor_recognise(
        actor=county.actor, household_id=household, recognised_on=MARCH_10, reason="认定", today=TODAY
    )  # fmt: skip
    with pytest.raises(RuleViolation, match="有效期重叠"):  # February: its year would cover March on
        near_poor_recognise(
            actor=county.actor, household_id=household, recognised_on=datetime.date(2026, 2, 1), reason="补认定",
            today=TODAY,
        )  # fmt: skip
    with pytest.raises(ValidationFailed) as late:
        near_poor_end(
            actor=county.actor, recognition_id=row.pk, expected_version=row.version,
            ended_on=datetime.date(2027, 3, 10), end_reason=NearPoorEndReason.MOVED,
            today=datetime.date(2027, 5, 1),
        )  # fmt: skip
    assert "期满即失效" in str(late.value.field_errors["ended_on"])
    ended = near_poor_end(
        actor=county.actor, recognition_id=row.pk, expected_version=row.version, ended_on=datetime.date(2026, 6, 1),
        end_reason=NearPoorEndReason.INCOME_ROSE, today=TODAY,
    )  # fmt: skip
    again = near_poor_recognise(  # after the end, a new recognition may start
        actor=county.actor, household_id=household, recognised_on=datetime.date(2026, 6, 1), reason="再次认定",
        today=TODAY,
    )  # fmt: skip
    assert ended.ended_on == again.recognised_on
    assert NearPoorHousehold.objects.filter(household_id=household).count() == 2


def test_a_household_put_on_dibao_counts_there_only(regions):  # type: ignore[no-untyped-def]
    """A1 is on dibao in March; a recognition left over from before (made directly, as an old
    record would be) does not count it a second time as an edge household."""
    county = build_county(regions)
    a1 = county.households["A1"]
    NearPoorHousehold.objects.create(
        household=a1, region=a1.region, program=Program.objects.get(code="dibao_rural"),
        recognised_on=datetime.date(2025, 6, 1), valid_until=datetime.date(2026, 5, 31), member_count=3,
        per_capita_income_fen=90_000, standard_fen=80_000, line_fen=120_000, reason="旧认定",
        recognised_by=county.actor,
    )  # fmt: skip
    # B1's benefit is stopped from April: a recognition backdated to March falls in a month it was paid.
    Entitlement.objects.filter(pk=county.entitlements["B1"].pk).update(status="stopped")
    with pytest.raises(RuleViolation, match="正在享受低保"):
        near_poor_recognise(
            actor=county.actor, household_id=county.households["B1"].pk, recognised_on=datetime.date(2026, 3, 25),
            reason="x", today=TODAY,
        )  # fmt: skip
    _snapshot, march = _edge_line(county, datetime.date(2026, 3, 1))
    assert march.households == 0 and march.persons == 0


def test_a_renewal_without_a_gap_is_neither_new_nor_an_exit(regions):  # type: ignore[no-untyped-def]
    """癸's recognition runs to 31 March 2026 and is renewed from 1 April: April counts him in force,
    not recognised anew and not exited; 戊's, run out on 31 March and not renewed, is an exit."""
    county = build_county(regions)
    gui = _household(county.actor, county.regions[VILLAGE_A], "癸", [("head", datetime.date(1970, 1, 1), None)])
    IncomeItem.objects.create(
        household=gui, person=gui.head, kind="wages", monthly_amount_fen=90_000, recorded_on=datetime.date(2025, 1, 1)
    )  # fmt: skip
    wu = _family(county, "戊", 1000)
    IncomeItem.objects.filter(household_id=wu).update(recorded_on=datetime.date(2025, 1, 1))
    first = near_poor_recognise(
        actor=county.actor, household_id=gui.pk, recognised_on=datetime.date(2025, 4, 1), reason="认定", today=TODAY
    )
    near_poor_recognise(
        actor=county.actor, household_id=wu, recognised_on=datetime.date(2025, 4, 1), reason="认定", today=TODAY
    )
    renewal = near_poor_recognise(
        actor=county.actor, household_id=gui.pk, recognised_on=datetime.date(2026, 4, 1), reason="年度复核续期",
        today=TODAY,
    )  # fmt: skip
    assert renewal.renews == first
    event = AuditEvent.objects.filter(event_type=AuditEventType.NEAR_POOR_RECOGNISED).latest("pk")
    assert event.after["renews"] == first.pk
    _snapshot, april = _edge_line(county, datetime.date(2026, 4, 1))
    assert (april.households, april.new_households, april.stopped_households, april.stopped_persons) == (1, 0, 1, 2)


def test_households_put_on_dibao_have_their_recognition_ended_from_the_first_month(regions):  # type: ignore[no-untyped-def]
    """戊, recognised on 10 March, is approved for dibao on 20 April from May: the monthly job ends the
    recognition from 1 May (not before May comes), once, with the reason and without a user."""
    county = build_county(regions)
    wu = _family(county, "戊", 1000)
    row = near_poor_recognise(actor=county.actor, household_id=wu, recognised_on=MARCH_10, reason="认定", today=TODAY)
    _case(
        county.actor, Household.objects.get(pk=wu), "dibao_rural", datetime.date(2026, 4, 20), 2, 30_000,
        datetime.date(2026, 5, 1),
    )  # fmt: skip
    assert near_poor_end_on_dibao(actor=None, region_code=COUNTY, today=datetime.date(2026, 4, 25)) == 0
    coordinator = make_user("np_coord_job", Role.COORDINATOR, regions[VILLAGE_B])
    with pytest.raises(PermissionDeniedError):
        near_poor_end_on_dibao(actor=coordinator, region_code=VILLAGE_B, today=TODAY)

    out = io.StringIO()
    call_command("job", "lowincome.end_on_dibao", "--param", f"region_code={COUNTY}", "--no-wait", stdout=out)
    work_the_queue()
    assert Job.objects.get(kind="lowincome.end_on_dibao").result == {"ended": 1}
    row.refresh_from_db()
    assert (row.ended_on, row.end_reason, row.ended_by) == (datetime.date(2026, 5, 1), "on_dibao", None)
    event = AuditEvent.objects.get(event_type=AuditEventType.NEAR_POOR_ENDED)
    assert event.actor is None and "已纳入农村最低生活保障" in event.reason
    assert near_poor_end_on_dibao(actor=county.actor, region_code=COUNTY, today=TODAY) == 0  # once
