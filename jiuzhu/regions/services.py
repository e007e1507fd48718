"""Region tree writes: importing a code list."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import ValidationFailed
from jiuzhu.regions.models import Region
from jiuzhu.regions.rules import RegionCodeError, RegionRow, region_row

BUNDLED_PROVINCE_CSV = Path(__file__).resolve().parent / "data" / "sichuan.csv"
NBS_FILES = ("provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv")


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    rows: int


def read_region_rows(source: Path) -> list[RegionRow]:
    """Rows from one CSV with `code,name` columns, or from a folder in the NBS four-file layout.

    Rows are checked whole before anything is written; a bad row names its line.
    """
    files = [source / name for name in NBS_FILES if (source / name).exists()] if source.is_dir() else [source]
    if not files:
        raise ValidationFailed(_("文件夹 %(path)s 中没有区划文件。") % {"path": source})
    rows: dict[str, RegionRow] = {}
    for path in files:
        for line_no, record in _csv_records(path):
            try:
                row = region_row(record.get("code", ""), record.get("name", ""))
            except RegionCodeError:
                raise ValidationFailed(
                    _("%(file)s 第 %(line)d 行：区划代码或名称无效（%(code)s）。")
                    % {"file": path.name, "line": line_no, "code": record.get("code", "")}
                ) from None
            rows[row.code] = row
    ordered = sorted(rows.values(), key=lambda r: (r.level, r.code))
    for row in ordered:
        if row.parent_code and row.parent_code not in rows and not Region.objects.filter(code=row.parent_code).exists():
            raise ValidationFailed(
                _("区划 %(code)s（%(name)s）的上级 %(parent)s 不存在。")
                % {"code": row.code, "name": row.name, "parent": row.parent_code}
            )
    return ordered


def _csv_records(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "code" not in reader.fieldnames or "name" not in reader.fieldnames:
            raise ValidationFailed(_("%(file)s 缺少 code 或 name 列。") % {"file": path.name})
        yield from enumerate(reader, start=2)


@transaction.atomic
def regions_import(*, actor: Any | None, rows: Iterable[RegionRow], source_name: str) -> ImportResult:
    """Create or rename regions from checked rows, parents first. Writes REGIONS_IMPORTED."""
    rows = list(rows)
    existing = dict(Region.objects.values_list("code", "id"))
    new_rows = [r for r in rows if r.code not in existing]
    changed = 0
    by_level: dict[int, list[RegionRow]] = {}
    for row in new_rows:
        by_level.setdefault(row.level, []).append(row)
    for level in sorted(by_level):
        batch = [
            Region(
                code=r.code,
                name=r.name,
                level=r.level,
                is_urban=r.is_urban,
                parent_id=existing.get(r.parent_code) if r.parent_code else None,
            )
            for r in by_level[level]
        ]
        Region.objects.bulk_create(batch, batch_size=2000)
        existing.update(Region.objects.filter(code__in=[r.code for r in by_level[level]]).values_list("code", "id"))
    current_names = dict(Region.objects.filter(code__in=[r.code for r in rows]).values_list("code", "name"))
    renamed = [r for r in rows if r.code in current_names and current_names[r.code] != r.name]
    for row in renamed:
        Region.objects.filter(code=row.code).update(name=row.name)
        changed += 1
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.REGIONS_IMPORTED,
        subject_type="regions.import",
        subject_id=0,
        after={"source": source_name, "created": len(new_rows), "renamed": changed, "rows": len(rows)},
    )
    return ImportResult(created=len(new_rows), updated=changed, rows=len(rows))


def regions_import_bundled_province(*, actor: Any | None = None) -> ImportResult:
    rows = read_region_rows(BUNDLED_PROVINCE_CSV)
    return regions_import(actor=actor, rows=rows, source_name=BUNDLED_PROVINCE_CSV.name)


@transaction.atomic
def region_create(*, actor: Any | None, code: str, name: str) -> Region:
    """Add one region (e.g. a village) under an existing parent."""
    row = region_row(code, name)
    parent = Region.objects.filter(code=row.parent_code).first() if row.parent_code else None
    if row.parent_code and parent is None:
        raise ValidationFailed(_("上级区划 %(code)s 不存在。") % {"code": row.parent_code})
    region, _created = Region.objects.update_or_create(
        code=row.code,
        defaults={"name": row.name, "level": row.level, "is_urban": row.is_urban, "parent": parent},
    )
    return region
