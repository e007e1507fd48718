"""The village notice boards (村务公开栏) of the benefits in force: per village and programme, the
households being paid this month — the head's name, the household's size and the monthly amount,
nothing else (DOMAIN §3.7) — for one village or all villages of a township at once."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery

from jiuzhu.accounts.jurisdiction import require_capability, require_region_in_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.cases.documents import NoticeEntry
from jiuzhu.cases.models import AmountChange, Entitlement
from jiuzhu.regions.models import Region
from jiuzhu.regions.scoping import subtree_q


@dataclass(frozen=True)
class NoticeBoard:
    region: Region
    program_name: str
    entries: list[NoticeEntry]

    @property
    def total_fen(self) -> int:
        return sum(entry.monthly_amount_fen or 0 for entry in self.entries)


def notice_boards(*, actor: Any, region_code: str, on: datetime.date) -> list[NoticeBoard]:
    """The boards of every village in `region_code`'s subtree with a benefit paid in `on`'s month."""
    require_capability(actor, Capability.CASE_VIEW)
    require_region_in_jurisdiction(actor, region_code)
    month = on.replace(day=1)
    amount = Subquery(
        AmountChange.objects.filter(entitlement=OuterRef("pk"), effective_month__lte=month)
        .order_by("-effective_month", "-pk")
        .values("amount_fen")[:1]
    )
    in_force = (
        Entitlement.objects.filter(subtree_q(region_code, "region__code"))
        .annotate(amount=amount)
        .filter(amount__gt=0)
        .annotate(
            living=Count(
                "household__members",
                filter=Q(household__members__death_date__isnull=True, household__members__is_co_resident=True),
            )
        )
        .select_related("household", "region", "program")
        .order_by("region__code", "program__code", "household__head_name", "pk")
    )
    boards: list[NoticeBoard] = []
    for entitlement in in_force:
        entry = NoticeEntry(
            name=entitlement.household.head_name,
            household_size=entitlement.living,
            monthly_amount_fen=entitlement.amount,
        )
        if boards and boards[-1].region == entitlement.region and boards[-1].program_name == entitlement.program.name:
            boards[-1].entries.append(entry)
        else:
            boards.append(NoticeBoard(entitlement.region, entitlement.program.name, [entry]))
    return boards
