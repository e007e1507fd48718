"""The yearly work summary (工作总结) of an area: its figures drafted in Chinese, section by section, in
the words the seeds use, each figure numbered and noted with where it came from (the snapshot and
the sums or the records behind it). Sections of programmes Jiuzhu does not run yet say so and
carry no figure.

* The year-end roll (年末在保) is the snapshot of January of the next year: what was decided by
  31 December takes effect from January (approvals are paid, and stops stop, from the month after
  the decision). Without it, December's snapshot is used and the note says so.
* The year's movements and money are the twelve monthly snapshots summed; missing months are named.
* Applications awaiting decision at the year's end are read from the case records, and their
  persons assessed as the household stood on 31 December.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext

from jiuzhu.accounts.jurisdiction import require_capability, require_region_in_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.cases.choices import ApplicationStatus
from jiuzhu.cases.models import Application, StatusChange
from jiuzhu.cases.selectors import household_rows_many
from jiuzhu.common.exceptions import DomainError, NotFoundOrNoAccess
from jiuzhu.lowincome.rules import NEAR_POOR_LINE_NAMES
from jiuzhu.programs.models import DIBAO_PROGRAMS, ProgramCode
from jiuzhu.programs.rules.dibao import assess_dibao
from jiuzhu.programs.selectors import configuration_held, dibao_policy_get
from jiuzhu.regions.models import Region, RegionLevel
from jiuzhu.regions.scoping import subtree_q
from jiuzhu.reports.models import MonthSnapshot, SnapshotCase
from jiuzhu.reports.regions import region_of
from jiuzhu.reports.rules import Figures
from jiuzhu.reports.selectors import FLOWS, area_sums, snapshot_for

URBAN: str = ProgramCode.DIBAO_URBAN
RURAL: str = ProgramCode.DIBAO_RURAL
NOT_BUILT = "本项目尚未在系统中建立，本节数字须另行填写。"
# The sections of the seeds' summaries after dibao, none of them run by Jiuzhu yet.
OTHER_SECTIONS = (
    "医疗救助", "特困人员救助供养（五保）", "临时救助", "自然灾害救助", "优抚安置", "住房救助（危房改造）",
    "老龄工作（高龄津贴）",
)  # fmt: skip
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Note:
    number: int
    text: str


@dataclass(frozen=True)
class Piece:
    text: str
    note: int | None = None  # the note a figure refers to


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: list[list[Piece]]
    built: bool = True


@dataclass(frozen=True)
class WorkSummary:
    region: Region
    year: int
    sections: list[Section]
    notes: list[Note] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.region.name}{self.year}年社会救助工作总结（统计数字部分）"


def yuan(fen: int) -> str:
    """Money as the seeds write it: whole yuan without separators, else two decimals."""
    return str(fen // 100) if fen % 100 == 0 else f"{fen / 100:.2f}"


def whole_area(region: Region) -> str:
    """ "全镇", "全县", "全市", "全省", "全街道" — how a summary names its own area."""
    for suffix in ("街道", "镇", "乡", "县", "区", "市", "省", "村", "社区"):
        if region.name.endswith(suffix):
            return "全" + suffix
    return "全" + ("县" if region.level == RegionLevel.COUNTY else "区域")


def resolve_region(text: str) -> Region:
    """A region by code, or by a name that is unique (else a Chinese error naming the candidates)."""
    text = text.strip()
    found = Region.objects.filter(code=text).first() if text.isdigit() else None
    if found is not None:
        return found
    named = list(Region.objects.filter(name=text).order_by("code")[:10])
    if len(named) == 1:
        return named[0]
    if not named:
        raise NotFoundOrNoAccess(gettext("没有找到区划“%(text)s”，请给出区划代码或准确名称。") % {"text": text})
    choices = "、".join(f"{r.code}（{r.parent.name if r.parent else ''}{r.name}）" for r in named)
    raise DomainError(
        gettext("名称“%(text)s”对应多个区划：%(choices)s，请改用区划代码。") % {"text": text, "choices": choices},
        code="region_ambiguous",
    )


def work_summary(*, actor: Any, region_code: str, year: int) -> WorkSummary:
    require_capability(actor, Capability.STATISTICS_VIEW)
    require_region_in_jurisdiction(actor, region_code)
    return build_work_summary(region=region_of(region_code), year=year)


class _Notes:
    def __init__(self) -> None:
        self.items: list[Note] = []

    def add(self, text: str) -> int:
        self.items.append(Note(len(self.items) + 1, text))
        return len(self.items)


def _snapshot_text(snapshot: MonthSnapshot) -> str:
    made = f"，生成于 {snapshot.finished_at:%Y-%m-%d %H:%M}" if snapshot.finished_at else ""
    return f"{snapshot.region.name}{snapshot.month:%Y年%m月}月末快照（编号 {snapshot.pk}{made}）"


def build_work_summary(*, region: Region, year: int) -> WorkSummary:
    """The summary (no access check: the page and the API check the user, the command is the operator's)."""
    notes = _Notes()
    sections = [_dibao(region, year, notes)]
    sections += [Section(title=title, paragraphs=[[Piece(NOT_BUILT)]], built=False) for title in OTHER_SECTIONS]
    numbered = [Section(f"{NUMERALS[i]}、{s.title}", s.paragraphs, s.built) for i, s in enumerate(sections)]
    return WorkSummary(region=region, year=year, sections=numbered, notes=notes.items)


def _dibao(region: Region, year: int, notes: _Notes) -> Section:
    title = "城乡最低生活保障"
    area = whole_area(region)
    roll = snapshot_for(region.code, datetime.date(year + 1, 1, 1))
    roll_why = (
        "年末在保取次年1月的月末快照中1月以前批准的对象：12月31日前批准的从次年1月起发放，批准停保的从次年1月起停发；"
        "次年1月批准的新增不计入。"
    )
    january = roll is not None
    if roll is None:
        roll = snapshot_for(region.code, datetime.date(year, 12, 1))
        roll_why = f"尚无{year + 1}年1月的月末快照，年末在保暂取{year}年12月的快照（12月批准的新增、停保尚未计入）。"
    if roll is None:
        text = f"尚无{year}年12月或{year + 1}年1月的月末快照，年末在保数不能生成；请先在统计月报中生成快照。"
        return Section(title, [[Piece(text)]])
    length = len(region.code)
    state = _roll(roll, region, exclude_new=january)
    urban, rural = state.get(URBAN, Figures()), state.get(RURAL, Figures())
    paragraphs: list[list[Piece]] = []
    pieces = [Piece(f"截至{year}年底，{area}")]
    for name, program, figures in (("城市", URBAN, urban), ("农村", RURAL, rural)):
        note = notes.add(
            f"{_snapshot_text(roll)}中{name}最低生活保障在保（当月保障金额大于零）的户数、保障人数和月保障金额。"
            f"{_roll_query(roll, region, program, january)}{roll_why}"
        )
        pieces.append(
            Piece(
                f"{name}低保对象{figures.households}户{figures.persons}人，月发放低保金{yuan(figures.amount_fen)}元",
                note,
            )
        )
        pieces.append(Piece("；" if program == URBAN else "。"))
    paragraphs.append(pieces)

    months = [datetime.date(year, month, 1) for month in range(1, 13)]
    found = {month: snapshot_for(region.code, month) for month in months}
    missing = [month for month, snapshot in found.items() if snapshot is None]
    year_sums: dict[str, Figures] = {}
    for snapshot in found.values():
        if snapshot is None:
            continue
        for program, figures in area_sums(snapshot, region.code, length).get(region.code, {}).items():
            flows = Figures(**{name: getattr(figures, name) for name in FLOWS})
            year_sums[program] = year_sums.get(program, Figures()) + flows
    ids = "、".join(str(s.pk) for s in found.values() if s is not None)
    gap = f"其中{'、'.join(f'{m.month}月' for m in missing)}尚无快照，未计入。" if missing else ""
    span = "1—12月" if not missing else "各月"
    pieces = [Piece(f"{year}年{span}")]
    for name, program in (("城市", URBAN), ("农村", RURAL)):
        flows = year_sums.get(program, Figures())
        note = notes.add(
            f"{year}年各月月末快照（编号 {ids or '无'}）中{name}最低生活保障按审批日期计入当月的新增户数与人数、"
            f"调整（增发、减发）户数与人数（保障人数有增减的计增减人数，未变的计保障人数）、停保户数与停保前的保障人数之和。"
            f"{_sums_query_months(program, region)}{gap}"
        )
        pieces.append(
            Piece(
                f"{name}新增低保对象{flows.new_households}户{flows.new_persons}人，"
                f"变更{flows.changed_households}户{flows.changed_persons}人，"
                f"取消{flows.stopped_households}户{flows.stopped_persons}人",
                note,
            )
        )
        pieces.append(Piece("；" if program == URBAN else "。"))
    waiting, persons = _waiting(region, year)
    note = notes.add(
        f"{year}年12月31日及以前提出、当日尚未审批的低保申请（cases_application 中 submitted_on ≤ {year}-12-31 且"
        f"未审批或审批日期晚于该日），人数为按该日家庭情况和低保政策核算的计入保障人数。"
    )
    pieces.append(Piece(f"年末已申报待审批{waiting}户{persons}人", note))
    pieces.append(Piece("。"))
    paragraphs.append(pieces)

    paid = sum(f.paid_fen for f in year_sums.values())
    note = notes.add(
        f"{year}年各月月末快照中城乡最低生活保障所属当月的发放明细合计（不含银行退回失败的）。"
        f"{_sums_query_months('dibao_urban、dibao_rural', region, column='paid_fen')}{gap}"
    )
    money = [Piece(f"全年发放城乡低保金{yuan(paid)}元", note), Piece("。")]
    levels = [
        (name, _standard(region, program, year, state.get(program)))
        for name, program in (("城市", URBAN), ("农村", RURAL))
    ]
    known = [(name, fen, source) for name, (fen, source) in levels if fen]
    if known:
        standards = notes.add("；".join(f"{name}：{source}" for name, _fen, source in known) + "。")
        money += [
            Piece(f"现{area}"),
            Piece("，".join(f"{name}低保标准为{yuan(fen)}元/人·月" for name, fen, _source in known), standards),
            Piece("。"),
        ]
    paragraphs.append(money)
    paragraphs += _edge_households(region, found[datetime.date(year, 12, 1)], area, notes)
    boards = _on_roll(roll, region, exclude_new=january).values("region_code").distinct().count()
    note = notes.add(
        f"{_snapshot_text(roll)}中有年末在保低保家庭的村（社区）数，每村（社区）一处公示栏；户数为城乡年末在保户数"
        f"之和。查询：reports_snapshotcase 中 snapshot_id = {roll.pk}、program 为 dibao_urban 或 dibao_rural、"
        f"households = 1{'、new_households = 0' if january else ''} 的不同 region_code 计数。"
    )
    paragraphs.append(
        [
            Piece(
                f"在各村（社区）设置公示栏{boards}处，把{urban.households + rural.households}户低保家庭的名册、"
                "救助金额进行公示",
                note,
            ),
            Piece("。"),
        ]
    )
    return Section(title, paragraphs)


def _edge_households(region: Region, december: MonthSnapshot | None, area: str, notes: _Notes) -> list[list[Piece]]:
    """The edge households on 31 December: December's snapshot (their recognitions run by the day, so
    January's state is not December's). Nothing when there is none."""
    if december is None:
        return []
    rows = _on_roll(december, region, exclude_new=False, programs=tuple(NEAR_POOR_LINE_NAMES))
    sums = {row["program"]: row for row in rows.values("program").annotate(h=Sum("households"), p=Sum("persons"))}
    counts = [
        (name, int(sums[code]["h"] or 0), int(sums[code]["p"] or 0))
        for code, name in (("near_poor_urban", "城市"), ("near_poor_rural", "农村"))
        if code in sums
    ]
    if not counts:
        return []
    note = notes.add(
        f"{_snapshot_text(december)}中月末认定有效（在有效期内、未退出、当月未享受低保）的低保边缘家庭户数和认定时计入的人数。"
        f"查询：reports_snapshotcase 中 snapshot_id = {december.pk}、program 为 near_poor_urban 或 near_poor_rural、"
        f"region_code 以 {region.code} 开头、households = 1 的行。"
    )
    text = "，".join(f"{name}{households}户{persons}人" for name, households, persons in counts)
    return [[Piece(f"年末{area}认定低保边缘家庭{text}", note), Piece("。")]]


def _sums_query_months(program: str, region: Region, *, column: str = "") -> str:
    columns = column or (
        "new_households、new_persons、changed_households、changed_persons、stopped_households、stopped_persons"
    )
    return (
        f"查询：各月快照的 reports_snapshotarea 中 program 为 {program}、region_code 以 {region.code} 开头的行，"
        f"对 {columns} 求和。"
    )


def _on_roll(
    snapshot: MonthSnapshot, region: Region, *, exclude_new: bool, programs: tuple[str, ...] = DIBAO_PROGRAMS
) -> Any:
    """The snapshot's rows in force of `programs` (by default the benefits, not the edge households)."""
    rows = SnapshotCase.objects.filter(
        subtree_q(region.code, "region_code"), snapshot=snapshot, households=1, program__in=programs
    )
    return rows.filter(new_households=0) if exclude_new else rows


def _roll(snapshot: MonthSnapshot, region: Region, *, exclude_new: bool) -> dict[str, Figures]:
    """The year-end roll by programme: the snapshot's cases in force, without those approved in its
    own month when it is January's (they were not on the roll on 31 December)."""
    sums = (
        _on_roll(snapshot, region, exclude_new=exclude_new)
        .values("program")
        .annotate(h=Sum("households"), p=Sum("persons"), a=Sum("amount_fen"), s=Sum("standard_persons_fen"))
    )
    return {
        row["program"]: Figures(
            households=int(row["h"] or 0),
            persons=int(row["p"] or 0),
            amount_fen=int(row["a"] or 0),
            standard_persons_fen=int(row["s"] or 0),
        )
        for row in sums
    }


def _roll_query(snapshot: MonthSnapshot, region: Region, program: str, january: bool) -> str:
    return (
        f"查询：reports_snapshotcase 中 snapshot_id = {snapshot.pk}、program = '{program}'、region_code 以 "
        f"{region.code} 开头、households = 1{'、new_households = 0' if january else ''} 的行，"
        "对 households、persons、amount_fen 求和。"
    )


def _standard(region: Region, program: str, year: int, figures: Figures | None) -> tuple[int, str]:
    """The standard in force on 31 December: the area's policy, or (an area whose counties differ) the
    average over the persons on the roll; 0 if neither is known."""
    year_end = datetime.date(year, 12, 31)
    try:
        policy = dibao_policy_get(region_code=region.code, program_code=program, on=year_end)
        return policy.standard_fen, f"{region.name}{year}年12月31日适用的低保标准（政策参数版本）"
    except DomainError:
        pass
    if figures is not None and figures.persons:
        return figures.average_standard_fen, "年末在保对象适用的当地低保标准按保障人数加权平均"
    return 0, ""


def _waiting(region: Region, year: int) -> tuple[int, int]:
    """Dibao applications filed by 31 December and neither decided, withdrawn nor terminated by then."""
    year_end = datetime.date(year, 12, 31)
    ended = StatusChange.objects.filter(
        to_status__in=[ApplicationStatus.WITHDRAWN, ApplicationStatus.TERMINATED], occurred_on__lte=year_end
    ).values("application_id")
    waiting = (
        Application.objects.filter(
            subtree_q(region.code, "region__code"), submitted_on__lte=year_end, program__code__in=DIBAO_PROGRAMS
        )
        .filter(Q(decided_on__isnull=True) | Q(decided_on__gt=year_end))
        .exclude(pk__in=ended)
        .select_related("region", "program")
    )
    applications = list(waiting)
    rows = household_rows_many(household_ids={a.household_id for a in applications}, as_of=year_end)
    persons = 0
    with configuration_held():
        for application in applications:
            try:
                policy = dibao_policy_get(
                    region_code=application.region.code, program_code=application.program.code, on=year_end
                )
            except DomainError:
                continue  # no policy there on that day: counted as a household, its persons unknown
            persons += assess_dibao(rows[application.household_id].facts(), policy, year_end).counted_member_count
    return len(applications), persons
