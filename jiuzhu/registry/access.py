"""Access to registry objects by id: the only way views and the API fetch one.

Scoped by the actor's jurisdiction (accounts.jurisdiction); anything outside it is reported
exactly like a missing object.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jiuzhu.accounts.jurisdiction import require_capability, scope_to_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.common.exceptions import NotFoundOrNoAccess
from jiuzhu.registry.models import Asset, Document, Household, IncomeItem, Person

HOUSEHOLD_REGION_CODE = "region__code"
MEMBER_REGION_CODE = "household__region__code"


def households_visible_to(actor: Any) -> QuerySet[Household]:
    return scope_to_jurisdiction(Household.objects.all(), actor, HOUSEHOLD_REGION_CODE)


def persons_visible_to(actor: Any) -> QuerySet[Person]:
    return scope_to_jurisdiction(Person.objects.all(), actor, MEMBER_REGION_CODE)


def income_items_visible_to(actor: Any) -> QuerySet[IncomeItem]:
    return scope_to_jurisdiction(IncomeItem.objects.all(), actor, MEMBER_REGION_CODE)


def assets_visible_to(actor: Any) -> QuerySet[Asset]:
    return scope_to_jurisdiction(Asset.objects.all(), actor, MEMBER_REGION_CODE)


def documents_visible_to(actor: Any) -> QuerySet[Document]:
    return scope_to_jurisdiction(Document.objects.filter(is_removed=False), actor, MEMBER_REGION_CODE)


def _get(queryset: QuerySet[Any], pk: Any, lock: bool) -> Any:
    if lock:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(pk=int(pk))
    except (ValueError, TypeError, queryset.model.DoesNotExist):
        raise NotFoundOrNoAccess() from None


def access_household_for_view(actor: Any, household_id: Any) -> Household:
    require_capability(actor, Capability.REGISTRY_VIEW)
    household: Household = _get(
        households_visible_to(actor).select_related("region", "region__parent"), household_id, False
    )
    return household


def access_household_for_edit(actor: Any, household_id: Any, *, lock: bool = False) -> Household:
    # Scope first so an off-limits household is a 404 even for a read-only role.
    household: Household = _get(households_visible_to(actor), household_id, lock)
    require_capability(actor, Capability.REGISTRY_EDIT)
    return household


def access_person_for_view(actor: Any, person_id: Any) -> Person:
    require_capability(actor, Capability.REGISTRY_VIEW)
    person: Person = _get(persons_visible_to(actor).select_related("household", "household__region"), person_id, False)
    return person


def access_person_for_edit(actor: Any, person_id: Any, *, lock: bool = False) -> Person:
    person: Person = _get(persons_visible_to(actor), person_id, lock)
    require_capability(actor, Capability.REGISTRY_EDIT)
    return person


def access_income_item_for_edit(actor: Any, item_id: Any, *, lock: bool = False) -> IncomeItem:
    item: IncomeItem = _get(income_items_visible_to(actor), item_id, lock)
    require_capability(actor, Capability.REGISTRY_EDIT)
    return item


def access_asset_for_edit(actor: Any, asset_id: Any, *, lock: bool = False) -> Asset:
    asset: Asset = _get(assets_visible_to(actor), asset_id, lock)
    require_capability(actor, Capability.REGISTRY_EDIT)
    return asset


def access_document_for_view(actor: Any, document_id: Any) -> Document:
    require_capability(actor, Capability.REGISTRY_VIEW)
    document: Document = _get(
        documents_visible_to(actor).select_related("household", "household__region"), document_id, False
    )
    return document


def access_document_for_edit(actor: Any, document_id: Any, *, lock: bool = False) -> Document:
    document: Document = _get(documents_visible_to(actor), document_id, lock)
    require_capability(actor, Capability.REGISTRY_EDIT)
    return document
