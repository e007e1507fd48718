"""What goes on printed documents that pages offer: the household file (一户一档) as a PDF.

Only masked ID and account numbers are printed; free text (notes, reasons, descriptions, history
values) is masked again with `mask_in_text`, in case someone typed a full number into it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jiuzhu.accounts.roles import Role
from jiuzhu.common.masking import mask_in_text
from jiuzhu.common.money import fen_to_yuan_text
from jiuzhu.printing.document import REGISTER, chinese_date
from jiuzhu.printing.document import Document as PrintedDocument
from jiuzhu.regions.models import Region, RegionLevel
from jiuzhu.registry.models import Asset, Document, IncomeItem, MembershipPeriod, Person
from jiuzhu.registry.selectors import HouseholdFile
from jiuzhu.web.history import EMPTY, HistoryEntry

_ROLE_LABELS = dict(Role.choices)


def _text(value: Any) -> str:
    text = str(value).strip() if value not in (None, "") else ""
    return mask_in_text(text) if text else EMPTY


def _day(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def _minute(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _county(region: Region) -> Region | None:
    current: Region | None = region
    while current is not None and current.level > RegionLevel.COUNTY:
        current = current.parent
    return current if current is not None and current.level == RegionLevel.COUNTY else None


def _member_remarks(member: Person) -> str:
    remarks = []
    if member.is_deceased:
        remarks.append(_("已故 %(date)s") % {"date": _day(member.death_date)})
    if member.has_serious_illness:
        remarks.append(_("重特大疾病"))
    if member.illness_description:
        remarks.append(member.illness_description)
    if member.is_cadre:
        remarks.append(_("基层干部"))
    if member.is_cadre_relative:
        remarks.append(_("干部近亲属"))
    if member.is_student:
        remarks.append(_("在校生"))
    if not member.is_co_resident and not member.is_deceased:
        remarks.append(_("不共同生活"))
    return _text("；".join(remarks))


def _disability(member: Person) -> str:
    if not member.disability_category:
        return EMPTY
    grade = _("%(g)s级") % {"g": member.disability_grade} if member.disability_grade else ""
    return " ".join(part for part in (member.get_disability_category_display(), grade) if part)


def _changes(entry: HistoryEntry) -> str:
    if entry.is_creation:
        return "\n".join(f"{c.label}：{_text(c.after)}" for c in entry.changes) or EMPTY
    return "\n".join(f"{c.label}：{_text(c.before)} → {_text(c.after)}" for c in entry.changes) or EMPTY


def _member_row(m: Person) -> list[str]:
    return [
        m.name, m.get_relation_display(), m.id_number_masked or EMPTY, m.get_sex_display(), _day(m.birth_date),
        m.get_marital_status_display(), _disability(m), m.get_work_ability_display(), _member_remarks(m),
    ]  # fmt: skip


def _former_member_row(p: MembershipPeriod) -> list[str]:
    return [
        p.person.name,
        p.get_relation_display(),
        _day(p.started_on),
        _day(p.ended_on),
        p.get_end_reason_display() or EMPTY,
    ]


def _income_row(i: IncomeItem) -> list[str]:
    return [
        i.get_kind_display(), i.person.name if i.person else _("全家"), i.get_source_display(), _text(i.description),
        _day(i.recorded_on), fen_to_yuan_text(i.monthly_amount_fen),
    ]  # fmt: skip


def _asset_row(a: Asset) -> list[str]:
    return [
        a.get_kind_display(), a.person.name if a.person else _("全家"), _text(a.description),
        fen_to_yuan_text(a.value_fen), str(a.quantity), _text(a.floor_area_sqm), _text(a.registration_number),
        _day(a.recorded_on),
    ]  # fmt: skip


def _document_row(d: Document) -> list[str]:
    return [
        d.get_kind_display(), _text(d.original_name), d.person.name if d.person else EMPTY, _text(d.description),
        d.uploaded_by.display_name if d.uploaded_by else EMPTY, _minute(d.uploaded_at),
    ]  # fmt: skip


def _history_row(e: HistoryEntry) -> list[str]:
    return [
        _minute(e.event.occurred_at), f"{e.actor_name}\n{e.role_label}", e.event.get_event_type_display(),
        f"{e.subject_label} #{e.event.subject_id}", _changes(e), _text(e.event.reason),
    ]  # fmt: skip


def household_file_document(
    *, file: HouseholdFile, history: list[HistoryEntry], printed_by: Any, printed_at: datetime.datetime
) -> PrintedDocument:
    """The household file as a document to render: facts, members, incomes, assets, attachments, history."""
    household = file.household
    region = household.region
    county = _county(region)
    place = " ".join(r.name for r in (region.parent, region) if r is not None)
    printer = _("%(name)s（%(role)s）") % {
        "name": printed_by.display_name,
        "role": _ROLE_LABELS.get(printed_by.role, printed_by.role),
    }
    footer = _("打印人：%(who)s　打印时间：%(when)s　内含个人信息，请妥善保管") % {
        "who": printer,
        "when": f"{chinese_date(timezone.localtime(printed_at).date())} {timezone.localtime(printed_at):%H:%M}",
    }
    doc = PrintedDocument(
        title=_("家庭档案（一户一档）"),
        authority=_("%(county)s民政局") % {"county": county.name} if county else "",
        number=_("档案编号：%(number)s") % {"number": household.pk},
        layout=REGISTER,
        footer=footer,
    )

    living = file.living_member_count
    doc.heading(_("一、家庭基本信息"))
    doc.facts(
        [
            (_("户主"), _text(household.head_name)),
            (_("户籍类型"), household.get_hukou_type_display()),
            (_("所属区划"), place),
            (_("状态"), household.get_status_display()),
            (_("家庭住址"), _text(household.address)),
            (_("联系电话"), _text(household.phone)),
            (_("在世成员"), ngettext("%(n)s 人", "%(n)s 人", living) % {"n": living}),
            (_("月收入合计"), fen_to_yuan_text(file.total_monthly_income_fen) + _(" 元")),
            (_("开户机构"), _text(household.bank_name)),
            (_("账户户名"), _text(household.account_holder)),
            (_("银行账号"), household.account_number_masked or EMPTY),
            (_("建档时间"), _day(household.created_at)),
            (_("备注"), _text(household.notes)),
            (_("更新时间"), _day(household.updated_at)),
        ]
    )

    doc.heading(_("二、家庭成员"))
    headers = [
        _("姓名"), _("与户主关系"), _("身份证号"), _("性别"), _("出生日期"), _("婚姻"), _("残疾"), _("劳动能力"),
        _("备注"),
    ]  # fmt: skip
    doc.table(
        headers,
        [_member_row(m) for m in file.members],
        widths=[2, 2.4, 4.2, 1.2, 2.5, 1.3, 1.9, 2.6, 3.4],
        align=["left", "left", "left", "center", "center", "center", "left", "left", "left"],
        empty=_("暂无成员。"),
    )
    if file.former_members:
        doc.paragraph(_("原家庭成员"), bold=True)
        doc.table(
            [_("姓名"), _("原与户主关系"), _("起始日期"), _("终止日期"), _("终止原因")],
            [_former_member_row(p) for p in file.former_members],
            widths=[2, 2, 2, 2, 3],
        )

    doc.heading(_("三、家庭收入（月）"))
    doc.table(
        [_("收入类型"), _("成员"), _("来源"), _("说明"), _("登记日期"), _("月收入（元）")],
        [_income_row(i) for i in file.income_items],
        widths=[2.5, 2, 2, 4.5, 2.2, 2.3],
        align=["left", "left", "left", "left", "center", "right"],
        total=[_("月收入合计"), "", "", "", "", fen_to_yuan_text(file.total_monthly_income_fen)],
        empty=_("暂无收入记录。"),
    )

    doc.heading(_("四、家庭财产"))
    headers = [
        _("财产类型"), _("成员"), _("说明"), _("价值（元）"), _("数量"), _("建筑面积（平方米）"), _("登记号/车牌号"),
        _("登记日期"),
    ]  # fmt: skip
    doc.table(
        headers,
        [_asset_row(a) for a in file.assets],
        widths=[2, 1.8, 3.5, 2.2, 1.1, 2, 2.6, 2.2],
        align=["left", "left", "left", "right", "right", "right", "left", "center"],
        empty=_("暂无财产记录。"),
    )

    doc.heading(_("五、附件材料"))
    doc.table(
        [_("材料类型"), _("文件"), _("成员"), _("说明"), _("上传人"), _("上传时间")],
        [_document_row(d) for d in file.documents],
        widths=[2.2, 3.5, 1.8, 3, 2, 2.8],
        empty=_("暂无附件材料。"),
    )

    doc.heading(_("六、变更历史"))
    doc.table(
        [_("时间"), _("操作人"), _("事件"), _("对象"), _("变更内容（原值 → 新值）"), _("原因")],
        [_history_row(e) for e in history],
        widths=[2.3, 2.3, 2.4, 1.8, 6, 2.4],
        empty=_("暂无变更记录。"),
    )
    return doc
