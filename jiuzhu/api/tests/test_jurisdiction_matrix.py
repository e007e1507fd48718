"""The API jurisdiction matrix.

Every route under /api/v1/ is read from the URL resolver and must have a row in ROUTES, so a new
endpoint fails this module until someone says how to aim it at household_a's objects. Then:

- a coordinator of another village (coordinator_b) gets 404 from every object route, for every
  method the route allows (405 for the others), exactly like a missing object, and nothing
  changes (rows and audit trail);
- the same requests succeed for a user inside the area (so the 404s are about jurisdiction,
  not about a malformed request);
- list routes as coordinator_b never include household_a's objects (and do for coordinator_a);
- creating inside household_a as coordinator_b is refused and creates nothing;
- read-only roles (supervisor, county approver, finance, institution staff; for case steps and
  policy versions: the roles that may not take that step or edit policy) get 403 on every write
  inside their own area, and nothing changes;
- calculations (a request that computes from a region and saves nothing: the dibao trial
  calculation, the policy in force) aimed at household_a's village are refused for coordinator_b
  like an unknown region (400 on the region field), answered for everyone in the area, read-only
  roles included, and never change anything;
- batches (a POST over many objects of the caller's area: opening the reviews due, confirming
  reviews unchanged, the township's list steps on applications) aimed at household_a's village by
  someone of another area who may run them
  are refused (400 on the region) or skip everything, and change nothing; the same request works
  inside the area.

Case routes work on an application of a second household in household_a's village, brought by the
real services (clock frozen as in the case tests) to the stage the route needs (`Case.stage`); the
user who succeeds inside the area is the one whose role takes that step (`Case.actor`).
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from jiuzhu.accounts.roles import Role
from jiuzhu.audit.models import AuditEvent
from jiuzhu.cases.models import AmountChange, Application, Decision, Entitlement, Review, StatusChange
from jiuzhu.cases.services.dynamic import review_decide, review_open, review_propose
from jiuzhu.cases.tests.conftest import START, Flow, at, make_policy
from jiuzhu.programs.models import PolicyVersion
from jiuzhu.programs.rules.dynamic import add_months
from jiuzhu.programs.services.policy import policy_version_create
from jiuzhu.registry.models import Asset, Household, IncomeItem, Person
from jiuzhu.registry.services.households import household_update
from jiuzhu.registry.types import HouseholdData
from jiuzhu.testing.builders import COUNTY, VILLAGE_A, make_household, make_user, new_id_number, person

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
READ_ONLY_ROLES = ("supervisor", "county_approver", "finance", "institution")
# The county approver decides cases (and may mark them special or terminate them) and keeps the policy.
NOT_DECIDERS = ("supervisor", "finance", "institution")


# --- Routes from the resolver ---------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    params: tuple[str, ...]
    methods: frozenset[str]


def _methods(callback: Any) -> frozenset[str]:
    actions = getattr(callback, "actions", None)
    if actions:  # DRF adds "head" for "get" once the view has run
        return frozenset(actions) & frozenset(METHODS)
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is None:
        return frozenset()  # a plain function view (the JSON 404 fallback)
    return frozenset(m for m in METHODS if hasattr(view_class, m))


def _walk(patterns: list[Any], prefix: str, namespace: str | None) -> Iterator[tuple[str, str | None, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
        else:
            yield prefix + str(pattern.pattern), namespace, pattern


def api_routes() -> dict[str, Route]:
    routes = {}
    for text, namespace, pattern in _walk(get_resolver().url_patterns, "", None):
        if namespace != "api":
            continue
        params = tuple(getattr(pattern.pattern, "converters", {}) or pattern.pattern.regex.groupindex)
        routes[pattern.name] = Route(pattern.name, text, params, _methods(pattern.callback))
    return routes


# --- The table ------------------------------------------------------------------------------------


@dataclass
class Objects:
    """household_a's objects, re-read from the database before each request (versions move)."""

    household: Household
    spouse: Person
    income: IncomeItem
    asset: Asset
    policy_version: PolicyVersion  # village A's own version, not yet in force
    investigator_ids: tuple[int, ...]
    application: Application | None = None  # of another household of village A, at the route's stage

    def fresh(self) -> Objects:
        return Objects(
            household=Household.objects.get(pk=self.household.pk),
            spouse=Person.objects.get(pk=self.spouse.pk),
            income=IncomeItem.objects.get(pk=self.income.pk),
            asset=Asset.objects.get(pk=self.asset.pk),
            policy_version=PolicyVersion.objects.get(pk=self.policy_version.pk),
            investigator_ids=self.investigator_ids,
            application=Application.objects.get(pk=self.application.pk) if self.application else None,
        )

    @property
    def app(self) -> Application:
        assert self.application is not None, "the route's Case needs a stage"
        return self.application

    @property
    def decision(self) -> Decision:
        return Decision.objects.get(application=self.app)

    @property
    def entitlement(self) -> Entitlement:
        return Entitlement.objects.get(application=self.app)

    @property
    def review(self) -> Review:
        review = Review.objects.filter(entitlement=self.entitlement).order_by("-pk").first()
        assert review is not None, "the route's Case needs a review stage"
        return review


Builder = Callable[[Objects], dict[str, Any]]


@dataclass(frozen=True)
class Case:
    kind: str  # "public" | "fallback" | "collection" | "object" | "calculation" | "batch"
    kwargs: Builder | None = None  # path parameters aimed at household_a's objects
    bodies: Mapping[str, Builder] = field(default_factory=dict)  # valid input per method
    query: Mapping[str, Builder] = field(default_factory=dict)
    listed: Callable[[Objects], set[Any]] | None = None  # household_a's objects a list must not leak
    list_key: str = "id"
    reads_only: bool = False  # a POST that shows data (reveal), not a write
    created_model: type | None = None
    foreign_create_status: int = 404
    stage: str | None = None  # the application stage the route needs (see _stage)
    # Enough for the 404 and 403 checks, which come before the case's state is read (step routes).
    refusal_stage: str | None = None
    actor: str = "county_officer"  # who succeeds inside the area
    read_only_roles: tuple[str, ...] = READ_ONLY_ROLES  # roles inside the area that may not write here
    creator: str = "coordinator_a"  # creates successfully (collections)
    foreign_creator: str = "coordinator_b"  # may create, but not in village A


def _today(days: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _app(o: Objects) -> dict[str, Any]:
    return {"pk": o.app.pk}


def _case(o: Objects) -> dict[str, Any]:
    return {"pk": o.entitlement.pk}


def _review(o: Objects) -> dict[str, Any]:
    return {"pk": o.review.pk}


# Reviews (dynamic management): opened and proposed by the coordinator or the township; a proposal
# of no change completed by the township; a move out recorded by the township or the county.
NOT_REVIEW_DECIDERS = ("coordinator_a", "county_officer", *NOT_DECIDERS)


def _review_step(stage: str, actor: str, read_only_roles: tuple[str, ...], **body: Any) -> Case:
    def build(o: Objects) -> dict[str, Any]:
        return {"expected_version": o.review.version, **body}

    return Case(
        "object", kwargs=_review, bodies={"post": build}, stage=stage, refusal_stage="review_open", actor=actor,
        read_only_roles=read_only_roles,
    )  # fmt: skip


# The township's list work (批量办理): only the township takes these steps; another township's officer may run
# the batch, but village A's case is skipped like a missing one.
NOT_TOWNSHIP = ("coordinator_a", "county_officer", *READ_ONLY_ROLES)


def _batch(stage: str) -> Case:
    def build(o: Objects) -> dict[str, Any]:
        return {"items": [{"id": o.app.pk, "expected_version": o.app.version}], "on": _today()}

    return Case(
        "batch", bodies={"post": build}, stage=stage, refusal_stage="submitted", actor="township",
        read_only_roles=NOT_TOWNSHIP, foreign_create_status=200, foreign_creator="township_other",
    )  # fmt: skip


def _step(
    stage: str, actor: str = "county_officer", read_only_roles: tuple[str, ...] = READ_ONLY_ROLES, **body: Any
) -> Case:
    """A workflow step: POST with the current version and `body` (values may be builders)."""

    def build(o: Objects) -> dict[str, Any]:
        values = {key: value(o) if callable(value) else value for key, value in body.items()}
        return {"expected_version": o.app.version, **values}

    return Case(
        "object", kwargs=_app, bodies={"post": build}, stage=stage, refusal_stage="submitted", actor=actor,
        read_only_roles=read_only_roles,
    )  # fmt: skip


ROUTES: dict[str, Case] = {
    "token": Case("public"),
    "schema": Case("public"),
    "docs": Case("public"),
    "not-found": Case("fallback"),
    "region-list": Case("collection", listed=lambda o: {VILLAGE_A}, list_key="code"),
    "region-detail": Case("object", kwargs=lambda o: {"code": VILLAGE_A}),
    "household-list": Case(
        "collection",
        listed=lambda o: {o.household.pk},
        bodies={
            "post": lambda o: {
                "region_code": VILLAGE_A,
                "hukou_type": "rural",
                "address": "凤凰村5组1号",
                "members": [{"name": "吴九", "relation": "head", "id_number": new_id_number()}],
            }
        },
        created_model=Household,
        # Outside the jurisdiction a village code is refused like an unknown one.
        foreign_create_status=400,
    ),
    "household-detail": Case(
        "object",
        kwargs=lambda o: {"pk": o.household.pk},
        bodies={"patch": lambda o: {"expected_version": o.household.version, "phone": "13900000000"}},
    ),
    "household-reveal-account-number": Case(
        "object",
        kwargs=lambda o: {"pk": o.household.pk},
        bodies={"post": lambda o: {"reason": "核对"}},
        reads_only=True,
    ),
    "person-list": Case(
        "collection",
        listed=lambda o: {o.household.head_id, o.spouse.pk},
        bodies={
            "post": lambda o: {
                "household_id": o.household.pk,
                "name": "张四",
                "relation": "child",
                "id_number": new_id_number(),
            }
        },
        created_model=Person,
    ),
    "person-detail": Case(
        "object",
        kwargs=lambda o: {"pk": o.spouse.pk},
        bodies={"patch": lambda o: {"expected_version": o.spouse.version, "phone": "13900000001"}},
    ),
    "person-reveal-id-number": Case(
        "object", kwargs=lambda o: {"pk": o.spouse.pk}, bodies={"post": lambda o: {"reason": "核对"}}, reads_only=True
    ),
    "income-item-list": Case(
        "collection",
        listed=lambda o: {o.income.pk},
        bodies={"post": lambda o: {"household_id": o.household.pk, "kind": "pension", "monthly_amount_fen": 100}},
        created_model=IncomeItem,
    ),
    "income-item-detail": Case(
        "object",
        kwargs=lambda o: {"pk": o.income.pk},
        bodies={"patch": lambda o: {"expected_version": o.income.version, "monthly_amount_fen": 1}},
        query={"delete": lambda o: {"reason": "录入错误"}},
    ),
    "asset-list": Case(
        "collection",
        listed=lambda o: {o.asset.pk},
        bodies={"post": lambda o: {"household_id": o.household.pk, "kind": "deposit", "value_fen": 100}},
        created_model=Asset,
    ),
    "asset-detail": Case(
        "object",
        kwargs=lambda o: {"pk": o.asset.pk},
        bodies={"patch": lambda o: {"expected_version": o.asset.version, "value_fen": 1}},
        query={"delete": lambda o: {"reason": "录入错误"}},
    ),
    "application-list": Case(
        "collection",
        listed=lambda o: {o.app.pk},
        bodies={
            "post": lambda o: {
                "household_id": o.household.pk,
                "applicant_id": o.household.head_id,
                "materials_provided": ["application_form"],
            }
        },
        created_model=Application,
        stage="submitted",
    ),
    "application-detail": Case("object", kwargs=_app, stage="submitted"),
    "application-steps": Case("object", kwargs=_app, stage="submitted"),
    "application-step-complete-materials": _step(
        "incomplete", "coordinator_a", materials_provided=["id_cards", "hukou_book", "income_proof"]
    ),
    "application-step-accept": _step("submitted", "township"),
    "application-step-verification-request": _step("investigating"),
    "application-step-home-visit": _step(
        "investigating",
        visited_on=lambda o: _today(),
        findings="家中无劳动力。",
        investigators=lambda o: list(o.investigator_ids),
    ),
    "application-step-verification-result": _step("verification_requested", passed=True, notes="未发现异常"),
    "application-step-mark-disputed": _step("investigating", "township", reason="群众反映有收入"),
    "application-step-mark-special": _step("investigating", "township", NOT_DECIDERS, reason="人户分离"),
    "application-step-appraisal": _step(
        "investigating",
        "township",
        held_on=lambda o: _today(),
        participant_count=9,
        votes_for=7,
        votes_against=1,
        votes_abstain=1,
        minutes="评议通过。",
    ),
    "application-step-township-opinion": _step("investigated", "township", agrees=True, text="同意。"),
    "application-step-notice-start": _step("opinion_given", "township"),
    "application-step-notice-objection": _step("in_notice", "township", text="该户有经营收入。"),
    "application-step-forward": _step("notice_ended", "township"),
    "application-step-cadre-filing": _step("submitted", "township", note="户主之弟为村委会委员。"),
    "application-step-approve": _step("awaiting_decision", "county_approver", NOT_DECIDERS),
    "application-step-refuse": _step(
        "awaiting_decision", "county_approver", NOT_DECIDERS, reason_codes=["other"], reason_text="不符合条件。"
    ),
    "application-step-publish": _step("approved", "township"),
    "application-step-withdraw": _step("submitted", "coordinator_a", reason="申请人主动撤回"),
    "application-step-terminate": _step("investigating", "township", NOT_DECIDERS, reason="拒不配合入户调查"),
    "application-batch-notice-start": _batch("opinion_given"),
    "application-batch-forward": _batch("notice_ended"),
    "application-batch-publish": _batch("approved"),
    "decision-list": Case("collection", listed=lambda o: {o.decision.pk}, stage="approved"),
    "decision-detail": Case("object", kwargs=lambda o: {"pk": o.decision.pk}, stage="approved"),
    "case-list": Case("collection", listed=lambda o: {o.entitlement.pk}, stage="in_force"),
    "case-detail": Case("object", kwargs=lambda o: {"pk": o.entitlement.pk}, stage="in_force"),
    "case-transfer-out": Case(
        "object",
        kwargs=_case,
        bodies={
            "post": lambda o: {
                "expected_version": o.entitlement.version,
                "moved_on": _today(),
                "destination": "四川省成都市",
                "effective_month": add_months(o.entitlement.first_month, 1).isoformat(),
            }
        },
        stage="in_force",
        actor="township",
        read_only_roles=NOT_REVIEW_DECIDERS,
    ),
    "case-income-change": Case(
        "object",
        kwargs=_case,
        bodies={"post": lambda o: {"kind": "wages", "monthly_amount_fen": 1000, "note": "户主打零工。"}},
        stage="in_force",
        actor="coordinator_a",
    ),
    "person-death": Case(
        "object",
        kwargs=lambda o: {"pk": o.spouse.pk},
        bodies={"post": lambda o: {"death_date": _today(), "reason": "死亡证明"}},
    ),
    "review-list": Case(
        "collection",
        listed=lambda o: {o.review.pk},
        bodies={"post": lambda o: {"entitlement_id": o.entitlement.pk, "trigger": "other", "note": "群众反映有收入。"}},
        created_model=Review,
        stage="review_decided",
    ),
    "review-detail": Case("object", kwargs=_review, stage="review_open"),
    "review-step-propose": _review_step("review_open", "coordinator_a", READ_ONLY_ROLES, findings="情况无变化。"),
    "review-step-decide": _review_step("review_proposed", "township", NOT_REVIEW_DECIDERS),
    "review-step-reject": _review_step("review_proposed", "township", NOT_REVIEW_DECIDERS, reason="核查不实。"),
    "review-open-due": Case(
        "batch",
        bodies={"post": lambda o: {"region": VILLAGE_A, "lead_days": 366}},
        stage="in_force",
        actor="coordinator_a",
        # Outside the jurisdiction a region code is refused like an unknown one.
        foreign_create_status=400,
    ),
    "review-confirm-no-change": Case(
        "batch",
        bodies={
            "post": lambda o: {"review_ids": [o.review.pk], "expected_versions": {str(o.review.pk): o.review.version}}
        },
        stage="review_open",
        actor="township",
        read_only_roles=NOT_REVIEW_DECIDERS,
        # Reviews of another area are skipped like missing ones.
        foreign_create_status=200,
        foreign_creator="approver_other",
    ),
    "policy-version-list": Case(
        "collection",
        listed=lambda o: {o.policy_version.pk},
        bodies={
            "post": lambda o: {
                "region": VILLAGE_A,
                "program": "dibao_rural",
                "effective_from": _today(90),
                "params": {"minimum_payment_fen": 500},
                "note": "村级最低发放额（测试）",
            }
        },
        created_model=PolicyVersion,
        # Outside the jurisdiction a region code is refused like an unknown one.
        foreign_create_status=400,
        read_only_roles=NOT_DECIDERS,
        creator="county_approver",
        foreign_creator="approver_other",
    ),
    "policy-version-detail": Case(
        "object",
        kwargs=lambda o: {"pk": o.policy_version.pk},
        bodies={
            "patch": lambda o: {"expected_version": o.policy_version.version, "params": {"minimum_payment_fen": 600}}
        },
        actor="county_approver",
        read_only_roles=NOT_DECIDERS,
    ),
    "policy-version-in-force": Case(
        "calculation",
        query={"get": lambda o: {"region": o.household.region.code, "program": "dibao_rural", "on": "2024-06-01"}},
        reads_only=True,
        foreign_create_status=400,
    ),
    "dibao-preview": Case(
        "calculation",
        bodies={
            "post": lambda o: {
                "region": o.household.region.code,
                "on": "2024-06-01",
                "program": "dibao_rural",
                "members": [{"birth_date": "1980-01-01", "categories": []}],
                "incomes": [{"kind": "wages", "monthly_fen": 100}],
            }
        },
        reads_only=True,
        foreign_create_status=400,
    ),
    "work-summary": Case(
        "calculation",
        query={"get": lambda o: {"region": o.household.region.code, "year": "2025"}},
        reads_only=True,
        foreign_create_status=400,
    ),
}


def _names(kind: str) -> list[str]:
    return [name for name, case in ROUTES.items() if case.kind == kind]


# Parameters for the tests below, from the resolver (Django is set up before collection).
_RESOLVED = api_routes()
OBJECT_CALLS = [
    (name, method) for name in _names("object") if name in _RESOLVED for method in sorted(_RESOLVED[name].methods)
]
WRITE_CALLS = [
    (name, method)
    for name in _names("object") + _names("collection") + _names("batch")
    if name in _RESOLVED and not ROUTES[name].reads_only
    for method in sorted(_RESOLVED[name].methods - {"get"})
]


# --- Application stages (built with the real services, clock frozen as in the case tests) ---------------


def _stage(flow: Flow, stage: str) -> Application:
    if stage == "incomplete":
        return flow.submit(materials=("application_form",))
    flow.submit()
    if stage == "submitted":
        return flow.refresh()
    flow.accept()
    if stage == "investigating":
        return flow.refresh()
    flow.request_verification()
    if stage == "verification_requested":
        return flow.refresh()
    flow.visit()
    flow.verification_result()
    if stage == "investigated":
        return flow.refresh()
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
    if stage == "awaiting_decision":
        return flow.refresh()
    flow.approve()
    if stage == "approved":
        return flow.refresh()
    flow.publish()
    if stage == "in_force":
        return flow.refresh()
    users = flow.users
    entitlement = Entitlement.objects.get(application=flow.app)
    review = review_open(actor=users["coordinator_a"], entitlement_id=entitlement.pk, note="群众反映情况变化。")
    if stage == "review_open":
        return flow.refresh()
    review = review_propose(
        actor=users["coordinator_a"], review_id=review.pk, expected_version=review.version, findings="情况无变化。"
    )
    if stage == "review_proposed":
        return flow.refresh()
    review_decide(actor=users["township"], review_id=review.pk, expected_version=review.version)
    assert stage == "review_decided", stage
    return flow.refresh()


# --- Fixtures and helpers -------------------------------------------------------------------------


@contextlib.contextmanager
def _built(request: Any, world: Any, finances: Any, users: Any, regions: Any, refusal: bool) -> Iterator[Objects]:
    route_name = getattr(getattr(request.node, "callspec", None), "params", {}).get("route_name")
    case = ROUTES.get(route_name or "")
    stage = None if case is None else (case.refusal_stage or case.stage) if refusal else case.stage
    with contextlib.ExitStack() as stack:
        clock = stack.enter_context(time_machine.travel(at(START), tick=False)) if stage else None
        yield _objects(world, finances, users, regions, clock, stage)


@pytest.fixture
def objects(request, world, finances, users, regions) -> Iterator[Objects]:
    with _built(request, world, finances, users, regions, refusal=False) as built:
        yield built


@pytest.fixture
def refusal_objects(request, world, finances, users, regions) -> Iterator[Objects]:
    """For tests that expect a refusal (404, 403): a cheaper application stage where that is enough."""
    with _built(request, world, finances, users, regions, refusal=True) as built:
        yield built


def _objects(world: Any, finances: Any, users: Any, regions: Any, clock: Any, stage: str | None) -> Objects:
    # A county approver of another township: may edit policy, but not in village A.
    users["approver_other"] = make_user("approver_other", Role.COUNTY_APPROVER, regions["511723106"])
    # A township officer of another township: may run the list steps, but not on village A's cases.
    users["township_other"] = make_user("township_other", Role.TOWNSHIP_OFFICER, regions["511723106"])
    household = household_update(
        actor=world.users["coordinator_a"],
        household_id=world.household_a.pk,
        expected_version=Household.objects.get(pk=world.household_a.pk).version,
        data=HouseholdData(
            region_id=world.household_a.region_id,
            hukou_type="rural",
            address="凤凰村1组8号",
            bank_name="开江县农村信用社",
            account_holder="张三",
            account_number="6228480012345678901",
        ),
    )
    spouse = household.members.get(relation="spouse")
    policy_version = policy_version_create(
        actor=users["county_approver"], region_code=VILLAGE_A, program_code="dibao_rural",
        effective_from=timezone.localdate() + datetime.timedelta(days=60), params={"minimum_payment_fen": 1000},
        note="凤凰村最低发放额（测试）",
    )  # fmt: skip
    application = None
    if stage is not None:
        make_policy(users)
        other = make_household(users["coordinator_a"], household.region, person("赵六"), person("钱芳", "spouse"))
        application = _stage(Flow(world, clock, household=other), stage)
    return Objects(
        household=household, spouse=spouse, income=finances["income"], asset=finances["asset"],
        policy_version=policy_version, investigator_ids=(users["coordinator_a"].pk, users["township"].pk),
        application=application,
    ).fresh()  # fmt: skip


def _snapshot() -> tuple[Any, ...]:
    return (
        list(Household.objects.order_by("pk").values()),
        list(Person.objects.order_by("pk").values()),
        list(IncomeItem.objects.order_by("pk").values()),
        list(Asset.objects.order_by("pk").values()),
        list(Application.objects.order_by("pk").values()),
        StatusChange.objects.count(),
        Decision.objects.count(),
        list(Entitlement.objects.order_by("pk").values()),
        AmountChange.objects.count(),
        list(Review.objects.order_by("pk").values()),
        list(PolicyVersion.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


def _call(client: APIClient, route_name: str, method: str, objects: Objects) -> Any:
    case = ROUTES[route_name]
    o = objects.fresh()
    url = reverse(f"api:{route_name}", kwargs=case.kwargs(o) if case.kwargs else None)
    body = case.bodies[method](o) if method in case.bodies else {}
    query = case.query[method](o) if method in case.query else None
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return getattr(client, method)(url, body, format="json")


# --- The matrix -----------------------------------------------------------------------------------


def test_every_api_route_has_a_row_in_the_matrix():
    routes = api_routes()
    assert sorted(set(routes) - set(ROUTES)) == [], "API routes without a row in ROUTES"
    assert sorted(set(ROUTES) - set(routes)) == [], "rows in ROUTES for routes that no longer exist"
    for name, route in routes.items():
        case = ROUTES[name]
        if route.params:
            assert case.kind == "object" and case.kwargs is not None, f"{name} has an id: it needs kwargs"
        if case.kind in ("object", "collection", "calculation", "batch"):
            missing = [m for m in route.methods - {"get"} if m not in case.bodies and m not in case.query]
            assert missing == [], f"{name}: no valid request input for {missing}"
        if case.kind == "calculation":
            assert len(route.methods) == 1 and (case.bodies or case.query), f"{name}: one method, with its input"


@pytest.mark.parametrize("route_name", _names("object"))
def test_other_village_gets_404_like_a_missing_object_and_nothing_changes(refusal_objects, api, route_name):
    objects = refusal_objects
    route = api_routes()[route_name]
    client = api("coordinator_b")
    before = _snapshot()
    for method in METHODS:
        response = _call(client, route_name, method, objects)
        if method in route.methods:
            assert response.status_code == 404, (route_name, method, response.content)
            assert response.json() == {"code": "not_found", "message": "记录不存在。"}, (route_name, method)
        else:
            assert response.status_code == 405, (route_name, method, response.status_code)
    assert _snapshot() == before, route_name


@pytest.mark.parametrize(("route_name", "method"), OBJECT_CALLS)
def test_the_same_request_succeeds_inside_the_area(objects, api, route_name, method):
    response = _call(api(ROUTES[route_name].actor), route_name, method, objects)
    assert response.status_code in (200, 201, 204), (route_name, method, response.content)


@pytest.mark.parametrize("route_name", _names("collection"))
def test_lists_of_another_village_never_include_household_a(objects, api, route_name):
    case = ROUTES[route_name]
    assert case.listed is not None
    expected = case.listed(objects.fresh())
    url = reverse(f"api:{route_name}")
    own = {row[case.list_key] for row in api("coordinator_a").get(url).json()["results"]}
    foreign = {row[case.list_key] for row in api("coordinator_b").get(url).json()["results"]}
    assert expected <= own
    assert expected & foreign == set()
    # Asking for household_a explicitly does not help either.
    narrowed = api("coordinator_b").get(url, {"household_id": objects.household.pk, "region": VILLAGE_A})
    assert narrowed.status_code in (200, 400)
    if narrowed.status_code == 200:
        assert {row[case.list_key] for row in narrowed.json()["results"]} & expected == set()


@pytest.mark.parametrize("route_name", [n for n in _names("collection") if "post" in ROUTES[n].bodies])
def test_creating_inside_another_village_is_refused_and_creates_nothing(objects, api, route_name):
    case = ROUTES[route_name]
    before = _snapshot()
    response = _call(api(case.foreign_creator), route_name, "post", objects)
    assert response.status_code == case.foreign_create_status, response.content
    assert _snapshot() == before
    created = _call(api(case.creator), route_name, "post", objects)
    assert created.status_code == 201, created.content
    assert case.created_model is not None
    assert case.created_model.objects.filter(pk=created.json()["id"]).exists()


@pytest.mark.parametrize(("route_name", "method"), WRITE_CALLS)
def test_read_only_roles_get_403_on_writes_inside_their_area(refusal_objects, api, users, route_name, method):
    # One test per route and all its read-only roles: case routes build their application once.
    objects = refusal_objects
    for role in ROUTES[route_name].read_only_roles:
        assert objects.household.region.code.startswith(users[role].region.code)
        before = _snapshot()
        response = _call(api(role), route_name, method, objects)
        assert response.status_code == 403, (role, route_name, method, response.content)
        assert response.json()["code"] == "permission_denied", role
        assert _snapshot() == before, role


@pytest.mark.parametrize("route_name", _names("calculation"))
def test_calculations_for_another_village_are_refused_like_an_unknown_region(objects, api, users, route_name):
    case = ROUTES[route_name]
    policy_version_create(
        actor=users["county_approver"], region_code=COUNTY, program_code="dibao_rural",
        effective_from=datetime.date(2024, 1, 1), params={"standard_fen": 60_000}, note="测试用标准",
    )  # fmt: skip
    [method] = api_routes()[route_name].methods
    before = _snapshot()
    foreign = _call(api("coordinator_b"), route_name, method, objects)
    assert foreign.status_code == case.foreign_create_status, foreign.content
    assert set(foreign.json()["fields"]) == {"region"}
    for role in ("coordinator_a", "township", "county_officer", *READ_ONLY_ROLES):
        response = _call(api(role), route_name, method, objects)
        assert response.status_code == 200, (role, response.content)
    assert _snapshot() == before


@pytest.mark.parametrize("route_name", _names("batch"))
def test_batches_aimed_at_another_village_change_nothing_and_work_inside_the_area(objects, api, route_name):
    case = ROUTES[route_name]
    before = _snapshot()
    foreign = _call(api(case.foreign_creator), route_name, "post", objects)
    assert foreign.status_code == case.foreign_create_status, foreign.content
    if foreign.status_code == 400:
        assert set(foreign.json()["fields"]) == {"region"}
    assert _snapshot() == before
    inside = _call(api(case.actor), route_name, "post", objects)
    assert inside.status_code == 200, inside.content
    assert _snapshot() != before


@pytest.mark.parametrize(
    ("role", "route_name", "allowed"),
    [
        ("coordinator_a", "person-reveal-id-number", True),
        ("supervisor", "person-reveal-id-number", True),
        ("county_approver", "person-reveal-id-number", True),
        ("finance", "person-reveal-id-number", False),
        ("institution", "person-reveal-id-number", False),
        ("coordinator_a", "household-reveal-account-number", False),
        ("township", "household-reveal-account-number", False),
        ("county_approver", "household-reveal-account-number", False),
        ("finance", "household-reveal-account-number", True),
        ("supervisor", "household-reveal-account-number", True),
    ],
)
def test_reveals_follow_the_role_capabilities(objects, api, role, route_name, allowed):
    before = AuditEvent.objects.count()
    response = _call(api(role), route_name, "post", objects)
    assert response.status_code == (200 if allowed else 403), response.content
    assert AuditEvent.objects.count() == before + (1 if allowed else 0)
