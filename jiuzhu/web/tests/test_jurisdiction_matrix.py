"""Every page that takes an object id answers 404 to a user of another village, for GET and POST,
exactly as for a missing id, and changes nothing. The list of pages is read from the URL resolver,
so a new page is covered (or this test fails until its id kwarg has an entry in OBJECT_FOR_KWARG).

Batch pages (批量办理) take no object id but a workflow step (`step`); each needs a row in BATCH_PAGES:
someone of another area who may run the batch neither sees nor changes household_a's case, the same
request works inside the area, and the roles that never take the step get 403."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import time_machine
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from jiuzhu.accounts.models import User
from jiuzhu.accounts.roles import Role
from jiuzhu.audit.models import AuditEvent
from jiuzhu.cases.jobs import REVIEWS_OPEN_DUE
from jiuzhu.cases.models import Application
from jiuzhu.cases.tests.conftest import Flow, make_policy
from jiuzhu.jobs.choices import JobStatus
from jiuzhu.jobs.files import job_file_save
from jiuzhu.jobs.models import Job
from jiuzhu.jobs.services import job_submit
from jiuzhu.lowincome.models import NearPoorHousehold
from jiuzhu.onboarding.models import OnboardingBatch
from jiuzhu.onboarding.services.batches import batch_upload
from jiuzhu.payments.models import FundEntry, Payroll, PayrollLine
from jiuzhu.payments.services.funds import fund_create
from jiuzhu.payments.services.generation import payroll_generate
from jiuzhu.programs.models import PolicyVersion, Program
from jiuzhu.registry.models import Asset, Document, Household, IncomeItem, MembershipPeriod, Person
from jiuzhu.reports.services.snapshots import snapshot_build
from jiuzhu.testing.builders import make_user
from jiuzhu.verification.models import ExternalDataset, Flag
from jiuzhu.verification.services.imports import dataset_upload
from jiuzhu.web.case_batch_selectors import notice_lists
from jiuzhu.web.tests.case_fixtures import refused_case_a  # noqa: F401 (a fixture)
from jiuzhu.web.tests.case_pages import opened_form
from jiuzhu.web.tests.conftest import FileObjects
from jiuzhu.web.tests.review_fixtures import reviewed_benefit_a  # noqa: F401 (a fixture)
from jiuzhu.web.views.case_steps import STEP_VIEWS

pytestmark = pytest.mark.django_db

# Which object of household_a each id kwarg of a page points to.
OBJECT_FOR_KWARG = {
    "household_id": lambda f: f.household.pk,
    "person_id": lambda f: f.spouse.pk,
    "item_id": lambda f: f.income.pk,
    "asset_id": lambda f: f.asset.pk,
    "document_id": lambda f: f.document.pk,
    "application_id": lambda f: f.application.pk,  # household_a's refused dibao application
    "review_id": lambda f: f.review.pk,  # a decided review of another village-A household's benefit
    "entitlement_id": lambda f: f.review.entitlement_id,  # that benefit, in force
    "job_id": lambda f: f.job.pk,  # a failed background job of village A
    "file_id": lambda f: f.job_file.pk,  # a file of that job
    "payroll_id": lambda f: f.payroll.pk,  # village A's own payroll (a draft)
    "fund_id": lambda f: f.fund.pk,  # a fund held by village A
    "dataset_id": lambda f: f.dataset.pk,  # agency data covering village A (uploaded, columns to confirm)
    "flag_id": lambda f: f.flag.pk,  # an open cross-check flag on household_a
    "batch_id": lambda f: f.onboarding_batch.pk,  # an onboarding batch of village A's township (uploaded)
    "snapshot_id": lambda f: f.snapshot.pk,  # a month-end snapshot of village A
    "recognition_id": lambda f: f.near_poor.pk,  # household_a recognised as a dibao-edge household
}


class Objects:
    """file_a's objects, and household_a's application, made only for the pages that need it."""

    def __init__(self, file: FileObjects, request: pytest.FixtureRequest) -> None:
        self._file = file
        self._request = request

    def __getattr__(self, name: str):
        if name == "application":
            return self._request.getfixturevalue("refused_case_a")
        if name == "review":
            return self._request.getfixturevalue("reviewed_benefit_a")
        if name == "job":
            self.job = _village_a_job()  # one job per test, shared by job_id and file_id
            return self.job
        if name == "job_file":
            return job_file_save(job_id=self.job.pk, name="导出.csv", content_type="text/csv", content=b"a")
        if name == "payroll":
            return _village_a_payroll(self._file.household)
        if name == "flag":
            household = self._file.household
            return Flag.objects.create(
                check_code="vehicle", severity="medium", fingerprint=f"matrix-{household.pk}", household=household,
                region=household.region, explanation="家庭成员名下登记有机动车。", due_on=datetime.date(2026, 12, 31),
            )  # fmt: skip
        if name == "dataset":
            # Uploaded for the county, then moved to village A (imports are county-wide; the move
            # makes village B's coordinator an outsider to it).
            dataset = dataset_upload(
                actor=User.objects.get(username="county_officer"), source="hukou", region_code="511723",
                as_of=datetime.date(2026, 10, 31), file_name="户籍.csv",
                upload=io.BytesIO("公民身份号码,变动类型,变动日期\r\n".encode()),
            )  # fmt: skip
            ExternalDataset.objects.filter(pk=dataset.pk).update(region=self._file.household.region)
            return dataset
        if name == "onboarding_batch":
            batch = batch_upload(
                actor=User.objects.get(username="county_officer"), region_code="511723",
                go_live=datetime.date(2026, 6, 1), reason="台账", file_name="台账.csv",
                upload=io.BytesIO("户编号,姓名,身份证号,与户主关系\r\n".encode()),
            )  # fmt: skip
            OnboardingBatch.objects.filter(pk=batch.pk).update(region=self._file.household.region.parent)
            return batch
        if name == "snapshot":
            approver = User.objects.get(username="county_approver")
            return snapshot_build(actor=approver, region_code="511723105201", month=timezone.localdate())
        if name == "near_poor":
            household = self._file.household
            return NearPoorHousehold.objects.create(
                household=household, region=household.region, program=Program.objects.get(code="dibao_rural"),
                recognised_on=datetime.date(2026, 1, 5), valid_until=datetime.date(2027, 1, 4), member_count=2,
                per_capita_income_fen=50_000, standard_fen=40_000, line_fen=60_000, reason="矩阵测试",
                recognised_by=User.objects.get(username="county_approver"),
            )  # fmt: skip
        if name == "fund":
            finance = User.objects.get(username="finance")
            return fund_create(
                actor=finance, program_code="dibao_rural", region_code="511723105201", year=2026, source="township"
            )
        return getattr(self._file, name)


@pytest.fixture
def objects(file_a: FileObjects, request: pytest.FixtureRequest) -> Objects:
    return Objects(file_a, request)


def _village_a_job() -> Job:
    """A failed monthly job of village A (so that its re-run is a change a page could let through)."""
    job = job_submit(actor=None, kind=REVIEWS_OPEN_DUE, title="开启到期复核", region_code="511723105201")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="测试")
    job.refresh_from_db()
    return job


def _village_a_payroll(household: Household) -> Payroll:
    """A generated draft payroll of village A alone, with household_a's benefit on it."""
    if not PolicyVersion.objects.exists():
        make_policy({"county_approver": User.objects.get(username="county_approver")})
    month = timezone.localdate().replace(day=1)
    return payroll_generate(actor=None, program_code="dibao_rural", region_code="511723105201", month=month)


# A POST that would change something if the page let it through.
PLAUSIBLE_POST = {
    "reason": "越权测试",
    "expected_version": "1",
    "region": "",
    "hukou_type": "rural",
    "address": "某地",
    "name": "越权",
    "relation": "child",
    "ethnicity": "01",
    "marital_status": "unmarried",
    "work_ability": "full",
    "kind": "wages",
    "monthly_amount": "100",
    "source": "declared",
    "value": "100",
    "quantity": "1",
    "death_date": "2020-01-01",
    "married_on": "2020-01-01",
    "moved_on": "2020-01-01",
    "to_household": "",
    "new_head": "",
    "former_head_relation": "spouse",
    "sex": "male",
    "birth_date": "2020-01-01",
}


# Path parameters that name a kind of page, not an object (the batch pages' workflow step).
NOT_ID_KWARGS = {"step"}


def _web_patterns() -> list[URLPattern]:
    resolver = get_resolver()
    web = next(p for p in resolver.url_patterns if getattr(p, "namespace", None) == "web")
    assert all(isinstance(p, URLPattern) for p in web.url_patterns)
    return list(web.url_patterns)


def web_patterns_with_ids() -> list[tuple[str, list[str]]]:
    found = []
    for pattern in _web_patterns():
        kwargs = list(pattern.pattern.converters)
        if kwargs and not NOT_ID_KWARGS & set(kwargs):
            found.append((f"web:{pattern.name}", kwargs))
    return found


def web_batch_patterns() -> list[str]:
    return [f"web:{p.name}" for p in _web_patterns() if NOT_ID_KWARGS & set(p.pattern.converters)]


def _state() -> tuple[int, ...]:
    models = (Household, Person, MembershipPeriod, IncomeItem, Asset, Document, AuditEvent, Job, Payroll, PayrollLine)
    models += (FundEntry, NearPoorHousehold)
    versions = tuple(NearPoorHousehold.objects.order_by("pk").values_list("version", flat=True))
    versions += tuple(Household.objects.order_by("pk").values_list("version", flat=True))
    versions += tuple(Payroll.objects.order_by("pk").values_list("version", flat=True))
    versions += tuple(Job.objects.order_by("pk").values_list("attempts", flat=True).filter(status=JobStatus.FAILED))
    return (*(m.objects.count() for m in models), *versions, Document.objects.filter(is_removed=True).count())


def test_every_id_kwarg_has_an_object_in_the_table():
    patterns = web_patterns_with_ids()
    assert len(patterns) >= 20
    missing = {kwarg for _, kwargs in patterns for kwarg in kwargs} - set(OBJECT_FOR_KWARG)
    assert not missing, f"add these id kwargs to OBJECT_FOR_KWARG: {missing}"


@pytest.mark.parametrize(("name", "kwargs"), web_patterns_with_ids())
def test_other_village_gets_404_and_changes_nothing(name, kwargs, client_as, objects: Objects, world):
    url = reverse(name, kwargs={k: OBJECT_FOR_KWARG[k](objects) for k in kwargs})
    # The same page for coordinator_a works (or is a 405 for POST-only pages), so the 404 below is the scope.
    own = client_as(OWN_USER.get(name, "coordinator_a")).get(url)
    assert own.status_code in (200, 405), (url, own.status_code)

    outsider = client_as("coordinator_b")
    plausible = dict(
        PLAUSIBLE_POST, to_household=str(world.household_b.pk), region=str(world.regions["511723105202"].pk)
    )
    before = _state()
    assert outsider.get(url).status_code == 404, url
    assert outsider.post(url, plausible).status_code == 404, url
    assert _state() == before, url


@pytest.mark.parametrize(("name", "kwargs"), web_patterns_with_ids())
def test_missing_id_is_the_same_404(name, kwargs, client_as, file_a: FileObjects):
    url = reverse(name, kwargs=dict.fromkeys(kwargs, 999999))
    client = client_as("coordinator_a")
    assert client.get(url).status_code == 404
    assert client.post(url, PLAUSIBLE_POST).status_code == 404


def _case_step_pages() -> dict[str, str]:
    """The workflow step pages of a case and a user of household_a's area whose role may take the step."""
    deciders = {"approve", "refuse"}
    return {f"web:case-{slug}": "county_approver" if slug in deciders else "township" for slug in STEP_VIEWS}


# Who opens a page for the "own area" check (default coordinator_a): a workflow step needs a role that takes it.
OWN_USER = _case_step_pages() | {
    "web:review-decide": "county_approver",
    "web:review-reject": "county_approver",
    "web:benefit-transfer-out": "township",
    "web:job-rerun": "township",
    "web:payroll-regenerate": "county_officer",
    "web:payroll-lock": "finance",
    "web:payroll-bank-file": "finance",
    "web:payroll-bank-return": "finance",
    "web:payroll-charge": "finance",
    "web:case-check": "township",  # the checks of the verification step: those who record its result
    "web:dataset-detail": "county_officer",  # coordinators do not see agency data at all
    "web:dataset-original": "county_officer",
    "web:onboarding-detail": "county_officer",  # onboarding is the county's
    "web:onboarding-results": "county_officer",
    "web:onboarding-original": "county_officer",
    "web:onboarding-apply": "county_approver",
    "web:near-poor-recognise": "county_approver",  # the county recognises edge households
    "web:near-poor-end": "county_approver",
}
# Steps the county approver may take (审核确认, and 终止办理 / 标记特殊情况 in open cases): not 403 for that
# role; on the refused case they are refused as out of order (test_case_pages covers them).
DECIDER_PAGES = {"web:case-approve", "web:case-refuse", "web:case-terminate", "web:case-mark-special"}
# …and on a review: deciding or refusing a proposal, recording a move out of the county (转出).
DECIDER_PAGES |= {"web:review-decide", "web:review-reject", "web:benefit-transfer-out"}
# …and re-running a failed job of a kind the county may submit (the monthly review jobs).
DECIDER_PAGES |= {"web:job-rerun"}
# …and onboarding an office's spreadsheet, which puts cases in force (test_onboarding_pages covers the rest).
DECIDER_PAGES |= {"web:onboarding-detail", "web:onboarding-results", "web:onboarding-original", "web:onboarding-apply"}
# …and recognising a dibao-edge household, or ending its recognition (test_near_poor_pages covers them).
DECIDER_PAGES |= {"web:near-poor-recognise", "web:near-poor-end"}
# Locking a payroll is the finance officer's (a 405 for GET, not a 403; test_payroll_pages covers it).
FINANCE_PAGES = {"web:payroll-lock", "web:payroll-bank-file", "web:payroll-bank-return", "web:payroll-charge"}

READ_PAGES = {
    "web:household-file",
    "web:household-file-pdf",
    "web:document-download",
    "web:person-id-reveal",
    "web:household-account-reveal",
    "web:case-acceptance-pdf",
    "web:case-home-visit-pdf",
    "web:case-opinion-pdf",
    "web:case-notice-pdf",
    "web:case-decision-pdf",
    "web:case-detail",
    "web:review-detail",
    "web:review-notice-pdf",
    "web:job-detail",
    "web:job-status",
    "web:job-file",  # a file of a job they may see (the sensitive ones: test_payroll_pages, test_files)
    "web:payroll-detail",
    "web:payroll-roster-pdf",
    "web:payroll-roster-xlsx",
    "web:payroll-roster-job",  # printing in the background (POST only, the roster's own rules)
    "web:fund-detail",  # its entry form posts need the finance capability (test_fund_pages)
    "web:dataset-detail",  # its column form posts need the import capability (test_dataset_pages)
    "web:flag-detail",  # its answers need the capability to open reviews (test_flag_pages)
    "web:fund-ledger-xlsx",
    "web:statistics-cases",  # the households behind a figure of a month-end snapshot
}


@pytest.mark.parametrize("role", ["supervisor", "county_approver", "finance", "institution"])
def test_read_only_roles_get_403_on_every_edit_page_in_their_area(role, client_as, objects: Objects):
    client = client_as(role)
    file_a = objects
    skip = READ_PAGES | (DECIDER_PAGES if role == "county_approver" else set())
    skip |= FINANCE_PAGES if role == "finance" else set()
    edit_pages = [(n, k) for n, k in web_patterns_with_ids() if n not in skip]
    assert len(edit_pages) >= 16
    urls = [reverse(name, kwargs={k: OBJECT_FOR_KWARG[k](file_a) for k in kwargs}) for name, kwargs in edit_pages]
    before = _state()  # after the objects the pages need are made
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, PLAUSIBLE_POST).status_code == 403, url
    assert _state() == before
    # …while the household file itself is open to them.
    assert client.get(reverse("web:household-file", args=[file_a.household.pk])).status_code == 200


# --- Batch pages (批量办理) -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchRow:
    """A batch page per step: the stage household_a's application is brought to for that step."""

    stages: dict[str, str]  # step -> stage (see _batch_case)
    reads_only: bool = False  # a printed list (GET), open to every case role of the area


BATCH_PAGES = {
    "web:case-batch": BatchRow({"notice_start": "opinion_given", "forward": "notice_ended", "publish": "approved"}),
    "web:case-batch-notice-list": BatchRow({"notice_start": "in_notice", "publish": "in_force"}, reads_only=True),
}
# Roles of village A's area that never take the township's list steps.
NOT_TOWNSHIP = ("coordinator_a", "county_officer", "county_approver", "supervisor", "finance", "institution")


def test_every_batch_page_has_a_row():
    assert sorted(web_batch_patterns()) == sorted(BATCH_PAGES)


def _batch_case(flow: Flow, stage: str) -> Application:
    flow.investigated()
    flow.opinion()
    if stage == "opinion_given":
        return flow.refresh()
    notice = flow.notice()
    if stage == "in_notice":
        return flow.refresh()
    flow.travel(notice.ends_on + datetime.timedelta(days=1))
    if stage == "notice_ended":
        return flow.refresh()
    flow.forward()
    flow.approve()
    if stage == "approved":
        return flow.refresh()
    flow.publish()
    assert stage == "in_force", stage
    return flow.refresh()


@pytest.fixture
def batch_case(request: pytest.FixtureRequest, world, regions) -> Iterator[Application]:  # type: ignore[no-untyped-def]
    """household_a's application at the stage the parametrized page and step need (clock kept frozen), and
    a township officer of another township (甘棠镇), who may run the batches there."""
    world.users["township_other"] = make_user("township_other", Role.TOWNSHIP_OFFICER, regions["511723106"])
    name, step = request.param
    make_policy(world.users)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        yield _batch_case(Flow(world, clock), BATCH_PAGES[name].stages[step])


def _batch_calls() -> list[tuple[str, str]]:
    return [(name, step) for name, row in BATCH_PAGES.items() for step in row.stages]


def _case_state(application: Application) -> tuple[object, ...]:
    application.refresh_from_db()
    return (application.status, application.version, application.notices.count(), _state())


@pytest.mark.parametrize("batch_case", [c for c in _batch_calls() if not BATCH_PAGES[c[0]].reads_only], indirect=True)
def test_batch_pages_of_another_area_neither_list_nor_take_village_a_cases(batch_case, client_as):
    application = batch_case
    step = application.next_step
    url = reverse("web:case-batch", kwargs={"step": step})
    pick = {"applications": [f"{application.pk}:{application.version}"]}
    before = _case_state(application)

    outsider = client_as("township_other")
    assert application.pk not in [row.application.pk for row in outsider.get(url).context["rows"]]
    response = outsider.post(url, {**opened_form(outsider, url), **pick})
    assert response.status_code == 200, url
    assert [row.application_id for row in response.context["skipped"]] == [application.pk]
    assert response.context["skipped"][0].application is None
    assert _case_state(application) == before, url

    for role in NOT_TOWNSHIP:
        client = client_as(role)
        assert client.get(url).status_code == 403, (role, url)
        assert client.post(url, pick).status_code == 403, (role, url)
    assert _case_state(application) == before, url

    township = client_as("township")
    assert application.pk in [row.application.pk for row in township.get(url).context["rows"]]
    done = township.post(url, {**opened_form(township, url), **pick})
    assert done.status_code == 200 and done.context["skipped"] == [], url
    assert _case_state(application) != before


@pytest.mark.parametrize("batch_case", [c for c in _batch_calls() if BATCH_PAGES[c[0]].reads_only], indirect=True)
def test_printed_lists_of_village_a_are_404_outside_the_area_and_open_inside(batch_case, client_as):
    application = batch_case
    step = "notice_start" if application.status == "in_notice" else "publish"
    [link] = notice_lists(actor=application.created_by, step=step, application_ids=[application.pk])
    before = _state()
    for outsider in ("coordinator_b", "township_other", "coordinator_other"):
        assert client_as(outsider).get(link.url).status_code == 404, (outsider, link.url)
        assert client_as(outsider).post(link.url).status_code == 404, (outsider, link.url)
    assert _state() == before
    for role in ("coordinator_a", "township", *NOT_TOWNSHIP):
        assert client_as(role).get(link.url).status_code == 200, (role, link.url)
