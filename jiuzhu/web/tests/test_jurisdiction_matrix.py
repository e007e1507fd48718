"""Every page that takes an object id answers 404 to a user of another village, for GET and POST,
exactly as for a missing id, and changes nothing. The list of pages is read from the URL resolver,
so a new page is covered (or this test fails until its id kwarg has an entry in OBJECT_FOR_KWARG)."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, get_resolver, reverse

from jiuzhu.audit.models import AuditEvent
from jiuzhu.registry.models import Asset, Document, Household, IncomeItem, MembershipPeriod, Person
from jiuzhu.web.tests.case_fixtures import refused_case_a  # noqa: F401 (a fixture)
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
        return getattr(self._file, name)


@pytest.fixture
def objects(file_a: FileObjects, request: pytest.FixtureRequest) -> Objects:
    return Objects(file_a, request)


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


def web_patterns_with_ids() -> list[tuple[str, list[str]]]:
    resolver = get_resolver()
    web = next(p for p in resolver.url_patterns if getattr(p, "namespace", None) == "web")
    found = []
    for pattern in web.url_patterns:
        assert isinstance(pattern, URLPattern)
        kwargs = list(pattern.pattern.converters)
        if kwargs:
            found.append((f"web:{pattern.name}", kwargs))
    return found


def _state() -> tuple[int, ...]:
    models = (Household, Person, MembershipPeriod, IncomeItem, Asset, Document, AuditEvent)
    versions = tuple(Household.objects.order_by("pk").values_list("version", flat=True))
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
}
# Steps the county approver may take (审核确认, and 终止办理 / 标记特殊情况 in open cases): not 403 for that
# role; on the refused case they are refused as out of order (test_case_pages covers them).
DECIDER_PAGES = {"web:case-approve", "web:case-refuse", "web:case-terminate", "web:case-mark-special"}
# …and on a review: deciding or refusing a proposal, recording a move out of the county (转出).
DECIDER_PAGES |= {"web:review-decide", "web:review-reject", "web:benefit-transfer-out"}

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
}


@pytest.mark.parametrize("role", ["supervisor", "county_approver", "finance", "institution"])
def test_read_only_roles_get_403_on_every_edit_page_in_their_area(role, client_as, objects: Objects):
    client = client_as(role)
    file_a = objects
    skip = READ_PAGES | (DECIDER_PAGES if role == "county_approver" else set())
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
