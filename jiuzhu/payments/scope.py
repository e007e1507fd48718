"""Which payrolls overlap: pure functions on region codes and periods.

Region codes nest (a village's code starts with its township's, county's… code), so two regions
overlap exactly when one code is a prefix of the other.
"""

from __future__ import annotations

import datetime

from jiuzhu.regions.scoping import SUBTREE_UPPER_SENTINEL


def regions_overlap(code_a: str, code_b: str) -> bool:
    return code_a.startswith(code_b) or code_b.startswith(code_a)


def periods_overlap(start_a: datetime.date, end_a: datetime.date, start_b: datetime.date, end_b: datetime.date) -> bool:
    """Half-open month ranges [start, end) share a month."""
    return start_a < end_b and start_b < end_a


def code_range(prefix: str) -> tuple[str, str]:
    """The [low, high) range of region codes in the subtree of `prefix` (see regions.scoping)."""
    return prefix, prefix + SUBTREE_UPPER_SENTINEL
