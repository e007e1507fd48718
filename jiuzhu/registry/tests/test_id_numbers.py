"""ID number checks (GB 11643), table-driven from DOMAIN.md §11.1 and §16a example 7."""

from __future__ import annotations

import datetime

import pytest

from jiuzhu.registry.rules.id_numbers import (
    IdNumberProblem,
    InvalidIdNumber,
    Sex,
    age_on,
    convert_15_to_18,
    make_id_number,
    parse_id_number,
)

TODAY = datetime.date(2026, 11, 28)


@pytest.mark.parametrize(
    ("raw", "number", "birth", "sex"),
    [
        ("11010519491231002X", "11010519491231002X", datetime.date(1949, 12, 31), Sex.FEMALE),
        ("11010519491231002x", "11010519491231002X", datetime.date(1949, 12, 31), Sex.FEMALE),
        (" 1101 0519 4912 3100 2X ", "11010519491231002X", datetime.date(1949, 12, 31), Sex.FEMALE),
        ("440524188001010014", "440524188001010014", datetime.date(1880, 1, 1), Sex.MALE),
        ("120223198902021249", "120223198902021249", datetime.date(1989, 2, 2), Sex.FEMALE),
    ],
)
def test_valid_numbers_are_normalised_with_birth_date_and_sex(raw, number, birth, sex):
    facts = parse_id_number(raw, today=TODAY)
    assert (facts.number, facts.birth_date, facts.sex) == (number, birth, sex)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", IdNumberProblem.EMPTY),
        ("130402198207290622", IdNumberProblem.CHECK_DIGIT),
        ("110105194912310021", IdNumberProblem.CHECK_DIGIT),
        ("1101051949123100", IdNumberProblem.LENGTH),
        ("11010519491231002Y", IdNumberProblem.FORMAT),
        ("1101051949123100XX", IdNumberProblem.FORMAT),
        ("990105194912310020", IdNumberProblem.PROVINCE),
        ("110105194902300025", IdNumberProblem.BIRTH_DATE),
        ("110105179912310020", IdNumberProblem.BIRTH_DATE),
        ("110105203001010010", IdNumberProblem.FUTURE_BIRTH),
    ],
)
def test_invalid_numbers_name_their_problem(raw, problem):
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(raw, today=TODAY)
    assert caught.value.problem == problem


def test_worked_example_7_check_character_is_x():
    assert make_id_number("110105", datetime.date(1949, 12, 31), 2) == "11010519491231002X"


def test_fifteen_digit_numbers_are_converted():
    assert convert_15_to_18("110105491231002") == "11010519491231002X"
    facts = parse_id_number("110105491231002", today=TODAY)
    assert facts.number == "11010519491231002X"
    assert facts.converted_from_15


def test_fifteen_digit_with_letters_is_refused():
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number("11010549123100X", today=TODAY)
    assert caught.value.problem == IdNumberProblem.FORMAT


def test_historic_address_codes_are_accepted():
    # 440524 (an abolished county code) is valid although it is not in today's list.
    assert parse_id_number("440524188001010014", today=TODAY).address_code == "440524"


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (datetime.date(1922, 12, 31), datetime.date(2012, 12, 31), 90),
        (datetime.date(1923, 1, 1), datetime.date(2012, 12, 31), 89),
        (datetime.date(2000, 2, 29), datetime.date(2001, 2, 28), 0),
        (datetime.date(2000, 2, 29), datetime.date(2001, 3, 1), 1),
    ],
)
def test_age_on(born, on, age):
    assert age_on(born, on) == age
