"""The review step pages (propose, decide, reject) and the pages that record something on a benefit in
force: opening a review, a reported income change, a move out of the county.

As `case_steps`: fetch through `cases.access` (404 outside the jurisdiction), refuse a role that may never
take the step (403), show the form with the version and a one-time token, call one service, go back to the
review page. Services' errors are shown on the form; a stale version reloads the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.cases.access import access_entitlement_for_view, access_review_for_view
from jiuzhu.cases.choices import EntitlementStatus, ReviewStep
from jiuzhu.cases.models import Entitlement, Review
from jiuzhu.cases.review_rules import OPEN_CAPABILITIES, TRANSFER_CAPABILITIES
from jiuzhu.cases.services.dynamic import review_decide, review_open, review_propose, review_reject
from jiuzhu.cases.services.dynamic_events import entitlement_transfer_out, income_change_report
from jiuzhu.common.exceptions import PermissionDeniedError
from jiuzhu.registry.access import access_household_for_edit
from jiuzhu.registry.selectors import person_list
from jiuzhu.web import review_forms as f
from jiuzhu.web.errors import domain_errors, form_page
from jiuzhu.web.review_selectors import (
    IN_FORCE,
    benefit_reviews,
    household_has_benefit_in_force,
    household_income_items,
    may_any,
    review_step_blocked_reason,
    review_trial,
)
from jiuzhu.web.submission import one_time_submission
from jiuzhu.web.views.common import is_submitted

PageData = Callable[[Any, Review], dict[str, Any]]


def _trial(actor: Any, review: Review) -> dict[str, Any]:
    trial = review_trial(entitlement=review.entitlement, on=timezone.localdate())
    return {"trial": trial, "form_kwargs": {"outcome_choices": trial.choices}}


@dataclass(frozen=True)
class ReviewStepPage:
    step: ReviewStep
    form: type[f.ReviewStepForm]
    service: Callable[..., Any]
    page_data: PageData | None = None


REVIEW_STEP_PAGES: tuple[ReviewStepPage, ...] = (
    ReviewStepPage(ReviewStep.PROPOSE, f.ProposeForm, review_propose, _trial),
    ReviewStepPage(ReviewStep.DECIDE, f.DecideForm, review_decide),
    ReviewStepPage(ReviewStep.REJECT, f.RejectForm, review_reject),
)


def _step_page(spec: ReviewStepPage) -> Callable[..., HttpResponseBase]:
    @login_required
    @domain_errors()
    def view(request: HttpRequest, review_id: int) -> HttpResponse:
        actor = request.user
        review = access_review_for_view(actor, review_id)
        blocked = review_step_blocked_reason(actor, review, spec.step)  # 403 for a role that may never take it
        shown = spec.page_data(actor, review) if spec.page_data and not blocked else {}
        form = spec.form(
            request.POST if is_submitted(request) else None,
            initial={"expected_version": review.version},
            review=review,
            **shown.pop("form_kwargs", {}),
        )
        page = form_page(
            request, "web/review_step.html", forms={"form": form},
            review=review, entitlement=review.entitlement, household=review.entitlement.household,
            step=spec.step, blocked=blocked, **shown,
        )  # fmt: skip
        page.rule_errors_in_form = True
        if not is_submitted(request) or not form.is_valid():
            return page.render(request)
        with one_time_submission(request, form.cleaned_data["submission_token"]):
            spec.service(actor=actor, review_id=review.pk, **form.service_kwargs())
        messages.success(request, _("已办理“%(step)s”。") % {"step": spec.step.label})
        return redirect("web:review-detail", review_id=review.pk)

    view.__name__ = f"review_{spec.step}_page"
    return view


# Path segment -> view, one per step (web.urls).
REVIEW_STEP_VIEWS: dict[str, Callable[..., HttpResponseBase]] = {
    str(spec.step): _step_page(spec) for spec in REVIEW_STEP_PAGES
}


# --- Opening a review, a move out of the county (on a benefit) ---------------------------------------------------


def _benefit_context(actor: Any, entitlement: Entitlement, title: str) -> dict[str, Any]:
    reviews = benefit_reviews(actor=actor, entitlements=[entitlement])[entitlement.pk]
    return {"entitlement": entitlement, "household": entitlement.household, "reviews": reviews, "title": title}


def _not_in_force(entitlement: Entitlement) -> str:
    return _("该家庭的低保待遇状态为“%(status)s”，不能办理。") % {"status": EntitlementStatus(entitlement.status).label}


@login_required
@domain_errors()
def review_open_page(request: HttpRequest, entitlement_id: int) -> HttpResponse:
    actor = request.user
    entitlement = access_entitlement_for_view(actor, entitlement_id)
    if not may_any(actor, OPEN_CAPABILITIES):
        raise PermissionDeniedError()
    context = _benefit_context(actor, entitlement, _("发起低保复核"))
    blocked = _not_in_force(entitlement) if entitlement.status != EntitlementStatus.ACTIVE else ""
    form = f.ReviewOpenForm(request.POST if is_submitted(request) else None)
    page = form_page(request, "web/benefit_event.html", forms={"form": form}, blocked=blocked, **context)
    page.rule_errors_in_form = True
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    with one_time_submission(request, form.cleaned_data["submission_token"]):
        review = review_open(actor=actor, entitlement_id=entitlement.pk, **form.service_kwargs())
    due = review.due_on.isoformat()
    messages.success(request, _("已发起低保复核（编号 %(id)s，期限 %(due)s）。") % {"id": review.pk, "due": due})
    return redirect("web:review-detail", review_id=review.pk)


@login_required
@domain_errors()
def transfer_out_page(request: HttpRequest, entitlement_id: int) -> HttpResponse:
    """转出本县: the household has moved out of the county; the benefit stops here."""
    actor = request.user
    entitlement = access_entitlement_for_view(actor, entitlement_id)
    if not may_any(actor, TRANSFER_CAPABILITIES):
        raise PermissionDeniedError()
    context = _benefit_context(actor, entitlement, _("转出本县"))
    blocked = _not_in_force(entitlement) if entitlement.status not in IN_FORCE else ""
    form = f.TransferOutForm(
        request.POST if is_submitted(request) else None, initial={"expected_version": entitlement.version}
    )
    page = form_page(request, "web/benefit_event.html", forms={"form": form}, blocked=blocked, **context)
    page.rule_errors_in_form = True
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    with one_time_submission(request, form.cleaned_data["submission_token"]):
        review = entitlement_transfer_out(actor=actor, entitlement_id=entitlement.pk, **form.service_kwargs())
    assert review.stop_month is not None
    messages.success(
        request,
        _("已登记转出，低保自%(year)s年%(month)s月起停发。")
        % {"year": review.stop_month.year, "month": review.stop_month.month},
    )
    return redirect("web:review-detail", review_id=review.pk)


# --- A reported income change (on the household) ---------------------------------------------------------------


@login_required
@domain_errors()
def income_change_page(request: HttpRequest, household_id: int) -> HttpResponse:
    """登记收入变化: the income item is added or corrected and, with dibao in force, a review is opened."""
    actor = request.user
    household = access_household_for_edit(actor, household_id)
    if not may_any(actor, OPEN_CAPABILITIES):
        raise PermissionDeniedError()
    members = person_list(actor=actor, household_id=household.pk)
    items = household_income_items(household=household)
    form = f.IncomeChangeForm(request.POST if is_submitted(request) else None, members=members, items=items)
    page = form_page(
        request, "web/income_change.html", forms={"form": form}, household=household, title=_("登记收入变化"),
        in_force=household_has_benefit_in_force(actor=actor, household_id=household.pk),
    )  # fmt: skip
    page.rule_errors_in_form = True
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    item_id, version = form.item_and_version()
    with one_time_submission(request, form.cleaned_data["submission_token"]):
        reported = income_change_report(
            actor=actor, household_id=household.pk, data=form.to_data(), item_id=item_id,
            expected_item_version=version, note=form.cleaned_data["note"],
        )  # fmt: skip
    review = reported.review
    if review is None:
        messages.success(request, _("已登记收入变化。"))
        return redirect("web:household-file", household_id=household.pk)
    messages.success(
        request,
        _("已登记收入变化，并已纳入低保复核（编号 %(id)s，期限 %(due)s）。")
        % {"id": review.pk, "due": review.due_on.isoformat()},
    )
    return redirect("web:review-detail", review_id=review.pk)
