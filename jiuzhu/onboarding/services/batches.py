"""Onboarding an office's spreadsheet (存量数据导入), in three steps, each audited:

1. `batch_upload`: the file is stored encrypted (as the agencies' files are), its header read and its
   columns matched to the template's fields by name (the user confirms or corrects them).
2. `batch_columns_confirm` queues the dry run (`batch_check_run`, a job): every row is checked and
   every household's outcome recorded — new, a case added, unchanged, or its errors by row and
   cell — and nothing else is written.
3. `batch_apply` (county approver: it puts cases in force) queues `batch_apply_run`, a job that
   writes each household the dry run found good in its own transaction: the household and its
   members, its dibao case marked as migrated, and the extract of its rows in its file — all of a
   household or none of it. A household that cannot be written is marked with the reason and the
   rest go on. Re-applying, or importing the same file again, writes nothing twice: what is in the
   registry already comes out "unchanged".
"""

from __future__ import annotations

import datetime
import logging
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from typing import IO, Any, BinaryIO

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import require_capability, require_region_in_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.documents import township_government
from jiuzhu.cases.services.onboarding import MigratedCase, entitlement_migrate
from jiuzhu.common.exceptions import DomainError, NotFoundOrNoAccess, TransitionNotAllowed, ValidationFailed
from jiuzhu.common.sensitive import SealedReader
from jiuzhu.jobs.services import job_submit
from jiuzhu.onboarding.access import access_batch
from jiuzhu.onboarding.documents import extract_pdf
from jiuzhu.onboarding.fields import FIELDS
from jiuzhu.onboarding.models import TO_APPLY, BatchStatus, OnboardingBatch, OnboardingHousehold, Outcome
from jiuzhu.onboarding.rules import HouseholdPlan, Problem, mapping_problems
from jiuzhu.onboarding.services.evaluation import Verdict, Villages, evaluate, field_problems, household_data
from jiuzhu.onboarding.services.reading import Group, read_batch
from jiuzhu.regions.models import Region, RegionLevel
from jiuzhu.registry.choices import DocumentKind
from jiuzhu.registry.models import Household
from jiuzhu.registry.services.documents import document_attach
from jiuzhu.registry.services.households import household_insert
from jiuzhu.verification.rules.reading import UnreadableFile
from jiuzhu.verification.rules.rows import match_columns
from jiuzhu.verification.services.imports import header_of, store_sealed, to_indexes

logger = logging.getLogger(__name__)
CHECK_JOB = "onboarding.check"
APPLY_JOB = "onboarding.apply"
PDF = "application/pdf"


def batch_upload(
    *, actor: Any, region_code: str, go_live: datetime.date, reason: str, upload: IO[bytes], file_name: str
) -> OnboardingBatch:
    require_capability(actor, Capability.ONBOARDING_IMPORT)
    require_region_in_jurisdiction(actor, region_code)
    region = Region.objects.get(code=region_code)
    if region.level not in (RegionLevel.COUNTY, RegionLevel.TOWNSHIP):
        raise ValidationFailed(field_errors={"region": [_("请选择县（市、区）或乡镇（街道）。")]})
    if go_live > timezone.localdate():
        raise ValidationFailed(field_errors={"go_live": [_("日期不能晚于今天。")]})
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": [_("请写明建档依据（如台账名称）。")]})
    stored = store_sealed(upload, folder="onboarding")
    try:
        header = header_of(stored.name)
        with transaction.atomic():
            batch = OnboardingBatch.objects.create(
                region=region, go_live=go_live, reason=reason.strip()[:200],
                file_name=os.path.basename(file_name)[:255], file_size=stored.size, sha256=stored.sha256,
                stored_file=stored.name, header=header,
                columns={key: header[index] for key, index in match_columns(header, FIELDS).items()},
                uploaded_by=actor,
            )  # fmt: skip
            audit_event_record(
                actor=actor, event_type=AuditEventType.ONBOARDING_UPLOADED, subject=batch, region_code=region.code,
                after={"file": batch.file_name, "sha256": batch.sha256, "go_live": go_live.isoformat()},
                reason=batch.reason,
            )  # fmt: skip
    except BaseException:
        default_storage.delete(stored.name)
        raise
    return batch


@transaction.atomic
def batch_columns_confirm(*, actor: Any, batch_id: int, columns: dict[str, str]) -> OnboardingBatch:
    """Confirm the columns and queue the dry run (again, after a refusal or an earlier dry run)."""
    require_capability(actor, Capability.ONBOARDING_IMPORT)
    batch = access_batch(actor, batch_id, lock=True)
    if batch.status not in (BatchStatus.UPLOADED, BatchStatus.REFUSED, BatchStatus.CHECKED):
        raise TransitionNotAllowed(_("这批数据正在处理或已导入。"), code="batch_not_open")
    chosen = {key: name for key, name in columns.items() if name}
    problems = mapping_problems(batch.header, to_indexes(batch.header, chosen))
    unknown = [name for name in chosen.values() if name not in batch.header]
    if unknown:
        problems.append(_("文件中没有这些列：%(columns)s。") % {"columns": "、".join(unknown)})
    if problems:
        raise ValidationFailed(" ".join(problems), code="columns_invalid")
    batch.columns, batch.status, batch.refusal = chosen, BatchStatus.CHECKING, ""
    batch.job = job_submit(
        actor=actor, kind=CHECK_JOB, title=_("存量数据试导入：%(file)s") % {"file": batch.file_name},
        params={"batch_id": batch.pk}, region_code=batch.region.code, exclusive_key=f"onboarding:{batch.pk}",
    )  # fmt: skip
    batch.save(update_fields=["columns", "status", "refusal", "job"])
    return batch


def batch_check_run(*, batch_id: int, progress: Callable[[int], None] | None = None) -> OnboardingBatch:
    """The dry run (a job): the outcome of every household, nothing else written."""
    batch = OnboardingBatch.objects.select_related("region", "uploaded_by").get(pk=batch_id)
    try:
        return _check(batch, progress)
    except UnreadableFile as error:
        return _refuse(batch, str(error))
    except Exception as error:  # anything unforeseen: the batch says so instead of staying "checking"
        logger.exception("dry run of onboarding batch %s failed", batch.pk)
        return _refuse(
            batch, _("试导入时出错（%(error)s），请检查文件后重新试导入。") % {"error": type(error).__name__}
        )


def _check(batch: OnboardingBatch, progress: Callable[[int], None] | None) -> OnboardingBatch:
    read = read_batch(batch, progress)
    verdicts = _verdicts(batch, read.groups)
    with transaction.atomic():
        OnboardingHousehold.objects.filter(batch=batch).delete()
        OnboardingHousehold.objects.bulk_create(
            [_household_row(batch, group, verdicts.get(group.key)) for group in read.groups], batch_size=1000
        )
        counts = _counts(batch)
        OnboardingBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.CHECKED, encoding=read.encoding, row_count=read.row_count, counts=counts,
            checked_at=timezone.now(), refusal="",
        )  # fmt: skip
        batch.refresh_from_db()
        audit_event_record(
            actor=None, event_type=AuditEventType.ONBOARDING_CHECKED, subject=batch, region_code=batch.region.code,
            after={"rows": read.row_count, "households": len(read.groups), **counts},
        )  # fmt: skip
    return batch


def _counts(batch: OnboardingBatch) -> dict[str, int]:
    """Households by outcome, and how many carry notes (`noted`) to look at before importing."""
    counts = dict(Counter(batch.households.values_list("outcome", flat=True)))
    noted = batch.households.filter(noted=True).count()
    return {**counts, "noted": noted} if noted else counts


def _verdicts(batch: OnboardingBatch, groups: list[Group]) -> dict[str, Verdict]:
    plans = [group.plan for group in groups if group.plan is not None]
    return evaluate(batch, plans, Villages(batch.region))


def _household_row(batch: OnboardingBatch, group: Group, verdict: Verdict | None) -> OnboardingHousehold:
    plan = group.plan
    problems = group.problems + (verdict.problems if verdict else [])
    case = plan.case if plan else None
    notes = verdict.notes if verdict else []
    return OnboardingHousehold(
        batch=batch, key=group.shown_key, key_digest=group.key_digest, first_line=group.first_line, rows=group.rows,
        village=verdict.village if verdict else None,
        head_name=(plan.head.name if plan else next((str(r["name"]) for r in group.rows if r["name"]), ""))[:64],
        outcome=verdict.outcome if verdict and not problems else Outcome.ERROR,
        problems=[{"line": p.line, "column": p.column, "message": p.message} for p in problems],
        notes=notes, noted=bool(notes), program_code=case.program_code if case else "",
        amount_fen=case.amount_fen if case else None, first_month=case.first_month if case else None,
        household_id=verdict.household_id if verdict else None,
    )  # fmt: skip


def _refuse(batch: OnboardingBatch, reason: str) -> OnboardingBatch:
    with transaction.atomic():
        OnboardingBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.REFUSED, refusal=reason)
        batch.refresh_from_db()
        audit_event_record(
            actor=None, event_type=AuditEventType.ONBOARDING_CHECKED, subject=batch, region_code=batch.region.code,
            after={"refused": reason},
        )  # fmt: skip
    return batch


@transaction.atomic
def batch_apply(*, actor: Any, batch_id: int) -> OnboardingBatch:
    """Queue the import of the households the dry run found good (the county approver)."""
    require_capability(actor, Capability.ONBOARDING_IMPORT)
    batch = access_batch(actor, batch_id, lock=True)
    require_capability(actor, Capability.CASE_DECIDE)
    if batch.status != BatchStatus.CHECKED:
        raise TransitionNotAllowed(_("请先试导入，核对每一户的结果后再导入。"), code="batch_not_checked")
    if not batch.households.filter(outcome__in=TO_APPLY).exists():
        raise TransitionNotAllowed(_("试导入结果中没有可以导入的家庭。"), code="nothing_to_apply")
    batch.status = BatchStatus.APPLYING
    batch.applied_by = actor
    batch.job = job_submit(
        actor=actor, kind=APPLY_JOB, title=_("存量数据导入：%(file)s") % {"file": batch.file_name},
        params={"batch_id": batch.pk}, region_code=batch.region.code, exclusive_key=f"onboarding:{batch.pk}",
    )  # fmt: skip
    batch.save(update_fields=["status", "applied_by", "job"])
    return batch


def batch_apply_run(
    *, batch_id: int, progress: Callable[[int], None] | None = None, total: Callable[[int], None] | None = None
) -> OnboardingBatch:
    """The import (a job). The file is read again and each household the dry run found good is
    evaluated again against the registry as it is now, then written in its own transaction. Safe to
    run again after a crash: a household already written is skipped."""
    batch = OnboardingBatch.objects.select_related("region", "applied_by", "uploaded_by").get(pk=batch_id)
    try:
        return _apply(batch, progress, total)
    except Exception as error:  # the households written stay written; the batch can be imported again
        logger.exception("import of onboarding batch %s failed", batch.pk)
        reason = _("导入时出错（%(error)s）：已导入的户不受影响，可再次导入其余各户。") % {
            "error": type(error).__name__
        }
        OnboardingBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.CHECKED, refusal=reason, counts=_counts(batch)
        )
        batch.refresh_from_db()
        return batch


def _apply(
    batch: OnboardingBatch, progress: Callable[[int], None] | None, total: Callable[[int], None] | None
) -> OnboardingBatch:
    actor = batch.applied_by  # who asked for the import (checked then); the household services check again
    read = read_batch(batch, (lambda _rows: progress(0)) if progress else None)  # a heartbeat while reading
    wanted = set(batch.households.filter(outcome__in=TO_APPLY).values_list("key_digest", flat=True))
    groups = [group for group in read.groups if group.key_digest in wanted and group.plan is not None]
    if total is not None:
        total(len(groups))
    verdicts = _verdicts(batch, groups)
    township = batch.region.level == RegionLevel.TOWNSHIP
    authority = township_government(batch.region) if township else f"{batch.region.name}民政局"
    for done, group in enumerate(groups, start=1):
        _apply_one(batch, actor, group, verdicts[group.key], authority)
        if progress is not None:
            progress(done)
    with transaction.atomic():
        counts = _counts(batch)
        OnboardingBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.APPLIED, counts=counts, applied_at=timezone.now(), refusal=""
        )
        batch.refresh_from_db()
        audit_event_record(
            actor=actor, event_type=AuditEventType.ONBOARDING_APPLIED, subject=batch, region_code=batch.region.code,
            after=counts, reason=batch.reason,
        )  # fmt: skip
    return batch


def _apply_one(batch: OnboardingBatch, actor: Any, group: Group, verdict: Verdict, authority: str) -> None:
    plan = group.plan
    assert plan is not None
    if verdict.problems or verdict.outcome not in TO_APPLY:  # the registry changed since the dry run
        OnboardingHousehold.objects.filter(batch=batch, key_digest=group.key_digest, outcome__in=TO_APPLY).update(
            outcome=Outcome.FAILED if verdict.problems else verdict.outcome,
            problems=_as_json(verdict.problems),
            household_id=verdict.household_id,
        )
        return
    source = _("存量数据迁移：%(file)s %(lines)s（导入批次 %(batch)s）") % {
        "file": batch.file_name, "lines": lines_text(plan.lines), "batch": batch.pk,
    }  # fmt: skip
    try:
        with transaction.atomic():
            row = (
                OnboardingHousehold.objects.select_for_update()
                .filter(batch=batch, key_digest=group.key_digest, outcome__in=TO_APPLY)
                .first()
            )
            if row is None:  # written meanwhile by another run of this job
                return
            household = _household_for(actor, plan, verdict, batch.reason)
            application_id = None
            if plan.case is not None:
                entitlement = entitlement_migrate(
                    actor=actor,
                    case=MigratedCase(
                        household_id=household.pk, program_code=plan.case.program_code,
                        amount_fen=plan.case.amount_fen, first_month=plan.case.first_month,
                        approved_on=plan.case.approved_on, member_count=plan.case.member_count, source_note=source,
                    ),
                    go_live=batch.go_live,
                    reason=batch.reason,
                )  # fmt: skip
                application_id = entitlement.application_id
            content = extract_pdf(
                batch=batch, household_key=group.shown_key, rows=group.rows, case=plan.case,
                head_name=plan.head.name, applied_on=timezone.localdate(), applied_by=actor.display_name,
                authority=authority,
            )  # fmt: skip
            document_attach(
                actor=actor, household=household, kind=DocumentKind.MIGRATION_SOURCE, description=source,
                upload=SimpleUploadedFile(f"存量数据迁移来源-批次{batch.pk}-第{plan.head.line}行.pdf", content, PDF),
            )  # fmt: skip
            row.outcome, row.problems = Outcome.APPLIED, []
            row.household_id, row.application_id = household.pk, application_id
            row.save(update_fields=["outcome", "problems", "household", "application"])
    except DomainError as error:
        _failed(batch, group, field_problems(plan, getattr(error, "field_errors", None) or {}, batch.columns)
                or [Problem(plan.head.line, "", str(error.message))])  # fmt: skip
    except Exception as error:  # a database error of one household does not stop the others
        logger.exception("onboarding batch %s: household at line %s failed", batch.pk, plan.head.line)
        _failed(
            batch, group, [Problem(plan.head.line, "", _("写入时出错（%(error)s）") % {"error": type(error).__name__})]
        )


def _failed(batch: OnboardingBatch, group: Group, problems: list[Problem]) -> None:
    OnboardingHousehold.objects.filter(batch=batch, key_digest=group.key_digest, outcome__in=TO_APPLY).update(
        outcome=Outcome.FAILED, problems=_as_json(problems)
    )


def _as_json(problems: list[Problem]) -> list[dict[str, object]]:
    return [{"line": p.line, "column": p.column, "message": p.message} for p in problems]


def lines_text(lines: tuple[int, ...]) -> str:
    """ "第 2–4 行", or "第 2、5、9 行" when the household's rows are not together."""
    ordered = sorted(lines)
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"第 {ordered[0]} 行" if len(ordered) == 1 else f"第 {ordered[0]}–{ordered[-1]} 行"
    return "第 " + "、".join(str(n) for n in ordered) + " 行"


def _household_for(actor: Any, plan: HouseholdPlan, verdict: Verdict, reason: str) -> Household:
    if verdict.outcome == Outcome.ADD_CASE:
        assert verdict.household_id is not None
        return Household.objects.select_for_update().select_related("region").get(pk=verdict.household_id)
    assert verdict.village is not None
    return household_insert(actor=actor, data=household_data(plan, verdict.village.pk), reason=reason)


def batch_original(*, actor: Any, batch_id: int) -> tuple[OnboardingBatch, BinaryIO]:
    """The original file, decrypted, for the county (audited)."""
    batch = access_batch(actor, batch_id)
    require_capability(actor, Capability.ONBOARDING_IMPORT)
    if not default_storage.exists(batch.stored_file):
        raise NotFoundOrNoAccess()
    audit_event_record(
        actor=actor, event_type=AuditEventType.ONBOARDING_DOWNLOADED, subject=batch, region_code=batch.region.code,
        after={"file": batch.file_name, "sha256": batch.sha256},
    )  # fmt: skip
    spooled = tempfile.SpooledTemporaryFile(max_size=16 << 20)
    with default_storage.open(batch.stored_file, "rb") as stored:
        shutil.copyfileobj(SealedReader(stored), spooled)  # type: ignore[arg-type]
    spooled.seek(0)
    return batch, spooled  # type: ignore[return-value]
