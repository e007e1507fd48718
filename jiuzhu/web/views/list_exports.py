"""导出 Excel on the list pages: the list as its page filters it, at once or, when long, as a job."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.common.spreadsheets import XLSX_CONTENT_TYPE
from jiuzhu.jobs.services import job_submit
from jiuzhu.web.errors import domain_errors
from jiuzhu.web.jobs import LIST_EXPORT
from jiuzhu.web.list_exports import LISTINGS, in_background, listing_xlsx
from jiuzhu.web.views.printing import download_response

NEEDS = {
    "households": Capability.REGISTRY_VIEW,
    "near_poor": Capability.REGISTRY_VIEW,
    "cases": Capability.CASE_VIEW,
    "payroll_lines": Capability.PAYROLL_VIEW,
}


@login_required
@domain_errors()
def list_export(request: HttpRequest, name: str) -> HttpResponse:
    require_capability(request.user, NEEDS[name])
    params = request.GET.copy()
    for key in ("ids", "reason"):  # full ID numbers only by POST, with the reason the audit trail keeps
        params.pop(key, None)
    if request.method == "POST":
        require_capability(request.user, Capability.ID_NUMBER_REVEAL)
        reason = request.POST.get("reason", "").strip()
        if not reason:
            messages.error(request, _("导出完整身份证号须填写用途。"))
            return redirect(request.META.get("HTTP_REFERER") or "web:household-list")
        params["ids"], params["reason"] = "full", reason
    listing = LISTINGS[name](request.user, params)
    if not in_background(listing):
        return download_response(listing_xlsx(listing, actor=request.user), XLSX_CONTENT_TYPE, f"{listing.title}.xlsx")
    job = job_submit(
        actor=request.user, kind=LIST_EXPORT, title=_("导出：%(title)s") % {"title": listing.title},
        params={"list": name, "query": params.urlencode()},
        region_code=getattr(request.user, "jurisdiction_prefix", "") or "",
    )  # fmt: skip
    messages.success(request, _("名单较长（%(n)s 行），正在后台导出，完成后在本页下载。") % {"n": listing.count})
    return redirect("web:job-detail", job.pk)
