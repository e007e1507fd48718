"""Review pages (动态管理 · 复核): the list, the review file, its change or stop notice, the yearly batch of
unchanged households, and opening the periodic reviews falling due."""

from __future__ import annotations

from csp.decorators import csp_exempt
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiuzhu.accounts.jurisdiction import require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.cases import documents
from jiuzhu.cases.access import access_review_for_view
from jiuzhu.cases.choices import ReviewOutcome
from jiuzhu.cases.services.dynamic_batch import reviews_confirm_no_change_batch, reviews_due_open
from jiuzhu.cases.services.printing import application_document_printed
from jiuzhu.common.exceptions import NotFoundOrNoAccess, PermissionDeniedError
from jiuzhu.web.errors import domain_errors, form_page
from jiuzhu.web.review_forms import BatchConfirmForm, ReviewFilterForm
from jiuzhu.web.review_selectors import (
    batch_candidates,
    due_soon_count,
    has_notice,
    may_batch,
    may_open_reviews,
    review_file_get,
    review_list,
    review_rows,
    skipped_rows,
)
from jiuzhu.web.selectors import region_filter_choices
from jiuzhu.web.submission import one_time_submission
from jiuzhu.web.views.common import is_submitted
from jiuzhu.web.views.printing import pdf_response

PAGE_SIZE = 50
BATCH_PAGE_SIZE = 200


@login_required
@domain_errors()
def review_list_page(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.CASE_VIEW)
    today = timezone.localdate()
    form = ReviewFilterForm(request.GET, region_choices=region_filter_choices(actor=request.user))
    reviews = review_list(actor=request.user, today=today, **form.criteria())
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form, "page": page, "rows": review_rows(page.object_list, today), "today": today,
        "may_batch": may_batch(request.user), "may_open": may_open_reviews(request.user),
        "due_soon": due_soon_count(actor=request.user, today=today),
    }  # fmt: skip
    return render(request, "web/review_list.html", context)


@login_required
@domain_errors()
def review_page(request: HttpRequest, review_id: int) -> HttpResponse:
    review = access_review_for_view(request.user, review_id)
    today = timezone.localdate()
    file = review_file_get(actor=request.user, review=review, today=today)
    context = {"file": file, "review": review, "household": review.entitlement.household, "today": today}
    return render(request, "web/review_detail.html", context)


def _notice_name(review_outcome: str) -> str:
    return "变更通知书" if review_outcome in (ReviewOutcome.INCREASE, ReviewOutcome.DECREASE) else "停发通知书"


# The page policy's object-src 'none' would stop the browser's PDF viewer (see views.printing).
@csp_exempt()
@login_required
@domain_errors()
def review_notice_pdf(request: HttpRequest, review_id: int) -> HttpResponseBase:
    """The change or stop notice of a decided review (404 until there is one); printing is logged on the
    application, as for the case's other letters."""
    review = access_review_for_view(request.user, review_id)
    if request.method not in ("GET", "HEAD"):  # after access, so elsewhere it is a 404 like any other
        return HttpResponseNotAllowed(["GET"])
    if not has_notice(review):
        raise NotFoundOrNoAccess()
    content = documents.review_notice_pdf(review)
    name = _notice_name(review.outcome)
    application = review.entitlement.application
    application_document_printed(actor=request.user, application=application, document=f"{name}（复核 {review.pk}）")
    return pdf_response(content, f"{name}-{review.pk}.pdf")


# --- The yearly batch ---------------------------------------------------------------------------------------


@login_required
@domain_errors()
def review_batch_page(request: HttpRequest) -> HttpResponse:
    """The township's yearly review of unchanged households (年度复核): tick the open periodic reviews, confirm
    them "no change" at once; those the recomputation does not confirm are listed with the reason."""
    actor = request.user
    if not may_batch(actor):
        raise PermissionDeniedError()
    today = timezone.localdate()
    region_code = request.GET.get("region", "")
    region_choices = region_filter_choices(actor=actor)
    if region_code not in {code for code, _label in region_choices}:
        region_code = ""
    page = Paginator(batch_candidates(actor=actor, region_code=region_code), BATCH_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    form = BatchConfirmForm(request.POST if is_submitted(request) else None)
    context = {
        "page": page, "today": today, "region_code": region_code, "region_choices": region_choices,
        "may_open": may_open_reviews(actor), "due_soon": due_soon_count(actor=actor, today=today),
        "title": _("年度复核批量办理"),
    }  # fmt: skip
    form_view = form_page(request, "web/review_batch.html", forms={"form": form}, **context)
    if not is_submitted(request) or not form.is_valid():
        return form_view.render(request)
    picks: dict[int, int] = form.cleaned_data["reviews"]
    with one_time_submission(request, form.cleaned_data["submission_token"]):
        result = reviews_confirm_no_change_batch(
            actor=actor, review_ids=list(picks), expected_versions=picks,
            decided_on=form.cleaned_data["decided_on"], note=form.cleaned_data["note"],
        )  # fmt: skip
    context = {
        "confirmed": len(result.confirmed), "skipped": skipped_rows(actor=actor, skipped=result.skipped),
        "title": _("年度复核批量办理结果"), "today": today,
    }  # fmt: skip
    return render(request, "web/review_batch_result.html", context)


@require_POST
@login_required
@domain_errors()
def review_open_due_page(request: HttpRequest) -> HttpResponse:
    """Open the periodic reviews of the actor's jurisdiction falling due within 30 days (or past due)."""
    opened = reviews_due_open(actor=request.user)
    if opened:
        messages.success(request, _("已发起 %(n)s 户定期复核。") % {"n": len(opened)})
    else:
        messages.info(request, _("30天内没有需要发起的定期复核。"))
    return redirect("web:review-batch" if may_batch(request.user) else "web:review-list")
