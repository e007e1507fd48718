"""Reads that shape the batch pages of the township's list work (批量办理): the cases a step may be taken on
now, the skipped ones of a batch with their reason, and the notice lists (公示名单) to print.

The lists come from `cases.selectors.applications_owed_by` (jurisdiction, status, stored next step and the
capability in the case's workflow mode); nothing here writes. Who may run a batch at all mirrors
`cases.services.batch_steps`: a capability that takes the step in some status, in either workflow mode.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiuzhu.cases.access import applications_visible_to
from jiuzhu.cases.choices import NoticeStageKind, Step
from jiuzhu.cases.documents import NoticeEntry, notice_entry_for, proposed_amount_fen
from jiuzhu.cases.models import Application, PublicNotice
from jiuzhu.cases.rules import ClockLimits, notice_end, notice_has_ended
from jiuzhu.cases.selectors import applications_owed_by
from jiuzhu.cases.step_access import may_ever_take
from jiuzhu.common.exceptions import NotFoundOrNoAccess
from jiuzhu.regions.models import Region
from jiuzhu.regions.scoping import subtree_q
from jiuzhu.web.case_selectors import days_late

# The batch steps, in workflow order, with the title of their page.
BATCH_TITLES: dict[Step, Any] = {
    Step.NOTICE_START: _("村（社区）公示名单"),
    Step.FORWARD: _("批量报送审核确认"),
    Step.PUBLISH: _("批量长期公示"),
}
# The notice a batch step posts, whose list can be printed (forwarding posts none).
NOTICE_STAGE_OF_STEP = {Step.NOTICE_START: NoticeStageKind.VILLAGE_NOTICE, Step.PUBLISH: NoticeStageKind.PUBLICATION}


def may_take_batch_step(actor: Any, step: str) -> bool:
    """The actor's role takes `step` in some status and workflow mode (else the batch is a 403)."""
    return may_ever_take(actor, step)


def batch_url(step: str) -> str:
    return reverse("web:case-batch", kwargs={"step": step})


# --- The cases a step may be taken on ---------------------------------------------------------------------


def _latest_village_notice_end() -> Subquery:
    notices = PublicNotice.objects.filter(application=OuterRef("pk"), stage=NoticeStageKind.VILLAGE_NOTICE)
    return Subquery(notices.order_by("-starts_on", "-id").values("ends_on")[:1])


def batch_candidates(*, actor: Any, step: str, region_code: str = "") -> QuerySet[Application]:
    """Applications in the actor's jurisdiction waiting for `step` that the actor may take: notices after an
    agreeing opinion; forwarding after the notice (or at once after a disagreeing opinion); publication after
    approval. By village, then the earliest due. `notice_ends_on`: the latest village notice's last day."""
    applications = applications_owed_by(actor=actor).filter(next_step=step)
    if region_code:
        applications = applications.filter(subtree_q(region_code, "region__code"))
    applications = applications.select_related("applicant")
    if step == Step.FORWARD:
        applications = applications.annotate(notice_ends_on=_latest_village_notice_end())
    if step == Step.PUBLISH:
        applications = applications.select_related("decision")
    return applications.order_by("region__code", F("due_on").asc(nulls_last=True), "id")


@dataclass(frozen=True)
class BatchRow:
    application: Application
    late_days: int
    notice_ends_on: datetime.date | None  # forward: the notice's last day; notice start: if posted today
    is_ready: bool  # False: the notice is still running, so no date allowed now can forward it
    monthly_amount_fen: int | None  # publish: the approved amount


def batch_rows(applications: Iterable[Application], *, step: str, today: datetime.date) -> list[BatchRow]:
    rows = []
    for a in applications:
        ends_on = None
        if step == Step.NOTICE_START:
            ends_on = notice_end(today, ClockLimits.from_json(a.clock_limits))
        elif step == Step.FORWARD:
            ends_on = getattr(a, "notice_ends_on", None)
        ready = ends_on is None or step != Step.FORWARD or notice_has_ended(ends_on, today)
        amount = a.decision.monthly_amount_fen if step == Step.PUBLISH else None
        rows.append(
            BatchRow(
                application=a,
                late_days=days_late(a.due_on, today),
                notice_ends_on=ends_on,
                is_ready=ready,
                monthly_amount_fen=amount,
            )
        )
    return rows


@dataclass(frozen=True)
class BatchLink:
    step: Step
    title: str
    url: str
    count: int


def batch_links(*, actor: Any) -> list[BatchLink]:
    """The batch pages the actor may open, with how many cases wait on each (one query; none: no pages)."""
    allowed = [step for step in BATCH_TITLES if may_take_batch_step(actor, step)]
    if not allowed:
        return []
    owed = applications_owed_by(actor=actor).filter(next_step__in=allowed).order_by()
    counts = {row["next_step"]: row["n"] for row in owed.values("next_step").annotate(n=Count("id"))}
    return [
        BatchLink(step=step, title=str(BATCH_TITLES[step]), url=batch_url(step), count=counts.get(step, 0))
        for step in allowed
    ]


# --- The result of a batch --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkippedCase:
    application_id: int
    application: Application | None  # None: missing or outside the actor's jurisdiction
    reason: str


def batch_skipped_rows(*, actor: Any, skipped: dict[int, str]) -> list[SkippedCase]:
    found = applications_visible_to(actor).filter(pk__in=list(skipped)).select_related("household", "region")
    applications = {a.pk: a for a in found}
    return [SkippedCase(application_id=pk, application=applications.get(pk), reason=r) for pk, r in skipped.items()]


# --- Notice lists (公示名单) ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeListLink:
    """One printable list: the notices of one village and programme posted on one day, for one period."""

    region_name: str
    program_name: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    count: int
    url: str


def notice_list_url(
    step: str, region_code: str, program_code: str, starts_on: datetime.date, ends_on: datetime.date | None
) -> str:
    query = {"region": region_code, "program": program_code, "on": starts_on.isoformat()}
    if ends_on is not None:
        query["until"] = ends_on.isoformat()
    return reverse("web:case-batch-notice-list", kwargs={"step": step}) + "?" + urlencode(query)


def notice_lists(
    *,
    actor: Any,
    step: str,
    region_code: str = "",
    starts_on: datetime.date | None = None,
    application_ids: Sequence[int] | None = None,
    running_on: datetime.date | None = None,
) -> list[NoticeListLink]:
    """The printable lists of the notices `step` posts in the actor's jurisdiction: those posted on
    `starts_on` for `application_ids` (a batch just taken), or those still running on `running_on`."""
    stage = NOTICE_STAGE_OF_STEP.get(Step(step))
    if stage is None:
        return []
    notices = PublicNotice.objects.filter(application__in=applications_visible_to(actor), stage=stage)
    if region_code:
        notices = notices.filter(subtree_q(region_code, "application__region__code"))
    if starts_on is not None:
        notices = notices.filter(starts_on=starts_on)
    if application_ids is not None:
        notices = notices.filter(application_id__in=list(application_ids))
    if running_on is not None:
        notices = notices.filter(ends_on__gte=running_on)
    keys = ("application__region__code", "application__region__name", "application__program__code")
    groups = (
        notices.values(*keys, "application__program__name", "starts_on", "ends_on")
        .annotate(count=Count("id"))
        .order_by("application__region__code", "application__program__code", "-starts_on", "ends_on")
    )
    return [
        NoticeListLink(
            region_name=g["application__region__name"],
            program_name=g["application__program__name"],
            starts_on=g["starts_on"],
            ends_on=g["ends_on"],
            count=g["count"],
            url=notice_list_url(
                step, g["application__region__code"], g["application__program__code"], g["starts_on"], g["ends_on"]
            ),
        )
        for g in groups
    ]


@dataclass(frozen=True)
class NoticeList:
    """What a printed notice list shows (cases.documents.notice_list_pdf) and the cases it lists."""

    region: Region
    program_name: str
    stage: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    entries: list[NoticeEntry]
    applications: list[Application]


def notice_list_get(
    *,
    actor: Any,
    step: str,
    region_code: str,
    program_code: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
) -> NoticeList:
    """The notices `step` posted on `starts_on` (ending on `ends_on`) for the applications of one village and
    programme in the actor's jurisdiction; NotFoundOrNoAccess when there are none. A village notice shows the
    amount the calculator gives on its first day, a long-term publication the approved amount."""
    stage = NOTICE_STAGE_OF_STEP.get(Step(step))
    if stage is None:
        raise NotFoundOrNoAccess()
    notices = list(
        PublicNotice.objects.filter(
            application__in=applications_visible_to(actor),
            stage=stage,
            starts_on=starts_on,
            ends_on=ends_on,
            application__region__code=region_code,
            application__program__code=program_code,
        )
        .select_related("application", "application__region", "application__program", "application__household")
        .order_by("application_id", "id")
    )
    applications = list({n.application_id: n.application for n in notices}.values())
    if not applications:
        raise NotFoundOrNoAccess()
    village = stage == NoticeStageKind.VILLAGE_NOTICE
    entries = [notice_entry_for(a, proposed_amount_fen(a, starts_on) if village else None) for a in applications]
    first = applications[0]
    return NoticeList(
        region=first.region, program_name=first.program.name, stage=stage, starts_on=starts_on, ends_on=ends_on,
        entries=entries, applications=applications,
    )  # fmt: skip
