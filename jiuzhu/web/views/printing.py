"""Printouts as PDF: the household file (一户一档)."""

from __future__ import annotations

from csp.decorators import csp_exempt
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils import timezone
from django.utils.http import content_disposition_header

from jiuzhu.registry.access import access_household_for_view
from jiuzhu.registry.selectors import household_file_get
from jiuzhu.registry.services.households import household_file_viewed
from jiuzhu.web.errors import domain_errors
from jiuzhu.web.history import history_entries, region_ids_in
from jiuzhu.web.printouts import household_file_document
from jiuzhu.web.selectors import region_names


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF shown in the browser's viewer (print from there); never cached, as it holds personal data."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=filename) or "inline"
    response["Cache-Control"] = "private, no-store"
    return response


def download_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A file to save (a bank file, a workbook); never cached, as it holds personal data."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename) or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


# The page policy's object-src 'none' would stop Chromium's built-in PDF viewer (crbug.com/271452);
# a PDF runs none of our scripts, so it goes without the policy (nosniff and X-Frame-Options stay).
@csp_exempt()
@login_required
@domain_errors()
def household_file_pdf(request: HttpRequest, household_id: int) -> HttpResponse:
    household = access_household_for_view(request.user, household_id)
    if request.method not in ("GET", "HEAD"):  # after access, so elsewhere it is a 404 like any other
        return HttpResponseNotAllowed(["GET"])
    file = household_file_get(actor=request.user, household=household)
    household_file_viewed(actor=request.user, household=household)
    regions = region_names(actor=request.user, region_ids=region_ids_in(file.history))
    document = household_file_document(
        file=file,
        history=history_entries(file.history, regions=regions),
        printed_by=request.user,
        printed_at=timezone.now(),
    )
    return pdf_response(document.render(), f"家庭档案-{household.pk}.pdf")
