"""Workflow steps the township takes for a list of cases at once (批量办理).

In practice the village notice is posted as one list (公示名单), files are forwarded to the county in
a batch when their notices end (报送), and the month's approvals go onto the long-term board as one
list (长期公示). These services take such a list: each case gets exactly the checks of the one-case
service (jurisdiction, capability, version, order and the step's own rules, shared with it); a case
that fails one is skipped with the reason, the others go ahead. Rows are written with `common.bulk`
and one audit event per case; each call is one durable transaction.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.access import access_applications_for_steps
from jiuzhu.cases.choices import AmountChangeKind, ApplicationStatus, EntitlementStatus, NoticeStageKind, Step
from jiuzhu.cases.models import AmountChange, Application, Decision, Entitlement, PublicNotice, TownshipOpinion
from jiuzhu.cases.review_selectors import review_facts_many
from jiuzhu.cases.rules import ClockLimits, notice_end
from jiuzhu.cases.services.decision import publish_check
from jiuzhu.cases.services.dynamic import check_date, review_schedule_for
from jiuzhu.cases.services.review import forward_check, notice_start_check
from jiuzhu.cases.services.steps import check_step, finish_steps_many, step_date
from jiuzhu.cases.step_access import require_may_ever_take
from jiuzhu.cases.workflow import Transition
from jiuzhu.common.bulk import insert_rows
from jiuzhu.common.exceptions import DomainError
from jiuzhu.programs.selectors import configuration_held, dibao_policy_get

BATCH_STEPS = (Step.NOTICE_START, Step.FORWARD, Step.PUBLISH)


@dataclass
class StepBatchResult:
    """The cases whose step was taken, and those skipped with the reason (Chinese)."""

    done: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)


def _batch_day(value: datetime.date | None, field_name: str) -> datetime.date:
    """The list's date: today by default, never in the future (each case's own start is checked by
    `step_date` in `_begin_many`)."""
    return check_date(value, datetime.date.min, field_name)


def _begin_many(
    actor: Any, items: Mapping[int, int], step: Step, day: datetime.date
) -> tuple[list[tuple[Application, Transition]], StepBatchResult]:
    """Lock the listed applications (id → expected version) and check each as `begin_step` does; a
    role that may never take the step is refused outright (403)."""
    require_may_ever_take(actor, step)
    result = StepBatchResult()
    wanted = list(dict.fromkeys(int(pk) for pk in items))
    found = access_applications_for_steps(actor, wanted)
    ready = []
    for pk in wanted:
        application = found.get(pk)
        if application is None:
            result.skipped[pk] = _("申请不存在或不在您的辖区内。")
            continue
        try:
            transition = check_step(actor=actor, application=application, expected_version=items[pk], step=step)
            step_date(day, application, "on")
        except DomainError as error:
            result.skipped[pk] = error.user_message
            continue
        ready.append((application, transition))
    return ready, result


def _moved(application: Application, transition: Transition, from_statuses: dict[int, str]) -> None:
    from_statuses[application.pk] = application.status
    application.status = ApplicationStatus(transition.to_status or application.status)


def _latest_opinions(applications: Sequence[Application]) -> dict[int, TownshipOpinion]:
    """Each application's latest opinion of its current round."""
    rounds = {a.pk: a.round for a in applications}
    latest: dict[int, TownshipOpinion] = {}
    opinions = TownshipOpinion.objects.filter(application_id__in=list(rounds)).order_by("given_on", "id")
    for opinion in opinions:
        if opinion.round == rounds[opinion.application_id]:
            latest[opinion.application_id] = opinion
    return latest


@transaction.atomic(durable=True)
def notices_start_many(
    *, actor: Any, items: Mapping[int, int], starts_on: datetime.date | None = None
) -> StepBatchResult:
    """Post the listed cases' agreeing opinions on their village notice boards from `starts_on`
    (default today), each for its policy's notice period. Writes NOTICE_STARTED per case."""
    day = _batch_day(starts_on, "starts_on")
    with configuration_held():
        ready, result = _begin_many(actor, items, Step.NOTICE_START, day)
        opinions = _latest_opinions([a for a, _t in ready])
        started: list[Application] = []
        notices: list[dict[str, Any]] = []
        from_statuses: dict[int, str] = {}
        after: dict[int, dict[str, Any]] = {}
        for application, transition in ready:
            try:
                notice_start_check(opinions.get(application.pk), day)
            except DomainError as error:
                result.skipped[application.pk] = error.user_message
                continue
            ends_on = notice_end(day, ClockLimits.from_json(application.clock_limits))
            notices.append(
                {
                    "application_id": application.pk,
                    "stage": NoticeStageKind.VILLAGE_NOTICE.value,
                    "starts_on": day,
                    "ends_on": ends_on,
                    "posted_by_id": actor.pk,
                }
            )
            _moved(application, transition, from_statuses)
            after[application.pk] = {"starts_on": day.isoformat(), "ends_on": ends_on.isoformat()}
            started.append(application)
        insert_rows(PublicNotice, notices)
        finish_steps_many(
            actor=actor,
            applications=started,
            from_statuses=from_statuses,
            step=Step.NOTICE_START,
            on=day,
            event_type=AuditEventType.NOTICE_STARTED,
            fields=["status"],
            after=after,
        )
    result.done = [a.pk for a in started]
    return result


def _latest_village_notices(application_ids: Sequence[int]) -> dict[int, PublicNotice]:
    latest: dict[int, PublicNotice] = {}
    for notice in PublicNotice.objects.filter(
        application_id__in=list(application_ids), stage=NoticeStageKind.VILLAGE_NOTICE
    ).order_by("starts_on", "id"):
        latest[notice.application_id] = notice
    return latest


@transaction.atomic(durable=True)
def applications_forward_many(
    *, actor: Any, items: Mapping[int, int], forwarded_on: datetime.date | None = None
) -> StepBatchResult:
    """Forward the listed files for confirmation on `forwarded_on` (default today): those whose village
    notice has ended, or whose opinion disagrees. Writes APPLICATION_FORWARDED per case."""
    day = _batch_day(forwarded_on, "forwarded_on")
    with configuration_held():
        ready, result = _begin_many(actor, items, Step.FORWARD, day)
        applications = [a for a, _t in ready]
        notices = _latest_village_notices([a.pk for a in applications])
        opinions = _latest_opinions(applications)
        forwarded: list[Application] = []
        from_statuses: dict[int, str] = {}
        for application, transition in ready:
            try:
                forward_check(application, notices.get(application.pk), opinions.get(application.pk), day)
            except DomainError as error:
                result.skipped[application.pk] = error.user_message
                continue
            _moved(application, transition, from_statuses)
            application.forwarded_on = day
            forwarded.append(application)
        finish_steps_many(
            actor=actor,
            applications=forwarded,
            from_statuses=from_statuses,
            step=Step.FORWARD,
            on=day,
            event_type=AuditEventType.APPLICATION_FORWARDED,
            fields=["status", "forwarded_on"],
        )
    result.done = [a.pk for a in forwarded]
    return result


@transaction.atomic(durable=True)
def applications_publish_many(
    *, actor: Any, items: Mapping[int, int], published_on: datetime.date | None = None
) -> StepBatchResult:
    """Publish the listed approvals on the long-term notice board on `published_on` (default today) and
    put each benefit in force, exactly as `application_publish` does for one. Writes
    APPLICATION_PUBLISHED per case."""
    day = _batch_day(published_on, "published_on")
    with configuration_held():
        ready, result = _begin_many(actor, items, Step.PUBLISH, day)
        decisions = {d.application_id: d for d in Decision.objects.filter(application_id__in=[a.pk for a, _t in ready])}
        checked: list[tuple[Application, Transition, Decision]] = []
        for application, transition in ready:
            decision = decisions[application.pk]
            try:
                publish_check(decision, day)
            except DomainError as error:
                result.skipped[application.pk] = error.user_message
                continue
            checked.append((application, transition, decision))
        by_day: dict[datetime.date, list[int]] = defaultdict(list)
        for application, _t, decision in checked:
            by_day[decision.decided_on].append(application.household_id)
        facts = {
            (on, pk): f
            for on, ids in by_day.items()
            for pk, f in review_facts_many(household_ids=ids, as_of=on).items()
        }
        published: list[Application] = []
        from_statuses: dict[int, str] = {}
        entitlements: list[dict[str, Any]] = []
        for application, transition, decision in checked:
            assert decision.first_payment_month is not None
            policy = dibao_policy_get(
                region_code=application.region.code, program_code=application.program.code, on=decision.decided_on
            )
            schedule = review_schedule_for(
                facts[(decision.decided_on, application.household_id)], policy, decision.decided_on
            )
            entitlements.append(
                {
                    "application_id": application.pk,
                    "household_id": application.household_id,
                    "program_id": application.program_id,
                    "region_id": application.region_id,
                    "first_month": decision.first_payment_month,
                    "monthly_amount_fen": decision.monthly_amount_fen,
                    "review_class": schedule.review_class,
                    "last_reviewed_on": decision.decided_on,
                    "next_review_on": schedule.next_review_on,
                }
            )
            _moved(application, transition, from_statuses)
            application.published_on = day
            published.append(application)
        insert_rows(
            PublicNotice,
            [
                {
                    "application_id": a.pk,
                    "stage": NoticeStageKind.PUBLICATION.value,
                    "starts_on": day,
                    "ends_on": None,
                    "posted_by_id": actor.pk,
                }
                for a in published
            ],
        )
        insert_rows(Entitlement, entitlements, defaults=Entitlement(status=EntitlementStatus.ACTIVE))
        entitlement_ids = dict(
            Entitlement.objects.filter(application_id__in=[a.pk for a in published]).values_list("application_id", "pk")
        )
        insert_rows(
            AmountChange,
            [
                {
                    "entitlement_id": entitlement_ids[a.pk],
                    "effective_month": decisions[a.pk].first_payment_month,
                    "amount_fen": decisions[a.pk].monthly_amount_fen,
                    "decision_id": decisions[a.pk].pk,
                }
                for a in published
            ],
            defaults=AmountChange(kind=AmountChangeKind.GRANT, reason=_("新申请批准"), recorded_by=actor),
        )
        finish_steps_many(
            actor=actor,
            applications=published,
            from_statuses=from_statuses,
            step=Step.PUBLISH,
            on=day,
            event_type=AuditEventType.APPLICATION_PUBLISHED,
            fields=["status", "published_on"],
            after={
                a.pk: {"entitlement": entitlement_ids[a.pk], "monthly_amount_fen": decisions[a.pk].monthly_amount_fen}
                for a in published
            },
        )
    result.done = [a.pk for a in published]
    return result
