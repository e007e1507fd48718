"""The payments' background jobs: generating a payroll in parts (one per township) that any worker
may take. Submitted by `payments.services.submission.payroll_generation_submit`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiuzhu.accounts.models import User
from jiuzhu.accounts.roles import Capability
from jiuzhu.common.money import fen_to_yuan_text
from jiuzhu.jobs.context import JobContext
from jiuzhu.jobs.kinds import JobKind, Params, job_kind_register
from jiuzhu.payments.services.generation import (
    payroll_generation_begin,
    payroll_generation_finish,
    payroll_lines_generate,
)

PAYROLL_GENERATE = "payments.payroll_generate"


def _actor(context: JobContext) -> Any | None:
    return User.objects.select_related("region").get(pk=context.actor_id) if context.actor_id else None


def _plan(context: JobContext, params: Params) -> list[Params]:
    _payroll, parts = payroll_generation_begin(payroll_id=int(params["payroll_id"]))
    context.total(len(parts))
    context.log(_("共 %(n)s 个部分（按乡镇）。") % {"n": len(parts)})
    return [{"prefix": prefix} for prefix in parts]


def _run_part(context: JobContext, params: Params, chunk: Params) -> None:
    result = payroll_lines_generate(payroll_id=int(params["payroll_id"]), prefix=str(chunk["prefix"]))
    context.log(
        _("%(prefix)s：新增 %(added)s 行，更新 %(changed)s 行，删除 %(removed)s 行，补发/追回/结转 %(adj)s 行。")
        % {
            "prefix": chunk["prefix"],
            "added": result.regular_added,
            "changed": result.regular_changed + result.adjustments_changed,
            "removed": result.regular_removed + result.adjustments_removed,
            "adj": result.adjustments_added,
        }
    )
    context.advance(1)


def _finish(context: JobContext, params: Params) -> Params:
    payroll = payroll_generation_finish(actor=_actor(context), payroll_id=int(params["payroll_id"]))
    return {
        "payroll_id": payroll.pk,
        "lines": payroll.line_count,
        "households": payroll.household_count,
        "total_fen": payroll.total_fen,
    }


def _describe(result: Params) -> str:
    return _("名册已生成：%(households)s 户，%(lines)s 行，合计 %(total)s 元。") % {
        "households": result.get("households", 0),
        "lines": result.get("lines", 0),
        "total": fen_to_yuan_text(int(result.get("total_fen", 0))),
    }


job_kind_register(
    JobKind(
        name=PAYROLL_GENERATE,
        label=_("生成发放名册"),
        capabilities=frozenset({Capability.PAYROLL_GENERATE}),
        plan=_plan,
        run_chunk=_run_part,
        finish=_finish,
        describe=_describe,
    )
)
