"""The township's list work pages (批量办理): the village notice list, forwarding after the notices, the
long-term publication, and the printed notice lists. Cases are brought to the step through the real services
(`Flow`); the batches are then taken through the pages."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from jiuzhu.accounts.roles import Role
from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.choices import ApplicationStatus, NoticeStageKind
from jiuzhu.cases.models import Application, Entitlement, PublicNotice, StatusChange
from jiuzhu.cases.services.investigation import application_mark_special
from jiuzhu.cases.tests.conftest import START, Flow, at, make_policy
from jiuzhu.testing.builders import OTHER_TOWNSHIP_VILLAGE, VILLAGE_A, VILLAGE_B, make_household, make_user, person
from jiuzhu.web.tests.case_pages import case_url, opened_form
from jiuzhu.web.tests.html import page_html, text_near_field

pytestmark = pytest.mark.django_db

NOTICES = reverse("web:case-batch", kwargs={"step": "notice_start"})
FORWARD = reverse("web:case-batch", kwargs={"step": "forward"})
PUBLISH = reverse("web:case-batch", kwargs={"step": "publish"})
OTHER_TOWNSHIP = "511723106"


@pytest.fixture(autouse=True)
def clock() -> Iterator[Any]:
    with time_machine.travel(at(START), tick=False) as traveller:
        yield traveller


def _opinion_given(flow: Flow, coordinator: str, township: str = "township") -> Application:
    flow.submit(actor_key=coordinator)
    flow.accept(actor_key=township)
    flow.request_verification(actor_key=township)
    flow.visit(actor_key=coordinator, investigators=(coordinator, township))
    flow.verification_result()
    flow.opinion(actor_key=township)
    return flow.refresh()


@pytest.fixture
def two(clock, world) -> tuple[Flow, Flow]:  # type: ignore[no-untyped-def]
    """household_a (village A) and household_b (village B), each with an agreeing township opinion."""
    make_policy(world.users)
    a, b = Flow(world, clock), Flow(world, clock, household=world.household_b)
    _opinion_given(a, "coordinator_a")
    _opinion_given(b, "coordinator_b")
    return a, b


@pytest.fixture
def elsewhere(clock, world, regions) -> Flow:  # type: ignore[no-untyped-def]
    """A case of another township (甘棠镇), also waiting for its notice, and that township's officer."""
    world.users["township_other"] = make_user("township_other", Role.TOWNSHIP_OFFICER, regions[OTHER_TOWNSHIP])
    household = make_household(world.users["coordinator_other"], regions[OTHER_TOWNSHIP_VILLAGE], person("孙七"))
    flow = Flow(world, clock, household=household)
    _opinion_given(flow, "coordinator_other", "township_other")
    return flow


def _picks(*flows: Flow) -> list[str]:
    return [f"{f.app.pk}:{f.v}" for f in flows]


def _listed(response: Any) -> list[int]:
    return [row.application.pk for row in response.context["rows"]]


def _untouched(flow: Flow, status: str, version: int) -> bool:
    app = flow.refresh()
    return app.status == status and app.version == version


# --- The list ---------------------------------------------------------------------------------------------


def test_the_notice_page_lists_the_cases_waiting_for_their_notice_in_the_jurisdiction(client_as, world, two, elsewhere):
    a, b = two
    waiting = Flow(world, a.clock, household=make_household(world.users["coordinator_a"], a.household.region))
    waiting.submit()  # not yet investigated: not on the list
    township = client_as("township")
    response = township.get(NOTICES)
    assert response.status_code == 200
    assert _listed(response) == [a.app.pk, b.app.pk]  # by village
    html = page_html(response)
    assert 'data-select-all="applications"' in html and f'value="{a.app.pk}:{a.v}"' in html
    assert "张三" in html and "王五" in html and "孙七" not in html
    notice_days = a.app.clock_limits["notice_days"]
    assert response.context["rows"][0].notice_ends_on == START + datetime.timedelta(days=notice_days)
    assert _listed(township.get(NOTICES, {"region": VILLAGE_B})) == [b.app.pk]
    assert _listed(township.get(NOTICES, {"region": OTHER_TOWNSHIP_VILLAGE})) == [a.app.pk, b.app.pk]  # ignored
    assert _listed(township.get(FORWARD)) == [] and _listed(township.get(PUBLISH)) == []
    assert _listed(client_as("township_other").get(NOTICES)) == [elsewhere.app.pk]


def test_the_list_page_query_count_does_not_grow_with_rows(client_as, world, two, django_assert_max_num_queries):
    township = client_as("township")
    township.get(NOTICES)
    with django_assert_max_num_queries(10):
        assert len(township.get(NOTICES).context["rows"]) == 2


# --- Taking the step -----------------------------------------------------------------------------------------


def test_a_township_officer_posts_the_notice_list_for_two_villages(client_as, world, two):
    a, b = two
    township = client_as("township")
    response = township.post(NOTICES, {**opened_form(township, NOTICES), "applications": _picks(a, b)})
    assert response.status_code == 200
    html = page_html(response)
    assert "已开始公示 2 件。" in html and "所选申请均已办理。" in html
    for flow in (a, b):
        app = flow.refresh()
        assert app.status == ApplicationStatus.IN_NOTICE
        assert app.notices.get(stage=NoticeStageKind.VILLAGE_NOTICE).starts_on == START
    lists = response.context["printable"]
    assert [(link.region_name, link.count) for link in lists] == [("凤凰村", 1), ("石桥村", 1)]

    pdf = township.get(lists[0].url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    printed = AuditEvent.objects.filter(event_type=AuditEventType.APPLICATION_DOCUMENT_PRINTED)
    assert [(e.subject_id, e.after["document"]) for e in printed] == [(a.app.pk, "公示名单")]
    # The running notice of a village is offered for printing on the notice page as well.
    running = township.get(NOTICES, {"region": VILLAGE_A}).context["running_lists"]
    assert [link.url for link in running] == [lists[0].url]
    assert _listed(township.get(NOTICES)) == []


def test_a_stale_version_is_skipped_with_its_reason_and_nothing_changes_for_it(client_as, world, two):
    a, b = two
    township = client_as("township")
    form = opened_form(township, NOTICES)
    picks = _picks(a, b)
    application_mark_special(
        actor=world.users["township"], application_id=a.app.pk, expected_version=a.v, reason="人户分离"
    )
    version = a.v
    response = township.post(NOTICES, {**form, "applications": picks})
    assert response.status_code == 200
    html = page_html(response)
    assert "已开始公示 1 件。" in html
    [skipped] = response.context["skipped"]
    assert skipped.application_id == a.app.pk and "已被他人修改" in skipped.reason
    assert skipped.reason in html and case_url(a.app) in html
    assert _untouched(a, ApplicationStatus.OPINION_GIVEN, version)
    assert not PublicNotice.objects.filter(application=a.app).exists()
    assert not StatusChange.objects.filter(application=a.app, step="notice_start").exists()
    assert b.refresh().status == ApplicationStatus.IN_NOTICE


def test_forwarding_waits_for_the_end_of_the_notice_and_publication_puts_the_benefit_in_force(client_as, world, two):
    a, b = two
    township = client_as("township")
    township.post(NOTICES, {**opened_form(township, NOTICES), "applications": _picks(a, b)})
    running = township.get(FORWARD)
    assert _listed(running) == [a.app.pk, b.app.pk]
    assert [row.is_ready for row in running.context["rows"]] == [False, False]
    assert 'name="applications"' not in page_html(running) and "公示中" in page_html(running)

    ends_on = a.app.notices.get().ends_on
    a.travel(ends_on + datetime.timedelta(days=1))
    township = client_as("township")  # the session has expired meanwhile
    assert [row.is_ready for row in township.get(FORWARD).context["rows"]] == [True, True]
    forwarded = township.post(FORWARD, {**opened_form(township, FORWARD), "applications": _picks(a, b)})
    assert "已报送 2 件。" in page_html(forwarded) and not forwarded.context["printable"]
    assert a.refresh().status == b.refresh().status == ApplicationStatus.AWAITING_DECISION

    decisions = {flow.app.pk: flow.approve() for flow in (a, b)}
    listed = township.get(PUBLISH)
    assert [row.monthly_amount_fen for row in listed.context["rows"]] == [
        decisions[a.app.pk].monthly_amount_fen,
        decisions[b.app.pk].monthly_amount_fen,
    ]
    published = township.post(PUBLISH, {**opened_form(township, PUBLISH), "applications": _picks(a, b)})
    assert "已长期公示 2 件，待遇已生效。" in page_html(published)
    assert Entitlement.objects.filter(application__in=[a.app, b.app]).count() == 2
    assert [link.ends_on for link in published.context["printable"]] == [None, None]
    assert township.get(published.context["printable"][1].url).status_code == 200


def test_a_future_date_or_no_selection_is_refused_on_the_form_and_nothing_changes(client_as, world, two):
    a, b = two
    township = client_as("township")
    versions = (a.v, b.v)
    tomorrow = (START + datetime.timedelta(days=1)).isoformat()
    response = township.post(
        NOTICES, {**opened_form(township, NOTICES), "applications": _picks(a, b), "starts_on": tomorrow}
    )
    assert response.status_code == 400
    assert "日期不能晚于今天。" in text_near_field(page_html(response), "starts_on")
    empty = township.post(NOTICES, opened_form(township, NOTICES))
    assert empty.status_code == 400 and "请至少选择一件申请。" in page_html(empty)
    assert _untouched(a, ApplicationStatus.OPINION_GIVEN, versions[0])
    assert _untouched(b, ApplicationStatus.OPINION_GIVEN, versions[1])


# --- Who may, and where --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator_a", "county_officer", "county_approver", "supervisor", "finance"])
def test_roles_that_never_take_these_steps_get_403_and_nothing_changes(role, client_as, world, two):
    a, b = two
    client = client_as(role)
    before = AuditEvent.objects.count()
    for url in (NOTICES, FORWARD, PUBLISH):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"applications": _picks(a, b)}).status_code == 403, url
    assert AuditEvent.objects.count() == before
    assert a.refresh().status == b.refresh().status == ApplicationStatus.OPINION_GIVEN


def test_a_case_of_another_township_is_not_listed_and_cannot_be_posted(client_as, world, two, elsewhere):
    a, _b = two
    other = client_as("township_other")
    version = a.v
    response = other.post(NOTICES, {**opened_form(other, NOTICES), "applications": _picks(a)})
    assert response.status_code == 200 and "已开始公示 0 件。" in page_html(response)
    [skipped] = response.context["skipped"]
    assert skipped.application is None and "不存在或不在您的辖区内" in skipped.reason
    assert case_url(a.app) not in page_html(response)
    assert _untouched(a, ApplicationStatus.OPINION_GIVEN, version)


def test_notice_lists_of_another_area_or_an_unknown_list_are_404(client_as, world, two):
    a, b = two
    township = client_as("township")
    response = township.post(NOTICES, {**opened_form(township, NOTICES), "applications": _picks(a, b)})
    url_a = response.context["printable"][0].url
    assert client_as("coordinator_a").get(url_a).status_code == 200  # a read: every case role of the area
    assert client_as("supervisor").get(url_a).status_code == 200
    assert client_as("coordinator_b").get(url_a).status_code == 404
    assert township.post(url_a).status_code == 405
    assert client_as("coordinator_b").post(url_a).status_code == 404
    base = reverse("web:case-batch-notice-list", kwargs={"step": "notice_start"})
    assert township.get(base).status_code == 404
    assert township.get(base, {"region": VILLAGE_A, "program": "dibao_rural", "on": "2026-06-02"}).status_code == 404
    forward_list = reverse("web:case-batch-notice-list", kwargs={"step": "forward"})
    assert township.get(url_a.replace(url_a.split("?")[0], forward_list)).status_code == 404


# --- Links --------------------------------------------------------------------------------------------------


def test_the_case_list_and_the_home_page_link_to_the_batch_pages(client_as, world, two):
    township = client_as("township")
    links = township.get(reverse("web:case-list")).context["batch_links"]
    assert [(link.url, link.count) for link in links] == [(NOTICES, 2), (FORWARD, 0), (PUBLISH, 0)]
    assert NOTICES in page_html(township.get(reverse("web:case-list")))
    home = {s.key: s for s in township.get(reverse("web:home")).context["sections"]}
    assert [item.url for item in home["batch_work"].items] == [NOTICES]
    assert client_as("coordinator_a").get(reverse("web:case-list")).context["batch_links"] == []
    coordinator_home = {s.key for s in client_as("coordinator_a").get(reverse("web:home")).context["sections"]}
    assert "batch_work" not in coordinator_home
