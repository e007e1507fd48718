"""Cross-check flags in the pages: the village's queue with overdue flags marked, a flag confirmed
(a review opens with it as the reason) or dismissed (a reason is required), the report by village
and check, and a sweep started by the county."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.models import Entitlement, Review
from jiuzhu.jobs.models import Job
from jiuzhu.payments.tests.conftest import cases, clock, policy  # noqa: F401 (fixtures)
from jiuzhu.testing.builders import COUNTY, VILLAGE_A, VILLAGE_B
from jiuzhu.testing.jobs import work_the_queue
from jiuzhu.verification.models import Flag, FlagStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cases")]


def _flag(village: str, code: str = "vehicle", days: int = 30) -> Flag:
    entitlement = Entitlement.objects.filter(region__code=village).order_by("pk").first()
    assert entitlement is not None
    return Flag.objects.create(
        check_code=code, severity="medium", fingerprint=f"{code}-{entitlement.pk}-{days}",
        household_id=entitlement.household_id, entitlement=entitlement, region=entitlement.region,
        explanation="家庭成员名下登记有机动车 1 辆（川S12345），当地政策不允许。", facts={"vehicles": 1},
        due_on=timezone.localdate() + datetime.timedelta(days=days),
    )  # fmt: skip


def test_the_village_queue_confirm_and_dismiss(client_as):
    due = _flag(VILLAGE_A)
    late = _flag(VILLAGE_A, "business", days=-3)
    other = _flag(VILLAGE_B)
    coordinator = client_as("coordinator_a")
    queue = coordinator.get(reverse("web:flag-list")).content.decode()
    assert (
        reverse("web:flag-detail", args=[due.pk]) in queue and reverse("web:flag-detail", args=[other.pk]) not in queue
    )
    assert "已超期" in queue and queue.index(f"/verification/flags/{late.pk}/") < queue.index(
        f"/verification/flags/{due.pk}/"
    )
    assert coordinator.get(reverse("web:flag-detail", args=[other.pk])).status_code == 404

    refused = coordinator.post(reverse("web:flag-detail", args=[due.pk]), {"action": "dismiss", "reason": ""})
    assert refused.status_code == 400 and Flag.objects.get(pk=due.pk).status == FlagStatus.OPEN
    dismissed = coordinator.post(
        reverse("web:flag-detail", args=[due.pk]), {"action": "dismiss", "reason": "车辆已于去年过户，有过户证明"}
    )
    assert dismissed.status_code == 302 and Flag.objects.get(pk=due.pk).status == FlagStatus.DISMISSED
    event = AuditEvent.objects.get(event_type=AuditEventType.FLAG_DISMISSED)
    assert event.reason == "车辆已于去年过户，有过户证明"

    confirmed = coordinator.post(
        reverse("web:flag-detail", args=[late.pk]), {"action": "confirm", "note": "入户核实，确有经营"}
    )
    assert confirmed.status_code == 302
    late.refresh_from_db()
    assert late.status == FlagStatus.CONFIRMED and late.resolved_by.username == "coord_a"
    review = Review.objects.get(entitlement_id=late.entitlement_id)
    assert "交叉核查疑点：家庭成员有工商登记" in review.note and "入户核实，确有经营" in review.note
    again = coordinator.post(reverse("web:flag-detail", args=[late.pk]), {"action": "dismiss", "reason": "x"})
    assert again.status_code in (302, 400) and Flag.objects.get(pk=late.pk).status == FlagStatus.CONFIRMED

    report = client_as("township").get(reverse("web:flag-report"))
    rows = {(row.region_code, row.check_code): row for row, _title in report.context["rows"]}
    assert (rows[(VILLAGE_A, "vehicle")].raised, rows[(VILLAGE_A, "vehicle")].dismissed) == (1, 1)
    assert (rows[(VILLAGE_A, "business")].confirmed, rows[(VILLAGE_B, "vehicle")].open) == (1, 1)
    assert report.context["totals"]["raised"] == 3


def test_read_only_roles_see_but_do_not_answer_and_the_county_starts_a_sweep(client_as):
    flag = _flag(VILLAGE_A)
    supervisor = client_as("supervisor")
    assert supervisor.get(reverse("web:flag-detail", args=[flag.pk])).status_code == 200
    assert (
        supervisor.post(reverse("web:flag-detail", args=[flag.pk]), {"action": "dismiss", "reason": "x"}).status_code
        == 403
    )
    assert Flag.objects.get(pk=flag.pk).status == FlagStatus.OPEN
    assert client_as("township").post(reverse("web:sweep-start"), {"region": COUNTY}).status_code == 403
    officer = client_as("county_officer")
    started = officer.post(reverse("web:sweep-start"), {"region": COUNTY})
    job = Job.objects.get(kind="verification.sweep")
    assert started.url == reverse("web:job-detail", args=[job.pk])
    work_the_queue()
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["cases"] == 7


def test_the_queue_exports_to_xlsx_with_formulas_neutralised(client_as):
    flag = _flag(VILLAGE_A)
    Flag.objects.filter(pk=flag.pk).update(explanation='=HYPERLINK("http://x","点击")')
    _flag(VILLAGE_B)
    response = client_as("coordinator_a").get(reverse("web:flag-export") + "?status=open")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0][:3] == ["地区", "户主", "核查规则"]
    assert len(rows) == 2  # the header and village A's one flag
    assert rows[1][0] == "凤凰村" and rows[1][2] == "家庭成员名下有机动车"
    assert rows[1][4] == '\'=HYPERLINK("http://x","点击")'


def test_a_second_finding_on_a_case_joins_the_review_the_first_opened(client_as):
    first = _flag(VILLAGE_A)
    second = _flag(VILLAGE_A, "business")
    coordinator = client_as("coordinator_a")
    for flag in (first, second):
        response = coordinator.post(reverse("web:flag-detail", args=[flag.pk]), {"action": "confirm", "note": ""})
        assert response.status_code == 302
    review = Review.objects.get(entitlement_id=first.entitlement_id)
    assert "家庭成员名下有机动车" in review.note and "家庭成员有工商登记" in review.note
    assert set(Flag.objects.values_list("status", flat=True)) == {FlagStatus.CONFIRMED}
