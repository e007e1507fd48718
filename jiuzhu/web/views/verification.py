"""Agency data pages (外部数据导入): the datasets with the upload form; one dataset with its column
mapping to confirm, what was imported and every row that was not; the original file (audited)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import has_capability, require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.common.exceptions import ValidationFailed
from jiuzhu.regions.models import RegionLevel
from jiuzhu.verification.access import access_dataset_for_view
from jiuzhu.verification.models import DatasetStatus
from jiuzhu.verification.selectors import dataset_list, dataset_problems, mappings_for
from jiuzhu.verification.services.imports import (
    dataset_columns_confirm,
    dataset_header,
    dataset_original,
    dataset_upload,
)
from jiuzhu.verification.sources import DatasetSource, fields_of
from jiuzhu.web.errors import domain_errors, form_page
from jiuzhu.web.selectors import regions_in_jurisdiction
from jiuzhu.web.verification_forms import ColumnsForm, DatasetUploadForm
from jiuzhu.web.views.common import is_submitted

PAGE_SIZE = 50
PROBLEM_PAGE_SIZE = 100


@login_required
@domain_errors()
def dataset_list_page(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.VERIFICATION_VIEW)
    may_import = has_capability(request.user, Capability.VERIFICATION_IMPORT)
    levels = (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY)  # agencies' data are county-wide
    regions = regions_in_jurisdiction(actor=request.user, levels=levels)
    mappings = [(m.pk, f"{m.get_source_display()}：{m.name}") for m in mappings_for(actor=request.user)]
    form = DatasetUploadForm(
        request.POST if is_submitted(request) else None,
        request.FILES if is_submitted(request) else None,
        region_choices=[(r.code, r.name) for r in regions],
        mappings=mappings,
    )
    source = request.GET.get("source", "")
    datasets = dataset_list(actor=request.user, source=source if source in DatasetSource.values else "")
    page = Paginator(datasets, PAGE_SIZE).get_page(request.GET.get("page"))
    view = form_page(
        request, "web/dataset_list.html", forms={"form": form}, page=page, may_import=may_import,
        sources=DatasetSource.choices, source=source, title=_("外部数据导入"),
    )  # fmt: skip
    if not is_submitted(request) or not form.is_valid():
        return view.render(request)
    require_capability(request.user, Capability.VERIFICATION_IMPORT)
    data = form.cleaned_data
    upload = data["file"]
    dataset = dataset_upload(
        actor=request.user, source=data["source"], region_code=data["region"], as_of=data["as_of"],
        upload=upload, file_name=upload.name, provider=data["provider"], retention_class=data["retention_class"],
        mapping_id=int(data["mapping"]) if data["mapping"] else None,
    )  # fmt: skip
    messages.success(request, _("文件已上传并加密保存。请核对列对应关系，确认后开始导入。"))
    return redirect("web:dataset-detail", dataset.pk)


@login_required
@domain_errors()
def dataset_detail_page(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = access_dataset_for_view(request.user, dataset_id)  # scope first (404), then the role (403)
    require_capability(request.user, Capability.VERIFICATION_VIEW)
    open_for_columns = dataset.status in (DatasetStatus.UPLOADED, DatasetStatus.REFUSED)
    may_import = has_capability(request.user, Capability.VERIFICATION_IMPORT)
    form = None
    if open_for_columns and may_import:
        try:
            header = dataset_header(dataset)
        except ValidationFailed:  # the file itself cannot be read: the refusal says why
            header = []
        if header:
            form = ColumnsForm(
                request.POST if is_submitted(request) else None,
                fields=fields_of(dataset.source),
                header=header,
                initial_columns=dataset.columns,
            )
    problems = Paginator(dataset_problems(dataset), PROBLEM_PAGE_SIZE).get_page(request.GET.get("page"))
    active = dataset.status in (DatasetStatus.QUEUED, DatasetStatus.IMPORTING)
    view = form_page(
        request, "web/dataset_detail.html", forms={"form": form} if form else {}, dataset=dataset,
        problems=problems, may_import=may_import, active=active, title=_("外部数据批次"),
    )  # fmt: skip
    if not is_submitted(request) or form is None or not form.is_valid():
        return view.render(request)
    dataset_columns_confirm(
        actor=request.user, dataset_id=dataset.pk, columns=form.columns(), save_as=form.cleaned_data["save_as"]
    )
    messages.success(request, _("已开始导入，完成后本页显示导入结果。"))
    return redirect("web:dataset-detail", dataset.pk)


@login_required
@domain_errors()
def dataset_original_download(request: HttpRequest, dataset_id: int) -> HttpResponseBase:
    """Scope first (404), then the import capability (403) in the service."""
    access_dataset_for_view(request.user, dataset_id)
    dataset, content = dataset_original(actor=request.user, dataset_id=dataset_id)
    response = FileResponse(content, as_attachment=True, filename=dataset.file_name)
    response["Cache-Control"] = "private, no-store"
    return response
