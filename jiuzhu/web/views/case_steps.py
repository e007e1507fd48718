"""The workflow step pages: a new application from the household file, and one page per step of a case.

Each step page is the same thin view (`_step_page`) around one service: fetch the case through
`cases.access` (404 outside the jurisdiction), refuse a role that may never take the step (403), show
the form with the case's version and a one-time token, call the service, and go back to the case page.
Services' errors are shown on the form (`rule_errors_in_form`), a stale version reloads the page.
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

from jiuzhu.accounts.jurisdiction import require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.cases.access import access_application_for_view
from jiuzhu.cases.choices import Step
from jiuzhu.cases.models import Application
from jiuzhu.cases.services.decision import application_approve, application_publish, application_refuse
from jiuzhu.cases.services.intake import (
    application_accept,
    application_materials_complete,
    application_submit,
    application_terminate,
    application_withdraw,
    default_program_code,
)
from jiuzhu.cases.services.investigation import (
    application_mark_disputed,
    application_mark_special,
    appraisal_record,
    cadre_filing_record,
    home_visit_record,
    verification_request,
    verification_result_record,
)
from jiuzhu.cases.services.review import (
    application_forward,
    notice_objection_record,
    notice_start,
    township_opinion_give,
)
from jiuzhu.registry.access import access_household_for_edit
from jiuzhu.web import case_forms as f
from jiuzhu.web.case_selectors import (
    approval_trial,
    investigator_candidates,
    photo_candidates,
    step_blocked_reason,
    step_slug,
)
from jiuzhu.web.errors import domain_errors, form_page
from jiuzhu.web.selectors import living_members
from jiuzhu.web.submission import one_time_submission
from jiuzhu.web.views.common import is_submitted

PageData = Callable[[Any, Application], dict[str, Any]]


def _members(actor: Any, application: Application) -> dict[str, Any]:
    return {"form_kwargs": {"members": living_members(actor=actor, household=application.household)}}


def _home_visit(actor: Any, application: Application) -> dict[str, Any]:
    return {
        "form_kwargs": {
            "investigators": investigator_candidates(application=application),
            "photos": photo_candidates(actor=actor, application=application),
        }
    }


def _trial(actor: Any, application: Application) -> dict[str, Any]:
    return {"trial": approval_trial(actor=actor, application=application, on=timezone.localdate())}


@dataclass(frozen=True)
class StepPage:
    step: Step
    form: type[f.CaseStepForm]
    service: Callable[..., Any]
    page_data: PageData | None = None  # form choices (`form_kwargs`) and what the page shows besides the form


STEP_PAGES: tuple[StepPage, ...] = (
    StepPage(Step.COMPLETE_MATERIALS, f.CompleteMaterialsForm, application_materials_complete, _members),
    StepPage(Step.ACCEPT, f.AcceptForm, application_accept),
    StepPage(Step.VERIFICATION_REQUEST, f.VerificationRequestForm, verification_request),
    StepPage(Step.HOME_VISIT, f.HomeVisitForm, home_visit_record, _home_visit),
    StepPage(Step.VERIFICATION_RESULT, f.VerificationResultForm, verification_result_record),
    StepPage(Step.MARK_DISPUTED, f.DisputedForm, application_mark_disputed),
    StepPage(Step.MARK_SPECIAL, f.SpecialForm, application_mark_special),
    StepPage(Step.APPRAISAL, f.AppraisalForm, appraisal_record),
    StepPage(Step.TOWNSHIP_OPINION, f.OpinionForm, township_opinion_give),
    StepPage(Step.NOTICE_START, f.NoticeStartForm, notice_start),
    StepPage(Step.NOTICE_OBJECTION, f.ObjectionForm, notice_objection_record),
    StepPage(Step.FORWARD, f.ForwardForm, application_forward),
    StepPage(Step.CADRE_FILING, f.CadreFilingForm, cadre_filing_record),
    StepPage(Step.APPROVE, f.ApproveForm, application_approve, _trial),
    StepPage(Step.REFUSE, f.RefuseForm, application_refuse),
    StepPage(Step.PUBLISH, f.PublishForm, application_publish),
    StepPage(Step.WITHDRAW, f.WithdrawForm, application_withdraw),
    StepPage(Step.TERMINATE, f.TerminateForm, application_terminate),
)


def _step_page(spec: StepPage) -> Callable[..., HttpResponseBase]:
    @login_required
    @domain_errors()
    def view(request: HttpRequest, application_id: int) -> HttpResponse:
        actor = request.user
        application = access_application_for_view(actor, application_id)
        blocked = step_blocked_reason(actor, application, spec.step)  # 403 for a role that may never take it
        shown = spec.page_data(actor, application) if spec.page_data else {}
        form = spec.form(
            request.POST if is_submitted(request) else None,
            initial={"expected_version": application.version},
            application=application,
            actor=actor,
            **shown.pop("form_kwargs", {}),
        )
        page = form_page(
            request, "web/case_step.html", forms={"form": form},
            application=application, household=application.household, step=spec.step, blocked=blocked, **shown,
        )  # fmt: skip
        page.rule_errors_in_form = True
        if not is_submitted(request) or not form.is_valid():
            return page.render(request)
        with one_time_submission(request, form.cleaned_data["submission_token"]):
            spec.service(actor=actor, application_id=application.pk, **form.service_kwargs())
        messages.success(request, _("已办理“%(step)s”。") % {"step": spec.step.label})
        return redirect("web:case-detail", application_id=application.pk)

    view.__name__ = f"case_{spec.step}_page"
    return view


# Path segment -> view, one per step (web.urls).
STEP_VIEWS: dict[str, Callable[..., HttpResponseBase]] = {step_slug(spec.step): _step_page(spec) for spec in STEP_PAGES}


@login_required
@domain_errors()
def application_create_page(request: HttpRequest, household_id: int) -> HttpResponse:
    household = access_household_for_edit(request.user, household_id)
    require_capability(request.user, Capability.CASE_INTAKE)
    members = living_members(actor=request.user, household=household)
    initial = {
        "applicant": household.head_id, "program": default_program_code(household),
        "authorisation_signers": [m.name for m in members],
    }  # fmt: skip
    form = f.ApplicationCreateForm(request.POST if is_submitted(request) else None, initial=initial, members=members)
    page = form_page(
        request, "web/application_create.html", forms={"form": form},
        household=household, title=_("申请低保"),
    )  # fmt: skip
    page.rule_errors_in_form = True
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    with one_time_submission(request, form.cleaned_data["submission_token"]):
        application = application_submit(actor=request.user, household_id=household.pk, **form.service_kwargs())
    messages.success(request, _("低保申请已登记。"))
    return redirect("web:case-detail", application_id=application.pk)
