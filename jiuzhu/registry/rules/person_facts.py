"""Checks on a person's facts before they are saved. Pure: `today` is a parameter.

Each problem becomes a Chinese message on the field it belongs to, so a form can show it in place.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiuzhu.registry.rules.id_numbers import IdNumberFacts, IdNumberProblem, InvalidIdNumber, parse_id_number

ID_PROBLEM_MESSAGES = {
    IdNumberProblem.EMPTY: gettext_noop("请填写身份证号。"),
    IdNumberProblem.LENGTH: gettext_noop("身份证号应为18位（或15位旧号码）。"),
    IdNumberProblem.FORMAT: gettext_noop("身份证号格式不正确：前17位应为数字，最后一位为数字或X。"),
    IdNumberProblem.PROVINCE: gettext_noop("身份证号前两位不是有效的省级代码。"),
    IdNumberProblem.BIRTH_DATE: gettext_noop("身份证号中的出生日期不是有效日期。"),
    IdNumberProblem.FUTURE_BIRTH: gettext_noop("身份证号中的出生日期晚于今天。"),
    IdNumberProblem.CHECK_DIGIT: gettext_noop("身份证号校验位错误，请核对号码是否录入有误。"),
}


@dataclass(frozen=True)
class PersonFactsInput:
    id_number: str
    sex: str
    birth_date: datetime.date | None
    death_date: datetime.date | None
    disability_category: str
    disability_grade: int | None


@dataclass(frozen=True)
class CheckedPersonFacts:
    id_facts: IdNumberFacts | None
    sex: str
    birth_date: datetime.date | None


def id_problem_message(problem: IdNumberProblem) -> str:
    return _(ID_PROBLEM_MESSAGES[problem])


def check_person_facts(
    facts: PersonFactsInput, *, today: datetime.date, id_required: bool = True
) -> tuple[CheckedPersonFacts, dict[str, list[str]]]:
    """Return derived facts and field errors (empty when everything holds)."""
    errors: dict[str, list[str]] = {}
    id_facts: IdNumberFacts | None = None
    sex = facts.sex
    birth_date = facts.birth_date
    if facts.id_number.strip():
        try:
            id_facts = parse_id_number(facts.id_number, today=today)
        except InvalidIdNumber as problem:
            errors.setdefault("id_number", []).append(id_problem_message(problem.problem))
    elif id_required:
        errors.setdefault("id_number", []).append(id_problem_message(IdNumberProblem.EMPTY))

    if id_facts is not None:
        if birth_date is not None and birth_date != id_facts.birth_date:
            errors.setdefault("birth_date", []).append(
                _("出生日期与身份证号不符：身份证号中的出生日期为 %(date)s。")
                % {"date": id_facts.birth_date.isoformat()}
            )
        if sex and sex != id_facts.sex.value:
            errors.setdefault("sex", []).append(_("性别与身份证号不符。"))
        birth_date = id_facts.birth_date
        sex = id_facts.sex.value
    else:
        if birth_date is None and "id_number" not in errors:
            errors.setdefault("birth_date", []).append(_("请填写出生日期。"))
        if not sex and "id_number" not in errors:
            errors.setdefault("sex", []).append(_("请选择性别。"))
        if birth_date is not None and birth_date > today:
            errors.setdefault("birth_date", []).append(_("出生日期不能晚于今天。"))

    if facts.death_date is not None:
        if facts.death_date > today:
            errors.setdefault("death_date", []).append(_("死亡日期不能晚于今天。"))
        if birth_date is not None and facts.death_date < birth_date:
            errors.setdefault("death_date", []).append(_("死亡日期不能早于出生日期。"))

    if facts.disability_grade is not None:
        if not 1 <= facts.disability_grade <= 4:
            errors.setdefault("disability_grade", []).append(_("残疾等级应为1至4级。"))
        if not facts.disability_category:
            errors.setdefault("disability_category", []).append(_("填写残疾等级时须选择残疾类别。"))
    elif facts.disability_category:
        errors.setdefault("disability_grade", []).append(_("请填写残疾等级（1至4级）。"))

    return CheckedPersonFacts(id_facts=id_facts, sex=sex, birth_date=birth_date), errors
