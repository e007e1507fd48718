"""Onboarding pages (存量数据导入): the batches with the upload form and the template; one batch with
its columns to confirm, the dry run's outcome of every row, the button that imports it, and what was
imported; the dry run as a spreadsheet; the original file (audited)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import has_capability, require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.common.spreadsheets import XLSX_CONTENT_TYPE
from jiuzhu.onboarding.access import access_batch
from jiuzhu.onboarding.documents import TEMPLATE_NAME, template_xlsx
from jiuzhu.onboarding.exports import results_xlsx
from jiuzhu.onboarding.fields import FIELDS, REQUIRED_COLUMNS
from jiuzhu.onboarding.models import TO_APPLY, BatchStatus, Outcome
from jiuzhu.onboarding.selectors import batch_households, batch_list
from jiuzhu.onboarding.services.batches import batch_apply, batch_columns_confirm, batch_original, batch_upload
from jiuzhu.regions.models import RegionLevel
from jiuzhu.web.errors import domain_errors, form_page
from jiuzhu.web.onboarding_forms import BatchUploadForm
from jiuzhu.web.selectors import regions_in_jurisdiction
from jiuzhu.web.verification_forms import ColumnsForm
from jiuzhu.web.views.common import is_submitted
from jiuzhu.web.views.printing import download_response

PAGE_SIZE = 30
HOUSEHOLD_PAGE_SIZE = 50


@login_required
@domain_errors()
def batch_list_page(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.ONBOARDING_IMPORT)
    regions = regions_in_jurisdiction(actor=request.user, levels=(RegionLevel.COUNTY, RegionLevel.TOWNSHIP))
    form = BatchUploadForm(
        request.POST if is_submitted(request) else None,
        request.FILES if is_submitted(request) else None,
        region_choices=[(r.code, r.name) for r in regions],
    )
    page = Paginator(batch_list(actor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    view = form_page(request, "web/onboarding_list.html", forms={"form": form}, page=page, title=_("存量数据导入"))
    if not is_submitted(request) or not form.is_valid():
        return view.render(request)
    data = form.cleaned_data
    batch = batch_upload(
        actor=request.user, region_code=data["region"], go_live=data["go_live"], reason=data["reason"],
        upload=data["file"], file_name=data["file"].name,
    )  # fmt: skip
    messages.success(request, _("文件已上传并加密保存。请核对列对应关系，然后试导入。"))
    return redirect("web:onboarding-detail", batch.pk)


@login_required
@domain_errors()
def template_download(request: HttpRequest) -> HttpResponseBase:
    require_capability(request.user, Capability.ONBOARDING_IMPORT)
    return download_response(template_xlsx(), filename=TEMPLATE_NAME, content_type=XLSX_CONTENT_TYPE)


@login_required
@domain_errors()
def batch_detail_page(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = access_batch(request.user, batch_id)  # scope first (404), then the role (403)
    require_capability(request.user, Capability.ONBOARDING_IMPORT)
    form = None
    if batch.status in (BatchStatus.UPLOADED, BatchStatus.REFUSED, BatchStatus.CHECKED) and batch.header:
        form = ColumnsForm(
            request.POST if is_submitted(request) else None,
            fields=FIELDS, header=batch.header, initial_columns=batch.columns, may_save=False,
            required_columns=tuple(f.key for f in REQUIRED_COLUMNS),
        )  # fmt: skip
    outcome = request.GET.get("outcome", "")
    households = Paginator(batch_households(batch, outcome=outcome), HOUSEHOLD_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    to_apply = sum(batch.counts.get(str(o), 0) for o in TO_APPLY)
    view = form_page(
        request, "web/onboarding_detail.html", forms={"form": form} if form else {}, batch=batch,
        households=households, outcome=outcome, outcomes=Outcome.choices, to_apply=to_apply,
        errors=batch.counts.get(Outcome.ERROR, 0), may_apply=has_capability(request.user, Capability.CASE_DECIDE),
        active=batch.status in (BatchStatus.CHECKING, BatchStatus.APPLYING), title=_("存量数据导入批次"),
    )  # fmt: skip
    if not is_submitted(request) or form is None or not form.is_valid():
        return view.render(request)
    batch_columns_confirm(actor=request.user, batch_id=batch.pk, columns=form.columns())
    messages.success(request, _("已开始试导入，完成后本页列出每一户、每一行的结果。"))
    return redirect("web:onboarding-detail", batch.pk)


@login_required
@domain_errors()
def batch_apply_action(request: HttpRequest, batch_id: int) -> HttpResponse:
    """POST only, once the batch is in sight (404) and the role may import (403)."""
    access_batch(request.user, batch_id)
    require_capability(request.user, Capability.ONBOARDING_IMPORT)
    require_capability(request.user, Capability.CASE_DECIDE)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    batch_apply(actor=request.user, batch_id=batch_id)
    messages.success(request, _("已开始导入，每户单独写入；完成后本页显示每户的结果。"))
    return redirect("web:onboarding-detail", batch_id)


@login_required
@domain_errors()
def batch_results_xlsx(request: HttpRequest, batch_id: int) -> HttpResponseBase:
    batch = access_batch(request.user, batch_id)
    require_capability(request.user, Capability.ONBOARDING_IMPORT)
    content = results_xlsx(
        batch_households(batch, outcome=request.GET.get("outcome", "")),
        title=_("存量数据导入结果：%(file)s") % {"file": batch.file_name},
    )
    return download_response(content, filename=f"导入结果-{batch.pk}.xlsx", content_type=XLSX_CONTENT_TYPE)


@login_required
@domain_errors()
def batch_original_download(request: HttpRequest, batch_id: int) -> HttpResponseBase:
    batch, content = batch_original(actor=request.user, batch_id=batch_id)
    response = FileResponse(content, as_attachment=True, filename=batch.file_name)
    response["Cache-Control"] = "private, no-store"
    return response
