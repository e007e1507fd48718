"""Citizen ID numbers (居民身份证号码), GB 11643-1999.

Pure: no Django, no clock (today is a parameter). The check character (ISO 7064 MOD 11-2)
comes from python-stdnum (`stdnum.cn.ric`). The address code is not checked against the
current GB/T 2260 list, because numbers issued under abolished codes stay valid
(DOMAIN.md §11.1); only the province part must be a real province code.
15-digit legacy numbers (GB 11643-1989) are converted by inserting "19" before the year and
computing the check character.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from enum import StrEnum

from stdnum.cn import ric

PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
        "65", "71", "81", "82",
    }
)  # fmt: skip

_EARLIEST_BIRTH = datetime.date(1800, 1, 1)
_SPACES = re.compile(r"[\s\-]")


class IdNumberProblem(StrEnum):
    EMPTY = "empty"
    LENGTH = "length"
    FORMAT = "format"
    PROVINCE = "province"
    BIRTH_DATE = "birth_date"
    FUTURE_BIRTH = "future_birth"
    CHECK_DIGIT = "check_digit"


class InvalidIdNumber(ValueError):
    def __init__(self, problem: IdNumberProblem, value: str) -> None:
        self.problem = problem
        self.value = value
        super().__init__(f"{problem}: {value}")


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class IdNumberFacts:
    number: str  # normalised: 18 characters, upper-case X
    birth_date: datetime.date
    sex: Sex
    address_code: str
    converted_from_15: bool


def _birth_date(number18: str, today: datetime.date) -> datetime.date:
    try:
        born = ric.get_birth_date(number18)
    except ric.InvalidComponent:
        raise InvalidIdNumber(IdNumberProblem.BIRTH_DATE, number18) from None
    if born < _EARLIEST_BIRTH:
        raise InvalidIdNumber(IdNumberProblem.BIRTH_DATE, number18)
    if born > today:
        raise InvalidIdNumber(IdNumberProblem.FUTURE_BIRTH, number18)
    return born


def check_character(body17: str) -> str:
    """The GB 11643 check character of a 17-digit body (stdnum expects a placeholder 18th)."""
    return str(ric.calc_check_digit(body17 + "0"))


def convert_15_to_18(number15: str) -> str:
    body = number15[:6] + "19" + number15[6:15]
    return body + check_character(body)


def parse_id_number(raw: str, *, today: datetime.date) -> IdNumberFacts:
    """Normalise and check an ID number; raise InvalidIdNumber naming the first problem."""
    value = _SPACES.sub("", raw or "").upper()
    if not value:
        raise InvalidIdNumber(IdNumberProblem.EMPTY, value)
    converted = False
    if len(value) == 15:
        if not value.isdigit():
            raise InvalidIdNumber(IdNumberProblem.FORMAT, value)
        value = convert_15_to_18(value)
        converted = True
    if len(value) != 18:
        raise InvalidIdNumber(IdNumberProblem.LENGTH, value)
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise InvalidIdNumber(IdNumberProblem.FORMAT, value)
    if value[:2] not in PROVINCE_CODES:
        raise InvalidIdNumber(IdNumberProblem.PROVINCE, value)
    born = _birth_date(value, today)
    if value[17] != check_character(value[:17]):
        raise InvalidIdNumber(IdNumberProblem.CHECK_DIGIT, value)
    sex = Sex.MALE if int(value[16]) % 2 == 1 else Sex.FEMALE
    return IdNumberFacts(number=value, birth_date=born, sex=sex, address_code=value[:6], converted_from_15=converted)


def make_id_number(address_code: str, birth_date: datetime.date, sequence: int) -> str:
    """Build a valid 18-digit number (for synthetic demo data): sequence 0–999, odd = male."""
    body = f"{address_code}{birth_date:%Y%m%d}{sequence:03d}"
    return body + check_character(body)


def age_on(birth_date: datetime.date, on: datetime.date) -> int:
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
