"""The village notice boards (公示名单) of the benefits in force: the boards of an area with their
households and totals, one village's list as a PDF, all boards of a township in one job."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiuzhu.accounts.jurisdiction import require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.cases.documents import notice_boards_pdf, township_government
from jiuzhu.cases.jobs import NOTICE_BOARDS
from jiuzhu.cases.notice_boards import NoticeBoard, notice_boards
from jiuzhu.common.exceptions import NotFoundOrNoAccess
from jiuzhu.jobs.services import job_submit
from jiuzhu.regions.models import Region, RegionLevel
from jiuzhu.web.errors import domain_errors
from jiuzhu.web.selectors import regions_in_jurisdiction
from jiuzhu.web.views.printing import pdf_response


class BoardsForm(forms.Form):
    region = forms.ChoiceField(label=gettext_lazy("乡镇（街道）或村（社区）"))


def _form(request: HttpRequest, data: object) -> BoardsForm:
    form = BoardsForm(data)  # type: ignore[arg-type]
    regions = regions_in_jurisdiction(actor=request.user, levels=(RegionLevel.TOWNSHIP, RegionLevel.VILLAGE))
    form.fields["region"].choices = [  # type: ignore[attr-defined]
        (r.code, ("\u3000" if r.level == RegionLevel.VILLAGE else "") + r.name) for r in regions
    ]
    return form


def _region(form: BoardsForm) -> str:
    if form.is_bound and form.is_valid():
        return str(form.cleaned_data["region"])
    choices = list(form.fields["region"].choices)  # type: ignore[attr-defined]
    if not choices:
        raise NotFoundOrNoAccess()
    return str(choices[0][0])


def _boards(request: HttpRequest) -> tuple[BoardsForm, Region, datetime.date, list[NoticeBoard]]:
    """The area asked for (the first of the user's by default) and its boards of this month."""
    require_capability(request.user, Capability.CASE_VIEW)
    form = _form(request, request.GET or None)
    region = Region.objects.get(code=_region(form))
    today = timezone.localdate()
    return form, region, today, notice_boards(actor=request.user, region_code=region.code, on=today)


@login_required
@domain_errors()
def notice_boards_page(request: HttpRequest) -> HttpResponse:
    form, region, today, boards = _boards(request)
    context = {
        "form": form, "boards": boards, "region": region, "today": today,
        "households": sum(len(b.entries) for b in boards), "title": _("村（社区）公示名单"),
    }  # fmt: skip
    return render(request, "web/notice_boards.html", context)


@login_required
@domain_errors()
def notice_boards_pdf_page(request: HttpRequest) -> HttpResponse:
    _form_shown, region, today, boards = _boards(request)
    title = f"{region.name}低保对象公示名单（{today.year}年{today.month}月）"
    content = notice_boards_pdf(boards=boards, on=today, title=title, authority=township_government(region))
    return pdf_response(content, f"{title}.pdf")


@login_required
@domain_errors()
def notice_boards_job_page(request: HttpRequest) -> HttpResponse:
    """POST only: all boards of the chosen area in one file, made in the background."""
    require_capability(request.user, Capability.CASE_VIEW)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = _form(request, request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择地区。"))
        return redirect("web:notice-boards")
    region = Region.objects.get(code=form.cleaned_data["region"])
    job = job_submit(
        actor=request.user, kind=NOTICE_BOARDS, title=_("%(region)s 公示名单") % {"region": region.name},
        params={"region_code": region.code}, region_code=region.code,
    )  # fmt: skip
    messages.success(request, _("公示名单正在后台生成，完成后可在任务页下载。"))
    return redirect("web:job-detail", job.pk)
