"""Attachments: upload, download (access-checked and logged; files are never served from MEDIA_URL), withdraw."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from jiuzhu.registry.access import access_document_for_edit, access_document_for_view, access_household_for_edit
from jiuzhu.registry.selectors import person_list
from jiuzhu.registry.services.documents import document_remove, document_upload, document_viewed
from jiuzhu.web.errors import domain_errors, form_page
from jiuzhu.web.forms import DocumentUploadForm, ReasonForm
from jiuzhu.web.submission import one_time_submission
from jiuzhu.web.views.common import is_submitted, to_household_file


@login_required
@domain_errors()
def document_upload_page(request: HttpRequest, household_id: int) -> HttpResponse:
    household = access_household_for_edit(request.user, household_id)
    members = person_list(actor=request.user, household_id=household.pk)
    post = (request.POST, request.FILES) if is_submitted(request) else (None, None)
    form = DocumentUploadForm(*post, members=members)
    page = form_page(
        request, "web/document_upload.html", forms={"form": form}, household=household, title=_("上传附件")
    )
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    data = form.cleaned_data
    with one_time_submission(request, data["submission_token"]):
        document_upload(
            actor=request.user, household_id=household.pk, upload=data["file"], kind=data["kind"],
            person_id=data["person"], description=data["description"],
        )  # fmt: skip
    messages.success(request, _("附件已上传。"))
    return to_household_file(household.pk)


@login_required
@domain_errors()
def document_download_page(request: HttpRequest, document_id: int) -> HttpResponseBase:
    document = access_document_for_view(request.user, document_id)
    if request.method not in ("GET", "HEAD"):  # after access, so elsewhere it is a 404 like any other
        return HttpResponseNotAllowed(["GET"])
    document_viewed(actor=request.user, document=document)
    response = FileResponse(
        document.file.open("rb"), content_type=document.content_type, filename=document.original_name
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@domain_errors()
def document_withdraw_page(request: HttpRequest, document_id: int) -> HttpResponse:
    document = access_document_for_edit(request.user, document_id)
    form = ReasonForm(request.POST if is_submitted(request) else None)
    context = {"household": document.household, "title": _("撤销附件"), "subject": document.original_name}
    page = form_page(request, "web/remove_form.html", forms={"form": form}, **context)
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    document_remove(actor=request.user, document_id=document.pk, reason=form.cleaned_data["reason"])
    messages.success(request, _("附件已撤销。"))
    return to_household_file(document.household_id)
