"""Bank cards kept by staff (银行卡代管), from the household file: record one with its agreement, end it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.translation import gettext as _

from jiuzhu.payments.custody_selectors import custody_keepers
from jiuzhu.payments.models import CardCustody
from jiuzhu.payments.services.custody import card_custody_end, card_custody_record
from jiuzhu.registry.access import access_household_for_edit
from jiuzhu.registry.choices import DocumentKind
from jiuzhu.web.errors import domain_errors, form_page
from jiuzhu.web.payment_forms import CardCustodyEndForm, CardCustodyForm
from jiuzhu.web.views.common import is_submitted, to_household_file


@login_required
@domain_errors()
def card_custody_page(request: HttpRequest, household_id: int) -> HttpResponse:
    household = access_household_for_edit(request.user, household_id)
    keepers = [
        (u.pk, f"{u.display_name}（{u.get_role_display()}，{u.region.name if u.region else ''}）")
        for u in custody_keepers(household_region_code=household.region.code)
    ]
    agreements = [
        (d.pk, f"{d.original_name or d.get_kind_display()}（{d.uploaded_at:%Y-%m-%d}）")
        for d in household.documents.filter(kind=DocumentKind.CUSTODY_AGREEMENT, is_removed=False).order_by("-pk")
    ]
    form = CardCustodyForm(request.POST if is_submitted(request) else None, keepers=keepers, agreements=agreements)
    page = form_page(
        request, "web/card_custody.html", forms={"form": form}, household=household,
        has_agreement=bool(agreements), title=_("登记银行卡代管"),
    )  # fmt: skip
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    data = form.cleaned_data
    card_custody_record(
        actor=request.user, household_id=household.pk, held_by_id=int(data["held_by"]),
        held_since=data["held_since"], agreement_id=int(data["agreement"]), note=data["note"],
    )  # fmt: skip
    messages.success(request, _("已登记银行卡代管。"))
    return to_household_file(household.pk)


@login_required
@domain_errors()
def card_custody_end_page(request: HttpRequest, household_id: int) -> HttpResponse:
    """POST only (scope first): the open custody of the household ends (the card is handed back)."""
    household = access_household_for_edit(request.user, household_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = CardCustodyEndForm(request.POST)
    custody = CardCustody.objects.filter(household=household, ended_on__isnull=True).first()
    if custody is None or not form.is_valid():
        messages.error(request, _("没有正在代管的银行卡，或日期无效。"))
        return to_household_file(household.pk)
    card_custody_end(
        actor=request.user,
        custody_id=custody.pk,
        ended_on=form.cleaned_data["ended_on"],
        note=form.cleaned_data["note"],
    )
    messages.success(request, _("已登记银行卡归还。"))
    return to_household_file(household.pk)
