"""The demo town 讲治镇 as data: its places, its staff, and the figures of its 2012 work summary.

Source: seeds/000 part 1 (讲治镇 2012 年社会救助工作总结) and ../shared/DEMO.md. The numbers
here are the *plan* the generator builds to; reports must count the generated rows, never read
these constants (see README.md in this folder).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from jiuzhu.accounts.roles import Role

AS_OF = datetime.date(2012, 12, 31)  # the year end of the work summary; ages are taken on this day
DEFAULT_SEED = 20121231

PROVINCE_CODE = "51"
COUNTY_CODE = "511723"  # 开江县
TOWNSHIP_CODE = "511723105"  # 讲治镇
COMMUNITY_CODE = "511723105001"

# 1 community (居委会, 001–199) and 11 villages (村委会, 200–399): invented names in the national
# code pattern. The first three match the small tree used by the test fixtures.
TOWN_VILLAGES: tuple[tuple[str, str], ...] = (
    ("511723105001", "讲治社区"),
    ("511723105201", "凤凰村"),
    ("511723105202", "石桥村"),
    ("511723105203", "青龙村"),
    ("511723105204", "双河村"),
    ("511723105205", "白鹤村"),
    ("511723105206", "龙泉村"),
    ("511723105207", "金竹村"),
    ("511723105208", "狮子村"),
    ("511723105209", "高峰村"),
    ("511723105210", "柏林村"),
    ("511723105211", "新桥村"),
)
# Relative size of each village (households); the community is the town seat.
VILLAGE_WEIGHTS: dict[str, int] = {
    "511723105201": 11, "511723105202": 9, "511723105203": 12, "511723105204": 10, "511723105205": 8,
    "511723105206": 9, "511723105207": 7, "511723105208": 10, "511723105209": 6, "511723105210": 8,
    "511723105211": 10,
}  # fmt: skip
# The villages along the river that the flood of 4 July 2012 hit.
FLOOD_VILLAGES: tuple[str, ...] = ("511723105204", "511723105202", "511723105206")

CARE_HOME_NAME = "晚晴敬老院"
CREDIT_UNION = "开江县农村信用合作联社讲治信用社"
POST_OFFICE = "中国邮政储蓄银行开江县讲治营业所"

# The 2012 standards of the seed (讲治镇 work summary): urban 170, rural 72 yuan per person per month,
# classified supplements of 10–20 % for the categories the seed names, 3 months of gradual exit;
# amounts in whole yuan, as the seed's tables are. The seed gives no earlier standards: these are in
# force from the day 讲治镇 went live with Jiuzhu (1 January 2012).
DEMO_POLICY_EFFECTIVE = datetime.date(2012, 1, 1)
DEMO_POLICY_NOTE = (
    "讲治镇2012年工作总结：城市低保标准170元/月，农村低保标准72元/月，分类施保10%–20%，渐退期3个月；"
    "低保金通过信用社按季发放。"
)
MONTHLY_FROM = datetime.date(2013, 1, 1)
MONTHLY_NOTE = "低保金改为按月社会化发放（每月10日前），标准不变。"
DEMO_SUPPLEMENTS = {
    "severe_disability": {"percent_bp": 2000},
    "serious_illness": {"percent_bp": 1500},
    "widowed_orphaned": {"percent_bp": 1500},
    "student": {"percent_bp": 1000},
    "elderly": {"percent_bp": 1000},
}
DEMO_STANDARDS_FEN = {"dibao_urban": 17_000, "dibao_rural": 7_200}


def demo_policy_params(program_code: str, *, monthly: bool = False) -> dict[str, object]:
    """The parameters the demo approver sets for 开江县 (PolicyVersion params): in 2012 dibao was paid
    quarterly through the credit union (the seed); from 2013 monthly, as the rules now require."""
    return {
        "standard_fen": DEMO_STANDARDS_FEN[program_code],
        "supplements": DEMO_SUPPLEMENTS,
        "elderly_age": 70,
        "grace_months": 3,
        "rounding_unit": "yuan",
        "payment_frequency": "monthly" if monthly else "quarterly",
    }


DEMO_PASSWORD = "jiuzhu@2026"  # published on purpose: printed by `jiuzhu demo`, listed in the README


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    region_code: str | None  # None: the whole tree
    full_name: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("coordinator", Role.COORDINATOR, "511723105201", "冉小琴"),
    DemoAccount("community", Role.COORDINATOR, COMMUNITY_CODE, "谭丽华"),
    DemoAccount("township", Role.TOWNSHIP_OFFICER, TOWNSHIP_CODE, "何建波"),
    DemoAccount("county", Role.COUNTY_OFFICER, COUNTY_CODE, "向春梅"),
    DemoAccount("approver", Role.COUNTY_APPROVER, COUNTY_CODE, "唐国强"),
    DemoAccount("finance", Role.FINANCE_OFFICER, COUNTY_CODE, "邓晓燕"),
    DemoAccount("institution", Role.INSTITUTION_STAFF, TOWNSHIP_CODE, "蒋德勇"),
    DemoAccount("supervisor", Role.SUPERVISOR, TOWNSHIP_CODE, "李文军"),
    DemoAccount("admin", Role.ADMIN, None, "陈海涛"),
)


@dataclass(frozen=True)
class TownFigures:
    """The people-related figures of the 2012 summary, as the generator's targets."""

    dibao_urban_households: int = 261
    dibao_urban_persons: int = 274
    dibao_rural_households: int = 2680
    dibao_rural_persons: int = 2768
    dibao_rural_new_2012_persons: int = 891
    dibao_rural_changed_2012_households: int = 14
    dibao_cancelled_2012_persons: int = 128
    dibao_applicant_persons: int = 55
    tekun_persons: int = 220
    tekun_in_care_home: int = 48
    veterans: int = 153
    aged_90_plus: int = 31
    medical_households: int = 185
    outpatient_households: int = 210
    temporary_households: int = 81
    flood_collapsed_households: int = 30
    flood_repaired_households: int = 46
    housing_grade_d_households: int = 187
    housing_grade_c_households: int = 170
    dibao_urban_monthly_fen: int = 4_580_500  # 45,805 yuan paid a month at the end of 2012
    dibao_rural_monthly_fen: int = 20_249_800  # 202,498 yuan
    ordinary_households_urban: int = 400
    ordinary_households_rural: int = 3200


FIGURES = TownFigures()
