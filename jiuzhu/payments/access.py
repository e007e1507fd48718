"""Who sees which payroll. A payroll covers a region; everyone whose jurisdiction overlaps it may see
it (a county's payroll is seen by the county and by each township and village in it), and each sees
only the lines of their own subtree (`payroll_lines_visible_to`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from jiuzhu.accounts.jurisdiction import jurisdiction_q
from jiuzhu.common.exceptions import NotFoundOrNoAccess
from jiuzhu.payments.models import Fund, Payroll, PayrollLine
from jiuzhu.programs.rules.resolution import ancestor_codes


def payrolls_visible_to(actor: Any) -> QuerySet[Payroll]:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return Payroll.objects.none()
    visible = jurisdiction_q(actor, "region__code")
    if actor.jurisdiction_prefix:
        visible |= Q(region__code__in=ancestor_codes(actor.jurisdiction_prefix))
    return Payroll.objects.filter(visible).select_related("region", "program")


def payroll_lines_visible_to(actor: Any, payroll: Payroll) -> QuerySet[PayrollLine]:
    return PayrollLine.objects.filter(Q(payroll=payroll) & jurisdiction_q(actor, "region__code"))


def access_payroll_for_view(actor: Any, payroll_id: Any) -> Payroll:
    try:
        return payrolls_visible_to(actor).get(pk=int(payroll_id))
    except (Payroll.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrNoAccess() from None


def access_payroll_for_change(actor: Any, payroll_id: Any, *, lock: bool = False) -> Payroll:
    """A payroll inside the actor's jurisdiction (changing one needs the whole of it in reach)."""
    queryset = Payroll.objects.filter(jurisdiction_q(actor, "region__code")).select_related("region", "program")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=int(payroll_id))
    except (Payroll.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrNoAccess() from None


def funds_visible_to(actor: Any) -> QuerySet[Fund]:
    """Funds of the actor's subtree and of the regions above it (a township sees its county's funds)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return Fund.objects.none()
    visible = jurisdiction_q(actor, "region__code")
    if actor.jurisdiction_prefix:
        visible |= Q(region__code__in=ancestor_codes(actor.jurisdiction_prefix))
    return Fund.objects.filter(visible).select_related("region", "program")


def access_fund_for_view(actor: Any, fund_id: Any) -> Fund:
    try:
        return funds_visible_to(actor).get(pk=int(fund_id))
    except (Fund.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrNoAccess() from None


def access_fund_for_change(actor: Any, fund_id: Any, *, lock: bool = False) -> Fund:
    queryset = Fund.objects.filter(jurisdiction_q(actor, "region__code")).select_related("region", "program")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=int(fund_id))
    except (Fund.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrNoAccess() from None
