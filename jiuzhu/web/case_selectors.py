"""Reads that shape the case pages (申请与在保): the list and its filters, the case file with the steps the
user may take now, the staff who may be named as investigators, the approval's trial calculation, and
the benefits section of the household file.

Everything goes through the cases access functions (jurisdiction) and the workflow table; nothing here
writes. Which steps a user may take mirrors `cases.services.steps.begin_step`: capability for the step
at all (else 403), then the case's status, then the capability in that status and workflow mode.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import has_capability
from jiuzhu.accounts.models import User
from jiuzhu.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from jiuzhu.cases.access import applications_visible_to
from jiuzhu.cases.choices import ApplicationStatus, DecisionOutcome, NoticeStageKind, RefusalReason, Step
from jiuzhu.cases.documents import decision_amount_lines
from jiuzhu.cases.models import AmountChange, Application, CadreFiling, Decision, Entitlement, StatusChange
from jiuzhu.cases.rules import AUTHORISATION, MATERIAL_LABELS, PROMISE
from jiuzhu.cases.selectors import (
    amount_in_force_get,
    application_timeline,
    applications_overdue,
    applications_owed_by,
    entitlements_for_household,
    household_facts_get,
)
from jiuzhu.cases.step_access import require_may_ever_take, steps_open_to
from jiuzhu.cases.workflow import (
    ACTIVE_STATUSES,
    assert_step_allowed,
    capabilities_for,
    roles_for,
)
from jiuzhu.common.exceptions import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from jiuzhu.printing.document import AmountLine
from jiuzhu.programs.rules.policy import VALUE_LABELS
from jiuzhu.programs.trial import TrialCalculation, dibao_trial_calculate
from jiuzhu.regions.scoping import subtree_q
from jiuzhu.registry.access import documents_visible_to
from jiuzhu.registry.choices import HouseholdStatus
from jiuzhu.registry.models import Document, Household
from jiuzhu.web.review_selectors import BenefitReviews, benefit_reviews

_INITIALS_RE = re.compile(r"^[A-Za-z]{1,16}$")


def step_slug(step: str) -> str:
    """ "verification_result" -> "verification-result": the step page's path segment and URL name suffix."""
    return str(step).replace("_", "-")


def step_url(step: str, application_id: int) -> str:
    return reverse(f"web:case-{step_slug(step)}", kwargs={"application_id": application_id})


# --- The list ------------------------------------------------------------------------------------------


def case_list(
    *,
    actor: Any,
    today: datetime.date,
    query: str = "",
    status: str = "",
    region_code: str = "",
    program: str = "",
    overdue: bool = False,
    mine: bool = False,
) -> QuerySet[Application]:
    """Applications the actor may see, filtered (`mine`: waiting for a step the actor may take; `overdue`:
    past the step's or the overall time limit); earliest step deadline first, then the newest."""
    applications = applications_owed_by(actor=actor) if mine else applications_visible_to(actor)
    if overdue:
        applications = applications.filter(pk__in=applications_overdue(actor=actor, today=today).values("pk"))
    if status:
        applications = applications.filter(status=status)
    if region_code:
        applications = applications.filter(subtree_q(region_code, "region__code"))
    if program:
        applications = applications.filter(program__code=program)
    query = query.strip().replace(" ", "")
    if _INITIALS_RE.match(query):
        applications = applications.filter(household__head_name_initials__startswith=query.lower())
    elif query:
        applications = applications.filter(household__head_name__contains=query)
    return applications.select_related("household", "region", "program").order_by(
        F("due_on").asc(nulls_last=True), "-submitted_on", "-id"
    )


def days_late(due_on: datetime.date | None, today: datetime.date) -> int:
    """Days past `due_on` (0 when not overdue or no clock runs)."""
    return (today - due_on).days if due_on is not None and today > due_on else 0


@dataclass(frozen=True)
class CaseRow:
    application: Application
    late_days: int
    overall_late_days: int


def case_rows(applications: Iterable[Application], today: datetime.date) -> list[CaseRow]:
    return [
        CaseRow(
            application=a,
            late_days=days_late(a.due_on, today) if a.next_step else 0,
            overall_late_days=days_late(a.overall_due_on, today) if a.decided_on is None and a.next_step else 0,
        )
        for a in applications
    ]


# --- Which steps the user may take -------------------------------------------------------------------------


def step_blocked_reason(actor: Any, application: Application, step: Step) -> str:
    """Why `step` cannot be taken on the case now ("" if it can). PermissionDeniedError when the actor's
    role may never take the step, or not in the case's current status and workflow mode (as the services)."""
    mode = application.workflow_mode
    require_may_ever_take(actor, step, mode)
    try:
        transition = assert_step_allowed(application.status, step)
    except TransitionNotAllowed as error:
        return error.user_message
    if not any(has_capability(actor, c) for c in capabilities_for(transition, mode)):
        raise PermissionDeniedError()
    return ""


# Steps that end the procedure: shown apart, as danger buttons.
CLOSING_STEPS = frozenset({Step.WITHDRAW, Step.TERMINATE})


@dataclass(frozen=True)
class CaseAction:
    step: Step
    label: str
    url: str
    is_next: bool
    is_closing: bool


def _step_makes_sense(step: Step, application: Application, *, pending_verification: bool, filed: bool) -> bool:
    """Hide buttons the case's own data already rules out (the services would refuse them anyway)."""
    status = application.status
    if status == ApplicationStatus.OPINION_GIVEN and step in (Step.NOTICE_START, Step.FORWARD):
        return step == application.next_step  # notice after agreeing, forward at once after disagreeing
    return not (
        (step == Step.VERIFICATION_REQUEST and pending_verification)
        or (step == Step.VERIFICATION_RESULT and not pending_verification)
        or (step == Step.APPRAISAL and application.appraisal_mode == "never")
        or (step == Step.MARK_DISPUTED and application.is_disputed)
        or (step == Step.MARK_SPECIAL and application.is_special)
        or (step == Step.CADRE_FILING and filed)
    )


def case_actions(
    *, actor: Any, application: Application, pending_verification: bool = False, filed: bool = False
) -> list[CaseAction]:
    """The steps the actor may take on the case now, the case's next step first."""
    actions = []
    for step in steps_open_to(actor, application):
        if not _step_makes_sense(step, application, pending_verification=pending_verification, filed=filed):
            continue
        actions.append(
            CaseAction(
                step=step,
                label=str(step.label),
                url=step_url(step, application.pk),
                is_next=step == application.next_step,
                is_closing=step in CLOSING_STEPS,
            )
        )
    return sorted(actions, key=lambda a: (not a.is_next, a.is_closing))


def roles_owing(application: Application) -> list[str]:
    """Labels of the roles that may take the case's next step (the administrator left out)."""
    if not application.next_step:
        return []
    if application.status == ApplicationStatus.AWAITING_DECISION and application.next_step == Step.HOME_VISIT:
        return [str(Role.COUNTY_OFFICER.label)]
    roles = roles_for(application.status, application.next_step, application.workflow_mode) - {Role.ADMIN}
    return [str(label) for role, label in Role.choices if role in roles]


# --- The case file -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MaterialRow:
    label: str
    provided: bool


@dataclass(frozen=True)
class CaseDocument:
    label: str
    url: str


@dataclass
class CaseFile:
    """Everything on the case page."""

    application: Application
    materials: list[MaterialRow]
    visits: list[Any]
    verifications: list[Any]
    appraisals: list[Any]
    opinions: list[Any]
    notices: list[Any]
    cadre_filing: CadreFiling | None
    decision: Decision | None
    decision_lines: list[AmountLine]
    refusal_reasons: list[str]
    entitlement: Entitlement | None
    amount_changes: list[AmountChange]
    timeline: list[StatusChange]
    documents: list[CaseDocument]
    actions: list[CaseAction]
    owed_by: list[str]
    late_days: int
    overall_late_days: int
    workflow_mode_label: str
    appraisal_mode_label: str
    amount_this_month_fen: int | None = None
    benefit_reviews: BenefitReviews | None = None  # the benefit's reviews (web.review_selectors)


def _materials(application: Application) -> list[MaterialRow]:
    provided = set(application.materials_provided)
    if application.authorisation_signed_on:
        provided.add(AUTHORISATION)
    if application.promise_signed_on:
        provided.add(PROMISE)
    missing = set(application.materials_missing)
    return [
        MaterialRow(label=_(label), provided=code not in missing)
        for code, label in MATERIAL_LABELS.items()
        if code in provided or code in missing
    ]


def _documents(
    application: Application, *, visits: list[Any], opinions: list[Any], notices: list[Any], decided: bool
) -> list[CaseDocument]:
    """The case's printable letters and forms that exist at its stage (web.views.case_documents)."""
    available = [
        ("web:case-acceptance-pdf", _("受理通知书"), application.accepted_on is not None),
        ("web:case-home-visit-pdf", _("入户调查表"), bool(visits)),
        ("web:case-opinion-pdf", _("乡镇初审意见表"), bool(opinions)),
        ("web:case-notice-pdf", _("公示名单"), any(n.stage == NoticeStageKind.VILLAGE_NOTICE for n in notices)),
        ("web:case-decision-pdf", _("审批决定书"), decided),
    ]
    return [
        CaseDocument(label=label, url=reverse(name, kwargs={"application_id": application.pk}))
        for name, label, exists in available
        if exists
    ]


def _decision(application: Application) -> Decision | None:
    try:
        return application.decision
    except Decision.DoesNotExist:
        return None


def _entitlement(application: Application) -> Entitlement | None:
    try:
        return application.entitlement
    except Entitlement.DoesNotExist:
        return None


def case_file_get(*, actor: Any, application: Application, today: datetime.date) -> CaseFile:
    """The file of an application the caller fetched through `access_application_for_view`."""
    visits = list(application.home_visits.select_related("recorded_by").prefetch_related("investigators", "photos"))
    verifications = list(application.verifications.select_related("requested_by", "result_by"))
    appraisals = list(application.appraisals.select_related("recorded_by"))
    opinions = list(application.opinions.select_related("given_by"))
    notices = list(application.notices.select_related("posted_by").prefetch_related("objections"))
    cadre_filing = CadreFiling.objects.filter(application=application).select_related("filed_by").first()
    decision = _decision(application)
    entitlement = _entitlement(application)
    if decision is not None and decision.outcome == DecisionOutcome.APPROVED:
        lines = decision_amount_lines(decision)
    else:
        lines = []
    reasons = dict(RefusalReason.choices)
    pending = any(v.result == "pending" for v in verifications)
    late = days_late(application.due_on, today) if application.next_step else 0
    overall_late = days_late(application.overall_due_on, today) if application.decided_on is None else 0
    return CaseFile(
        application=application,
        materials=_materials(application),
        visits=visits,
        verifications=verifications,
        appraisals=appraisals,
        opinions=opinions,
        notices=notices,
        cadre_filing=cadre_filing,
        decision=decision,
        decision_lines=lines,
        refusal_reasons=[str(reasons.get(code, code)) for code in decision.reason_codes] if decision else [],
        entitlement=entitlement,
        amount_changes=list(entitlement.amount_changes.order_by("effective_month", "id")) if entitlement else [],
        amount_this_month_fen=(
            amount_in_force_get(entitlement=entitlement, month=today.replace(day=1)) if entitlement else None
        ),
        timeline=list(application_timeline(actor=actor, application_id=application.pk)),
        documents=_documents(
            application, visits=visits, opinions=opinions, notices=notices, decided=decision is not None
        ),
        actions=case_actions(
            actor=actor, application=application, pending_verification=pending, filed=cadre_filing is not None
        ),
        owed_by=roles_owing(application),
        late_days=late,
        overall_late_days=overall_late,
        workflow_mode_label=_(VALUE_LABELS.get(application.workflow_mode, application.workflow_mode)),
        appraisal_mode_label=_(VALUE_LABELS.get(application.appraisal_mode, application.appraisal_mode)),
        benefit_reviews=(
            benefit_reviews(actor=actor, entitlements=[entitlement])[entitlement.pk] if entitlement else None
        ),
    )


# --- Choices on the step forms -------------------------------------------------------------------------------

_INVESTIGATING_ROLES = sorted(
    role for role, caps in ROLE_CAPABILITIES.items() if Capability.CASE_INVESTIGATE in caps and role != Role.ADMIN
)


def investigator_candidates(*, application: Application) -> list[User]:
    """Active staff who may make a home visit on the case: a role that investigates and a region whose subtree
    holds the case's village (its village, township or county). Village staff first."""
    code = application.region.code
    prefixes = [code[:n] for n in range(1, len(code) + 1)]
    return list(
        User.objects.filter(is_active=True, role__in=_INVESTIGATING_ROLES, region__code__in=prefixes)
        .select_related("region")
        .order_by("-region__level", "first_name", "username")
    )


def photo_candidates(*, actor: Any, application: Application) -> list[Document]:
    """Pictures in the household's attachments that a home visit may point to."""
    return list(
        documents_visible_to(actor)
        .filter(household_id=application.household_id, is_removed=False, content_type__startswith="image/")
        .order_by("-uploaded_at", "-id")
    )


# --- The approval's trial calculation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TrialLine:
    label: str
    basis: str
    amount_fen: int


@dataclass(frozen=True)
class ApprovalTrial:
    """What approving today would give: the calculator on the household's recorded facts and the policy in
    force (the same functions `application_approve` uses). `error`: no policy there."""

    on: datetime.date
    trial: TrialCalculation | None = None
    error: str = ""
    reasons: list[str] = field(default_factory=list)
    lines: list[TrialLine] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return self.trial is not None and self.trial.assessment.eligible

    @property
    def total_fen(self) -> int:
        return self.trial.assessment.total_fen if self.trial is not None else 0


def approval_trial(*, actor: Any, application: Application, on: datetime.date) -> ApprovalTrial:
    facts = household_facts_get(household_id=application.household_id, as_of=on)
    try:
        trial = dibao_trial_calculate(
            actor=actor, region_code=application.region.code, program_code=application.program.code, on=on, facts=facts
        )
    except ValidationFailed as error:
        return ApprovalTrial(on=on, error=error.user_message)
    assessment = trial.assessment
    return ApprovalTrial(
        on=on,
        trial=trial,
        reasons=[_(reason.label) for reason in assessment.reasons],
        lines=[TrialLine(_(line.label), line.render_basis(_), line.amount_fen) for line in assessment.lines],
    )


# --- The household file's benefits section ---------------------------------------------------------------------


@dataclass(frozen=True)
class BenefitRecord:
    entitlement: Entitlement
    changes: list[AmountChange]
    reviews: BenefitReviews | None = None  # review class and dates, open review, events (web.review_selectors)


@dataclass(frozen=True)
class HouseholdBenefits:
    applications: list[Application]
    benefits: list[BenefitRecord]
    can_apply: bool


def household_benefits(*, actor: Any, household: Household) -> HouseholdBenefits:
    """The household's applications (newest first), its benefits with their amount history, and whether the
    actor may take a new application (nothing going or in force, and the right to take one)."""
    if not has_capability(actor, Capability.CASE_VIEW):
        return HouseholdBenefits(applications=[], benefits=[], can_apply=False)
    applications = list(
        applications_visible_to(actor)
        .filter(household=household)
        .select_related("program")
        .order_by("-submitted_on", "-id")
    )
    entitlements = list(
        entitlements_for_household(actor=actor, household_id=household.pk)
        .select_related("program", "application")
        .prefetch_related(Prefetch("amount_changes", queryset=AmountChange.objects.order_by("effective_month", "id")))
    )
    can_apply = (
        has_capability(actor, Capability.CASE_INTAKE)
        and has_capability(actor, Capability.REGISTRY_EDIT)
        and household.status == HouseholdStatus.ACTIVE
        and not any(a.status in ACTIVE_STATUSES for a in applications)
    )
    reviews = benefit_reviews(actor=actor, entitlements=entitlements)
    return HouseholdBenefits(
        applications=applications,
        benefits=[BenefitRecord(e, list(e.amount_changes.all()), reviews[e.pk]) for e in entitlements],
        can_apply=can_apply,
    )
