"""The dibao application pages: the list, the case file, a new application, the step pages, the household
file's benefits. Cases are driven through the real services (`Flow`) or through the pages themselves."""

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
from jiuzhu.cases.choices import ApplicationStatus
from jiuzhu.cases.models import Application, Decision, HomeVisit, StatusChange
from jiuzhu.cases.services.investigation import verification_request
from jiuzhu.cases.tests.conftest import START, Flow, at, make_policy
from jiuzhu.testing.builders import COUNTY, TOWNSHIP, VILLAGE_A, VILLAGE_B, make_household, make_user, person
from jiuzhu.web.tests.case_pages import case_url, opened_form, post_step, step_url
from jiuzhu.web.tests.html import page_html, text_near_field
from jiuzhu.web.views.case_steps import STEP_VIEWS

pytestmark = pytest.mark.django_db

LIST = reverse("web:case-list")


@pytest.fixture(autouse=True)
def clock() -> Iterator[Any]:
    """Frozen before the households are made (autouse), so their members count on the cases' dates."""
    with time_machine.travel(at(START), tick=False) as traveller:
        yield traveller


@pytest.fixture
def flow(clock, world) -> Flow:  # type: ignore[no-untyped-def]
    """household_a's application, driven through the real services; the county's dibao standard is 72 yuan."""
    make_policy(world.users)
    return Flow(world, clock)


def _state(application: Application) -> tuple[object, ...]:
    """What a refused step must leave untouched."""
    application.refresh_from_db()
    return (
        application.status,
        application.version,
        StatusChange.objects.filter(application=application).count(),
        HomeVisit.objects.filter(application=application).count(),
        Decision.objects.filter(application=application).count(),
    )


# --- The list ---------------------------------------------------------------------------------------------


def test_list_is_scoped_filtered_and_flags_overdue_steps_in_red(client_as, world, flow, clock):
    app_a = flow.submit()
    other = Flow(world, clock, household=world.household_b)
    app_b = other.submit(actor_key="coordinator_b")

    rows = client_as("coordinator_a").get(LIST).context["rows"]
    assert [r.application for r in rows] == [app_a]
    township = client_as("township")
    assert {r.application for r in township.get(LIST).context["rows"]} == {app_a, app_b}
    assert [r.application for r in township.get(LIST, {"region": VILLAGE_B}).context["rows"]] == [app_b]
    assert [r.application for r in township.get(LIST, {"q": "王五"}).context["rows"]] == [app_b]
    assert [r.application for r in township.get(LIST, {"q": "zs"}).context["rows"]] == [app_a]
    assert township.get(LIST, {"status": "in_force"}).context["rows"] == []
    assert township.get(LIST, {"overdue": "on"}).context["rows"] == []

    app_a.refresh_from_db()
    flow.travel(app_a.due_on + datetime.timedelta(days=3))
    response = client_as("township").get(LIST, {"overdue": "on"})  # a new session: the old one has expired
    late = {r.application: r.late_days for r in response.context["rows"]}
    assert late == {app_a: 3, app_b: 3}
    html = page_html(response)
    assert 'class="overdue"' in html and "超期 3 天" in html
    assert reverse("web:case-detail", args=[app_a.pk]) in html


def test_list_of_the_cases_waiting_for_me(client_as, world, flow, clock):
    incomplete = flow.submit(materials=("application_form",))  # the coordinator owes the missing materials
    household = make_household(world.users["coordinator_a"], world.regions[VILLAGE_A], person("李四"))
    submitted = Flow(world, clock, household=household).submit()  # the township owes the acceptance
    mine = {"mine": "on"}
    assert [r.application for r in client_as("coordinator_a").get(LIST, mine).context["rows"]] == [incomplete]
    township = {r.application for r in client_as("township").get(LIST, mine).context["rows"]}
    assert township == {incomplete, submitted}  # the township takes applications too
    assert client_as("county_approver").get(LIST, mine).context["rows"] == []
    assert len(client_as("county_approver").get(LIST).context["rows"]) == 2


def test_list_query_count_does_not_grow_with_rows(client_as, world, flow, clock, django_assert_max_num_queries):
    flow.submit()
    for i in range(5):
        household = make_household(world.users["coordinator_a"], world.regions[VILLAGE_A], person(f"李{i}"))
        Flow(world, clock, household=household).submit()
    client = client_as("township")
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    assert len(response.context["rows"]) == 6


def test_list_link_is_in_the_navigation_for_case_roles(client_as, world):
    assert LIST in page_html(client_as("supervisor").get(reverse("web:home")))
    assert client_as("finance").get(LIST).status_code == 200


# --- The case page -----------------------------------------------------------------------------------------


def test_case_page_shows_next_step_owner_and_only_the_actions_of_each_role(client_as, flow):
    flow.submit()
    app = flow.accept()
    response = client_as("township").get(case_url(app))
    html = page_html(response)
    assert f"低保申请 #{app.pk}" in html
    assert "提请经济状况核对（村（社区）协理员、乡镇（街道）经办人、县级经办人）" in html
    township_steps = [a.step for a in response.context["file"].actions]
    assert township_steps[0] == "verification_request"  # the next step comes first
    assert "township_opinion" in township_steps and "approve" not in township_steps
    assert "verification_result" not in township_steps  # nothing is waiting for a result yet

    coordinator_steps = [a.step for a in client_as("coordinator_a").get(case_url(app)).context["file"].actions]
    assert coordinator_steps == ["verification_request", "home_visit", "withdraw"]
    approver_steps = [a.step for a in client_as("county_approver").get(case_url(app)).context["file"].actions]
    assert approver_steps == ["mark_special", "terminate"]
    supervisor = client_as("supervisor").get(case_url(app))
    assert supervisor.status_code == 200 and supervisor.context["file"].actions == []
    assert "您当前没有可办理的事项。" in page_html(supervisor)
    assert client_as("coordinator_b").get(case_url(app)).status_code == 404


def test_case_page_timeline_materials_and_documents(client_as, flow):
    app = flow.investigated()
    response = client_as("supervisor").get(case_url(app))
    file = response.context["file"]
    assert [c.step for c in file.timeline] == [
        "submit", "accept", "verification_request", "home_visit", "verification_result",
    ]  # fmt: skip
    html = page_html(response)
    assert '已申请，待受理<span class="arrow"> → </span>已受理，调查核实中' in html
    assert "家中无劳动力，房屋破旧" in html and "未发现财产和收入异常" in html
    assert [d.label for d in file.documents] == ["受理通知书", "入户调查表"]
    assert reverse("web:case-acceptance-pdf", args=[app.pk]) in html
    assert "诚信承诺书（签字）" in html and "缺少" not in html
    supervisor = flow.users["supervisor"]
    viewed = AuditEvent.objects.filter(event_type=AuditEventType.APPLICATION_VIEWED, subject_id=app.pk)
    assert [(e.actor_id, e.region_code) for e in viewed] == [(supervisor.pk, app.region.code)]


# --- A new application --------------------------------------------------------------------------------------


def test_new_application_with_missing_materials_gives_the_one_time_notice(client_as, world, clock):
    make_policy(world.users)
    client = client_as("coordinator_a")
    household = world.household_a
    url = reverse("web:application-create", args=[household.pk])
    page = client.get(url)
    assert page.context["form"]["program"].value() == "dibao_rural"  # rural hukou
    data = {
        "submission_token": page.context["form"]["submission_token"].value(),
        "applicant": str(household.head_id),
        "program": "dibao_rural",
        "materials": ["application_form", "id_cards"],
        "authorisation_signed_on": START.isoformat(),
        "authorisation_signers": ["张三", "李梅"],
        "applied_by_applicant": "on",
    }
    response = client.post(url, data)
    app = Application.objects.get(household=household)
    assert response.status_code == 302 and response.url == case_url(app)
    assert app.status == ApplicationStatus.MATERIALS_INCOMPLETE and app.created_by == world.users["coordinator_a"]
    html = page_html(client.get(case_url(app)))
    assert "申请材料不齐全，请一次性补齐以下材料：1. 户口簿；2. 诚信承诺书（签字）；3. 家庭收入情况说明或证明。" in html

    assert "该表单已提交，请勿重复提交。" in page_html(client.post(url, data))  # a double post
    assert Application.objects.filter(household=household).count() == 1

    done = post_step(
        client, app, "complete-materials", materials=["hukou_book", "income_proof"], promise_signed_on=START.isoformat()
    )
    assert done.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED and app.missing_materials_text == ""


def test_new_application_errors_are_shown_in_chinese_and_nothing_is_saved(client_as, world, clock):
    make_policy(world.users)
    client = client_as("coordinator_a")
    url = reverse("web:application-create", args=[world.household_a.pk])
    data = {
        **opened_form(client, url),
        "applicant": str(world.household_a.head_id),
        "program": "dibao_rural",
        "authorisation_signed_on": (START + datetime.timedelta(days=1)).isoformat(),
        "agent_name": "",
    }
    response = client.post(url, data)  # "本人申请" unticked without an agent, a signature date tomorrow
    assert response.status_code == 400
    html = page_html(response)
    assert "代为申请时须填写代申请人姓名。" in text_near_field(html, "agent_name")
    assert "请选择代申请人的身份。" in text_near_field(html, "agent_relation")
    assert not Application.objects.exists()


def test_a_second_application_while_one_is_going_is_refused_on_the_form(client_as, flow):
    flow.submit()
    client = client_as("coordinator_a")
    url = reverse("web:application-create", args=[flow.household.pk])
    data = {**opened_form(client, url), "applicant": str(flow.household.head_id), "program": "dibao_rural"}
    data["applied_by_applicant"] = "on"
    response = client.post(url, data)
    assert response.status_code == 409
    assert "该家庭已有正在办理的申请或正在享受低保，不能重复申请。" in page_html(response)
    assert Application.objects.count() == 1


# --- The whole path through the pages ----------------------------------------------------------------------------


def test_an_application_goes_from_intake_to_benefit_through_the_pages(client_as, world, flow):
    coordinator, township, approver = client_as("coordinator_a"), client_as("township"), client_as("county_approver")
    app = flow.submit()

    assert post_step(township, app, "accept").status_code == 302
    assert post_step(township, app, "verification-request").status_code == 302
    visit = post_step(
        coordinator, app, "home-visit",
        investigators=[world.users["coordinator_a"].pk, world.users["township"].pk], findings="住房破旧，无稳定收入。",
    )  # fmt: skip
    assert visit.status_code == 302
    assert post_step(township, app, "verification-result", passed="passed", notes="无异常").status_code == 302
    assert post_step(township, app, "township-opinion", agrees="agree", text="同意纳入。").status_code == 302
    assert post_step(township, app, "notice-start").status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.IN_NOTICE

    flow.travel(app.notices.get().ends_on + datetime.timedelta(days=1))
    township, approver = client_as("township"), client_as("county_approver")  # the sessions have expired
    assert post_step(township, app, "forward").status_code == 302
    approve_page = approver.get(step_url(app, "approve"))
    trial = approve_page.context["trial"]
    assert trial.eligible and trial.total_fen == 14400  # 72 yuan for each of two members without income
    assert "符合低保条件，批准后每月保障金额为 144.00 元。" in page_html(approve_page)
    done = post_step(approver, app, "approve", comment="符合条件。", first_payment_month="2026-07")
    assert done.status_code == 302 and done.url == case_url(app)
    assert "已办理“批准”。" in page_html(approver.get(done.url))
    assert post_step(township, app, "publish").status_code == 302

    app.refresh_from_db()
    assert app.status == ApplicationStatus.IN_FORCE
    case_html = page_html(township.get(case_url(app)))
    assert "144.00 元" in case_html and "新申请批准" in case_html
    file = township.get(reverse("web:household-file", args=[app.household_id]))
    benefits = file.context["benefits"]
    assert benefits.benefits[0].entitlement.monthly_amount_fen == 14400 and not benefits.can_apply
    html = page_html(file)
    assert "144.00 元" in html and "2026-07" in html and "新增" in html
    assert reverse("web:application-create", args=[app.household_id]) not in html


def test_side_step_pages_render_for_their_roles(client_as, world, flow):
    flow.submit()
    app = flow.accept()
    for slug, role in [
        ("mark-disputed", "township"), ("mark-special", "county_approver"), ("cadre-filing", "township"),
        ("appraisal", "township"), ("withdraw", "coordinator_a"), ("terminate", "township"),
        ("home-visit", "coordinator_a"),
    ]:  # fmt: skip
        response = client_as(role).get(step_url(app, slug))
        assert response.status_code == 200, slug
        assert "step-blocked" not in page_html(response), slug
    choices = dict(
        client_as("coordinator_a").get(step_url(app, "home-visit")).context["form"].fields["investigators"].choices
    )
    assert world.users["coordinator_a"].pk in choices and world.users["township"].pk in choices
    assert world.users["coordinator_b"].pk not in choices  # another village's coordinator
    assert world.users["county_approver"].pk not in choices  # approvers do not investigate

    assert post_step(client_as("township"), app, "mark-disputed", reason="邻居反映其有经营收入。").status_code == 302
    app.refresh_from_db()
    assert app.is_disputed and app.next_step == "verification_request"


def test_an_objection_sends_the_case_back_for_a_new_round(client_as, flow):
    app = flow.in_notice()
    response = post_step(client_as("township"), app, "notice-objection", text="有村民反映其子女有稳定工作。")
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.INVESTIGATING and app.round == 2
    assert "有村民反映其子女有稳定工作。" in page_html(client_as("township").get(case_url(app)))


# --- Refused with a clear Chinese message, nothing changed ---------------------------------------------------------


def test_a_step_out_of_order_is_refused_with_the_reason(client_as, flow):
    app = flow.submit()
    client = client_as("township")
    page = client.get(step_url(app, "township-opinion"))
    assert "申请当前状态为“已申请，待受理”，不能进行“乡镇初审意见”。" in page_html(page)
    assert '<form method="post" class="panel"' not in page_html(page)  # no form to fill in

    before = _state(app)
    response = client.post(
        step_url(app, "township-opinion"),
        {"submission_token": "a" * 32, "expected_version": app.version, "agrees": "agree", "text": "同意"},
    )
    assert response.status_code == 409
    assert "申请当前状态为“已申请，待受理”，不能进行“乡镇初审意见”。" in page_html(response)
    assert _state(app) == before


def test_the_opinion_before_the_investigation_is_complete_names_what_is_missing(client_as, flow):
    flow.submit()
    app = flow.accept()
    before = _state(app)
    response = post_step(client_as("township"), app, "township-opinion", agrees="agree", text="经调查符合条件")
    assert response.status_code == 409
    html = page_html(response)
    assert "调查核实尚未完成，不能提出初审意见。尚缺：入户调查、提请经济状况核对。" in html
    assert "经调查符合条件</textarea>" in html  # what was typed is kept
    assert _state(app) == before


def test_a_stale_form_reports_the_conflict_and_changes_nothing(client_as, world, flow):
    flow.submit()
    app = flow.accept()
    client = client_as("coordinator_a")
    url = step_url(app, "home-visit")
    stale = opened_form(client, url)
    verification_request(actor=world.users["township"], application_id=app.pk, expected_version=flow.v)
    before = _state(app)
    investigators = [world.users["coordinator_a"].pk, world.users["township"].pk]
    response = client.post(url, {**stale, "investigators": investigators, "findings": "家中无收入。"})
    assert response.status_code == 302 and response.url == url  # the page is reloaded with fresh data
    assert "该记录已被他人修改，请刷新后重试。" in page_html(client.get(url))
    assert _state(app) == before


def test_approving_during_the_notice_and_forwarding_before_it_ends_are_refused(client_as, flow):
    app = flow.in_notice()
    before = _state(app)
    approve = post_step(client_as("county_approver"), app, "approve", comment="同意")
    assert approve.status_code == 409
    assert "申请当前状态为“村（社区）公示中”，不能进行“批准”。" in page_html(approve)
    forward = post_step(client_as("township"), app, "forward")
    assert forward.status_code == 409
    ends = app.notices.get().ends_on.isoformat()
    assert f"公示期至 {ends} 结束，公示期满后方可报送审核确认。" in page_html(forward)
    assert _state(app) == before


def test_an_investigator_may_not_approve(client_as, world, clock):
    make_policy(world.users, workflow_mode="township_confirms")
    flow = Flow(world, clock)
    app = flow.awaiting_decision()  # the township officer requested the check and made the home visit
    before = _state(app)
    response = post_step(client_as("township"), app, "approve", comment="同意")
    assert response.status_code == 409
    assert "您参与了本申请的入户调查或经济状况核对，按规定调查人员不能审核确认本申请" in page_html(response)
    assert _state(app) == before


def test_a_role_without_the_decision_gets_403_on_the_approval(client_as, flow):
    app = flow.awaiting_decision()
    before = _state(app)
    client = client_as("township")  # county-confirm mode: the township only forwards
    assert client.get(step_url(app, "approve")).status_code == 403
    assert client.post(step_url(app, "approve"), {"expected_version": app.version}).status_code == 403
    assert _state(app) == before


def test_a_missing_cadre_filing_is_named_before_approval(client_as, world, clock, regions):
    make_policy(world.users)
    household = make_household(
        world.users["coordinator_a"],
        regions[VILLAGE_A],
        person("赵六"),
        person("钱七", "spouse", is_cadre_relative=True),
    )
    flow = Flow(world, clock, household=household)
    app = flow.awaiting_decision()
    before = _state(app)
    response = post_step(client_as("county_approver"), app, "approve")
    assert response.status_code == 409
    assert "该家庭有基层干部或其近亲属，批准前须完成：乡镇单独登记备案、县级入户核查。" in page_html(response)
    assert _state(app) == before
    case_html = page_html(client_as("township").get(case_url(app)))
    assert "尚未备案" in case_html and reverse("web:case-cadre-filing", args=[app.pk]) in case_html
    assert post_step(client_as("township"), app, "cadre-filing", note="钱七之兄为凤凰村村委会主任").status_code == 302
    app.refresh_from_db()
    assert app.next_step == "home_visit"


def test_a_double_post_takes_the_step_once(client_as, flow):
    app = flow.submit()
    client = client_as("township")
    url = step_url(app, "accept")
    data = opened_form(client, url)
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 400 and "该表单已提交，请勿重复提交。" in page_html(again)
    assert StatusChange.objects.filter(application=app, step="accept").count() == 1


def test_two_approvals_racing_make_exactly_one_decision(client_as, world, flow, regions):
    app = flow.awaiting_decision()
    make_user("approver_2", Role.COUNTY_APPROVER, regions[COUNTY])
    first, second = client_as("county_approver"), client_as("county_approver")
    second.force_login(type(world.users["county_approver"]).objects.get(username="approver_2"))
    url = step_url(app, "approve")
    first_form, second_form = opened_form(first, url), opened_form(second, url)
    assert first.post(url, {**first_form, "comment": "同意"}).status_code == 302
    late = second.post(url, {**second_form, "comment": "同意"})
    assert late.status_code == 302 and "该记录已被他人修改，请刷新后重试。" in page_html(second.get(late.url))
    assert Decision.objects.filter(application=app).count() == 1
    assert Decision.objects.get(application=app).decided_by == world.users["county_approver"]


def test_refusal_needs_reasons_then_states_them(client_as, flow):
    flow.income(50000)  # 500 yuan for two: above the 72-yuan standard
    app = flow.awaiting_decision()
    approver = client_as("county_approver")
    trial_html = page_html(approver.get(step_url(app, "approve")))
    assert "不符合低保条件" in trial_html and "家庭人均收入不低于当地低保标准" in trial_html

    before = _state(app)
    empty = post_step(approver, app, "refuse")
    assert empty.status_code == 400
    html = page_html(empty)
    assert "请选择不予批准的原因。" in text_near_field(html, "reason_codes")
    assert "请写明不予批准的理由。" in text_near_field(html, "reason_text")
    assert _state(app) == before

    done = post_step(
        approver, app, "refuse", reason_codes=["income_above_standard"], reason_text="家庭人均月收入250元，高于标准。"
    )
    assert done.status_code == 302
    case_html = page_html(approver.get(case_url(app)))
    assert "家庭人均收入不低于当地低保标准" in case_html and "家庭人均月收入250元，高于标准。" in case_html
    assert reverse("web:case-decision-pdf", args=[app.pk]) in case_html


def test_the_approvers_steps_on_a_decided_case_are_refused_as_out_of_order(client_as, flow):
    flow.income(50000)
    app = flow.awaiting_decision()
    approver = client_as("county_approver")
    assert post_step(approver, app, "refuse", reason_codes=["other"], reason_text="收入高于标准。").status_code == 302
    before = _state(app)
    for slug in ("approve", "refuse", "terminate", "mark-special"):
        page = approver.get(step_url(app, slug))
        assert page.status_code == 200 and "申请当前状态为“不予批准”，不能进行" in page_html(page), slug
        response = approver.post(step_url(app, slug), {"submission_token": "b" * 32, "expected_version": app.version})
        assert response.status_code == 409 and "申请当前状态为“不予批准”" in page_html(response), slug
    assert _state(app) == before


@pytest.mark.parametrize("role", ["supervisor", "finance", "institution"])
def test_read_only_roles_get_403_on_every_step_page(role, client_as, flow):
    app = flow.awaiting_decision()
    client = client_as(role)
    before = _state(app)
    for slug in STEP_VIEWS:
        assert client.get(step_url(app, slug)).status_code == 403, slug
        assert client.post(step_url(app, slug), {"expected_version": app.version}).status_code == 403, slug
    assert client.get(reverse("web:application-create", args=[app.household_id])).status_code == 403
    assert _state(app) == before


# --- Home and household file ---------------------------------------------------------------------------------------


def test_the_todo_list_links_to_the_case_page(client_as, flow):
    app = flow.submit()
    response = client_as("township").get(reverse("web:home"))
    items = {s.key: s for s in response.context["sections"]}["cases_owed"].items
    assert [item.url for item in items] == [case_url(app)]
    assert case_url(app) in page_html(response)


def test_household_file_offers_an_application_only_when_none_is_going(client_as, world, clock):
    make_policy(world.users)
    url = reverse("web:household-file", args=[world.household_a.pk])
    create = reverse("web:application-create", args=[world.household_a.pk])
    assert create in page_html(client_as("coordinator_a").get(url))
    assert create not in page_html(client_as("supervisor").get(url))  # may not take applications
    flow = Flow(world, clock)
    app = flow.submit()
    html = page_html(client_as("coordinator_a").get(url))
    assert create not in html and case_url(app) in html and "已申请，待受理" in html


@pytest.mark.parametrize("key", ["township", "coordinator_other"])
def test_investigator_choices_are_staff_of_the_case_area(key, client_as, world, flow, regions):
    flow.submit()
    app = flow.accept()
    make_user("county_officer_x", Role.COUNTY_OFFICER, regions[COUNTY])
    make_user("township_x", Role.TOWNSHIP_OFFICER, regions[TOWNSHIP])
    if key == "coordinator_other":
        assert client_as(key).get(step_url(app, "home-visit")).status_code == 404
        return
    choices = dict(client_as(key).get(step_url(app, "home-visit")).context["form"].fields["investigators"].choices)
    names = {str(label).split("（")[0] for label in choices.values()}
    assert {"coord_a", "township", "county_officer", "county_officer_x", "township_x"} == names
