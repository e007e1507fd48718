"""The township's list work (批量办理): one page per list step — the village notice list (公示名单), forwarding
to the county after the notices (报送), the month's approvals on the long-term board (长期公示) — and the
printed notice lists.

Each page lists the cases in the actor's jurisdiction waiting for its step, with a checkbox carrying the case's
version, a date and a village filter; it calls the batch service (`cases.services.batch_steps`) and shows how
many were done and, for each skipped case, the reason and a link to take it on its own page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from csp.decorators import csp_exempt
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from jiuzhu.accounts.jurisdiction import require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.cases import documents
from jiuzhu.cases.choices import NoticeStageKind, Step
from jiuzhu.cases.services.batch_steps import (
    BATCH_STEPS,
    StepBatchResult,
    applications_forward_many,
    applications_publish_many,
    notices_start_many,
)
from jiuzhu.cases.services.printing import application_document_printed
from jiuzhu.common.exceptions import NotFoundOrNoAccess, PermissionDeniedError
from jiuzhu.web.case_batch_selectors import (
    BATCH_TITLES,
    batch_candidates,
    batch_rows,
    batch_skipped_rows,
    may_take_batch_step,
    notice_list_get,
    notice_lists,
)
from jiuzhu.web.case_forms import (
    CaseBatchForm,
    ForwardBatchForm,
    NoticeBatchForm,
    NoticeListQueryForm,
    PublishBatchForm,
)
from jiuzhu.web.case_selectors import step_slug
from jiuzhu.web.errors import domain_errors, form_page
from jiuzhu.web.selectors import region_filter_choices
from jiuzhu.web.submission import one_time_submission
from jiuzhu.web.views.common import is_submitted
from jiuzhu.web.views.printing import pdf_response

BATCH_PAGE_SIZE = 200


class BatchStepConverter:
    """The path segment of a batch page ("notice-start", "forward", "publish") ↔ the workflow step."""

    regex = "|".join(step_slug(s) for s in BATCH_STEPS)

    def to_python(self, value: str) -> Step:
        return Step(value.replace("-", "_"))

    def to_url(self, value: str) -> str:
        return step_slug(value)


@dataclass(frozen=True)
class BatchPage:
    step: Step
    form: type[CaseBatchForm]
    service: Callable[..., StepBatchResult]
    date_field: str
    title: Any
    intro: Any
    submit_label: Any
    done_message: Any  # with %(n)s


BATCH_PAGES: dict[Step, BatchPage] = {
    Step.NOTICE_START: BatchPage(
        Step.NOTICE_START,
        NoticeBatchForm,
        notices_start_many,
        "starts_on",
        title=BATCH_TITLES[Step.NOTICE_START],
        intro=_(
            "勾选乡镇初审意见为同意的申请，按所选日期一并在所在村（社区）张榜公示；公示期按各申请适用的当地政策计算。"
            "公示后可打印各村（社区）的公示名单。"
        ),
        submit_label=_("所选申请开始公示"),
        done_message=ngettext_lazy("已开始公示 %(n)s 件。", "已开始公示 %(n)s 件。", "n"),
    ),
    Step.FORWARD: BatchPage(
        Step.FORWARD,
        ForwardBatchForm,
        applications_forward_many,
        "forwarded_on",
        title=BATCH_TITLES[Step.FORWARD],
        intro=_(
            "勾选公示期已满（或乡镇初审意见为不同意）的申请，一并报送县级审核确认。公示期未满等不能报送的申请不会报送，"
            "将列出原因。"
        ),
        submit_label=_("所选申请报送审核确认"),
        done_message=ngettext_lazy("已报送 %(n)s 件。", "已报送 %(n)s 件。", "n"),
    ),
    Step.PUBLISH: BatchPage(
        Step.PUBLISH,
        PublishBatchForm,
        applications_publish_many,
        "published_on",
        title=BATCH_TITLES[Step.PUBLISH],
        intro=_(
            "勾选已批准的申请，按所选日期一并在所在村（社区）长期公示；待遇自审批确定的起始发放月份起生效。"
            "公示后可打印各村（社区）的长期公示名单。"
        ),
        submit_label=_("所选申请长期公示"),
        done_message=ngettext_lazy("已长期公示 %(n)s 件，待遇已生效。", "已长期公示 %(n)s 件，待遇已生效。", "n"),
    ),
}


def _region_code(request: HttpRequest, choices: list[tuple[str, str]]) -> str:
    code = request.GET.get("region", "")
    return code if code in {c for c, _label in choices} else ""


@login_required
@domain_errors()
def case_batch_page(request: HttpRequest, step: Step) -> HttpResponse:
    """The cases waiting for the page's step, ticked and taken at once; those the service skips are listed
    with the reason."""
    spec, actor, today = BATCH_PAGES[step], request.user, timezone.localdate()
    if not may_take_batch_step(actor, step):
        raise PermissionDeniedError()
    region_choices = region_filter_choices(actor=actor)
    region_code = _region_code(request, region_choices)
    candidates = batch_candidates(actor=actor, step=step, region_code=region_code)
    page = Paginator(candidates, BATCH_PAGE_SIZE).get_page(request.GET.get("page"))
    form = spec.form(request.POST if is_submitted(request) else None)
    context = {
        "spec": spec, "page": page, "rows": batch_rows(page.object_list, step=step, today=today), "today": today,
        "region_code": region_code, "region_choices": region_choices, "date_field": form[spec.date_field],
        "running_lists": notice_lists(actor=actor, step=step, region_code=region_code, running_on=today),
    }  # fmt: skip
    form_view = form_page(request, "web/case_batch.html", forms={"form": form}, **context)
    if not is_submitted(request) or not form.is_valid():
        return form_view.render(request)
    with one_time_submission(request, form.cleaned_data["submission_token"]):
        result = spec.service(actor=actor, **form.service_kwargs())
    day = form.cleaned_data[spec.date_field] or today
    context = {
        "spec": spec, "done_message": spec.done_message % {"n": len(result.done)},
        "skipped": batch_skipped_rows(actor=actor, skipped=result.skipped),
        "printable": notice_lists(actor=actor, step=step, starts_on=day, application_ids=result.done),
    }  # fmt: skip
    return render(request, "web/case_batch_result.html", context)


_LIST_NAMES = {NoticeStageKind.VILLAGE_NOTICE: "公示名单", NoticeStageKind.PUBLICATION: "长期公示名单"}


# The page policy's object-src 'none' would stop the browser's PDF viewer (see views.printing).
@csp_exempt()
@login_required
@domain_errors()
def case_batch_notice_list_pdf(request: HttpRequest, step: Step) -> HttpResponse:
    """The notice list of one village and programme posted on one day (cases.documents.notice_list_pdf), to be
    put up on the board; 404 when the actor's jurisdiction has no such notices. Printing is logged per case."""
    require_capability(request.user, Capability.CASE_VIEW)
    query = NoticeListQueryForm(request.GET)
    if not query.is_valid():
        raise NotFoundOrNoAccess()
    d = query.cleaned_data
    notices = notice_list_get(
        actor=request.user, step=step, region_code=d["region"], program_code=d["program"], starts_on=d["on"],
        ends_on=d["until"],
    )  # fmt: skip
    if request.method not in ("GET", "HEAD"):  # after access, so elsewhere it is a 404 like any other
        return HttpResponseNotAllowed(["GET"])
    content = documents.notice_list_pdf(
        region=notices.region, entries=notices.entries, starts_on=notices.starts_on, ends_on=notices.ends_on,
        stage=notices.stage, program_name=notices.program_name,
    )  # fmt: skip
    name = _LIST_NAMES[NoticeStageKind(notices.stage)]
    for application in notices.applications:
        application_document_printed(actor=request.user, application=application, document=name)
    return pdf_response(content, f"{name}-{notices.region.name}-{notices.starts_on.isoformat()}.pdf")
