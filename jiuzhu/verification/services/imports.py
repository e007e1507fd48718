"""Importing an agency's file (数据导入).

1. `dataset_upload`: the file is encrypted as it is stored (a megabyte at a time; its checksum
   taken on the way), a dataset row records source, region, as-of date, uploader and retention, and
   the columns are matched to the source's fields by their headers (or by a saved mapping).
2. `dataset_columns_confirm`: the user confirms or corrects which column holds which field (and may
   save that as a named mapping for next time); the import is queued as a background job.
3. `dataset_import_run` (the job): the file is read as a stream; each row is checked; rows with
   problems are recorded by line and column and left out; the rest go to a temporary file, from
   which DuckDB drops exact duplicates (listed too) and writes the records, sorted by the ID hash,
   as Parquet. ID numbers are normalised to 18 characters and kept only as the registry's keyed
   hash. A file that cannot be read at all (encoding, formulas, missing columns, empty) imports
   nothing and says why. Re-running the job starts the dataset over: nothing is counted twice.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import hashlib
import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any, BinaryIO

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import require_capability, require_region_in_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import NotFoundOrNoAccess, TransitionNotAllowed, ValidationFailed
from jiuzhu.common.sensitive import SealedReader, lookup_digest, seal_stream, unseal_stream
from jiuzhu.jobs.services import job_submit
from jiuzhu.regions.models import Region, RegionLevel
from jiuzhu.verification.access import access_dataset_for_change
from jiuzhu.verification.models import (
    RETENTION_YEARS,
    ColumnMapping,
    DatasetProblem,
    DatasetStatus,
    ExternalDataset,
    RetentionClass,
)
from jiuzhu.verification.records import RECORD_COLUMNS, write_records
from jiuzhu.verification.rules.reading import UnreadableFile, open_table
from jiuzhu.verification.rules.rows import Mapping, check_mapping, check_row, match_columns, unused_columns
from jiuzhu.verification.sources import DatasetSource, FieldKind, fields_of

logger = logging.getLogger(__name__)
IMPORT_JOB = "verification.dataset_import"
PROBLEMS_KEPT = 10_000  # rows listed per dataset; all are counted
PROGRESS_EVERY = 5_000


class _Hashing:
    """A binary stream that hashes what is read through it."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.sha256.update(data)
        return data


def dataset_upload(
    *,
    actor: Any,
    source: str,
    region_code: str,
    as_of: datetime.date,
    upload: IO[bytes],
    file_name: str,
    provider: str = "",
    retention_class: str = RetentionClass.DAILY,
    mapping_id: int | None = None,
) -> ExternalDataset:
    require_capability(actor, Capability.VERIFICATION_IMPORT)
    require_region_in_jurisdiction(actor, region_code)
    if source not in DatasetSource.values:
        raise ValidationFailed(_("请选择数据来源。"), code="source_unknown")
    if as_of > timezone.localdate():
        raise ValidationFailed(_("数据截止日期不能晚于今天。"), code="as_of_future")
    region = Region.objects.get(code=region_code)
    if region.level > RegionLevel.COUNTY:
        raise ValidationFailed(
            _("部门数据按县（市、区）或以上导入，请选择县级或以上地区。"),
            field_errors={"region": [_("请选择县级或以上地区。")]},
        )
    stored = store_sealed(upload, folder="verification")
    try:
        header = header_of(stored.name)
        with transaction.atomic():
            dataset = ExternalDataset.objects.create(
                source=source,
                region=region,
                as_of=as_of,
                provider=provider[:100],
                file_name=os.path.basename(file_name)[:255],
                file_size=stored.size,
                sha256=stored.sha256,
                stored_file=stored.name,
                retention_class=retention_class,
                retain_until=_years_after(as_of, RETENTION_YEARS[RetentionClass(retention_class)]),
                status=DatasetStatus.UPLOADED,
                uploaded_by=actor,
            )
            dataset.header = header
            dataset.columns = _proposed_columns(dataset, header, mapping_id)
            dataset.save(update_fields=["header", "columns"])
            audit_event_record(
                actor=actor,
                event_type=AuditEventType.DATASET_UPLOADED,
                subject=dataset,
                region_code=region_code,
                after={
                    "source": source,
                    "as_of": as_of.isoformat(),
                    "file": dataset.file_name,
                    "sha256": dataset.sha256,
                },
            )
    except BaseException:
        default_storage.delete(stored.name)
        raise
    return dataset


@dataclass(frozen=True)
class StoredFile:
    name: str  # in the file storage
    size: int  # of the original
    sha256: str  # of the original


def store_sealed(upload: IO[bytes], *, folder: str) -> StoredFile:
    """Encrypt an upload into the file storage a megabyte at a time, taking its checksum on the way;
    an empty file is refused (ValidationFailed, code `file_empty`) and nothing is stored."""
    hashing = _Hashing(upload)
    with tempfile.TemporaryFile() as sealed:
        size = seal_stream(hashing, sealed)  # type: ignore[arg-type]
        if size == 0:
            raise ValidationFailed(_("文件是空的。"), code="file_empty")
        sealed.seek(0)
        name = default_storage.save(f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.sealed", File(sealed))
    return StoredFile(name=name, size=size, sha256=hashing.sha256.hexdigest())


def _years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def header_of(stored_file: str) -> list[str]:
    """The file's header (the whole file is checked: encoding, formulas, size), before the dataset is
    recorded; a file that cannot be read is refused here with its reason."""
    with plain_copy(stored_file) as plain:
        try:
            return open_table(plain).header
        except UnreadableFile as error:
            raise ValidationFailed(str(error), code="file_unreadable") from None


@contextlib.contextmanager
def plain_copy(stored_file: str) -> Iterator[BinaryIO]:
    """The original, decrypted a megabyte at a time into a temporary file of this machine (removed
    afterwards): the table readers need to seek, and a workbook is a zip archive."""
    with tempfile.TemporaryFile() as plain, default_storage.open(stored_file, "rb") as stored:
        for chunk in unseal_stream(stored):  # type: ignore[arg-type]
            plain.write(chunk)
        plain.seek(0)
        yield plain


def _proposed_columns(dataset: ExternalDataset, header: list[str], mapping_id: int | None) -> dict[str, str]:
    fields = fields_of(dataset.source)
    if mapping_id is not None:
        saved = ColumnMapping.objects.filter(pk=mapping_id, source=dataset.source).first()
        if saved is not None:
            return {key: name for key, name in saved.columns.items() if name in header}
    return {key: header[index] for key, index in match_columns(header, fields).items()}


def dataset_header(dataset: ExternalDataset) -> list[str]:
    """The header read at upload (no file is opened to show or confirm the columns)."""
    return list(dataset.header)


def to_indexes(header: list[str], columns: dict[str, str]) -> Mapping:
    return {key: header.index(name) for key, name in columns.items() if name in header}


@transaction.atomic
def dataset_columns_confirm(
    *, actor: Any, dataset_id: int, columns: dict[str, str], save_as: str = ""
) -> ExternalDataset:
    """Confirm which column holds which field and queue the import. Missing required fields or a
    column used twice are refused here, before anything is read."""
    require_capability(actor, Capability.VERIFICATION_IMPORT)
    dataset = access_dataset_for_change(actor, dataset_id, lock=True)
    if dataset.status not in (DatasetStatus.UPLOADED, DatasetStatus.REFUSED):
        raise TransitionNotAllowed(_("这批数据已在导入或已导入，不能再改列对应关系。"), code="dataset_not_open")
    header = dataset_header(dataset)
    chosen = {key: name for key, name in columns.items() if name}
    problems = check_mapping(header, fields_of(dataset.source), to_indexes(header, chosen))
    unknown = [name for name in chosen.values() if name not in header]
    if unknown:
        problems.append(_("文件中没有这些列：%(columns)s。") % {"columns": "、".join(unknown)})
    if problems:
        raise ValidationFailed(" ".join(problems), code="columns_invalid")
    dataset.columns, dataset.status, dataset.refusal = chosen, DatasetStatus.QUEUED, ""
    if save_as.strip():
        ColumnMapping.objects.update_or_create(
            source=dataset.source,
            region=dataset.region,
            name=save_as.strip()[:100],
            defaults={"columns": chosen, "created_by": actor},
        )
    dataset.job = job_submit(
        actor=actor,
        kind=IMPORT_JOB,
        title=_("导入外部数据：%(source)s（截至 %(as_of)s）")
        % {"source": dataset.get_source_display(), "as_of": dataset.as_of.isoformat()},
        params={"dataset_id": dataset.pk},
        region_code=dataset.region.code,
        exclusive_key=f"{IMPORT_JOB}:{dataset.pk}",
    )
    dataset.save(update_fields=["columns", "status", "refusal", "job"])
    return dataset


def dataset_import_run(*, dataset_id: int, progress: Callable[[int], None] | None = None) -> ExternalDataset:
    """The job's work (see the module docstring). Helper service: the actor was checked on submit."""
    dataset = ExternalDataset.objects.select_related("region").get(pk=dataset_id)
    if dataset.status == DatasetStatus.IMPORTED:
        return dataset
    _start_over(dataset)
    try:
        return _import(dataset, progress)
    except Exception as error:  # anything unforeseen: the dataset says so instead of staying "importing"
        logger.exception("import of dataset %s failed", dataset.pk)
        reason = _("导入时出错（%(error)s），未导入任何数据。请检查文件后重新上传。") % {"error": type(error).__name__}
        return _refuse(dataset, reason)


def _import(dataset: ExternalDataset, progress: Callable[[int], None] | None) -> ExternalDataset:
    fields = fields_of(dataset.source)
    today = timezone.localdate()
    id_keys = [field.key for field in fields if field.kind in (FieldKind.ID_NUMBER, FieldKind.ACCOUNT)]
    columns = [key for key in RECORD_COLUMNS[dataset.source] if key != "line"]
    with tempfile.TemporaryDirectory(prefix="jiuzhu-import-") as work, plain_copy(dataset.stored_file) as plain:
        try:
            table = open_table(plain)
            mapping = to_indexes(table.header, dataset.columns)
            problems = check_mapping(table.header, fields, mapping)
            if problems:
                raise UnreadableFile(" ".join(problems))
            valid_path = os.path.join(work, "valid.csv")
            rows = invalid = 0
            kept: list[DatasetProblem] = []
            with open(valid_path, "w", newline="", encoding="utf-8") as valid_file:
                writer = csv.writer(valid_file, lineterminator="\n")
                for line, cells in table.rows:
                    rows += 1
                    checked = check_row(cells, table.header, fields, mapping, today=today)
                    if checked.values is None:
                        invalid += 1
                        kept.extend(
                            DatasetProblem(dataset=dataset, line=line, column=p.column[:100], message=p.message)
                            for p in checked.problems
                            if len(kept) < PROBLEMS_KEPT
                        )
                        continue
                    values = checked.values
                    for key in id_keys:
                        values[key] = lookup_digest(values[key]) if values[key] else None
                    writer.writerow([line, *(_text(values.get(key)) for key in columns)])
                    if progress is not None and rows % PROGRESS_EVERY == 0:
                        progress(rows)
        except UnreadableFile as error:
            return _refuse(dataset, str(error))
        DatasetProblem.objects.bulk_create(kept, batch_size=2000)
        records_path = os.path.join(work, "records.parquet")
        written = write_records(dataset.source, valid_path, records_path)
        DatasetProblem.objects.bulk_create(
            [
                DatasetProblem(
                    dataset=dataset,
                    line=line,
                    kind=DatasetProblem.Kind.DUPLICATE,
                    message=_("与第 %(first)s 行完全相同，只导入一次") % {"first": first},
                )
                for line, first in written.duplicates[:PROBLEMS_KEPT]
            ],
            batch_size=2000,
        )
        with open(records_path, "rb") as records:
            name = default_storage.save(f"verification/records/{dataset.pk}-{uuid.uuid4().hex}.parquet", File(records))
    with transaction.atomic():
        dataset = ExternalDataset.objects.select_for_update().get(pk=dataset.pk)
        dataset.records_file, dataset.encoding = name, table.encoding
        dataset.row_count, dataset.invalid_count = rows, invalid
        dataset.imported_count, dataset.duplicate_count = written.records, written.duplicate_count
        dataset.unused_columns = unused_columns(table.header, mapping)
        dataset.status, dataset.imported_at = DatasetStatus.IMPORTED, timezone.now()
        dataset.save()
        audit_event_record(
            actor=None,
            event_type=AuditEventType.DATASET_IMPORTED,
            subject=dataset,
            region_code=dataset.region.code,
            after={
                "rows": rows,
                "imported": written.records,
                "invalid": invalid,
                "duplicates": written.duplicate_count,
                "encoding": table.encoding,
            },
        )
    if progress is not None:
        progress(rows)
    return dataset


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _start_over(dataset: ExternalDataset) -> None:
    with transaction.atomic():
        DatasetProblem.objects.filter(dataset=dataset).delete()
        if dataset.records_file:
            default_storage.delete(dataset.records_file)
        ExternalDataset.objects.filter(pk=dataset.pk).update(
            status=DatasetStatus.IMPORTING, records_file="", refusal="", row_count=0, imported_count=0,
            invalid_count=0, duplicate_count=0,
        )  # fmt: skip


def _refuse(dataset: ExternalDataset, reason: str) -> ExternalDataset:
    with transaction.atomic():
        ExternalDataset.objects.filter(pk=dataset.pk).update(status=DatasetStatus.REFUSED, refusal=reason)
        dataset.refresh_from_db()
        audit_event_record(
            actor=None,
            event_type=AuditEventType.DATASET_REFUSED,
            subject=dataset,
            region_code=dataset.region.code,
            after={"reason": reason},
        )
    return dataset


def dataset_original(*, actor: Any, dataset_id: int) -> tuple[ExternalDataset, BinaryIO]:
    """The original file, decrypted, for a download by the county (audited)."""
    require_capability(actor, Capability.VERIFICATION_IMPORT)
    dataset = access_dataset_for_change(actor, dataset_id)
    if not default_storage.exists(dataset.stored_file):
        raise NotFoundOrNoAccess()
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.DATASET_DOWNLOADED,
        subject=dataset,
        region_code=dataset.region.code,
        after={"file": dataset.file_name, "sha256": dataset.sha256},
    )
    spooled = tempfile.SpooledTemporaryFile(max_size=16 << 20)
    with default_storage.open(dataset.stored_file, "rb") as stored:
        shutil.copyfileobj(SealedReader(stored), spooled)  # type: ignore[arg-type]
    spooled.seek(0)
    return dataset, spooled  # type: ignore[return-value]
