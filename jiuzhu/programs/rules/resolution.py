"""Resolution of the dibao policy down the region tree. Pure: rows are plain data.

For a region, a programme and a date, each parameter comes from the deepest ancestor-or-self
region whose latest version effective on that date sets it; where no region sets it, the default
in `policy.PARAMETERS` applies. A later version of a region replaces its earlier version as a
whole. The selector (`programs.selectors.policy_rows_get`) loads the rows in one query over the
ancestor codes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jiuzhu.programs.rules.policy import PARAMETERS, DibaoPolicy, policy_from_values
from jiuzhu.regions.rules import parent_code_of


@dataclass(frozen=True)
class PolicyRow:
    """One stored version, as plain data (the selector builds these from the database)."""

    version_id: int
    region_code: str
    effective_from: datetime.date
    params: Mapping[str, Any]


@dataclass(frozen=True)
class ResolvedValue:
    """A parameter's value and where it comes from (`region_code` None: the national default)."""

    key: str
    value: Any
    region_code: str | None = None
    effective_from: datetime.date | None = None
    version_id: int | None = None

    @property
    def is_default(self) -> bool:
        return self.region_code is None


@dataclass(frozen=True)
class ResolvedPolicy:
    region_code: str
    on: datetime.date
    values: tuple[ResolvedValue, ...]

    def value_map(self) -> dict[str, Any]:
        return {v.key: v.value for v in self.values if v.value is not None or v.key != "standard_fen"}

    def get(self, key: str) -> ResolvedValue:
        return next(v for v in self.values if v.key == key)

    def policy(self) -> DibaoPolicy:
        return policy_from_values(self.value_map())


def ancestor_codes(region_code: str) -> tuple[str, ...]:
    """The region's own code and its ancestors' codes, deepest first ("511723105" → 511723105, 511723, 5117, 51)."""
    codes = [region_code] if region_code else []
    while codes and (parent := parent_code_of(codes[-1])) is not None:
        codes.append(parent)
    return tuple(codes)


def latest_versions(rows: Iterable[PolicyRow], on: datetime.date) -> dict[str, PolicyRow]:
    """Per region, the latest version effective on `on`."""
    latest: dict[str, PolicyRow] = {}
    for row in rows:
        if row.effective_from > on:
            continue
        current = latest.get(row.region_code)
        if current is None or row.effective_from > current.effective_from:
            latest[row.region_code] = row
    return latest


def resolve_policy(region_code: str, on: datetime.date, rows: Iterable[PolicyRow]) -> ResolvedPolicy:
    """Per key: the deepest ancestor-or-self region whose latest version effective on `on` sets it.

    Rows of regions outside the ancestor chain are ignored; keys no longer known are ignored.
    """
    latest = latest_versions(rows, on)
    chain = [latest[code] for code in ancestor_codes(region_code) if code in latest]
    values: list[ResolvedValue] = []
    for spec in PARAMETERS:
        row = next((r for r in chain if spec.key in r.params), None)
        if row is None:
            values.append(ResolvedValue(spec.key, spec.default))
        else:
            values.append(
                ResolvedValue(spec.key, row.params[spec.key], row.region_code, row.effective_from, row.version_id)
            )
    return ResolvedPolicy(region_code=region_code, on=on, values=tuple(values))
