"""The dibao letters and forms of one application as PDFs (jiuzhu.cases.documents), for printing.

Each is fetched through the cases access functions (404 outside the jurisdiction, as for a missing
application) and is a 404 too while the case has not reached the step that produces it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from csp.decorators import csp_exempt
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed

from jiuzhu.cases import documents
from jiuzhu.cases.access import access_application_for_view
from jiuzhu.cases.choices import DecisionOutcome, NoticeStageKind
from jiuzhu.cases.models import Application, Decision
from jiuzhu.cases.services.printing import application_document_printed
from jiuzhu.common.exceptions import NotFoundOrNoAccess
from jiuzhu.web.errors import domain_errors
from jiuzhu.web.views.printing import pdf_response

Builder = Callable[[Application], bytes]


def _exists(value: Any) -> Any:
    if value is None:
        raise NotFoundOrNoAccess()
    return value


def _acceptance(application: Application) -> bytes:
    _exists(application.accepted_on)
    return documents.acceptance_notice_pdf(application)


def _home_visit(application: Application) -> bytes:
    visit = application.home_visits.select_related("recorded_by").order_by("-round", "-visited_on", "-id").first()
    return documents.home_visit_form_pdf(_exists(visit))


def _opinion(application: Application) -> bytes:
    opinion = application.opinions.select_related("given_by").order_by("-round", "-given_on", "-id").first()
    return documents.township_opinion_pdf(_exists(opinion))


def _notice(application: Application) -> bytes:
    notice = _exists(
        application.notices.filter(stage=NoticeStageKind.VILLAGE_NOTICE).order_by("-starts_on", "-id").first()
    )
    return documents.village_notice_pdf(notice, documents.proposed_amount_fen(application, notice.starts_on))


def _decision(application: Application) -> bytes:
    decision = _exists(Decision.objects.filter(application=application).first())
    if decision.outcome == DecisionOutcome.APPROVED:
        return documents.approval_decision_pdf(decision)
    return documents.refusal_notice_pdf(decision)


def _serve(request: HttpRequest, application_id: int, build: Builder, name: str) -> HttpResponse:
    application = access_application_for_view(request.user, application_id)
    if request.method not in ("GET", "HEAD"):  # after access, so elsewhere it is a 404 like any other
        return HttpResponseNotAllowed(["GET"])
    content = build(application)
    application_document_printed(actor=request.user, application=application, document=name)
    return pdf_response(content, f"{name}-{application.pk}.pdf")


def _page(build: Builder, name: str) -> Callable[..., HttpResponseBase]:
    # The page policy's object-src 'none' would stop the browser's PDF viewer (see views.printing).
    @csp_exempt()
    @login_required
    @domain_errors()
    def view(request: HttpRequest, application_id: int) -> HttpResponse:
        return _serve(request, application_id, build, name)

    return view


acceptance_notice_pdf = _page(_acceptance, "受理通知书")
home_visit_form_pdf = _page(_home_visit, "入户调查表")
township_opinion_pdf = _page(_opinion, "乡镇初审意见")
village_notice_pdf = _page(_notice, "公示名单")
decision_pdf = _page(_decision, "审批决定")
