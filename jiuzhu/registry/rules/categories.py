"""Person categories the statistics count that are facts of the registry, not of a programme. Pure.

**三无人员** (`three_no`): no ability to work (无劳动能力), no source of living (无生活来源: no income
of the person's own other than the assistance itself) and no legal supporter, or one unable to
support them (无法定赡养、抚养、扶养义务人，或其法定义务人无履行义务能力).
"""

from __future__ import annotations

from jiuzhu.registry.choices import IncomeKind, Supporter, WorkAbility

# Income that does not count as a source of living for 三无: the assistance the person receives.
NOT_A_LIVING = frozenset({IncomeKind.ASSISTANCE})
NO_SUPPORT = frozenset({Supporter.NONE, Supporter.UNABLE})


def is_three_no(*, work_ability: str, supporter: str, has_living_income: bool) -> bool:
    return work_ability == WorkAbility.NONE and supporter in NO_SUPPORT and not has_living_income
