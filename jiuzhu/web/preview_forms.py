"""Input shapes of the dibao trial calculation page (低保试算): the region, date and programme, and
formsets of members, income items and assets. Amounts are typed in yuan and cleaned to fen."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiuzhu.programs.models import DIBAO_PROGRAMS, ProgramCode
from jiuzhu.programs.rules.codes import ASSET_KINDS, EXCLUSION_CIRCUMSTANCES, INCOME_KINDS, MEMBER_CATEGORIES
from jiuzhu.programs.rules.dibao import HouseholdFacts
from jiuzhu.programs.rules.income import IncomeFacts
from jiuzhu.programs.rules.members import MemberFacts
from jiuzhu.programs.rules.property import AssetFacts
from jiuzhu.registry.choices import AssetKind, DisabilityCategory, Relation
from jiuzhu.web.forms import YuanField, date_field

MAX_MEMBERS = 30
MAX_ITEMS = 50


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


def _choices(codes: dict[str, str]) -> list[tuple[str, Any]]:
    return [(code, _(label)) for code, label in codes.items()]


class NonNegativeYuanField(YuanField):
    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        fen = super().to_python(value)
        if fen is not None and fen < 0:
            raise forms.ValidationError(_("金额不能为负数。"), code="negative")
        return fen


class PreviewForm(forms.Form):
    region = forms.ChoiceField(label=_("村（社区）/乡镇"))
    on = date_field(_("计算日期"), initial=timezone.localdate)
    program = forms.ChoiceField(
        label=_("项目"), choices=[(c, label) for c, label in ProgramCode.choices if c in DIBAO_PROGRAMS]
    )

    def __init__(self, *args: Any, region_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _blank(_("请选择")) + region_choices  # type: ignore[attr-defined]


class PreviewMemberForm(forms.Form):
    birth_date = date_field(_("出生日期"))
    relation = forms.ChoiceField(
        label=_("与户主关系"), choices=_blank("—") + list(Relation.choices), required=False,
        help_text=_("不填时按共同生活的家庭成员计算。"),
    )  # fmt: skip
    disability_category = forms.ChoiceField(label=_("残疾类别"), choices=DisabilityCategory.choices, required=False)
    disability_grade = forms.TypedChoiceField(
        label=_("残疾等级"), choices=_blank("—") + [(i, _("%(grade)s级") % {"grade": i}) for i in range(1, 5)],
        coerce=int, empty_value=None, required=False,
    )  # fmt: skip
    categories = forms.MultipleChoiceField(
        label=_("分类施保类别"), choices=_choices(MEMBER_CATEGORIES), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    circumstances = forms.MultipleChoiceField(
        label=_("不计入家庭成员的情形"), choices=_choices(EXCLUSION_CIRCUMSTANCES), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    has_serious_illness = forms.BooleanField(label=_("患重特大疾病"), required=False)
    is_fulltime_student = forms.BooleanField(label=_("全日制在校学生"), required=False)
    is_co_resident = forms.BooleanField(label=_("共同生活"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.empty_permitted = False  # row N is member N
        self.use_required_attribute = False

    def to_facts(self, index: int) -> MemberFacts:
        d = self.cleaned_data
        return MemberFacts(
            ref=str(index),
            birth_date=d["birth_date"],
            relation=d["relation"] or "head",
            is_co_resident=d["is_co_resident"],
            is_fulltime_student=d["is_fulltime_student"],
            categories=frozenset(d["categories"]),
            circumstances=frozenset(d["circumstances"]),
            disability_category=d["disability_category"] or "",
            disability_grade=d["disability_grade"],
            has_serious_illness=d["has_serious_illness"],
        )


class _ItemForm(forms.Form):
    member = forms.IntegerField(
        label=_("成员序号"), min_value=1, max_value=MAX_MEMBERS, required=False, help_text=_("空表示全家。")
    )

    def member_ref(self) -> str | None:
        number = self.cleaned_data.get("member")
        return None if number is None else str(number - 1)


class PreviewIncomeForm(_ItemForm):
    kind = forms.ChoiceField(label=_("收入类型"), choices=_blank(_("请选择")) + _choices(INCOME_KINDS))
    monthly = NonNegativeYuanField(label=_("月收入（元）"))

    field_order = ["kind", "monthly", "member"]

    def to_facts(self) -> IncomeFacts:
        return IncomeFacts(
            kind=self.cleaned_data["kind"], monthly_fen=self.cleaned_data["monthly"], member_ref=self.member_ref()
        )


class PreviewAssetForm(_ItemForm):
    kind = forms.ChoiceField(
        label=_("财产类型"), choices=_blank(_("请选择")) + [(c, n) for c, n in AssetKind.choices if c in ASSET_KINDS]
    )
    value = NonNegativeYuanField(label=_("价值（元）"), required=False)
    count = forms.IntegerField(label=_("数量"), min_value=1, initial=1)
    is_exempt = forms.BooleanField(label=_("豁免（生产生活必需）"), required=False)

    field_order = ["kind", "value", "count", "member", "is_exempt"]

    def to_facts(self) -> AssetFacts:
        d = self.cleaned_data
        return AssetFacts(
            kind=d["kind"], value_fen=d["value"] or 0, quantity=d["count"], member_ref=self.member_ref(),
            is_exempt=d["is_exempt"],
        )  # fmt: skip


PreviewMemberFormSet = forms.formset_factory(
    PreviewMemberForm, extra=0, min_num=1, validate_min=True, max_num=MAX_MEMBERS, validate_max=True
)
PreviewIncomeFormSet = forms.formset_factory(PreviewIncomeForm, extra=0, max_num=MAX_ITEMS, validate_max=True)
PreviewAssetFormSet = forms.formset_factory(PreviewAssetForm, extra=0, max_num=MAX_ITEMS, validate_max=True)


def _filled(formset: forms.BaseFormSet[Any]) -> list[Any]:
    return [f for f in formset.forms if f.has_changed() or not f.empty_permitted]


def check_member_numbers(members: forms.BaseFormSet[Any], *item_formsets: forms.BaseFormSet[Any]) -> bool:
    """Each income or asset names a member row that exists; errors go next to the field."""
    size = len(members.forms)
    ok = True
    for formset in item_formsets:
        for form in _filled(formset):
            number = form.cleaned_data.get("member")
            if number is not None and number > size:
                form.add_error("member", _("没有第 %(number)s 位成员。") % {"number": number})
                ok = False
    return ok


def preview_facts(
    members: forms.BaseFormSet[Any], incomes: forms.BaseFormSet[Any], assets: forms.BaseFormSet[Any]
) -> HouseholdFacts:
    return HouseholdFacts(
        members=tuple(form.to_facts(index) for index, form in enumerate(members.forms)),
        incomes=tuple(form.to_facts() for form in _filled(incomes)),
        assets=tuple(form.to_facts() for form in _filled(assets)),
    )


def initial_from_facts(facts: HouseholdFacts, on: datetime.date) -> dict[str, list[dict[str, Any]]]:
    """Formset initial data from a household's recorded facts (living members only)."""
    living = [m for m in facts.members if m.death_date is None or m.death_date > on]
    number = {m.ref: index + 1 for index, m in enumerate(living)}
    return {
        "members": [
            {
                "birth_date": m.birth_date,
                "relation": m.relation,
                "disability_category": m.disability_category,
                "disability_grade": m.disability_grade,
                "categories": sorted(m.categories),
                "circumstances": sorted(m.circumstances),
                "has_serious_illness": m.has_serious_illness,
                "is_fulltime_student": m.is_fulltime_student,
                "is_co_resident": m.is_co_resident,
            }
            for m in living
        ],
        "incomes": [
            {"kind": i.kind, "monthly": _yuan_text(i.monthly_fen), "member": number.get(i.member_ref or "")}
            for i in facts.incomes
            if i.member_ref is None or i.member_ref in number
        ],
        "assets": [
            {
                "kind": a.kind,
                "value": _yuan_text(a.value_fen),
                "count": a.quantity,
                "member": number.get(a.member_ref or ""),
                "is_exempt": a.is_exempt,
            }
            for a in facts.assets
            if a.member_ref is None or a.member_ref in number
        ],
    }


def _yuan_text(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"
