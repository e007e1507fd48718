"""What each planned household would become, against the registry as it is now (the dry run, and
again household by household when the batch is applied). Everything the import's services would
refuse is found here first, by row and column:

* a village named in the file must be a village of the batch's area (by its code or its name; a name
  used twice in the area needs the code);
* the household and each member pass the registry's own checks (`check_household_fields`,
  `check_person_data`), so the import never refuses what the dry run accepted;
* a person registered in another household, or in two households of the file, is an error; outside
  the importer's jurisdiction the message says only that, not whose household it is;
* a household whose head is registered is recognised: one an earlier batch imported is unchanged
  (what happened to it since is the system's record), or gets its case if it had none; one
  registered by hand must have the same members and village, and then gets its case if it never had
  one; a case already in force stays as it is (a migrated one must match the file's amount and month
  as first imported); a household that had a case which ended is not put back in force by a ledger;
* a case needs the dibao policy of its village on the go-live day; an amount above the standard times
  the covered persons is noted, above twice that it is taken for a typing error.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import region_code_in_jurisdiction
from jiuzhu.cases.choices import ApplicationOrigin
from jiuzhu.cases.models import Application
from jiuzhu.cases.workflow import ACTIVE_STATUSES
from jiuzhu.common.exceptions import RuleViolation
from jiuzhu.common.sensitive import lookup_digest
from jiuzhu.onboarding.fields import AMOUNT, FIELDS, ID_NUMBER, VILLAGE
from jiuzhu.onboarding.models import OnboardingBatch, OnboardingHousehold, Outcome
from jiuzhu.onboarding.rules import AmountCheck, HouseholdPlan, MemberPlan, Problem, amount_check
from jiuzhu.programs.selectors import dibao_policy_get
from jiuzhu.regions.models import Region, RegionLevel
from jiuzhu.regions.scoping import subtree_q
from jiuzhu.registry.choices import MaritalStatus, Relation
from jiuzhu.registry.models import Person
from jiuzhu.registry.services.households import check_household_fields
from jiuzhu.registry.services.persons import check_person_data, existing_id_message
from jiuzhu.registry.types import HouseholdData, PersonData

CHUNK = 1_000
_MEMBER_KEY = re.compile(r"^members-(\d+)-(.+)$")


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


def ordered_members(plan: HouseholdPlan) -> list[MemberPlan]:
    """The head first, then the others in file order (the order the registry receives them in)."""
    return sorted(plan.members, key=lambda m: m.relation != Relation.HEAD)


def household_data(plan: HouseholdPlan, village_id: int) -> HouseholdData:
    """The registry's input for the household. The ledger has no marital status: a spouse, and a
    head with one, are recorded married, others unmarried, until the first review corrects it."""
    has_spouse = any(m.relation == Relation.SPOUSE for m in plan.members)
    married = {Relation.SPOUSE, Relation.HEAD} if has_spouse else {Relation.SPOUSE}
    return HouseholdData(
        region_id=village_id, hukou_type=plan.hukou_type, address=plan.address, phone=plan.phone,
        bank_name=plan.bank_name, account_holder=plan.account_holder, account_number=plan.account_number,
        notes="；".join(plan.notes)[:1000],
        members=tuple(
            PersonData(
                name=m.name, id_number=m.id_number, relation=m.relation, work_ability=m.work_ability,
                disability_category=m.disability_category, disability_grade=m.disability_grade,
                supporter=m.supporter,
                marital_status=MaritalStatus.MARRIED if m.relation in married else MaritalStatus.UNMARRIED,
            )
            for m in ordered_members(plan)
        ),
    )  # fmt: skip


def field_problems(plan: HouseholdPlan, errors: dict[str, list[str]], columns: dict[str, str]) -> list[Problem]:
    """The registry's field errors (`members-2-id_number`, `account_number`…) on the file's rows and columns."""
    labels = {f.key: f.label for f in FIELDS}
    members = ordered_members(plan)
    problems: list[Problem] = []
    for key, messages in errors.items():
        match = _MEMBER_KEY.match(key)
        if match and int(match.group(1)) < len(members):
            line, name = members[int(match.group(1))].line, match.group(2)
        else:
            line, name = plan.head.line, key
        column = columns.get(name, labels.get(name, ""))
        problems.extend(Problem(line, column, str(message)) for message in messages)
    return problems


def registry_problems(plan: HouseholdPlan, columns: dict[str, str]) -> list[Problem]:
    """What the registry's services would refuse in this household."""
    data = household_data(plan, 0)
    errors = check_household_fields(data)
    for index, member in enumerate(data.members):
        errors.update(check_person_data(member, prefix=f"members-{index}-")[1])
    return field_problems(plan, errors, columns)


def evaluate(batch: OnboardingBatch, plans: list[HouseholdPlan], villages: Villages) -> dict[str, Verdict]:
    """A verdict per household key (the plans are households without problems of their own)."""
    digests = {m.id_number: lookup_digest(m.id_number) for plan in plans for m in plan.members}
    registered = _registered(list(digests.values()), batch.uploaded_by)
    in_file = Counter(m.id_number for plan in plans for m in plan.members)
    existing_ids = {r["household_id"] for r in registered.values() if r["visible"]}
    members_of = _members_of(existing_ids)
    history = _applications_of(existing_ids)
    imported = set(
        OnboardingHousehold.objects.filter(household_id__in=existing_ids, outcome=Outcome.APPLIED).values_list(
            "household_id", flat=True
        )
    )
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
        verdict.problems.extend(registry_problems(plan, batch.columns))
        for member in plan.members:
            if in_file[member.id_number] > 1:
                verdict.problems.append(Problem(member.line, column_id, _("同一身份证号在文件中出现了不止一次")))
        head = registered.get(digests[plan.head.id_number])
        if head is not None and not head["visible"]:
            verdict.problems.append(Problem(plan.head.line, column_id, head["message"]))
            head = None
        elif head is None:
            for member in plan.members:
                record = registered.get(digests[member.id_number])
                if record is not None:
                    verdict.problems.append(Problem(member.line, column_id, record["message"]))
        if plan.case is not None and village is not None:
            _check_policy(plan, village, policies, verdict, batch)
        if verdict.problems:
            continue
        if head is None:
            verdict.outcome = Outcome.NEW_WITH_CASE if plan.case is not None else Outcome.NEW
            continue
        household_id = head["household_id"]
        verdict.household_id = household_id
        _compare(plan, head, digests, members_of.get(household_id, set()), history.get(household_id, []),
                 household_id in imported, verdict)  # fmt: skip
    return verdicts


def _registered(digests: list[str], actor: Any) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(digests), CHUNK):
        people = Person.objects.filter(id_number_digest__in=digests[start : start + CHUNK]).select_related(
            "household", "household__region"
        )
        for person in people:
            assert person.id_number_digest is not None
            visible = region_code_in_jurisdiction(actor, person.household.region.code)
            found[person.id_number_digest] = {
                "household_id": person.household_id,
                "region_id": person.household.region_id,
                "visible": visible,
                # Outside the importer's area: that the person is registered, not where or with whom.
                "message": existing_id_message("", person)
                if visible
                else _("身份证号 %(masked)s 已在其他地区登记（不在您的管辖范围内），请与登记地民政部门核实。")
                % {"masked": person.id_number_masked},
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


@dataclass(frozen=True)
class _Case:
    program: str
    active: bool
    origin: str
    amount_fen: int  # the decision's (as first decided or imported)
    first_month: Any


def _applications_of(household_ids: set[int]) -> dict[int, list[_Case]]:
    """Every application each household ever had, with its decision's amount and first month."""
    cases: dict[int, list[_Case]] = {}
    ids = sorted(household_ids)
    for start in range(0, len(ids), CHUNK):
        rows = Application.objects.filter(household_id__in=ids[start : start + CHUNK]).values_list(
            "household_id", "program__code", "status", "origin", "decision__monthly_amount_fen",
            "decision__first_payment_month",
        )  # fmt: skip
        for household_id, program, status, origin, amount, first_month in rows:
            cases.setdefault(household_id, []).append(
                _Case(program, status in ACTIVE_STATUSES, origin, amount or 0, first_month)
            )
    return cases


def _check_policy(
    plan: HouseholdPlan, village: Region, policies: dict[tuple[str, str], Any], verdict: Verdict,
    batch: OnboardingBatch,
) -> None:  # fmt: skip
    assert plan.case is not None
    key = (village.code, plan.case.program_code)
    if key not in policies:
        try:
            policies[key] = dibao_policy_get(region_code=key[0], program_code=key[1], on=batch.go_live)
        except RuleViolation as error:
            policies[key] = str(error)
    policy = policies[key]
    if isinstance(policy, str):
        verdict.problems.append(Problem(plan.head.line, "", policy))
        return
    standard = policy.standard_fen * plan.case.member_count
    values = {"amount": f"{plan.case.amount_fen / 100:.2f}", "standard": f"{standard / 100:.2f}"}
    check = amount_check(plan.case.amount_fen, policy.standard_fen, plan.case.member_count)
    if check == AmountCheck.TYPO:
        column = batch.columns.get(AMOUNT.key, AMOUNT.label)
        message = _("月保障金额 %(amount)s 元超过保障标准 × 保障人数（%(standard)s 元）的两倍，可能填错了")
        verdict.problems.append(Problem(plan.head.line, column, message % values))
    elif check == AmountCheck.ABOVE:
        verdict.notes.append(_("月保障金额 %(amount)s 元高于保障标准 × 保障人数（%(standard)s 元），请核对") % values)


def _compare(
    plan: HouseholdPlan, head: dict[str, Any], digests: dict[str, str], members: set[str], cases: list[_Case],
    imported_before: bool, verdict: Verdict,
) -> None:  # fmt: skip
    same_members = members == {digests[m.id_number] for m in plan.members}
    same_village = verdict.village is not None and head["region_id"] == verdict.village.pk
    household_id = head["household_id"]
    if imported_before:
        # Imported by an earlier batch: what has happened to it since is the system's record.
        if not (same_members and same_village):
            verdict.notes.append(
                _("本户此前已导入，此后的变化以系统记录为准；台账中的成员或村与系统不同，请核对家庭档案")
            )
    elif not (same_members and same_village):
        what = "；".join(
            ([] if same_village else [_("所属村（社区）不同")]) + ([] if same_members else [_("家庭成员不同")])
        )
        message = _("户主已登记（家庭编号 %(id)s），与文件不一致：%(what)s。已登记的家庭请在家庭档案中修改。")
        verdict.problems.append(Problem(plan.head.line, "", message % {"id": household_id, "what": what}))
        return
    if plan.case is None:
        verdict.outcome = Outcome.UNCHANGED
        return
    active = [c for c in cases if c.active]
    if active:
        case = active[0]
        if case.origin == ApplicationOrigin.MIGRATED and (case.program, case.amount_fen, case.first_month) != (
            plan.case.program_code, plan.case.amount_fen, plan.case.first_month,
        ):  # fmt: skip
            message = _(
                "该户已按台账导入在保低保，保障类别、金额或起始月份与当时导入的不一致（金额变化请办理动态调整）"
            )
            verdict.problems.append(Problem(plan.head.line, "", message))
            return
        if case.program != plan.case.program_code:
            verdict.problems.append(
                Problem(plan.head.line, "", _("该户在本系统中已有其他在保或正在办理的救助，与台账的保障类别不同"))
            )
            return
        verdict.outcome = Outcome.UNCHANGED
        return
    if imported_before and any(c.origin == ApplicationOrigin.MIGRATED for c in cases):
        verdict.notes.append(_("本户导入的低保此后已停保或办结，以系统记录为准"))
        verdict.outcome = Outcome.UNCHANGED
        return
    if cases:
        verdict.problems.append(
            Problem(
                plan.head.line,
                "",
                _("该户在本系统中有过低保记录（已停保或已办结），不能按台账重新建档；如需纳入，请办理申请"),
            )
        )
        return
    verdict.outcome = Outcome.ADD_CASE
