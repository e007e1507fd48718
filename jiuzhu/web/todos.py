"""The home page's to-do list: a list of providers, each returning one section (or None).

A later feature (applications to review, payrolls to lock…) adds its provider to `TODO_PROVIDERS`.
Providers read through scoped selectors and decide themselves whether the actor's role needs them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import has_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.cases.review_selectors import TodoReview, todo_reviews, todo_reviews_count
from jiuzhu.cases.selectors import TodoCase, applications_owed_by, todo_cases
from jiuzhu.registry.models import Household
from jiuzhu.registry.selectors import (
    households_with_members_missing_id_number,
    households_without_documents,
    registry_events_in_jurisdiction,
)
from jiuzhu.web.case_batch_selectors import batch_links
from jiuzhu.web.history import HistoryEntry, history_entries, region_ids_in
from jiuzhu.web.selectors import region_names

SECTION_LIMIT = 20


@dataclass(frozen=True)
class TodoItem:
    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class TodoSection:
    key: str
    title: str
    items: list[TodoItem] = field(default_factory=list)
    total: int = 0
    empty_text: str = ""
    events: list[HistoryEntry] = field(default_factory=list)


TodoProvider = Callable[[Any], TodoSection | None]


def _household_item(household: Household) -> TodoItem:
    return TodoItem(
        label=_("%(head)s户") % {"head": household.head_name or "—"},
        url=reverse("web:household-file", kwargs={"household_id": household.pk}),
        detail=f"{household.region.name} · {household.address}",
    )


def missing_id_numbers(actor: Any) -> TodoSection | None:
    if not has_capability(actor, Capability.REGISTRY_EDIT):
        return None
    households = households_with_members_missing_id_number(actor=actor)
    return TodoSection(
        key="missing_id_numbers",
        title=_("成员缺少身份证号的家庭"),
        items=[_household_item(h) for h in households[:SECTION_LIMIT]],
        total=households.count(),
        empty_text=_("所有在世成员均已登记身份证号。"),
    )


def missing_documents(actor: Any) -> TodoSection | None:
    if not has_capability(actor, Capability.REGISTRY_EDIT):
        return None
    households = households_without_documents(actor=actor)
    return TodoSection(
        key="missing_documents",
        title=_("尚无附件材料的家庭（请上传户口簿、身份证等扫描件）"),
        items=[_household_item(h) for h in households[:SECTION_LIMIT]],
        total=households.count(),
        empty_text=_("所有家庭均已上传附件材料。"),
    )


_CASE_STEP_CAPABILITIES = (
    Capability.CASE_INTAKE,
    Capability.CASE_ACCEPT,
    Capability.CASE_INVESTIGATE,
    Capability.CASE_VERIFY,
    Capability.CASE_TOWNSHIP_REVIEW,
    Capability.CASE_DECIDE,
)


def _case_item(case: TodoCase) -> TodoItem:
    application = case.application
    due = _("期限 %(date)s") % {"date": case.due_on.isoformat()} if case.due_on else _("无办理期限")
    if case.is_overdue or case.is_overall_overdue:
        due = _("已超期（%(due)s）") % {"due": due}
    return TodoItem(
        label=_("%(head)s户：%(step)s") % {"head": application.household.head_name or "—", "step": case.step.label},
        url=reverse("web:case-detail", kwargs={"application_id": application.pk}),
        detail=f"{application.region.name} · {application.program.name} · {due}",
    )


def cases_owed(actor: Any) -> TodoSection | None:
    """Applications waiting for a step the actor may take, earliest due first, overdue ones marked."""
    if not has_capability(actor, Capability.CASE_VIEW):
        return None
    cases = todo_cases(actor=actor, today=timezone.localdate(), limit=SECTION_LIMIT)
    if (
        not cases
        and not has_capability(actor, Capability.CASE_INTAKE)
        and not has_capability(actor, Capability.CASE_DECIDE)
    ):
        return None
    return TodoSection(
        key="cases_owed",
        title=_("待办理的救助申请"),
        items=[_case_item(case) for case in cases],
        total=applications_owed_by(actor=actor).count(),
        empty_text=_("暂无待您办理的申请。"),
    )


def batch_work(actor: Any) -> TodoSection | None:
    """The township's list work waiting now (notices, forwarding, publication), each to its batch page; shown
    only when some case waits for one of them."""
    items = [
        TodoItem(label=_("%(title)s：%(n)s 件") % {"title": link.title, "n": link.count}, url=link.url)
        for link in batch_links(actor=actor)
        if link.count
    ]
    if not items:
        return None
    return TodoSection(key="batch_work", title=_("可批量办理"), items=items, total=len(items))


def recent_changes(actor: Any) -> TodoSection | None:
    include_reads = has_capability(actor, Capability.AUDIT_VIEW) and not has_capability(actor, Capability.REGISTRY_EDIT)
    if not has_capability(actor, Capability.REGISTRY_VIEW):
        return None
    events = list(registry_events_in_jurisdiction(actor=actor, include_reads=include_reads)[:SECTION_LIMIT])
    return TodoSection(
        key="recent_events" if include_reads else "recent_changes",
        title=_("辖区近期操作记录（含查阅）") if include_reads else _("辖区近期变更"),
        total=len(events),
        empty_text=_("暂无记录。"),
        events=history_entries(events, regions=region_names(actor=actor, region_ids=region_ids_in(events))),
    )


# --- Dynamic management: reviews owed (cases.review_selectors) -------------------------------------------


def _review_url(item: TodoReview) -> str:
    """The review page when there is one (web:review-detail), else the household file."""
    if item.review is not None:
        try:
            return reverse("web:review-detail", kwargs={"review_id": item.review.pk})
        except NoReverseMatch:
            pass
    return reverse("web:household-file", kwargs={"household_id": item.entitlement.household_id})


def _review_item(item: TodoReview) -> TodoItem:
    entitlement = item.entitlement
    due = _("期限 %(date)s") % {"date": item.due_on.isoformat()} if item.due_on else _("无办理期限")
    if item.is_overdue:
        due = _("已超期（%(due)s）") % {"due": due}
    return TodoItem(
        label=_("%(head)s户：%(step)s") % {"head": entitlement.household.head_name or "—", "step": item.step_label},
        url=_review_url(item),
        detail=f"{entitlement.region.name} · {entitlement.program.name} · {due}",
    )


def reviews_owed(actor: Any) -> TodoSection | None:
    """Reviews of benefits in force waiting for the actor (to propose or decide), and periodic reviews
    falling due within 30 days with none open yet; earliest due first, overdue ones marked."""
    if not has_capability(actor, Capability.CASE_VIEW):
        return None
    today = timezone.localdate()
    items = todo_reviews(actor=actor, today=today, limit=SECTION_LIMIT)
    if (
        not items
        and not has_capability(actor, Capability.CASE_INVESTIGATE)
        and not has_capability(actor, Capability.CASE_DECIDE)
    ):
        return None
    return TodoSection(
        key="reviews_owed",
        title=_("待办理的低保复核"),
        items=[_review_item(item) for item in items],
        total=todo_reviews_count(actor=actor, today=today),
        empty_text=_("暂无待您办理的复核。"),
    )


TODO_PROVIDERS: list[TodoProvider] = [
    cases_owed,
    batch_work,
    reviews_owed,
    missing_id_numbers,
    missing_documents,
    recent_changes,
]


def todo_sections(actor: Any) -> list[TodoSection]:
    return [section for provider in TODO_PROVIDERS if (section := provider(actor)) is not None]
