"""The verification app's background jobs: importing an agency's file (`services.imports`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jiuzhu.accounts.roles import Capability
from jiuzhu.jobs.context import JobContext
from jiuzhu.jobs.kinds import JobKind, Params, job_kind_register
from jiuzhu.verification.models import DatasetStatus
from jiuzhu.verification.services.imports import IMPORT_JOB, dataset_import_run
from jiuzhu.verification.services.sweep import SWEEP_JOB, sweep_run


def _run(context: JobContext, params: Params) -> Params:
    dataset = dataset_import_run(dataset_id=int(params["dataset_id"]), progress=context.set_done)
    if dataset.status == DatasetStatus.REFUSED:
        context.log(dataset.refusal, level="error")
    return {
        "dataset_id": dataset.pk,
        "status": dataset.status,
        "rows": dataset.row_count,
        "imported": dataset.imported_count,
        "invalid": dataset.invalid_count,
        "duplicates": dataset.duplicate_count,
    }


def _describe(result: Params) -> str:
    if result.get("status") == DatasetStatus.REFUSED:
        return _("文件有误，未导入任何数据（原因见数据批次页）。")
    return _("共 %(rows)s 行：导入 %(imported)s 条，有误 %(invalid)s 行，重复 %(duplicates)s 行。") % {
        "rows": result.get("rows", 0),
        "imported": result.get("imported", 0),
        "invalid": result.get("invalid", 0),
        "duplicates": result.get("duplicates", 0),
    }


job_kind_register(
    JobKind(
        name=IMPORT_JOB,
        label=_("导入外部数据"),
        capabilities=frozenset({Capability.VERIFICATION_IMPORT}),
        run=_run,
        describe=_describe,
    )
)


def _sweep(context: JobContext, params: Params) -> Params:
    sweep, times = sweep_run(
        region_code=str(params["region_code"]), actor_id=context.actor_id, job_id=context.job_id,
        progress=context.set_done,
    )  # fmt: skip
    context.log(
        _("在保 %(cases)s 户、%(members)s 人；读库 %(s)s 秒，核查 %(c)s 秒，登记 %(f)s 秒。")
        % {
            "cases": sweep.cases,
            "members": sweep.members,
            "s": f"{times.snapshot_s:.1f}",
            "c": f"{times.checks_s:.1f}",
            "f": f"{times.flags_s:.1f}",
        }
    )
    return {"sweep_id": sweep.pk, "cases": sweep.cases, "found": sweep.found, "raised": sweep.raised}


def _describe_sweep(result: Params) -> str:
    return _("核查在保 %(cases)s 户：发现 %(found)s 处问题，新增疑点 %(raised)s 条。") % {
        "cases": result.get("cases", 0),
        "found": result.get("found", 0),
        "raised": result.get("raised", 0),
    }


job_kind_register(
    JobKind(
        name=SWEEP_JOB,
        label=_("交叉核查"),
        capabilities=frozenset({Capability.VERIFICATION_IMPORT}),
        run=_sweep,
        describe=_describe_sweep,
    )
)
