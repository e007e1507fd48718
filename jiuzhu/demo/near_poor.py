"""The demo's dibao-edge households (低保边缘家庭): the county approver screens the households refused
dibao for their income, as the screening list on the register offers them, and recognises with the
service those the dibao rules put between the standard and the edge line — a week after the
refusal, and again when a recognition runs out, as long as they still qualify."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.models import User
from jiuzhu.cases.choices import DecisionOutcome, RefusalReason
from jiuzhu.cases.models import Decision
from jiuzhu.common.exceptions import RuleViolation
from jiuzhu.demo.town import COUNTY_CODE
from jiuzhu.lowincome.models import NearPoorHousehold
from jiuzhu.lowincome.rules import renewal_starts_on
from jiuzhu.lowincome.services.near_poor import near_poor_recognise

SCREENED_AFTER = datetime.timedelta(days=7)


def demo_near_poor_exist() -> bool:
    return NearPoorHousehold.objects.filter(region__code__startswith=COUNTY_CODE).exists()


def demo_near_poor_build(progress: Callable[[str], None] | None = None, today: datetime.date | None = None) -> int:
    """Recognise the refused households that qualify; the number of recognitions made."""
    today = today or timezone.localdate()
    approver = User.objects.get(username="approver")
    refused = (
        Decision.objects.filter(outcome=DecisionOutcome.REFUSED, application__region__code__startswith=COUNTY_CODE)
        .select_related("application")
        .order_by("decided_on", "pk")
    )
    made, households = 0, set()
    for decision in refused:
        if list(decision.reason_codes) != [RefusalReason.INCOME_ABOVE_STANDARD]:
            continue
        day = decision.decided_on + SCREENED_AFTER
        while day <= today:
            try:
                row = near_poor_recognise(
                    actor=approver, household_id=decision.application.household_id, recognised_on=day,
                    reason="演示数据：不予批准低保后核算认定", application_id=decision.application_id, today=today,
                )  # fmt: skip
            except RuleViolation:
                break
            made += 1
            households.add(row.household_id)
            day = renewal_starts_on(row.valid_until)
    if progress is not None:
        progress(
            _("低保边缘家庭：因收入不予批准的家庭经核算认定 %(households)d 户（认定 %(made)d 次）")
            % {"households": len(households), "made": made}
        )
    return made
