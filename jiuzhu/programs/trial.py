"""The dibao trial calculation (试算): the decision calculator on facts typed in, saving nothing.

Used by `POST /api/v1/dibao/preview/` and the page `/dibao/preview/`. It reads the policy in force
as `dibao_policy_get` does and assesses with `rules.dibao.assess_dibao` — the same functions decisions
use — and writes nothing (no row, no audit event). The region must be inside the caller's
jurisdiction; outside it, it is refused exactly like an unknown code. A region where no standard is
configured for the programme on the date is a field error on `region`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import region_code_in_jurisdiction, require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.common.exceptions import ValidationFailed
from jiuzhu.programs.models import DIBAO_PROGRAMS
from jiuzhu.programs.rules.dibao import Assessment, HouseholdFacts, assess_dibao
from jiuzhu.programs.rules.policy import PolicyError
from jiuzhu.programs.rules.resolution import ResolvedValue
from jiuzhu.programs.selectors import dibao_policy_resolve
from jiuzhu.regions.models import Region


@dataclass(frozen=True)
class TrialCalculation:
    region: Region
    program_code: str
    on: datetime.date
    assessment: Assessment
    standard_source: ResolvedValue  # where the standard in force comes from

    def policy_source_json(self) -> dict[str, Any]:
        source = self.standard_source
        return {
            "region": self.region.code,
            "program": self.program_code,
            "on": self.on.isoformat(),
            "standard_region": source.region_code,
            "standard_effective_from": source.effective_from.isoformat() if source.effective_from else None,
            "version_id": source.version_id,
        }


def _region_error() -> ValidationFailed:
    return ValidationFailed(field_errors={"region": [_("区划代码不存在或不在您的辖区内。")]})


def dibao_trial_calculate(
    *, actor: Any, region_code: str, program_code: str, on: datetime.date, facts: HouseholdFacts
) -> TrialCalculation:
    """Eligibility, reasons and the itemised amount for `facts` under the policy in force; saves nothing."""
    require_capability(actor, Capability.REGISTRY_VIEW)
    if program_code not in DIBAO_PROGRAMS:
        raise ValidationFailed(field_errors={"program": [_("请选择城市低保或农村低保。")]})
    if not region_code.isdigit() or not region_code_in_jurisdiction(actor, region_code):
        raise _region_error()
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise _region_error()
    resolved = dibao_policy_resolve(region_code=region.code, program_code=program_code, on=on)
    try:
        policy = resolved.policy()  # what `dibao_policy_get` returns, without a second query
    except PolicyError:
        raise ValidationFailed(
            field_errors={
                "region": [
                    _("%(region)s 在 %(date)s 没有配置该项目的低保标准，无法试算。")
                    % {"region": region.name, "date": on.isoformat()}
                ]
            }
        ) from None
    return TrialCalculation(
        region=region,
        program_code=program_code,
        on=on,
        assessment=assess_dibao(facts, policy, on),
        standard_source=resolved.get("standard_fen"),
    )
