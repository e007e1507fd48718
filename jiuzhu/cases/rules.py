"""Pure rules of the case workflow: the completeness checklist, the next step owed, and its due date.

No Django models, no database, no clock (dates and the working calendar are parameters).
Policy (DOMAIN.md): Measures for Dibao Review and Confirmation (MCA 2021, S2) Art. 9–10 (materials,
promise, authorisation; the one-time notice of everything missing, 一次性告知), Art. 15–22 and MCA
opinions S8 §4 (time limits, §4.5 of DOMAIN), Art. 11 and 20 (cadre relatives: filing and the
county's own home visit). Time limits come from the policy in force at acceptance
(`ClockLimits`), counted in working days with `programs.rules.working_days`; the village notice in
calendar days. Where the national text says "promptly" (start the notice after the opinion,
publish after approval), the local forwarding limit (`township_forward_wd`) and the decision
notice limit (`decision_notice_wd`) are used.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jiuzhu.programs.rules.labels import gettext_noop
from jiuzhu.programs.rules.working_days import WorkingCalendar, add_calendar_days, add_working_days

# --- Materials (申请材料) and the one-time notice of what is missing ------------------------------------

APPLICATION_FORM = "application_form"
ID_CARDS = "id_cards"
HUKOU_BOOK = "hukou_book"
AUTHORISATION = "authorisation"
PROMISE = "promise"
INCOME_PROOF = "income_proof"
DISABILITY_CERTIFICATE = "disability_certificate"
MEDICAL_RECORD = "medical_record"
ENTRUSTMENT = "entrustment"

MATERIAL_LABELS: dict[str, str] = {
    APPLICATION_FORM: gettext_noop("低保申请书"),
    ID_CARDS: gettext_noop("家庭成员身份证"),
    HUKOU_BOOK: gettext_noop("户口簿"),
    AUTHORISATION: gettext_noop("家庭经济状况核对授权书（签字）"),
    PROMISE: gettext_noop("诚信承诺书（签字）"),
    INCOME_PROOF: gettext_noop("家庭收入情况说明或证明"),
    DISABILITY_CERTIFICATE: gettext_noop("残疾人证"),
    MEDICAL_RECORD: gettext_noop("重病诊断证明或病历"),
    ENTRUSTMENT: gettext_noop("委托书（代为申请时）"),
}


@dataclass(frozen=True)
class ChecklistFacts:
    """What the household and the application say about which materials are needed."""

    has_disabled_member: bool = False
    has_seriously_ill_member: bool = False
    applied_by_agent: bool = False
    authorisation_signed: bool = False
    promise_signed: bool = False


@dataclass(frozen=True)
class Completeness:
    required: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def is_complete(self) -> bool:
        return not self.missing


def required_materials(facts: ChecklistFacts) -> tuple[str, ...]:
    required = [APPLICATION_FORM, ID_CARDS, HUKOU_BOOK, AUTHORISATION, PROMISE, INCOME_PROOF]
    if facts.has_disabled_member:
        required.append(DISABILITY_CERTIFICATE)
    if facts.has_seriously_ill_member:
        required.append(MEDICAL_RECORD)
    if facts.applied_by_agent:
        required.append(ENTRUSTMENT)
    return tuple(required)


def check_completeness(provided: Iterable[str], facts: ChecklistFacts) -> Completeness:
    """Required materials and those missing. The signed authorisation and promise count only when the
    application records them as signed (a ticked box without a signature date is not enough).
    Materials promised under the notify-and-promise regime (告知承诺) are passed in `provided`."""
    unknown = set(provided) - MATERIAL_LABELS.keys()
    if unknown:
        raise ValueError(f"unknown materials: {sorted(unknown)}")
    have = set(provided)
    have.discard(AUTHORISATION)
    have.discard(PROMISE)
    if facts.authorisation_signed:
        have.add(AUTHORISATION)
    if facts.promise_signed:
        have.add(PROMISE)
    required = required_materials(facts)
    return Completeness(required=required, missing=tuple(m for m in required if m not in have))


# --- Time limits -------------------------------------------------------------------------------------

CLOCK_KEYS = (
    "acceptance_wd",
    "investigation_start_wd",
    "verification_start_wd",
    "investigation_wd",
    "township_opinion_wd",
    "notice_days",
    "township_forward_wd",
    "county_decision_wd",
    "decision_notice_wd",
    "overall_wd",
    "overall_special_wd",
    "delegated_overall_wd",
    "delegated_special_wd",
)


@dataclass(frozen=True)
class ClockLimits:
    """The policy's time limits, as stored on a case at acceptance (JSON: `to_json`/`from_json`)."""

    acceptance_wd: int
    investigation_start_wd: int
    verification_start_wd: int
    investigation_wd: int
    township_opinion_wd: int
    notice_days: int
    township_forward_wd: int
    county_decision_wd: int
    decision_notice_wd: int
    overall_wd: int
    overall_special_wd: int
    delegated_overall_wd: int
    delegated_special_wd: int

    @classmethod
    def of(cls, policy: Any) -> ClockLimits:
        """From a `DibaoPolicy` (or anything with the same attributes)."""
        return cls(**{key: int(getattr(policy, key)) for key in CLOCK_KEYS})

    @classmethod
    def from_json(cls, values: Mapping[str, Any]) -> ClockLimits:
        return cls(**{key: int(values[key]) for key in CLOCK_KEYS})

    def to_json(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in CLOCK_KEYS}

    def overall_limit_wd(self, *, delegated: bool, special: bool) -> int:
        if delegated:
            return self.delegated_special_wd if special else self.delegated_overall_wd
        return self.overall_special_wd if special else self.overall_wd


def notice_end(starts_on: datetime.date, limits: ClockLimits) -> datetime.date:
    """The last day of the village notice: start + `notice_days` calendar days."""
    return add_calendar_days(starts_on, limits.notice_days)


def notice_has_ended(ends_on: datetime.date, today: datetime.date) -> bool:
    """The next step may be taken from the day after the notice's last day."""
    return today > ends_on


# --- The next step owed and its due date ---------------------------------------------------------------


@dataclass(frozen=True)
class CaseState:
    """A case's facts that decide which step it waits for and by when (built from the models)."""

    status: str
    delegated: bool = False
    is_special: bool = False
    appraisal_mode: str = "when_disputed"
    is_disputed: bool = False
    is_cadre_case: bool = False
    has_cadre_filing: bool = False
    has_county_visit: bool = False
    submitted_on: datetime.date | None = None
    accepted_on: datetime.date | None = None
    round_started_on: datetime.date | None = None  # acceptance, or the last objection
    verification_requested_on: datetime.date | None = None
    verification_pending: bool = False
    verification_recorded_on: datetime.date | None = None
    home_visit_on: datetime.date | None = None  # in the current round
    appraisal_on: datetime.date | None = None  # in the current round
    opinion_on: datetime.date | None = None
    opinion_agrees: bool = False
    notice_ends_on: datetime.date | None = None
    forwarded_on: datetime.date | None = None
    decided_on: datetime.date | None = None


def appraisal_required(appraisal_mode: str, is_disputed: bool) -> bool:
    return appraisal_mode == "always" or (appraisal_mode == "when_disputed" and is_disputed)


def investigation_complete(state: CaseState) -> bool:
    return (
        state.home_visit_on is not None
        and state.verification_recorded_on is not None
        and not state.verification_pending
        and (state.appraisal_on is not None or not appraisal_required(state.appraisal_mode, state.is_disputed))
    )


def next_step(state: CaseState) -> str | None:
    """The step the case waits for (shown on the to-do list of those who may take it), or None."""
    status = state.status
    if status == "materials_incomplete":
        return "complete_materials"
    if status == "submitted":
        return "accept"
    if status == "investigating":
        if state.verification_requested_on is None:
            return "verification_request"
        if state.home_visit_on is None:
            return "home_visit"
        if state.verification_pending or state.verification_recorded_on is None:
            return "verification_result"
        if appraisal_required(state.appraisal_mode, state.is_disputed) and state.appraisal_on is None:
            return "appraisal"
        return "township_opinion"
    if status == "opinion_given":
        return "notice_start" if state.opinion_agrees else "forward"
    if status == "in_notice":
        return "forward"
    if status == "awaiting_decision":
        if state.is_cadre_case and not state.has_cadre_filing:
            return "cadre_filing"
        if state.is_cadre_case and not state.has_county_visit:
            return "home_visit"
        return "approve"
    if status == "approved":
        return "publish"
    return None


def _latest(*days: datetime.date | None) -> datetime.date | None:
    known = [d for d in days if d is not None]
    return max(known) if known else None


def next_due_on(state: CaseState, limits: ClockLimits, calendar: WorkingCalendar) -> datetime.date | None:
    """When the step returned by `next_step` is due (None: no statutory clock runs)."""
    step = next_step(state)

    def wd(start: datetime.date | None, n: int) -> datetime.date | None:
        return add_working_days(start, n, calendar) if start is not None else None

    round_start = state.round_started_on or state.accepted_on
    if step == "accept":
        return wd(state.submitted_on, limits.acceptance_wd)
    if step == "verification_request":
        return wd(round_start, limits.investigation_start_wd)
    if step in ("home_visit", "verification_result") and state.status == "investigating":
        return wd(round_start, limits.investigation_wd)
    if step in ("appraisal", "township_opinion"):
        done = _latest(state.home_visit_on, state.verification_recorded_on, state.appraisal_on)
        return wd(done, limits.township_opinion_wd)
    if step == "notice_start":
        return wd(state.opinion_on, limits.township_forward_wd)
    if step == "forward":
        start = state.notice_ends_on if state.status == "in_notice" else state.opinion_on
        return wd(start, limits.township_forward_wd)
    if step in ("cadre_filing", "home_visit", "approve"):
        return wd(state.forwarded_on, limits.county_decision_wd)
    if step == "publish":
        return wd(state.decided_on, limits.decision_notice_wd)
    return None


def overall_due_on(state: CaseState, limits: ClockLimits, calendar: WorkingCalendar) -> datetime.date | None:
    """Acceptance → decision: 30 working days (45 special; 20/45 when the township confirms)."""
    if state.accepted_on is None:
        return None
    n = limits.overall_limit_wd(delegated=state.delegated, special=state.is_special)
    return add_working_days(state.accepted_on, n, calendar)


def is_overdue(due_on: datetime.date | None, today: datetime.date) -> bool:
    return due_on is not None and today > due_on


# --- Amounts -------------------------------------------------------------------------------------------


def month_after(day: datetime.date) -> datetime.date:
    """The first day of the month after `day` (benefit starts the month after the decision, S2 Art. 21)."""
    return datetime.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def amount_in_force(history: Iterable[tuple[datetime.date, int]], month: datetime.date) -> int:
    """From (effective month, amount) entries: the amount for `month` (0 before the first entry)."""
    applicable = [(m, amount) for m, amount in history if m <= month]
    return max(applicable, key=lambda entry: entry[0])[1] if applicable else 0
