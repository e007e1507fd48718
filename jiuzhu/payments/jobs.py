"""The payments' background jobs: generating a payroll in parts (one per township) that any worker
may take; and, for large payrolls, the bank file and the village rosters, kept as the job's file
for its requester (`jiuzhu.jobs.files`). Submitted by `payments.services.submission`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jiuzhu.accounts.roles import Capability
from jiuzhu.cases.documents import township_government
from jiuzhu.common.money import fen_to_yuan_text
from jiuzhu.common.spreadsheets import XLSX_CONTENT_TYPE
from jiuzhu.jobs.context import JobContext
from jiuzhu.jobs.kinds import JobKind, Params, job_kind_register
from jiuzhu.payments.access import access_payroll_for_view
from jiuzhu.payments.documents import roster_pdf, roster_xlsx
from jiuzhu.payments.models import Payroll
from jiuzhu.payments.roster_selectors import payroll_roster
from jiuzhu.payments.services.bank import bank_file_export
from jiuzhu.payments.services.generation import (
    payroll_generation_begin,
    payroll_generation_finish,
    payroll_lines_generate,
)
from jiuzhu.payments.services.printing import payroll_roster_printed

PAYROLL_GENERATE = "payments.payroll_generate"
BANK_FILE_EXPORT = "payments.bank_file_export"
ROSTER_BUILD = "payments.roster_build"
ROSTER_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": XLSX_CONTENT_TYPE,
}


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
    payroll = payroll_generation_finish(actor=context.actor(), payroll_id=int(params["payroll_id"]))
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


def _export_bank_file(context: JobContext, params: Params) -> Params:
    payroll = Payroll.objects.get(pk=int(params["payroll_id"]))
    context.total(payroll.household_count)
    made = bank_file_export(
        actor=context.actor(),
        payroll_id=payroll.pk,
        institution_id=int(params["institution_id"]),
        progress=context.set_done,
    )
    context.output(name=made.bank_file.file_name, content_type=made.content_type, content=made.content, sensitive=True)
    bank_file = made.bank_file
    context.log(_("银行文件 %(name)s：%(rows)s 笔。") % {"name": bank_file.file_name, "rows": bank_file.row_count})
    return {
        "payroll_id": payroll.pk,
        "bank_file_id": bank_file.pk,
        "rows": bank_file.row_count,
        "total_fen": bank_file.total_fen,
        "left_out": bank_file.excluded_count,
    }


def _describe_bank_file(result: Params) -> str:
    return _("银行文件已生成：%(rows)s 笔，合计 %(total)s 元；未列入 %(left)s 户（转下期）。") % {
        "rows": result.get("rows", 0),
        "total": fen_to_yuan_text(int(result.get("total_fen", 0))),
        "left": result.get("left_out", 0),
    }


def _build_roster(context: JobContext, params: Params) -> Params:
    actor = context.actor()
    payroll = access_payroll_for_view(actor, int(params["payroll_id"]))
    region_code, file_format = str(params.get("region_code", "")), str(params["format"])
    rosters = payroll_roster(actor=actor, payroll=payroll, region_code=region_code)
    households = sum(len(roster.rows) for roster in rosters)
    context.total(households)
    if file_format == "pdf":
        content = roster_pdf(payroll=payroll, rosters=rosters, authority=township_government(payroll.region))
    else:
        content = roster_xlsx(payroll=payroll, rosters=rosters)
    context.set_done(households)
    name = f"发放花名册{payroll.pk}{region_code}.{file_format}"
    context.output(name=name, content_type=ROSTER_CONTENT_TYPES[file_format], content=content)
    payroll_roster_printed(
        actor=actor, payroll=payroll, region_code=region_code, file_format=file_format, households=households
    )
    return {"payroll_id": payroll.pk, "villages": len(rosters), "households": households, "format": file_format}


def _describe_roster(result: Params) -> str:
    return _("花名册已生成：%(villages)s 个村（社区），%(households)s 户。") % {
        "villages": result.get("villages", 0),
        "households": result.get("households", 0),
    }


job_kind_register(
    JobKind(
        name=BANK_FILE_EXPORT,
        label=_("生成银行发放文件"),
        capabilities=frozenset({Capability.PAYROLL_EXPORT}),
        run=_export_bank_file,
        describe=_describe_bank_file,
    )
)
job_kind_register(
    JobKind(
        name=ROSTER_BUILD,
        label=_("生成发放花名册"),
        capabilities=frozenset({Capability.PAYROLL_VIEW}),
        run=_build_roster,
        describe=_describe_roster,
    )
)
