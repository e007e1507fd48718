"""The cross-checks (交叉核查) as named rules: each a DuckDB query over the sweep's tables, a severity,
and a Chinese explanation of what it found (DOMAIN.md §3.3, §3.5, §3.8, §4.7).

The tables (built by `verification.snapshot` for a region; the rules never touch the database):

* `cases`: one row per case in force — entitlement_id, household_id, program, program_name,
  members (persons in the household now), the policy's thresholds for its region (standard_fen,
  deposit_limit_months, max_dwellings, vehicles_allowed, businesses_allowed), cadre_filed (the
  application's separate filing);
* `members`: person_id, household_id, id_hash (the keyed hash of the ID number, or NULL) — the
  current members of those households; `lookalikes`: the same with name and birth_date, for the
  members without an ID number and those who share both with one;
* `accounts`: household_id, account_digest — the accounts two or more of those households share;
* `ext_<source>`: the latest imported records of each source (`verification.records`), empty
  when none has been imported.

Every query returns household_id, entitlement_id, region_id (the case's), person_id (or NULL), `key` (what makes the
finding this finding: the same key is not raised twice) and the facts its explanation names. The
sweep adds `name` (the person's) and `last_paid_month` (the case's) for the findings only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from jiuzhu.common.money import fen_to_yuan_text


class Severity:
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SEVERITY_LABELS = {Severity.HIGH: _("严重"), Severity.MEDIUM: _("一般"), Severity.LOW: _("提示")}

# Programmes a household may not receive at once (S1 Art. 14; DOMAIN §6.1): the dibao of either kind
# and destitute-persons support, and the two dibao programmes together.
EXCLUSIVE_PROGRAMS = (("dibao_urban", "tekun"), ("dibao_rural", "tekun"), ("dibao_urban", "dibao_rural"))
CLOSED_BUSINESS_WORDS = ("注销", "吊销", "撤销")


@dataclass(frozen=True)
class Check:
    code: str
    title: str  # Chinese msgid
    severity: str
    sql: str
    explain: Callable[[dict[str, Any]], str]  # the facts of one finding -> a Chinese sentence
    needs: tuple[str, ...] = ()  # the sources it reads; without any imported, it finds nothing


def _yuan(fen: Any) -> str:
    return fen_to_yuan_text(int(fen or 0))


def _month(value: Any) -> str:
    return f"{value:%Y年%m月}" if value else "—"


CHECKS: tuple[Check, ...] = (
    Check(
        code="death_still_paid",
        title=gettext_noop("户籍已登记死亡，仍在保"),
        severity=Severity.HIGH,
        needs=("hukou",),
        sql="""
            SELECT c.household_id, c.entitlement_id, c.region_id, m.person_id, h.event_date AS died_on,
                   'death:' || c.entitlement_id || ':' || m.person_id AS key
            FROM ext_hukou h JOIN members m ON m.id_hash = h.id_hash JOIN cases c ON c.household_id = m.household_id
            WHERE h.event = 'death'
        """,
        explain=lambda f: (
            (
                str(_("%(name)s 户籍于 %(day)s 登记死亡，仍列为申请家庭成员。"))
                if f.get("applying")
                else str(_("%(name)s 户籍于 %(day)s 登记死亡，家庭仍在保（最近发放至 %(month)s）。"))
            )
            % {"name": f["name"], "day": f["died_on"], "month": _month(f.get("last_paid_month"))}
        ),
    ),
    Check(
        code="moved_out",
        title=gettext_noop("户籍已迁出"),
        severity=Severity.MEDIUM,
        needs=("hukou",),
        sql="""
            SELECT c.household_id, c.entitlement_id, c.region_id, m.person_id, h.event_date AS moved_on,
                   'move:' || c.entitlement_id || ':' || m.person_id || ':' || h.event_date AS key
            FROM ext_hukou h JOIN members m ON m.id_hash = h.id_hash JOIN cases c ON c.household_id = m.household_id
            WHERE h.event = 'move_out'
        """,
        explain=lambda f: (
            str(_("%(name)s 户籍于 %(day)s 迁出，请核实是否仍共同生活。")) % {"name": f["name"], "day": f["moved_on"]}
        ),
    ),
    Check(
        code="vehicle",
        title=gettext_noop("家庭成员名下有机动车"),
        severity=Severity.MEDIUM,
        needs=("vehicle",),
        sql="""
            SELECT c.household_id, c.entitlement_id, c.region_id, NULL AS person_id,
                   count(DISTINCT v.plate) AS vehicles,
                   string_agg(DISTINCT v.plate, '、' ORDER BY v.plate) AS plates,
                   'vehicle:' || c.entitlement_id || ':' || string_agg(DISTINCT v.plate, ',' ORDER BY v.plate) AS key
            FROM ext_vehicle v JOIN members m ON m.id_hash = v.id_hash JOIN cases c ON c.household_id = m.household_id
            WHERE NOT c.vehicles_allowed
            GROUP BY c.household_id, c.entitlement_id, c.region_id
        """,
        explain=lambda f: (
            str(_("家庭成员名下登记有机动车 %(n)s 辆（%(plates)s），当地政策不允许。"))
            % {"n": f["vehicles"], "plates": f["plates"]}
        ),
    ),
    Check(
        code="dwellings",
        title=gettext_noop("住房超过规定套数"),
        severity=Severity.MEDIUM,
        needs=("real_estate",),
        sql="""
            SELECT c.household_id, c.entitlement_id, c.region_id,
                   NULL AS person_id, count(DISTINCT r.certificate) AS dwellings,
                   any_value(c.max_dwellings) AS allowed,
                   'dwellings:' || c.entitlement_id || ':' || count(DISTINCT r.certificate) AS key
            FROM ext_real_estate r JOIN members m ON m.id_hash = r.id_hash
            JOIN cases c ON c.household_id = m.household_id
            WHERE r.use IS NULL OR r.use LIKE '%住%'
            GROUP BY c.household_id, c.entitlement_id, c.region_id
            HAVING count(DISTINCT r.certificate) > any_value(c.max_dwellings)
        """,
        explain=lambda f: (
            str(_("家庭成员名下住房 %(n)s 套，超过当地规定的 %(allowed)s 套。"))
            % {"n": f["dwellings"], "allowed": f["allowed"]}
        ),
    ),
    Check(
        code="business",
        title=gettext_noop("家庭成员有工商登记"),
        severity=Severity.MEDIUM,
        needs=("business",),
        sql=f"""
            SELECT c.household_id, c.entitlement_id, c.region_id, m.person_id, string_agg(b.entity, '、') AS entities,
                   'business:' || c.entitlement_id || ':' || m.person_id || ':'
                       || string_agg(b.entity, ',' ORDER BY b.entity) AS key
            FROM ext_business b JOIN members m ON m.id_hash = b.id_hash JOIN cases c ON c.household_id = m.household_id
            WHERE NOT c.businesses_allowed
              AND NOT regexp_matches(coalesce(b.status, ''), '{"|".join(CLOSED_BUSINESS_WORDS)}')
            GROUP BY c.household_id, c.entitlement_id, c.region_id, m.person_id
        """,  # noqa: S608 - constant words
        explain=lambda f: (
            str(_("%(name)s 有存续的工商登记：%(entities)s。")) % {"name": f["name"], "entities": f["entities"]}
        ),
    ),
    Check(
        code="income_above_line",
        title=gettext_noop("工资或养老金使人均收入超过低保标准"),
        severity=Severity.HIGH,
        needs=("tax_wages", "social_insurance"),
        sql="""
            WITH wages AS (
                SELECT id_hash, sum(monthly_income_fen) AS fen FROM ext_tax_wages w
                WHERE period IS NULL OR period = (SELECT max(period) FROM ext_tax_wages x WHERE x.id_hash = w.id_hash)
                GROUP BY id_hash
            ), pensions AS (
                SELECT id_hash, max(monthly_amount_fen) AS fen FROM ext_social_insurance
                WHERE kind = 'pension' GROUP BY id_hash
            ), income AS (
                SELECT coalesce(w.id_hash, p.id_hash) AS id_hash, coalesce(w.fen, 0) + coalesce(p.fen, 0) AS fen
                FROM wages w FULL JOIN pensions p ON p.id_hash = w.id_hash
            )
            SELECT c.household_id, c.entitlement_id, c.region_id, NULL AS person_id, sum(i.fen) AS income_fen,
                   any_value(c.members) AS members, any_value(c.standard_fen) AS standard_fen,
                   'income:' || c.entitlement_id || ':' || sum(i.fen) AS key
            FROM income i JOIN members m ON m.id_hash = i.id_hash JOIN cases c ON c.household_id = m.household_id
            GROUP BY c.household_id, c.entitlement_id, c.region_id
            HAVING sum(i.fen) > any_value(c.standard_fen) * greatest(any_value(c.members), 1)
        """,
        explain=lambda f: (
            str(_("工资和养老金合计每月 %(income)s 元，%(members)s 人人均 %(per)s 元，高于低保标准 %(standard)s 元。"))
            % {
                "income": _yuan(f["income_fen"]),
                "members": f["members"],
                "per": _yuan(int(f["income_fen"]) // max(int(f["members"]), 1)),
                "standard": _yuan(f["standard_fen"]),
            }
        ),
    ),
    Check(
        code="deposits_above_limit",
        title=gettext_noop("存款超过规定标准"),
        severity=Severity.MEDIUM,
        needs=("deposits",),
        sql="""
            SELECT c.household_id, c.entitlement_id, c.region_id, NULL AS person_id, sum(d.balance_fen) AS deposits_fen,
                   any_value(c.deposit_limit_months * c.standard_fen * greatest(c.members, 1)) AS limit_fen,
                   'deposits:' || c.entitlement_id || ':' || sum(d.balance_fen) AS key
            FROM ext_deposits d JOIN members m ON m.id_hash = d.id_hash JOIN cases c ON c.household_id = m.household_id
            GROUP BY c.household_id, c.entitlement_id, c.region_id
            HAVING sum(d.balance_fen) > any_value(c.deposit_limit_months * c.standard_fen * greatest(c.members, 1))
        """,
        explain=lambda f: (
            str(_("家庭存款合计 %(deposits)s 元，超过规定上限 %(limit)s 元。"))
            % {"deposits": _yuan(f["deposits_fen"]), "limit": _yuan(f["limit_fen"])}
        ),
    ),
    Check(
        code="cadre_relative_unfiled",
        title=gettext_noop("干部或其近亲属享受低保未备案"),
        severity=Severity.HIGH,
        needs=("cadres",),
        sql="""
            SELECT c.household_id, c.entitlement_id, c.region_id,
                   m.person_id, string_agg(DISTINCT k.post, '、') AS posts,
                   string_agg(DISTINCT k.relation, ',') AS relations,
                   'cadre:' || c.entitlement_id || ':' || m.person_id AS key
            FROM ext_cadres k JOIN members m ON m.id_hash = k.id_hash JOIN cases c ON c.household_id = m.household_id
            WHERE NOT c.cadre_filed
            GROUP BY c.household_id, c.entitlement_id, c.region_id, m.person_id
        """,
        explain=lambda f: (
            str(_("%(name)s 在公职人员、村干部及近亲属名册中（%(posts)s），本案未单独登记备案。"))
            % {"name": f["name"], "posts": f["posts"]}
        ),
    ),
    Check(
        code="exclusive_programs",
        title=gettext_noop("同时享受不能兼得的救助"),
        severity=Severity.HIGH,
        sql="""
            SELECT a.household_id, a.entitlement_id, a.region_id,
                   NULL AS person_id, a.program_name AS first_program_name,
                   b.program_name AS second_program_name,
                   'exclusive:' || a.entitlement_id || ':' || b.entitlement_id AS key
            FROM cases a JOIN cases b ON a.household_id = b.household_id AND a.entitlement_id < b.entitlement_id
            JOIN exclusive_programs x ON (x.a = a.program AND x.b = b.program) OR (x.a = b.program AND x.b = a.program)
        """,
        explain=lambda f: (
            str(_("同一家庭同时在保：%(first)s 与 %(second)s，二者不能同时享受。"))
            % {"first": f["first_program_name"], "second": f["second_program_name"]}
        ),
    ),
    Check(
        code="shared_account",
        title=gettext_noop("不同家庭使用同一银行账户"),
        severity=Severity.HIGH,
        sql="""
            WITH shared AS (
                SELECT a.account_digest FROM accounts a JOIN cases c ON c.household_id = a.household_id
                GROUP BY a.account_digest HAVING count(DISTINCT a.household_id) > 1
            )
            SELECT c.household_id, c.entitlement_id, c.region_id, NULL AS person_id,
                   (SELECT count(DISTINCT o.household_id) - 1 FROM accounts o WHERE o.account_digest = s.account_digest)
                       AS others,
                   'account:' || c.entitlement_id || ':' || s.account_digest AS key
            FROM shared s JOIN accounts a ON a.account_digest = s.account_digest
            JOIN cases c ON c.household_id = a.household_id
        """,
        explain=lambda f: str(_("发放账户与另外 %(n)s 户在保家庭相同，请核实是否代领。")) % {"n": f["others"]},
    ),
    Check(
        code="duplicate_person",
        title=gettext_noop("疑似同一人在两户"),
        severity=Severity.LOW,
        sql="""
            SELECT c.household_id, c.entitlement_id, c.region_id, m.person_id, m.name, m.birth_date,
                   'duplicate:' || c.entitlement_id || ':' || m.person_id || ':' || o.person_id AS key
            FROM lookalikes m JOIN lookalikes o ON o.name = m.name AND o.birth_date = m.birth_date
                 AND o.household_id <> m.household_id AND (m.id_hash IS NULL OR o.id_hash IS NULL)
            JOIN cases c ON c.household_id = m.household_id
        """,
        explain=lambda f: (
            str(_("%(name)s（%(born)s 出生）与另一在保家庭的成员同名同生日，且有一人未登记身份证号码。"))
            % {"name": f["name"], "born": f["birth_date"]}
        ),
    ),
)


def check_by_code(code: str) -> Check:
    return next(check for check in CHECKS if check.code == code)
