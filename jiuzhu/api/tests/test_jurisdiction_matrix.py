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
- read-only roles (supervisor, county approver, finance, institution staff) get 403 on every
  write inside their own area, and nothing changes;
- calculations (a POST that computes from a region and saves nothing, e.g. the dibao trial
  calculation) aimed at household_a's village are refused for coordinator_b like an unknown region
  (400 on the region field), answered for everyone in the area, read-only roles included, and
  never change anything.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from jiuzhu.audit.models import AuditEvent
from jiuzhu.programs.services.policy import policy_version_create
from jiuzhu.registry.models import Asset, Household, IncomeItem, Person
from jiuzhu.registry.services.households import household_update
from jiuzhu.registry.types import HouseholdData
from jiuzhu.testing.builders import COUNTY, VILLAGE_A, new_id_number

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
READ_ONLY_ROLES = ("supervisor", "county_approver", "finance", "institution")


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

    def fresh(self) -> Objects:
        return Objects(
            household=Household.objects.get(pk=self.household.pk),
            spouse=Person.objects.get(pk=self.spouse.pk),
            income=IncomeItem.objects.get(pk=self.income.pk),
            asset=Asset.objects.get(pk=self.asset.pk),
        )


Builder = Callable[[Objects], dict[str, Any]]


@dataclass(frozen=True)
class Case:
    kind: str  # "public" | "fallback" | "collection" | "object" | "calculation"
    kwargs: Builder | None = None  # path parameters aimed at household_a's objects
    bodies: Mapping[str, Builder] = field(default_factory=dict)  # valid input per method
    query: Mapping[str, Builder] = field(default_factory=dict)
    listed: Callable[[Objects], set[Any]] | None = None  # household_a's objects a list must not leak
    list_key: str = "id"
    reads_only: bool = False  # a POST that shows data (reveal), not a write
    created_model: type | None = None
    foreign_create_status: int = 404


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
    for name in _names("object") + _names("collection")
    if name in _RESOLVED and not ROUTES[name].reads_only
    for method in sorted(_RESOLVED[name].methods - {"get"})
]


# --- Fixtures and helpers -------------------------------------------------------------------------


@pytest.fixture
def objects(world, finances) -> Objects:
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
    return Objects(household=household, spouse=spouse, income=finances["income"], asset=finances["asset"]).fresh()


def _snapshot() -> tuple[Any, ...]:
    return (
        list(Household.objects.order_by("pk").values()),
        list(Person.objects.order_by("pk").values()),
        list(IncomeItem.objects.order_by("pk").values()),
        list(Asset.objects.order_by("pk").values()),
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
        if case.kind in ("object", "collection", "calculation"):
            missing = [m for m in route.methods - {"get"} if m not in case.bodies and m not in case.query]
            assert missing == [], f"{name}: no valid request input for {missing}"


@pytest.mark.parametrize("route_name", _names("object"))
def test_other_village_gets_404_like_a_missing_object_and_nothing_changes(objects, api, route_name):
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
    response = _call(api("county_officer"), route_name, method, objects)
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
    response = _call(api("coordinator_b"), route_name, "post", objects)
    assert response.status_code == case.foreign_create_status, response.content
    assert _snapshot() == before
    created = _call(api("coordinator_a"), route_name, "post", objects)
    assert created.status_code == 201, created.content
    assert case.created_model is not None
    assert case.created_model.objects.filter(pk=created.json()["id"]).exists()


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
@pytest.mark.parametrize(("route_name", "method"), WRITE_CALLS)
def test_read_only_roles_get_403_on_writes_inside_their_area(objects, api, users, role, route_name, method):
    assert objects.household.region.code.startswith(users[role].region.code)
    before = _snapshot()
    response = _call(api(role), route_name, method, objects)
    assert response.status_code == 403, (role, route_name, method, response.content)
    assert response.json()["code"] == "permission_denied"
    assert _snapshot() == before


@pytest.mark.parametrize("route_name", _names("calculation"))
def test_calculations_for_another_village_are_refused_like_an_unknown_region(objects, api, users, route_name):
    case = ROUTES[route_name]
    policy_version_create(
        actor=users["county_approver"], region_code=COUNTY, program_code="dibao_rural",
        effective_from=datetime.date(2024, 1, 1), params={"standard_fen": 60_000}, note="测试用标准",
    )  # fmt: skip
    before = _snapshot()
    foreign = _call(api("coordinator_b"), route_name, "post", objects)
    assert foreign.status_code == case.foreign_create_status, foreign.content
    assert set(foreign.json()["fields"]) == {"region"}
    for role in ("coordinator_a", "township", "county_officer", *READ_ONLY_ROLES):
        response = _call(api(role), route_name, "post", objects)
        assert response.status_code == 200, (role, response.content)
    assert _snapshot() == before


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
