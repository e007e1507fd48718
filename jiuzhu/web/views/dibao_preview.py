"""The dibao trial calculation page (低保试算): the decision calculator on facts typed in (or taken
from a household file), showing eligibility, reasons and the itemised amount. Saves nothing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.cases.selectors import household_facts_get
from jiuzhu.programs.models import ProgramCode
from jiuzhu.programs.trial import TrialCalculation, dibao_trial_calculate
from jiuzhu.registry.access import access_household_for_view
from jiuzhu.registry.choices import HukouType
from jiuzhu.web.errors import domain_errors, form_page
from jiuzhu.web.preview_forms import (
    PreviewAssetFormSet,
    PreviewForm,
    PreviewIncomeFormSet,
    PreviewMemberFormSet,
    check_member_numbers,
    initial_from_facts,
    preview_facts,
)
from jiuzhu.web.selectors import region_filter_choices
from jiuzhu.web.views.common import is_submitted


def _household_initial(request: HttpRequest) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]], Any]:
    """Initial values from `?household=<id>` (fetched through the registry's access check)."""
    raw = request.GET.get("household", "")
    if not raw:
        return {}, {"members": [{}], "incomes": [], "assets": []}, None
    if not raw.isdigit():
        raise Http404()
    household = access_household_for_view(request.user, int(raw))
    today = timezone.localdate()
    facts = household_facts_get(household_id=household.pk, as_of=today)
    program = ProgramCode.DIBAO_RURAL if household.hukou_type == HukouType.RURAL else ProgramCode.DIBAO_URBAN
    initial = {"region": household.region.code, "program": program, "on": today}
    return initial, initial_from_facts(facts, today), household


def _result(trial: TrialCalculation) -> dict[str, Any]:
    """What the page shows, labels translated."""
    a = trial.assessment
    return {
        "eligible": a.eligible,
        "reasons": [_(r.label) for r in a.reasons],
        "per_capita_income_fen": a.per_capita_income_fen,
        "standard_fen": a.standard_fen,
        "counted_members": a.counted_member_count,
        "is_near_poor": a.is_near_poor,
        "members": [{"number": int(m.ref) + 1, "counted": m.counted, "label": _(m.label)} for m in a.members],
        "lines": [
            {
                "label": _(line.label),
                "member": None if line.member_ref is None else int(line.member_ref) + 1,
                "basis": line.render_basis(_),
                "amount_fen": line.amount_fen,
            }
            for line in a.lines
        ],
        "total_fen": a.total_fen,
        "region": trial.region,
        "program": ProgramCode(trial.program_code).label,
        "on": trial.on,
        "standard_region": trial.standard_source.region_code,
    }


@login_required
@domain_errors()
def dibao_preview_page(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.REGISTRY_VIEW)
    initial, rows, household = _household_initial(request)
    data = request.POST if is_submitted(request) else None
    form = PreviewForm(data, initial=initial, region_choices=region_filter_choices(actor=request.user))
    members = PreviewMemberFormSet(data, prefix="members", initial=rows["members"])
    incomes = PreviewIncomeFormSet(data, prefix="incomes", initial=rows["incomes"])
    assets = PreviewAssetFormSet(data, prefix="assets", initial=rows["assets"])
    page = form_page(
        request,
        "web/dibao_preview.html",
        forms={"form": form, "members": members, "incomes": incomes, "assets": assets},
        title=_("低保试算"),
        household=household,
    )
    if not is_submitted(request):
        return page.render(request)
    valid = form.is_valid() & members.is_valid() & incomes.is_valid() & assets.is_valid()
    if not valid or not check_member_numbers(members, incomes, assets):
        return page.render(request)
    trial = dibao_trial_calculate(
        actor=request.user, region_code=form.cleaned_data["region"], program_code=form.cleaned_data["program"],
        on=form.cleaned_data["on"], facts=preview_facts(members, incomes, assets),
    )  # fmt: skip
    page.context["result"] = _result(trial)
    return page.render(request, status=200)
