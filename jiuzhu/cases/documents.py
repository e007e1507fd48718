"""The dibao letters and forms (DOMAIN §3–§4, issue 3 point 4) as PDF bytes (A4, Chinese, fonts embedded).

Each document is built by a function that takes what it prints and returns `bytes`; the letters are
always in Chinese whatever the user's language (`translation.override("zh-hans")`), and their fixed
official wording is written here in Chinese, not translated. Personal data: only masked ID numbers are
printed, and the village notice list prints nothing but name, household size and amount.

Issuers come from the region tree: the county civil-affairs bureau is "<county>民政局", the township
"<township>人民政府".

Document numbers (文号) are deterministic: "<first character of the county>民低保<kind>〔<year>〕<n>号",
where kind is 受 (acceptance), 批 (approval), 否 (refusal), 变 (change) or 停 (stop), the year is the
year of the document's date and n is the application's id (for change and stop notices the id of the
amount-history entry). E.g. 开民低保批〔2026〕12号. The same case always prints the same number.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import translation

from jiuzhu.cases.choices import (
    AmountChangeKind,
    DecisionOutcome,
    NoticeStageKind,
    RefusalReason,
    ReviewOutcome,
    ReviewStatus,
)
from jiuzhu.cases.models import (
    AmountChange,
    Application,
    Decision,
    HomeVisit,
    PublicNotice,
    Review,
    TownshipOpinion,
)
from jiuzhu.cases.rules import ClockLimits
from jiuzhu.cases.selectors import household_facts_get
from jiuzhu.common.exceptions import DomainError
from jiuzhu.common.masking import mask_in_text
from jiuzhu.common.money import fen_to_yuan_text
from jiuzhu.printing.document import REGISTER, AmountLine, Document, chinese_date
from jiuzhu.programs.rules.dibao import assess_dibao
from jiuzhu.programs.rules.dynamic import add_months
from jiuzhu.programs.rules.labels import render_label
from jiuzhu.programs.rules.policy import WorkflowMode
from jiuzhu.programs.selectors import dibao_policy_get
from jiuzhu.regions.models import Region, RegionLevel

LETTER_LANGUAGE = "zh-hans"
HOTLINE = "12349"  # the national civil-affairs hotline (DOMAIN §3.1)
BLANK = "_" * 12  # room to write a local phone number or address by hand

# Kinds of document number.
ACCEPTANCE = "受"
APPROVAL = "批"
REFUSAL = "否"
CHANGE = "变"
STOP = "停"


# --- Issuers and numbers -------------------------------------------------------------------------------


def _ancestor(region: Region, level: int) -> Region | None:
    current: Region | None = region
    while current is not None and current.level > level:
        current = current.parent
    return current if current is not None and current.level == level else None


def county_bureau(region: Region) -> str:
    """ "开江县民政局" for any region inside 开江县."""
    county = _ancestor(region, RegionLevel.COUNTY)
    return f"{county.name}民政局" if county else "民政局"


def township_government(region: Region) -> str:
    """ "讲治镇人民政府" for any region inside 讲治镇."""
    township = _ancestor(region, RegionLevel.TOWNSHIP)
    return f"{township.name}人民政府" if township else "乡镇人民政府"


def document_number(region: Region, kind: str, year: int, serial: int) -> str:
    """ "开民低保批〔2026〕12号" (see the module docstring)."""
    county = _ancestor(region, RegionLevel.COUNTY)
    prefix = county.name[0] if county and county.name else ""
    return f"{prefix}民低保{kind}〔{year}〕{serial}号"


def _yuan(fen: int) -> str:
    return f"{fen_to_yuan_text(fen)}元"


def _month(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月"


def _people(application: Application) -> list[str]:
    return [m.name for m in application.household.members.order_by("id") if m.death_date is None]


def _appeal_rights(doc: Document, bureau: str) -> None:
    """The remedies every adverse decision states (DOMAIN §3.9, S21)."""
    doc.paragraph(
        f"如对本决定不服，可以自收到本通知书之日起60日内依法申请行政复议，"
        f"也可以自收到本通知书之日起6个月内依法向人民法院提起行政诉讼（作出决定的行政机关：{bureau}）。"
    )


# --- 1. Acceptance notice ------------------------------------------------------------------------------


def acceptance_notice_pdf(application: Application) -> bytes:
    """受理通知书: the township tells the applicant the application was accepted and what happens next."""
    if application.accepted_on is None:
        raise ValueError("the application has not been accepted")
    with translation.override(LETTER_LANGUAGE):
        region = application.region
        issuer = township_government(region)
        limits = ClockLimits.from_json(application.clock_limits)
        delegated = application.workflow_mode == WorkflowMode.TOWNSHIP_CONFIRMS.value
        overall = limits.overall_limit_wd(delegated=delegated, special=False)
        doc = Document(
            title="最低生活保障申请受理通知书",
            authority=issuer,
            number=document_number(region, ACCEPTANCE, application.accepted_on.year, application.pk),
        )
        doc.paragraph(f"{application.applicant.name}：", indent=False)
        doc.paragraph(
            f"你（家）于{chinese_date(application.submitted_on)}提出的{application.program.name}申请，"
            f"材料齐全，本机关已于{chinese_date(application.accepted_on)}受理。"
        )
        doc.facts(
            [
                ("申请人", application.applicant.name),
                ("户主", application.household.head_name),
                ("家庭人口", f"{len(_people(application))}人"),
                ("所在村（社区）", region.name),
                ("申请项目", application.program.name),
                ("受理日期", chinese_date(application.accepted_on)),
            ]
        )
        doc.paragraph(
            f"本机关将在{limits.investigation_start_wd}个工作日内启动家庭经济状况调查核实，"
            "通过入户调查、邻里访问、信息核对等方式核实你家的收入、财产和实际生活情况，请如实提供情况并予以配合；"
            "无正当理由拒不配合的，将终止办理。调查核实后，乡镇初审意见将在你家所在村（社区）公示"
            f"{limits.notice_days}日。"
        )
        due = f"，即{chinese_date(application.overall_due_on)}前" if application.overall_due_on else ""
        doc.paragraph(
            f"自受理之日起{overall}个工作日内{due}将作出审核确认决定并书面告知；"
            "情况特殊的，可以适当延长办理时限。办理期间家庭情况发生变化的，请及时告知。"
        )
        doc.paragraph(f"咨询电话：{BLANK}（全国民政服务热线：{HOTLINE}）")
        doc.signature(date=application.accepted_on, authority=issuer)
        return doc.render()


# --- 2. Home-visit form --------------------------------------------------------------------------------


def home_visit_form_pdf(visit: HomeVisit) -> bytes:
    """入户调查表: household facts, members with masked ID numbers, findings, investigators, signatures."""
    application = visit.application
    household = application.household
    with translation.override(LETTER_LANGUAGE):
        region = application.region
        members = [m for m in household.members.order_by("id") if m.death_date is None]
        investigators = [u.display_name for u in visit.investigators.order_by("id")]
        doc = Document(
            title="最低生活保障家庭入户调查表",
            authority=township_government(region),
            number=f"申请编号：{application.pk}　调查轮次：第{visit.round}轮",
            layout=REGISTER,
            footer="内含个人信息，请妥善保管",
        )
        doc.heading("一、家庭基本情况")
        doc.facts(
            [
                ("户主", household.head_name),
                ("户籍类型", household.get_hukou_type_display()),
                ("所在村（社区）", region.name),
                ("家庭住址", mask_in_text(household.address)),
                ("共同生活人数", f"{sum(1 for m in members if m.is_co_resident)}人"),
                ("申请项目", application.program.name),
                ("调查日期", chinese_date(visit.visited_on)),
                ("调查类型", "县级入户核查" if visit.is_county_visit else "乡镇（村）入户调查"),
            ]
        )
        doc.heading("二、家庭成员")
        doc.table(
            ["姓名", "与户主关系", "身份证号", "性别", "出生日期", "劳动能力", "残疾", "共同生活"],
            [
                [
                    m.name, m.get_relation_display(), m.id_number_masked or "—", m.get_sex_display(),
                    m.birth_date.isoformat(), m.get_work_ability_display(),
                    f"{m.get_disability_category_display()}{m.disability_grade or ''}级" if m.disability_category
                    else "—",
                    "是" if m.is_co_resident else "否",
                ]
                for m in members
            ],
            widths=[2, 2, 4.2, 1.1, 2.4, 2.4, 2.2, 1.6],
            align=["left", "left", "left", "center", "center", "left", "left", "center"],
            empty="暂无成员。",
        )  # fmt: skip
        doc.heading("三、调查情况")
        doc.paragraph(mask_in_text(visit.findings), indent=False)
        doc.heading("四、调查人员")
        doc.facts([("调查人员", "、".join(investigators)), ("录入人", visit.recorded_by.display_name)])
        doc.paragraph("以上情况经调查属实。", indent=False)
        doc.signature_lines([f"调查人（签字）{name}" for name in investigators] + ["申请人（签字）"])
        return doc.render()


# --- 3. Township opinion -------------------------------------------------------------------------------


def township_opinion_pdf(opinion: TownshipOpinion) -> bytes:
    """乡镇初审意见 (初审意见表): the township's opinion on the case, to forward with the file."""
    application = opinion.application
    household = application.household
    with translation.override(LETTER_LANGUAGE):
        region = application.region
        issuer = township_government(region)
        doc = Document(
            title="最低生活保障乡镇初审意见",
            authority=issuer,
            number=f"申请编号：{application.pk}　调查轮次：第{opinion.round}轮",
        )
        doc.facts(
            [
                ("申请人", application.applicant.name),
                ("户主", household.head_name),
                ("所在村（社区）", region.name),
                ("家庭人口", f"{len(_people(application))}人"),
                ("申请日期", chinese_date(application.submitted_on)),
                ("受理日期", chinese_date(application.accepted_on) if application.accepted_on else "—"),
            ]
        )
        doc.heading("初审意见")
        doc.paragraph(f"{'同意' if opinion.agrees else '不同意'}纳入最低生活保障。", bold=True)
        doc.paragraph(mask_in_text(opinion.text))
        doc.paragraph(f"经办人：{opinion.given_by.display_name}", indent=False)
        doc.signature(date=opinion.given_on, authority=issuer)
        return doc.render()


# --- 4. Village notice list ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeEntry:
    """One line of a notice list: nothing else personal may be printed (DOMAIN §3.7)."""

    name: str
    household_size: int
    monthly_amount_fen: int | None  # the proposed amount; None while none is computed yet


def notice_entry_for(application: Application, proposed_amount_fen: int | None = None) -> NoticeEntry:
    """The notice line of an application: a decided amount if there is one, else `proposed_amount_fen`."""
    decision = Decision.objects.filter(application=application).first()
    amount = (
        decision.monthly_amount_fen if decision is not None and decision.outcome == DecisionOutcome.APPROVED else None
    )
    return NoticeEntry(
        name=application.household.head_name,
        household_size=len(_people(application)),
        monthly_amount_fen=amount if amount is not None else proposed_amount_fen,
    )


def notice_list_pdf(
    *, region: Region, entries: Sequence[NoticeEntry], starts_on: datetime.date, ends_on: datetime.date | None,
    stage: str = NoticeStageKind.VILLAGE_NOTICE, program_name: str = "最低生活保障",
) -> bytes:  # fmt: skip
    """村（居）公示名单: name, household size, (proposed) monthly amount; the notice dates; where to object."""
    with translation.override(LETTER_LANGUAGE):
        township = township_government(region)
        publication = stage == NoticeStageKind.PUBLICATION
        title = f"{region.name}{program_name}{'对象长期公示' if publication else '拟保对象公示'}名单"
        doc = Document(title=title, authority=township, layout=REGISTER)
        if publication:
            doc.paragraph(f"以下家庭经审核确认纳入{program_name}，现予公示，接受群众监督。", indent=True)
        else:
            doc.paragraph(
                f"以下家庭申请{program_name}，经入户调查和乡镇初审，现将拟保障对象予以公示，接受群众监督。",
                indent=True,
            )
        amount_header = "月保障金额（元）" if publication else "拟保障金额（元/月）"
        doc.table(
            ["序号", "户主姓名", "家庭人口（人）", amount_header],
            [
                [
                    str(number), entry.name, str(entry.household_size),
                    fen_to_yuan_text(entry.monthly_amount_fen) if entry.monthly_amount_fen is not None else "待核定",
                ]
                for number, entry in enumerate(entries, start=1)
            ],
            widths=[1, 3, 2, 3],
            align=["center", "left", "right", "right"],
            empty="本期无公示对象。",
        )  # fmt: skip
        period = f"公示时间：{chinese_date(starts_on)}至{chinese_date(ends_on)}" if ends_on else (
            f"公示时间：自{chinese_date(starts_on)}起长期公示"
        )  # fmt: skip
        doc.paragraph(period, indent=False, bold=True)
        doc.paragraph(
            f"如对公示对象有异议，请在公示期内向{township}或{county_bureau(region)}反映（可实名或匿名）。"
            f"联系电话：{BLANK}　地址：{BLANK}　全国民政服务热线：{HOTLINE}。",
            indent=False,
        )
        doc.signature(date=starts_on, authority=township)
        return doc.render()


def notice_boards_pdf(*, boards: Sequence[Any], on: datetime.date, title: str, authority: str) -> bytes:
    """All the boards of an area in one printable file: each village's list of each programme from a
    new page (its title, the households, the total, where to object, the township's seal)."""
    with translation.override(LETTER_LANGUAGE):
        doc = Document(title=title, authority=authority, layout=REGISTER)
        for index, board in enumerate(boards):
            if index:
                doc.page_break()
            doc.paragraph(f"{board.region.name}{board.program_name}对象长期公示名单", indent=False, bold=True)
            doc.paragraph(f"以下家庭经审核确认纳入{board.program_name}，现予公示，接受群众监督。", indent=True)
            doc.table(
                ["序号", "户主姓名", "家庭人口（人）", "月保障金额（元）"],
                [
                    [str(n), entry.name, str(entry.household_size), fen_to_yuan_text(entry.monthly_amount_fen or 0)]
                    for n, entry in enumerate(board.entries, start=1)
                ],
                widths=[1, 3, 2, 3],
                align=["center", "left", "right", "right"],
                total=["合计", f"{len(board.entries)} 户", "", fen_to_yuan_text(board.total_fen)],
            )  # fmt: skip
            doc.paragraph(f"公示时间：自{chinese_date(on)}起长期公示（{on.year}年{on.month}月在保名单）", indent=False)
            doc.paragraph(
                f"如有异议，请向{township_government(board.region)}或{county_bureau(board.region)}反映（可实名或匿名）。"
                f"联系电话：{BLANK}　全国民政服务热线：{HOTLINE}。",
                indent=False,
            )
            doc.signature(date=on, authority=township_government(board.region))
        if not boards:
            doc.note("本地区本月没有在保对象。")
        return doc.render()


def proposed_amount_fen(application: Application, on: datetime.date) -> int | None:
    """The amount the calculator gives the household on `on` (for the village notice, before any decision);
    None when the household does not qualify on the facts recorded or no policy is in force there."""
    try:
        policy = dibao_policy_get(region_code=application.region.code, program_code=application.program.code, on=on)
    except DomainError:
        return None
    assessment = assess_dibao(household_facts_get(household_id=application.household_id, as_of=on), policy, on)
    return assessment.total_fen if assessment.eligible and assessment.benefit is not None else None


def village_notice_pdf(notice: PublicNotice, amount_fen: int | None = None) -> bytes:
    """The notice list of one recorded notice (village notice or long-term publication) of one case; a
    village notice prints `amount_fen` (see `proposed_amount_fen`), a publication the approved amount."""
    application = notice.application
    return notice_list_pdf(
        region=application.region,
        entries=[notice_entry_for(application, amount_fen)],
        starts_on=notice.starts_on,
        ends_on=notice.ends_on,
        stage=notice.stage,
        program_name=application.program.name,
    )


# --- 5. Approval decision ------------------------------------------------------------------------------


def decision_amount_lines(decision: Decision) -> list[AmountLine]:
    """The stored calculator lines of a decision, as printed (label, how it was computed, amount)."""
    return amount_lines_of(decision.lines)


def amount_lines_of(stored: Sequence[dict[str, Any]]) -> list[AmountLine]:
    """Stored calculator lines (BenefitLine.to_json of a decision or a review), as printed."""
    lines = []
    for line in stored:
        label = render_label(line["label"], (), translation.gettext)
        if line.get("count", 1) > 1 and line.get("unit_fen") is not None:
            label = f"{label}（{line['count']}人 × {fen_to_yuan_text(line['unit_fen'])}元）"
        note = render_label(line.get("basis", ""), line.get("basis_params", {}).items(), translation.gettext)
        lines.append(AmountLine(label, int(line["amount_fen"]), note if line.get("basis") else ""))
    return lines


def approval_decision_pdf(decision: Decision) -> bytes:
    """低保审批决定书: the amount with its calculation lines, the first payment month."""
    if decision.outcome != DecisionOutcome.APPROVED or decision.first_payment_month is None:
        raise ValueError("not an approval")
    application = decision.application
    with translation.override(LETTER_LANGUAGE):
        region = application.region
        bureau = county_bureau(region)
        doc = Document(
            title="最低生活保障审批决定书",
            authority=bureau,
            number=document_number(region, APPROVAL, decision.decided_on.year, application.pk),
        )
        doc.paragraph(f"{application.applicant.name}：", indent=False)
        doc.paragraph(
            f"你（家）于{chinese_date(application.submitted_on)}提出的{application.program.name}申请，"
            "经调查核实、乡镇初审和公示，符合最低生活保障条件。根据《社会救助暂行办法》等规定，决定批准你家纳入"
            f"最低生活保障，保障人数{decision.member_count}人，每月发放最低生活保障金{_yuan(decision.monthly_amount_fen)}，"
            f"自{_month(decision.first_payment_month)}起发放。"
        )
        doc.facts(
            [
                ("户主", application.household.head_name),
                ("所在村（社区）", region.name),
                ("保障人数", f"{decision.member_count}人"),
                ("家庭人均月收入", _yuan(decision.per_capita_income_fen)),
                ("月保障金额", _yuan(decision.monthly_amount_fen)),
                ("起始发放月份", _month(decision.first_payment_month)),
            ]
        )
        doc.heading("保障金计算明细")
        doc.amounts(decision_amount_lines(decision), total_fen=decision.monthly_amount_fen, total_label="月保障金合计")
        if decision.reason_text:
            doc.paragraph(f"审批意见：{mask_in_text(decision.reason_text)}")
        doc.paragraph(
            "享受最低生活保障期间，家庭人口、收入、财产状况发生变化的，应当及时告知乡镇人民政府（街道办事处）。"
            "民政部门将定期核查，并根据家庭情况变化增发、减发或者停发最低生活保障金。"
        )
        _appeal_rights(doc, bureau)
        doc.signature(date=decision.decided_on, authority=bureau)
        return doc.render()


# --- 6. Refusal notice ---------------------------------------------------------------------------------


def refusal_notice_pdf(decision: Decision) -> bytes:
    """不予批准通知书: the written reasons and the appeal rights (60 days / 6 months, DOMAIN §3.9)."""
    if decision.outcome != DecisionOutcome.REFUSED:
        raise ValueError("not a refusal")
    application = decision.application
    with translation.override(LETTER_LANGUAGE):
        region = application.region
        bureau = county_bureau(region)
        labels = dict(RefusalReason.choices)
        doc = Document(
            title="最低生活保障不予批准通知书",
            authority=bureau,
            number=document_number(region, REFUSAL, decision.decided_on.year, application.pk),
        )
        doc.paragraph(f"{application.applicant.name}：", indent=False)
        doc.paragraph(
            f"你（家）于{chinese_date(application.submitted_on)}提出的{application.program.name}申请，"
            "经调查核实和审核，不符合最低生活保障条件，决定不予批准。"
        )
        doc.heading("不予批准的理由")
        for number, code in enumerate(decision.reason_codes, start=1):
            doc.paragraph(f"{number}．{labels.get(code, code)}", indent=False)
        doc.paragraph(mask_in_text(decision.reason_text))
        _appeal_rights(doc, bureau)
        doc.paragraph("今后家庭情况发生变化、符合条件的，可以重新提出申请。")
        doc.signature(date=decision.decided_on, authority=bureau)
        return doc.render()


# --- 7. Change and stop notices ------------------------------------------------------------------------


@dataclass(frozen=True)
class AmountChangeNotice:
    """What a change (增发 / 减发) or stop (停发) notice prints; built from an `AmountChange`
    (`amount_change_notice_for`) or from a decided review (`review_notice_for`), which adds the
    recomputed lines and, for a gradual exit (渐退), the months still paid."""

    change_id: int
    kind: str  # AmountChangeKind.INCREASE / DECREASE / STOP
    region: Region
    addressee: str
    program_name: str
    previous_amount_fen: int
    amount_fen: int
    effective_month: datetime.date  # the first month at the new amount (for a stop: without payment)
    reason: str
    issued_on: datetime.date
    lines: tuple[AmountLine, ...] = ()
    member_count: int | None = None
    per_capita_income_fen: int | None = None
    grace_months: int = 0  # gradual exit: months still paid at the previous amount before the stop
    grace_first_month: datetime.date | None = None
    authority: str = ""  # the deciding body; default the county civil-affairs bureau


def amount_change_notice_for(change: AmountChange, previous_amount_fen: int) -> AmountChangeNotice:
    entitlement = change.entitlement
    application = entitlement.application
    return AmountChangeNotice(
        change_id=change.pk,
        kind=change.kind,
        region=entitlement.region,
        addressee=application.household.head_name,
        program_name=entitlement.program.name,
        previous_amount_fen=previous_amount_fen,
        amount_fen=change.amount_fen,
        effective_month=change.effective_month,
        reason=change.reason,
        issued_on=change.recorded_at.date(),
    )


def review_notice_for(review: Review) -> AmountChangeNotice:
    """The notice of a decided review that changed the amount (增发 / 减发), stopped it (停发) or began a
    gradual exit (渐退, printed as a stop notice with the months still paid). ValueError otherwise
    (no notice for "no change", nor for an undecided or closed review)."""
    if review.status != ReviewStatus.DECIDED or review.outcome == ReviewOutcome.NO_CHANGE:
        raise ValueError("only a decided change, stop or gradual exit has a notice")
    change = review.amount_changes.order_by("-effective_month", "-id").first()
    entitlement = review.entitlement
    application = entitlement.application
    kinds = {
        ReviewOutcome.INCREASE.value: AmountChangeKind.INCREASE,
        ReviewOutcome.DECREASE.value: AmountChangeKind.DECREASE,
    }
    gradual = review.outcome == ReviewOutcome.GRADUAL_EXIT
    effective = review.stop_month if review.outcome in (ReviewOutcome.STOP, ReviewOutcome.GRADUAL_EXIT) else None
    effective = effective or review.effective_month
    assert effective is not None and review.decided_on is not None
    delegated = application.workflow_mode == WorkflowMode.TOWNSHIP_CONFIRMS.value
    return AmountChangeNotice(
        change_id=change.pk if change is not None else review.pk,
        kind=kinds.get(review.outcome, AmountChangeKind.STOP),
        region=entitlement.region,
        addressee=application.household.head_name,
        program_name=entitlement.program.name,
        previous_amount_fen=review.amount_before_fen or 0,
        amount_fen=review.amount_fen or 0,
        effective_month=effective,
        reason=review.reasons or (change.reason if change is not None else ""),
        issued_on=review.decided_on,
        lines=tuple(amount_lines_of(review.lines)),
        member_count=review.member_count if review.eligible else None,
        per_capita_income_fen=review.per_capita_income_fen if review.member_count else None,
        grace_months=review.grace_months if gradual else 0,
        grace_first_month=review.effective_month if gradual else None,
        authority=township_government(entitlement.region) if delegated else "",
    )


def review_notice_pdf(review: Review) -> bytes:
    """The change or stop notice of a decided review (see `review_notice_for`)."""
    return amount_change_notice_pdf(review_notice_for(review))


def amount_change_notice_pdf(notice: AmountChangeNotice) -> bytes:
    """变更（增发/减发）通知书 or 停发通知书, with the reasons and, when the amount goes down or stops, the
    appeal rights (reconsideration within 60 days, suit within 6 months)."""
    if notice.kind not in (AmountChangeKind.INCREASE, AmountChangeKind.DECREASE, AmountChangeKind.STOP):
        raise ValueError(f"no notice for a {notice.kind} entry")
    with translation.override(LETTER_LANGUAGE):
        bureau = notice.authority or county_bureau(notice.region)
        stop = notice.kind == AmountChangeKind.STOP
        verbs = {AmountChangeKind.INCREASE.value: "增发", AmountChangeKind.DECREASE.value: "减发"}
        verb = verbs.get(str(notice.kind), "停发")
        title = "最低生活保障金停发通知书" if stop else f"最低生活保障金变更（{verb}）通知书"
        doc = Document(
            title=title,
            authority=bureau,
            number=document_number(notice.region, STOP if stop else CHANGE, notice.issued_on.year, notice.change_id),
        )
        doc.paragraph(f"{notice.addressee}：", indent=False)
        if stop and notice.grace_months and notice.grace_first_month:
            last = add_months(notice.effective_month, -1)
            doc.paragraph(
                f"经核查，你家因家庭成员就业，家庭人均收入已超过当地最低生活保障标准，不再符合{notice.program_name}"
                f"条件。根据低保渐退的规定，给予{notice.grace_months}个月渐退期："
                f"{_month(notice.grace_first_month)}至{_month(last)}继续按每月{_yuan(notice.previous_amount_fen)}发放，"
                f"自{_month(notice.effective_month)}起停发最低生活保障金。"
            )
        elif stop:
            doc.paragraph(
                f"经核查，你家已不再符合{notice.program_name}条件，决定自{_month(notice.effective_month)}起"
                f"停发最低生活保障金（原每月{_yuan(notice.previous_amount_fen)}）。"
            )
        else:
            doc.paragraph(
                f"经核查，你家情况发生变化，决定自{_month(notice.effective_month)}起{verb}最低生活保障金，"
                f"每月由{_yuan(notice.previous_amount_fen)}调整为{_yuan(notice.amount_fen)}。"
            )
        doc.facts(
            [
                ("原月保障金额", _yuan(notice.previous_amount_fen)),
                ("调整后月保障金额", _yuan(notice.amount_fen)),
                ("变更类型", verb),
                ("生效月份", _month(notice.effective_month)),
            ]
        )
        if notice.per_capita_income_fen is not None:
            doc.facts([("家庭人均月收入", _yuan(notice.per_capita_income_fen))])
        if notice.lines and not stop:
            doc.heading("重新核定的保障金计算明细")
            doc.amounts(list(notice.lines), total_fen=notice.amount_fen, total_label="月保障金合计")
        doc.heading("理由")
        doc.paragraph(mask_in_text(notice.reason))
        if notice.kind in (AmountChangeKind.DECREASE, AmountChangeKind.STOP):
            _appeal_rights(doc, bureau)
        doc.signature(date=notice.issued_on, authority=bureau)
        return doc.render()
