"""Plain builders for rule tests (no database)."""

from __future__ import annotations

import datetime
from typing import Any

from jiuzhu.programs.rules.dibao import HouseholdFacts
from jiuzhu.programs.rules.income import IncomeFacts
from jiuzhu.programs.rules.members import MemberFacts
from jiuzhu.programs.rules.policy import DibaoPolicy, policy_from_values

ON = datetime.date(2024, 6, 1)
ADULT = datetime.date(1980, 1, 1)


def policy(standard_fen: int = 60_000, **values: Any) -> DibaoPolicy:
    return policy_from_values({"standard_fen": standard_fen, **values})


def member(ref: str, relation: str = "head", birth: datetime.date = ADULT, **kwargs: Any) -> MemberFacts:
    return MemberFacts(ref=ref, birth_date=birth, relation=relation, **kwargs)


def family(size: int, *, monthly_fen: int = 0, period_total_fen: int = 0, **kwargs: Any) -> HouseholdFacts:
    """A head, a spouse and children (all adults who cannot live alone are children here)."""
    members = [member("1", "head")]
    if size >= 2:
        members.append(member("2", "spouse"))
    members += [member(str(i), "child", datetime.date(2015, 1, 1)) for i in range(3, size + 1)]
    incomes = []
    if monthly_fen or period_total_fen:
        incomes.append(IncomeFacts("wages", monthly_fen=monthly_fen, period_total_fen=period_total_fen))
    return HouseholdFacts(members=tuple(members), incomes=tuple(incomes), **kwargs)
