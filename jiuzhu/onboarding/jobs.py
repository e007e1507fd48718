"""The onboarding app's background jobs: the dry run and the import of a batch (`services.batches`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jiuzhu.accounts.roles import Capability
from jiuzhu.jobs.context import JobContext
from jiuzhu.jobs.kinds import JobKind, Params, job_kind_register
from jiuzhu.onboarding.models import BatchStatus, Outcome
from jiuzhu.onboarding.services.batches import APPLY_JOB, CHECK_JOB, batch_apply_run, batch_check_run


def _result(batch: object) -> Params:
    return {
        "batch_id": batch.pk,  # type: ignore[attr-defined]
        "status": batch.status,  # type: ignore[attr-defined]
        "rows": batch.row_count,  # type: ignore[attr-defined]
        "counts": batch.counts,  # type: ignore[attr-defined]
    }


def _check(context: JobContext, params: Params) -> Params:
    batch = batch_check_run(batch_id=int(params["batch_id"]), progress=context.set_done)
    if batch.status == BatchStatus.REFUSED:
        context.log(batch.refusal, level="error")
    return _result(batch)


def _apply(context: JobContext, params: Params) -> Params:
    return _result(batch_apply_run(batch_id=int(params["batch_id"]), progress=context.set_done, total=context.total))


def _describe(result: Params) -> str:
    if result.get("status") == BatchStatus.REFUSED:
        return _("文件有误，未导入（原因见导入批次页）。")
    counts = result.get("counts") or {}
    return "；".join(
        f"{Outcome(key).label} {value} 户" for key, value in sorted(counts.items()) if key in Outcome.values
    )


job_kind_register(
    JobKind(
        name=CHECK_JOB,
        label=_("存量数据试导入"),
        capabilities=frozenset({Capability.ONBOARDING_IMPORT}),
        run=_check,
        describe=_describe,
    )
)
job_kind_register(
    JobKind(
        name=APPLY_JOB,
        label=_("存量数据导入"),
        capabilities=frozenset({Capability.CASE_DECIDE}),  # the service checks the import capability too
        run=_apply,
        describe=_describe,
    )
)
