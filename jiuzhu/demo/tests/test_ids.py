from __future__ import annotations

import datetime

import pytest

from jiuzhu.demo.ids import SEQUENCES_PER_SEX, IdNumberAllocator, IdNumberExhausted
from jiuzhu.registry.rules.id_numbers import IdNumberProblem, InvalidIdNumber, parse_id_number

TODAY = datetime.date(2026, 1, 1)


def test_numbers_are_valid_and_carry_birth_date_sex_and_address():
    allocator = IdNumberAllocator()
    born = datetime.date(1948, 2, 29)
    for male in (True, False):
        facts = parse_id_number(allocator.allocate("511723", born, male=male), today=TODAY)
        assert facts.birth_date == born
        assert facts.sex.value == ("male" if male else "female")
        assert facts.address_code == "511723"


def test_every_sequence_of_a_day_is_used_once_then_exhausted():
    allocator = IdNumberAllocator()
    born = datetime.date(1970, 6, 1)
    numbers = [allocator.allocate("511723", born, male=True) for _ in range(SEQUENCES_PER_SEX)]
    assert len(set(numbers)) == SEQUENCES_PER_SEX
    assert all(int(n[14:17]) % 2 == 1 for n in numbers)
    assert "000" not in {n[14:17] for n in numbers}
    with pytest.raises(IdNumberExhausted):
        allocator.allocate("511723", born, male=True)
    # Women of the same day and men of another county still have all their numbers.
    assert int(allocator.allocate("511723", born, male=False)[14:17]) % 2 == 0
    assert allocator.allocate("511722", born, male=True)[:6] == "511722"


def test_a_wrong_check_character_would_be_caught():
    number = IdNumberAllocator().allocate("511723", datetime.date(1990, 1, 1), male=True)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(wrong, today=TODAY)
    assert caught.value.problem == IdNumberProblem.CHECK_DIGIT


def test_refuses_birth_dates_outside_its_range():
    with pytest.raises(ValueError):
        IdNumberAllocator().allocate("511723", datetime.date(2013, 1, 1), male=True)
