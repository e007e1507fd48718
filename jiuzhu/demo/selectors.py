"""Reads over generated data: a content digest to prove that two runs built the same registry."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from jiuzhu.regions.scoping import subtree_q
from jiuzhu.registry.models import Household, IncomeItem, Person


def demo_registry_digest(*, region_code: str) -> str:
    """SHA-256 over every household under `region_code`, independent of database ids and row order.

    Per household: village code, head name, and sorted (member name, masked ID number, birth date)
    and (income kind, amount in fen, member name) tuples.
    """
    households = {
        pk: (code, head or "")
        for pk, code, head in Household.objects.filter(subtree_q(region_code, "region__code")).values_list(
            "pk", "region__code", "head__name"
        )
    }
    members: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    names: dict[int, str] = {}
    persons = Person.objects.filter(subtree_q(region_code, "household__region__code"))
    for pk, household_id, name, masked, born in persons.values_list(
        "pk", "household_id", "name", "id_number_masked", "birth_date"
    ):
        members[household_id].append((name, masked, born.isoformat()))
        names[pk] = name
    incomes: dict[int, list[tuple[str, int, str]]] = defaultdict(list)
    items = IncomeItem.objects.filter(subtree_q(region_code, "household__region__code"))
    for household_id, person_id, kind, amount in items.values_list(
        "household_id", "person_id", "kind", "monthly_amount_fen"
    ):
        incomes[household_id].append((kind, amount, names.get(person_id, "")))
    rows = sorted(
        (code, head, tuple(sorted(members[pk])), tuple(sorted(incomes[pk]))) for pk, (code, head) in households.items()
    )
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(row).encode())
    return digest.hexdigest()
