"""Pure rules about region codes (GB/T 2260 and NBS statistical codes). No Django."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CODE_RE = re.compile(r"^\d{2}(\d{2}(\d{2}(\d{3}(\d{3})?)?)?)?$")
_LEVEL_BY_LENGTH = {2: 1, 4: 2, 6: 3, 9: 4, 12: 5}
_PARENT_LENGTH = {4: 2, 6: 4, 9: 6, 12: 9}


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: int
    parent_code: str | None
    is_urban: bool


class RegionCodeError(ValueError):
    pass


def is_valid_region_code(code: str) -> bool:
    return bool(_CODE_RE.match(code))


def parent_code_of(code: str) -> str | None:
    length = _PARENT_LENGTH.get(len(code))
    return code[:length] if length else None


def is_urban_code(code: str, name: str = "") -> bool:
    """Streets (街道, township digit 0) and communities (village part 001–199) count as urban.

    The NBS pattern (GB/T 10114): township segment starting with 0 = subdistrict; village
    segment 001–199 = residents' committee, 200–399 = villagers' committee.
    """
    if len(code) == 9:
        return code[6] == "0" or name.endswith("街道")
    if len(code) == 12:
        return 1 <= int(code[9:]) <= 199
    return False


def region_row(code: str, name: str) -> RegionRow:
    code = code.strip()
    name = name.strip()
    if not is_valid_region_code(code):
        raise RegionCodeError(code)
    if not name:
        raise RegionCodeError(code)
    return RegionRow(
        code=code,
        name=name,
        level=_LEVEL_BY_LENGTH[len(code)],
        parent_code=parent_code_of(code),
        is_urban=is_urban_code(code, name),
    )
