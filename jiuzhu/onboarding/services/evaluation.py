"""What each planned household would become, against the registry as it is now (the dry run, and
again household by household when the batch is applied):

* a village named in the file must be a village of the batch's area (by its code or its name; a name
  used twice in the area needs the code);
* a household whose head's ID number is already registered is the same household when its members
  and village are the same: then it is unchanged, or gets its case added if it has none in force;
  any difference is an error (a registered household is changed through its file, not an import);
* a member registered in another household, or a person in two households of the file, is an error;
* a case needs the dibao policy of its village in force on the go-live day; an amount above the
  standard times the covered persons is noted, not refused.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from jiuzhu.cases.choices import EntitlementStatus
from jiuzhu.cases.models import Application, Entitlement
from jiuzhu.cases.workflow import ACTIVE_STATUSES
from jiuzhu.common.exceptions import RuleViolation
from jiuzhu.common.sensitive import lookup_digest
from jiuzhu.onboarding.fields import ID_NUMBER, VILLAGE
from jiuzhu.onboarding.models import OnboardingBatch, Outcome
from jiuzhu.onboarding.rules import HouseholdPlan, Problem
from jiuzhu.programs.models import DIBAO_PROGRAMS
from jiuzhu.programs.selectors import dibao_policy_get
from jiuzhu.regions.models import Region, RegionLevel
from jiuzhu.regions.scoping import subtree_q
from jiuzhu.registry.models import Person
from jiuzhu.registry.services.persons import existing_id_message

CHUNK = 1_000


@dataclass
class Verdict:
    outcome: str
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    village: Region | None = None
    household_id: int | None = None  # the registered household, when there is one


class Villages:
    """The villages of the batch's area, found by code or by (unique) name."""

    def __init__(self, area: Region) -> None:
        villages = list(Region.objects.filter(subtree_q(area.code), level=RegionLevel.VILLAGE, is_active=True))
        self.by_code = {v.code: v for v in villages}
        names = Counter(v.name for v in villages)
        self.by_name = {v.name: v for v in villages if names[v.name] == 1}
        self.repeated = {name for name, n in names.items() if n > 1}
        self.area = area

    def find(self, text: str) -> tuple[Region | None, str]:
        text = text.strip()
        if text in self.by_code:
            return self.by_code[text], ""
        if text in self.by_name:
            return self.by_name[text], ""
        if text in self.repeated:
            return None, _("%(area)s有不止一个“%(name)s”，请填写12位区划代码") % {"area": self.area.name, "name": text}
        return None, _("“%(name)s”不是%(area)s的村（社区）：请填写村（社区）名称或12位区划代码") % {
            "name": text,
            "area": self.area.name,
        }


def evaluate(batch: OnboardingBatch, plans: list[HouseholdPlan], villages: Villages) -> dict[str, Verdict]:
    """A verdict per household key (the plans are households without problems of their own)."""
    digests = {m.id_number: lookup_digest(m.id_number) for plan in plans for m in plan.members}
    registered = _registered(list(digests.values()))
    in_file = Counter(m.id_number for plan in plans for m in plan.members)
    existing_ids = {r["household_id"] for r in registered.values()}
    members_of = _members_of(existing_ids)
    in_force = _cases_of(existing_ids)
    policies: dict[tuple[str, str], Any] = {}
    column_id = batch.columns.get(ID_NUMBER.key, ID_NUMBER.label)
    column_village = batch.columns.get(VILLAGE.key, VILLAGE.label)
    verdicts: dict[str, Verdict] = {}
    for plan in plans:
        verdict = Verdict(outcome=Outcome.ERROR)
        verdicts[plan.key] = verdict
        village, problem = villages.find(plan.village)
        if village is None:
            verdict.problems.append(Problem(plan.head.line, column_village, problem))
        verdict.village = village
        for member in plan.members:
            if in_file[member.id_number] > 1:
                verdict.problems.append(Problem(member.line, column_id, _("同一身份证号在文件中出现了不止一次")))
        head_record = registered.get(digests[plan.head.id_number])
        if head_record is None:
            for member in plan.members:
                record = registered.get(digests[member.id_number])
                if record is not None:
                    verdict.problems.append(Problem(member.line, column_id, record["message"]))
        if plan.case is not None and village is not None:
            _check_policy(plan, village, policies, verdict, batch.go_live)
        if verdict.problems:
            continue
        if head_record is None:
            verdict.outcome = Outcome.NEW_WITH_CASE if plan.case is not None else Outcome.NEW
            continue
        _compare(plan, head_record, digests, members_of, in_force, verdict)
    return verdicts


def _registered(digests: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(digests), CHUNK):
        people = Person.objects.filter(id_number_digest__in=digests[start : start + CHUNK]).select_related(
            "household", "household__region"
        )
        for person in people:
            assert person.id_number_digest is not None
            found[person.id_number_digest] = {
                "household_id": person.household_id,
                "region_id": person.household.region_id,
                "relation": person.relation,
                "message": existing_id_message("", person),
            }
    return found


def _members_of(household_ids: set[int]) -> dict[int, set[str]]:
    members: dict[int, set[str]] = {}
    ids = sorted(household_ids)
    for start in range(0, len(ids), CHUNK):
        rows = Person.objects.filter(household_id__in=ids[start : start + CHUNK], death_date__isnull=True)
        for household_id, digest in rows.values_list("household_id", "id_number_digest"):
            members.setdefault(household_id, set()).add(digest or "")
    return members


def _cases_of(household_ids: set[int]) -> dict[int, list[tuple[str, int, Any]]]:
    """(programme, amount, first month) of each household's benefit in force; ("", 0, None) for an
    application still being handled."""
    cases: dict[int, list[tuple[str, int, Any]]] = {}
    ids = sorted(household_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        benefits = Entitlement.objects.filter(
            household_id__in=chunk, status__in=(EntitlementStatus.ACTIVE, EntitlementStatus.EXITING)
        ).values_list("household_id", "program__code", "monthly_amount_fen", "first_month")
        for household_id, program, amount, first_month in benefits:
            cases.setdefault(household_id, []).append((program, amount, first_month))
        pending = Application.objects.filter(household_id__in=chunk, status__in=ACTIVE_STATUSES).filter(
            ~Q(household_id__in=[h for h in chunk if h in cases])
        )
        for household_id in pending.values_list("household_id", flat=True):
            cases.setdefault(household_id, []).append(("", 0, None))
    return cases


def _check_policy(
    plan: HouseholdPlan, village: Region, policies: dict[tuple[str, str], Any], verdict: Verdict, go_live: Any
) -> None:
    assert plan.case is not None
    key = (village.code, plan.case.program_code)
    if key not in policies:
        try:
            policies[key] = dibao_policy_get(region_code=key[0], program_code=key[1], on=go_live)
        except RuleViolation as error:
            policies[key] = str(error)
    policy = policies[key]
    if isinstance(policy, str):
        verdict.problems.append(Problem(plan.head.line, "", policy))
        return
    if plan.case.program_code not in DIBAO_PROGRAMS:  # pragma: no cover - the field's choices are dibao only
        return
    standard = policy.standard_fen * plan.case.member_count
    if plan.case.amount_fen > standard:
        verdict.notes.append(
            _("月保障金额 %(amount)s 元高于保障标准 × 保障人数（%(standard)s 元），请核对")
            % {
                "amount": f"{plan.case.amount_fen / 100:.2f}",
                "standard": f"{standard / 100:.2f}",
            }
        )


def _compare(
    plan: HouseholdPlan,
    head: dict[str, Any],
    digests: dict[str, str],
    members_of: dict[int, set[str]],
    in_force: dict[int, list[tuple[str, int, Any]]],
    verdict: Verdict,
) -> None:
    household_id = head["household_id"]
    verdict.household_id = household_id
    differences = []
    if verdict.village is not None and head["region_id"] != verdict.village.pk:
        differences.append(_("所属村（社区）不同"))
    if members_of.get(household_id, set()) != {digests[m.id_number] for m in plan.members}:
        differences.append(_("家庭成员不同"))
    cases = in_force.get(household_id, [])
    if plan.case is not None and cases:
        program, amount, first_month = cases[0]
        if (program, amount, first_month) != (plan.case.program_code, plan.case.amount_fen, plan.case.first_month):
            differences.append(_("已在保或正在办理，保障类别、金额或起始月份与文件不一致（金额变化请办理动态调整）"))
    if differences:
        verdict.problems.append(
            Problem(
                plan.head.line,
                "",
                _("户主已登记（家庭编号 %(id)s），与文件不一致：%(what)s。已登记的家庭请在家庭档案中修改。")
                % {"id": household_id, "what": "；".join(differences)},
            )
        )
        return
    verdict.outcome = Outcome.ADD_CASE if plan.case is not None and not cases else Outcome.UNCHANGED
