"""Ending the edge recognitions of households put on dibao, as a background job (monthly from cron:
`jiuzhu job lowincome.end_on_dibao --param region_code=511723`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jiuzhu.accounts.roles import Capability
from jiuzhu.jobs.context import JobContext
from jiuzhu.jobs.kinds import JobKind, Params, job_kind_register
from jiuzhu.lowincome.services.near_poor import END_ON_DIBAO_JOB, near_poor_end_on_dibao


def _run(context: JobContext, params: Params) -> Params:
    return {"ended": near_poor_end_on_dibao(actor=context.actor(), region_code=str(params["region_code"]))}


def _describe(result: Params) -> str:
    return _("已纳入低保家庭的边缘家庭认定已退出 %(n)s 户。") % {"n": result.get("ended", 0)}


job_kind_register(
    JobKind(
        name=END_ON_DIBAO_JOB,
        label=_("已纳入低保家庭的边缘家庭认定退出"),
        capabilities=frozenset({Capability.CASE_DECIDE}),
        run=_run,
        describe=_describe,
    )
)
