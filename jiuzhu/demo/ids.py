"""Unique synthetic ID numbers (GB 11643) for generated persons. Pure.

A number is address code + birth date + a 3-digit sequence (odd for men, even for women) + check
character. For each (address code, birth date, sex) the allocator hands out the 499 sequences
one after another, in an order that differs by date so numbers do not all end in 001. The counters
live in one compact array per address code (about 160 KB each), so memory stays bounded however
many persons are generated. Numbers already in the database are skipped by the writer, which asks
for another number when a digest exists (`allocate` again simply moves to the next sequence).
"""

from __future__ import annotations

import datetime
from array import array

from jiuzhu.registry.rules.id_numbers import make_id_number

_FIRST_DAY = datetime.date(1900, 1, 1).toordinal()
_LAST_DAY = datetime.date(2012, 12, 31).toordinal()
_DAYS = _LAST_DAY - _FIRST_DAY + 1
SEQUENCES_PER_SEX = 499  # 001–997 for men, 002–998 for women


class IdNumberExhausted(RuntimeError):
    pass


class IdNumberAllocator:
    def __init__(self) -> None:
        self._counters: dict[str, array[int]] = {}

    def allocate(self, address_code: str, birth_date: datetime.date, *, male: bool) -> str:
        day = birth_date.toordinal() - _FIRST_DAY
        if not 0 <= day < _DAYS:
            raise ValueError(f"birth date outside the generator's range: {birth_date}")
        counters = self._counters.get(address_code)
        if counters is None:
            counters = self._counters[address_code] = array("H", bytes(2 * 2 * _DAYS))
        slot = 2 * day + (1 if male else 0)
        used = counters[slot]
        if used >= SEQUENCES_PER_SEX:
            raise IdNumberExhausted(f"no sequence left for {address_code} {birth_date}")
        counters[slot] = used + 1
        j = (used + slot * 7919) % SEQUENCES_PER_SEX + 1  # 1..499, a different start on each date
        sequence = 2 * j - 1 if male else 2 * j
        return make_id_number(address_code, birth_date, sequence)
