"""The edge-household pages: the county approver sees the assessment, recognises a household from
its file, finds it on the register and in the file's history, exports the register and ends the
recognition; others see their own area only and may not decide."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from jiuzhu.cases.choices import ApplicationStatus, DecisionOutcome
from jiuzhu.cases.models import Application, Decision
from jiuzhu.lowincome.models import NearPoorHousehold
from jiuzhu.lowincome.tests.test_near_poor import _family
from jiuzhu.programs.models import Program
from jiuzhu.registry.models import Household, IncomeItem, Person
from jiuzhu.reports.tests.fixtures import _case, build_county

pytestmark = pytest.mark.django_db


def test_recognise_list_export_and_end(client_as, regions, users):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    household = _family(county, "戊", 1000)  # rural standard 800, edge line 1,200
    application = Application.objects.create(
        household_id=household, region=county.regions["511723105202"], program=Program.objects.get(code="dibao_rural"),
        applicant=Person.objects.get(household_id=household, relation="head"), status=ApplicationStatus.REFUSED,
        submitted_on=datetime.date(2026, 2, 1), created_by=county.actor,
    )  # fmt: skip
    Decision.objects.create(
        application=application, outcome=DecisionOutcome.REFUSED, decided_on=datetime.date(2026, 3, 1),
        decided_by=county.actor, per_capita_income_fen=100_000, reason_codes=["income_above_standard"],
    )  # fmt: skip
    approver = client_as("county_approver")

    listing = approver.get(reverse("web:near-poor-list")).content.decode()
    candidates = listing.split('id="near-poor-candidates"')[1]
    form_url = reverse("web:near-poor-recognise", args=[household])
    assert "戊" in candidates and f"{form_url}?application={application.pk}" in candidates

    file = approver.get(reverse("web:household-file", args=[household])).content.decode()
    assert 'id="near-poor"' in file and form_url in file
    page = approver.get(form_url, {"application": application.pk}).content.decode()
    assert "1,000.00" in page and "1,200.00" in page and 'id="near-poor-ok"' in page
    done = approver.post(
        form_url, {"recognised_on": "2026-03-10", "reason": "核对报告 2026-17", "application": application.pk}
    )
    assert done.status_code == 302
    row = NearPoorHousehold.objects.get()
    assert row.application_id == application.pk and row.recognised_by == users["county_approver"]
    file = approver.get(reverse("web:household-file", args=[household])).content.decode()
    assert "核对报告 2026-17" in file and "认定低保边缘家庭" in file.split("变更历史")[1]

    again = approver.post(form_url, {"recognised_on": "2026-04-01", "reason": "重复"})
    assert again.status_code == 409 and "不能重复认定" in again.content.decode()

    listing = approver.get(reverse("web:near-poor-list")).content.decode()
    assert "戊" in listing.split('id="near-poor-list"')[1] and "戊" not in listing.split('id="near-poor-candidates"')[1]
    book = openpyxl.load_workbook(io.BytesIO(approver.get(reverse("web:export-near-poor")).content))
    sheet = book.active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(r for r in values if r and r[0] == "户主")
    data = values[values.index(header) + 1]
    record = dict(zip(header, data, strict=False))
    assert record["户主"] == "戊" and record["家庭人均月收入（元）"] == 1000 and record["状态"] == "有效"

    end_url = reverse("web:near-poor-end", args=[row.pk])
    stale = approver.post(
        end_url, {"ended_on": "2026-05-20", "end_reason": "income_rose", "expected_version": row.version + 1}
    )
    assert stale.status_code == 302 and NearPoorHousehold.objects.get().ended_on is None  # reloaded, with a message
    assert "已被他人修改" in approver.get(stale.url).content.decode()
    ended = approver.post(
        end_url, {"ended_on": "2026-05-20", "end_reason": "income_rose", "note": "", "expected_version": row.version}
    )
    assert ended.status_code == 302 and NearPoorHousehold.objects.get().ended_on == datetime.date(2026, 5, 20)


def test_others_see_their_own_area_and_may_not_decide(client_as, regions, users):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    household = _family(county, "庚", 1000)
    approver = client_as("county_approver")
    approver.post(
        reverse("web:near-poor-recognise", args=[household]), {"recognised_on": "2026-03-10", "reason": "认定"}
    )
    row = NearPoorHousehold.objects.get()

    coordinator = client_as("coordinator_b")  # the household's village
    listing = coordinator.get(reverse("web:near-poor-list")).content.decode()
    assert "庚" in listing and reverse("web:near-poor-end", args=[row.pk]) not in listing
    assert coordinator.get(reverse("web:near-poor-recognise", args=[household])).status_code == 403
    assert coordinator.post(reverse("web:near-poor-end", args=[row.pk]), {}).status_code == 403

    elsewhere = client_as("coordinator_other")
    assert "庚" not in elsewhere.get(reverse("web:near-poor-list")).content.decode()
    assert elsewhere.get(reverse("web:near-poor-end", args=[row.pk])).status_code == 404
    assert elsewhere.get(reverse("web:near-poor-recognise", args=[household])).status_code == 404
    assert NearPoorHousehold.objects.get().ended_on is None


def test_a_refusal_is_shown_on_the_form_and_keeps_what_was_typed(client_as, regions, users):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    household = _family(county, "辛", 700)  # below the standard of 800: dibao, not edge
    url = reverse("web:near-poor-recognise", args=[household])
    page = client_as("county_approver").get(url).content.decode()
    assert 'id="near-poor-problems"' in page and "符合低保条件" in page
    refused = client_as("county_approver").post(url, {"recognised_on": "2026-03-10", "reason": "村里推荐的家庭"})
    html = refused.content.decode()
    assert refused.status_code == 409 and "应按低保申请办理" in html and "村里推荐的家庭" in html
    assert not NearPoorHousehold.objects.exists()


def test_an_expired_recognition_offers_its_renewal_from_the_next_day(client_as, regions, users):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    household = _family(county, "癸", 1000)
    IncomeItem.objects.filter(household_id=household).update(recorded_on=datetime.date(2024, 1, 1))
    approver = client_as("county_approver")
    approver.post(
        reverse("web:near-poor-recognise", args=[household]), {"recognised_on": "2024-05-06", "reason": "认定"}
    )
    row = NearPoorHousehold.objects.get()
    assert row.valid_until == datetime.date(2025, 5, 5)
    listing = approver.get(reverse("web:near-poor-list"), {"state": "expired"}).content.decode()
    link = reverse("web:near-poor-recognise", args=[household]) + "?on=2025-05-06"
    assert link in listing.replace("&amp;", "&")
    form = approver.get(link).content.decode()
    assert 'value="2025-05-06"' in form
    renewed = approver.post(link, {"recognised_on": "2025-05-06", "reason": "复核续期"})
    assert renewed.status_code == 302 and NearPoorHousehold.objects.get(recognised_on="2025-05-06").renews == row


def test_the_register_ends_the_recognitions_of_households_put_on_dibao(client_as, regions, users):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    household = _family(county, "戊", 1000)
    approver = client_as("county_approver")
    recognise = reverse("web:near-poor-recognise", args=[household])
    approver.post(recognise, {"recognised_on": "2026-03-10", "reason": "认定"})
    _case(
        county.actor, Household.objects.get(pk=household), "dibao_rural", datetime.date(2026, 4, 20), 2, 30_000,
        datetime.date(2026, 5, 1),
    )  # fmt: skip
    listing = approver.get(reverse("web:near-poor-list")).content.decode()
    assert "已纳入低保" in listing.split('id="near-poor-list"')[1]
    url = reverse("web:near-poor-end-on-dibao")
    assert approver.get(url).status_code == 405
    assert client_as("coordinator_b").post(url).status_code == 403
    done = approver.post(url, follow=True)
    assert "其边缘家庭认定已退出 1 户" in done.content.decode()
    assert NearPoorHousehold.objects.get().end_reason == "on_dibao"
