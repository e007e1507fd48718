"""Set-based writes of generated households: a batch is one statement per table.

Per batch: households, persons (ID numbers sealed: encrypted, keyed digest, masked), membership
periods, income items, assets, cohort rows and one HOUSEHOLD_GENERATED audit event per household
(actor none, reason 演示数据生成). Nothing is saved row by row, nothing outside the batch is kept.

Why not `bulk_create`: Django compiles every value of every row in Python (about 10 µs each), which
made the insert compiler the largest cost of a million-household run. Here each table gets one
statement per batch: `executemany` of a prepared INSERT on SQLite, `COPY … FROM STDIN` on
PostgreSQL (multi-row INSERTs spent most of their time in psycopg's client-side query parser).
The ids of households and persons are reserved first (the PostgreSQL sequence, or the next rowids
under SQLite's write lock), so a household row already names its head: the foreign keys are
deferred to commit on both databases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.sensitive import Sealed, seal_account_number, seal_id_number
from jiuzhu.demo.ids import IdNumberAllocator
from jiuzhu.demo.models import DemoHousehold
from jiuzhu.demo.people import HouseholdSpec, PersonSpec
from jiuzhu.registry.choices import HouseholdStatus, MembershipEndReason, Relation
from jiuzhu.registry.models import Asset, Household, IncomeItem, MembershipPeriod, Person
from jiuzhu.registry.rules.names import name_initials

AUDIT_REASON = "演示数据生成"
_LOOKUP_CHUNK = 500
_MISSING = object()


@dataclass(frozen=True)
class BatchResult:
    households: int
    persons: int


class _Table:
    """One prepared INSERT for a model: every concrete column; values not given get the ORM's defaults."""

    def __init__(self, model: type[models.Model], *, with_pk: bool) -> None:
        quote = connection.ops.quote_name
        fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.columns = [f.attname for f in fields]
        # Identifiers come from the model's metadata (quoted), values are parameters.
        target = "{} ({})".format(quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields))
        self.insert_sql = "INSERT INTO {} VALUES ({})".format(target, ", ".join(["%s"] * len(fields)))  # noqa: S608
        self.copy_sql = f"COPY {target} FROM STDIN"
        now = timezone.now()
        self.fill: list[tuple[Any, Callable[[Any], Any] | None]] = []
        for f in fields:
            convert = None
            if isinstance(f, models.DateTimeField | models.DecimalField | models.JSONField):
                convert = partial(f.get_db_prep_save, connection=connection)
            # The same defaults as the ORM: auto_now(_add) is now; otherwise Field.get_default().
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default: Any = now
            elif f.has_default() and callable(f.default):
                default = f.default
            else:
                default = f.get_default()
            if convert is not None and default is not None and not callable(default):
                default = convert(default)  # e.g. `now` for created_at, converted once
            self.fill.append((default, convert))

    def insert(self, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        last: list[tuple[Any, Any]] = [(_MISSING, None)] * len(self.columns)  # the same object twice: convert once
        params = []
        for row in rows:
            values = []
            for i, (column, (default, convert)) in enumerate(zip(self.columns, self.fill, strict=True)):
                value = row.get(column, _MISSING)
                if value is _MISSING and not callable(default):
                    value = default  # already converted
                else:
                    if value is _MISSING:
                        value = default()
                    if convert is not None and value is not None:
                        if last[i][0] is not value:
                            last[i] = (value, convert(value))
                        value = last[i][1]
                values.append(value)
            params.append(values)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY streams the rows in one round trip; psycopg adapts each value as for a query.
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for values in params:
                        copy.write_row(values)
            else:
                cursor.executemany(self.insert_sql, params)  # SQLite: one prepared statement, reused


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for `count` new rows. Call inside the batch's transaction."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor != "sqlite":
            raise NotImplementedError(connection.vendor)
        # The transaction holds SQLite's write lock (BEGIN IMMEDIATE), so nobody else takes these rowids.
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX(id) FROM {connection.ops.quote_name(table)}), 0), "  # noqa: S608
            "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        start = int(cursor.fetchone()[0]) + 1
        return list(range(start, start + count))


def _seal_unique(persons: Sequence[tuple[str, PersonSpec]], allocator: IdNumberAllocator) -> list[Sealed]:
    """Allocate and seal an ID number per person, skipping any number the registry already holds."""
    seals: list[Sealed] = []
    for address_code, person in persons:
        person.id_number = allocator.allocate(address_code, person.birth_date, male=person.is_male)
        seals.append(seal_id_number(person.id_number))
    pending = list(range(len(persons)))
    while pending:
        taken: set[str] = set()
        for start in range(0, len(pending), _LOOKUP_CHUNK):
            digests = [seals[i].digest for i in pending[start : start + _LOOKUP_CHUNK]]
            found = Person.objects.filter(id_number_digest__in=digests).values_list("id_number_digest", flat=True)
            taken.update(d for d in found if d)
        pending = [i for i in pending if seals[i].digest in taken]
        for i in pending:
            address_code, person = persons[i]
            person.id_number = allocator.allocate(address_code, person.birth_date, male=person.is_male)
            seals[i] = seal_id_number(person.id_number)
    return seals


def _household_row(pk: int, head_pk: int, spec: HouseholdSpec, defer: bool) -> dict[str, Any]:
    head = spec.head
    row = {
        "id": pk,
        "region_id": spec.region_id,
        "hukou_type": spec.hukou_type,
        "address": spec.address,
        "head_id": head_pk,
        "head_name": head.name,
        "head_name_initials": name_initials(head.name),
        "status": HouseholdStatus.ACTIVE if defer and any(p.death_pending for p in spec.members) else spec.status,
        "bank_name": spec.bank_name,
        "account_holder": spec.account_holder,
        "notes": spec.notes,
    }
    if spec.account_number:
        sealed = seal_account_number(spec.account_number)
        row.update(
            account_number_ciphertext=sealed.ciphertext,
            account_number_digest=sealed.digest,
            account_number_masked=sealed.masked,
        )
    return row


def _person_row(pk: int, household_id: int, p: PersonSpec, sealed: Sealed, defer: bool) -> dict[str, Any]:
    return {
        "id": pk,
        "household_id": household_id,
        "relation": p.relation,
        "name": p.name,
        "name_initials": name_initials(p.name),
        "id_number_ciphertext": sealed.ciphertext,
        "id_number_digest": sealed.digest,
        "id_number_masked": sealed.masked,
        "sex": p.sex,
        "birth_date": p.birth_date,
        "ethnicity": p.ethnicity,
        "marital_status": p.marital_status,
        "education": p.education,
        "is_student": p.is_student,
        "employment": p.employment,
        "work_ability": p.work_ability,
        "supporter": p.supporter,
        "disability_category": p.disability_category,
        "disability_grade": p.disability_grade,
        "has_serious_illness": p.has_serious_illness,
        "illness_description": p.illness_description,
        "is_cadre": p.is_cadre,
        "is_cadre_relative": p.is_cadre_relative,
        # A death the demo history records through the services later is not in the file yet.
        "is_co_resident": True if p.death_pending and defer else p.is_co_resident,
        "death_date": None if p.death_pending and defer else p.death_date,
    }


def write_households(
    specs: Sequence[HouseholdSpec], *, allocator: IdNumberAllocator, dataset: str, defer_deaths: bool = False
) -> BatchResult:
    """Insert one batch of generated households with everything that belongs to them. `defer_deaths`:
    deaths of 2012 that change a benefit are left for the demo history to record through the services."""
    flat = [(spec.region_code[:6], person) for spec in specs for person in spec.members]
    with transaction.atomic():
        seals = _seal_unique(flat, allocator)
        household_ids = _reserve_ids(Household, len(specs))
        person_ids = iter(_reserve_ids(Person, len(flat)))
        sealed = iter(seals)
        households: list[dict[str, Any]] = []
        persons: list[dict[str, Any]] = []
        rows: dict[str, list[dict[str, Any]]] = {"memberships": [], "incomes": [], "assets": [], "cohorts": []}
        events: list[dict[str, Any]] = []
        now = timezone.now()
        for household_id, spec in zip(household_ids, specs, strict=True):
            member_ids = [next(person_ids) for _ in spec.members]
            head_id = next(pk for pk, p in zip(member_ids, spec.members, strict=True) if p.relation == Relation.HEAD)
            households.append(_household_row(household_id, head_id, spec, defer_deaths))
            persons.extend(
                _person_row(pk, household_id, p, next(sealed), defer_deaths)
                for pk, p in zip(member_ids, spec.members, strict=True)
            )
            codes = _dependants(household_id, spec, member_ids, dataset, rows, defer_deaths)
            events.append(
                {
                    "occurred_at": now,
                    "actor_id": None,
                    "actor_role": "",
                    "event_type": int(AuditEventType.HOUSEHOLD_GENERATED),
                    "subject_type": "registry.household",
                    "subject_id": household_id,
                    "region_code": spec.region_code,
                    "before": {},
                    "after": {"head_name": spec.head.name, "member_count": len(spec.members), "cohorts": codes},
                    "reason": AUDIT_REASON,
                    "request_id": "",
                }
            )
        _Table(Household, with_pk=True).insert(households)
        _Table(Person, with_pk=True).insert(persons)
        _Table(MembershipPeriod, with_pk=False).insert(rows["memberships"])
        _Table(IncomeItem, with_pk=False).insert(rows["incomes"])
        _Table(Asset, with_pk=False).insert(rows["assets"])
        _Table(DemoHousehold, with_pk=False).insert(rows["cohorts"])
        _Table(AuditEvent, with_pk=False).insert(events)
    return BatchResult(households=len(households), persons=len(persons))


def _dependants(
    household_id: int,
    spec: HouseholdSpec,
    member_ids: list[int],
    dataset: str,
    rows: dict[str, list[dict[str, Any]]],
    defer: bool,
) -> list[str]:
    """Membership periods, incomes, assets and cohort rows of one household; returns its cohort codes."""
    codes: set[str] = set()
    for person_id, p in zip(member_ids, spec.members, strict=True):
        rows["memberships"].append(
            {
                "person_id": person_id,
                "household_id": household_id,
                "relation": p.relation,
                "started_on": p.started_on,
                "ended_on": None if p.death_pending and defer else p.death_date,
                "end_reason": MembershipEndReason.DIED if p.death_date and not (p.death_pending and defer) else "",
            }
        )
        rows["incomes"].extend(
            {
                "household_id": household_id,
                "person_id": person_id,
                "kind": i.kind,
                "monthly_amount_fen": i.amount_fen,
                "source": i.source,
                "description": i.description,
                "recorded_on": i.recorded_on,
            }
            for i in p.incomes
        )
        for cohort, attributes in p.cohorts:
            codes.add(cohort)
            rows["cohorts"].append(
                {
                    "household_id": household_id,
                    "person_id": person_id,
                    "cohort": cohort,
                    "dataset": dataset,
                    "attributes": attributes,
                }
            )
    for cohort, attributes in spec.cohorts:
        codes.add(cohort)
        rows["cohorts"].append(
            {
                "household_id": household_id,
                "person_id": None,
                "cohort": cohort,
                "dataset": dataset,
                "attributes": attributes,
            }
        )
    rows["assets"].extend(
        {
            "household_id": household_id,
            "person_id": None,
            "kind": a.kind,
            "description": a.description,
            "value_fen": a.value_fen,
            "quantity": a.quantity,
            "floor_area_sqm": a.floor_area_sqm,
            "recorded_on": a.recorded_on,
        }
        for a in spec.assets
    )
    return sorted(codes)
