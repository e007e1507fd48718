"""Edge-household rules (低保边缘家庭, DOMAIN §5.1), pure.

* A household is an **edge household** when, assessed as for dibao on the day, it is not eligible
  for dibao, has counted members, passes the property test, and its per-capita income is at or
  above the standard and below the edge line (`programs.rules.dibao.near_poor_line`: a multiple of
  the standard, capped where the locality caps it). `Assessment.is_near_poor` is that test.
* A recognition is **in force** on a day from its date to its validity's end (`valid_until`,
  inclusive), unless it ended (退出) on or before that day.
* It counts in the statistics as urban or rural by the dibao programme it was measured against.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiuzhu.common.money import fen_to_yuan_text
from jiuzhu.programs.rules.dibao import Assessment
from jiuzhu.programs.rules.dynamic import add_months

# The statistics line of each dibao programme's edge households, and its name.
NEAR_POOR_LINES = {"dibao_urban": "near_poor_urban", "dibao_rural": "near_poor_rural"}
NEAR_POOR_LINE_NAMES = {
    "near_poor_urban": gettext_noop("城市低保边缘家庭"),
    "near_poor_rural": gettext_noop("农村低保边缘家庭"),
}


def valid_until(recognised_on: datetime.date, months: int) -> datetime.date:
    """The last day of a recognition made on `recognised_on` valid for `months`: the day before the
    same day `months` later (10 March → 9 March), or, when that month has no such day, its last day
    (31 January + 1 month → 28 February; 29 February + 12 months → 28 February)."""
    anniversary = add_months(recognised_on, months)
    if anniversary.day != recognised_on.day:  # no such day: the period runs to the month's end
        return anniversary
    return anniversary - datetime.timedelta(days=1)


def renewal_starts_on(until: datetime.date) -> datetime.date:
    """A renewal (续期) continues a recognition from the day after its last: neither new nor an exit."""
    return until + datetime.timedelta(days=1)


def overlaps(
    *, start: datetime.date, until: datetime.date, other_start: datetime.date, other_until: datetime.date,
    other_ended_on: datetime.date | None,
) -> bool:  # fmt: skip
    """Whether a recognition for [start, until] would be in force on a day the other one is."""
    other_last = (
        other_until if other_ended_on is None else min(other_until, other_ended_on - datetime.timedelta(days=1))
    )
    return start <= other_last and other_start <= until


def in_force_on(
    day: datetime.date, *, recognised_on: datetime.date, until: datetime.date, ended_on: datetime.date | None
) -> bool:
    return recognised_on <= day <= until and (ended_on is None or ended_on > day)


def recognition_problems(assessment: Assessment) -> list[str]:
    """Why the household cannot be recognised as an edge household on the assessment's day (Chinese)."""
    if assessment.is_near_poor:
        return []
    income = fen_to_yuan_text(assessment.per_capita_income_fen)
    standard = fen_to_yuan_text(assessment.standard_fen)
    if assessment.counted_member_count == 0:
        return [_("该户没有计入的共同生活家庭成员。")]
    if assessment.eligible:
        return [
            _("该户家庭人均月收入%(income)s元，低于低保标准%(standard)s元，符合低保条件，应按低保申请办理。")
            % {"income": income, "standard": standard}
        ]
    problems = [
        _("家庭财产不符合规定：%(rule)s。") % {"rule": _(rule.label)} for rule in assessment.property_test.failed
    ]
    if assessment.income.per_capita >= assessment.near_poor_line_fen:
        problems.append(
            _("该户家庭人均月收入%(income)s元，不低于低保边缘家庭收入上限%(line)s元。")
            % {"income": income, "line": fen_to_yuan_text(assessment.near_poor_line_fen)}
        )
    return problems or [_("该户不符合低保边缘家庭认定条件。")]
