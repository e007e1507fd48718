"""Input shapes of the pages. Forms check shape only (required, format, length); the services
check the rules and their errors are shown next to the fields by `web.errors`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiuzhu.common.money import MoneyFormatError, yuan_to_fen
from jiuzhu.regions.models import Region
from jiuzhu.registry.choices import (
    ETHNICITIES,
    AssetKind,
    DisabilityCategory,
    DocumentKind,
    Education,
    Employment,
    HouseholdStatus,
    HukouType,
    IncomeKind,
    IncomeSource,
    MaritalStatus,
    Relation,
    Sex,
    Supporter,
    WorkAbility,
)
from jiuzhu.registry.models import Person
from jiuzhu.registry.services.finances import AssetData, IncomeData
from jiuzhu.registry.types import HouseholdData, PersonData
from jiuzhu.web.submission import new_submission_token

_REASON_REQUIRED = {"required": _("请填写原因。")}
_NOT_HEAD = [c for c in Relation.choices if c[0] != Relation.HEAD]


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: Any, *, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), input_formats=["%Y-%m-%d"], **kwargs)


_REASON_LABEL = _("原因")


def reason_field(label: Any = _REASON_LABEL, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=500, error_messages=_REASON_REQUIRED,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class YuanField(forms.CharField):
    """An amount typed in yuan ("1234.56"), cleaned to integer fen. The sign is left to the service."""

    default_error_messages = {"invalid": _("请输入以元为单位的金额，最多两位小数，例如 1234.56。")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update({"maxlength": "20", "inputmode": "decimal"})

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return yuan_to_fen(text)
        except MoneyFormatError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        return value


def member_choices(members: Iterable[Person], *, blank: Any) -> list[tuple[Any, Any]]:
    return [("", blank), *((m.pk, m.name) for m in members)]


class OneTimeForm(forms.Form):
    """A "create" form: a hidden one-time token stops a double post from creating two records."""

    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submission_token"].initial = new_submission_token()


class VersionedForm(forms.Form):
    """An edit form: posts back the version it was shown with (a stale one is a ConflictError)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


# --- Households -------------------------------------------------------------------------------


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.parent.name} {obj.name}" if obj.parent else obj.name


class HouseholdForm(forms.Form):
    region = VillageChoiceField(label=_("所属村（社区）"), queryset=Region.objects.none(), empty_label=_("请选择"))
    hukou_type = forms.ChoiceField(label=_("户籍类型"), choices=_blank(_("请选择")) + list(HukouType.choices))
    address = forms.CharField(label=_("家庭住址"), max_length=200)
    phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    bank_name = forms.CharField(label=_("开户机构"), max_length=64, required=False)
    account_holder = forms.CharField(label=_("账户户名"), max_length=64, required=False)
    account_number = forms.CharField(label=_("银行账号"), max_length=40, required=False)
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = villages  # type: ignore[attr-defined]

    def to_data(self, members: tuple[PersonData, ...] = ()) -> HouseholdData:
        data = self.cleaned_data
        return HouseholdData(
            region_id=data["region"].pk, hukou_type=data["hukou_type"], address=data["address"],
            phone=data["phone"], bank_name=data["bank_name"], account_holder=data["account_holder"],
            account_number=data["account_number"], notes=data["notes"], members=members,
        )  # fmt: skip


class HouseholdCreateForm(OneTimeForm, HouseholdForm):
    pass


class HouseholdEditForm(VersionedForm, HouseholdForm):
    reason = reason_field(_("变更原因"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account_number"].help_text = _("留空则保持原账号不变。")


# --- Persons ----------------------------------------------------------------------------------


class PersonForm(forms.Form):
    """One member row of the household create form (sex and birth date come from the ID number)."""

    name = forms.CharField(label=_("姓名"), max_length=64)
    id_number = forms.CharField(label=_("身份证号"), max_length=24, required=False)
    relation = forms.ChoiceField(label=_("与户主关系"), choices=_blank(_("请选择")) + list(Relation.choices))
    ethnicity = forms.ChoiceField(label=_("民族"), choices=ETHNICITIES, initial="01")
    marital_status = forms.ChoiceField(label=_("婚姻状况"), choices=MaritalStatus.choices)
    education = forms.ChoiceField(label=_("文化程度"), choices=_blank("—") + list(Education.choices), required=False)
    employment = forms.ChoiceField(label=_("就业状况"), choices=_blank("—") + list(Employment.choices), required=False)
    work_ability = forms.ChoiceField(label=_("劳动能力"), choices=WorkAbility.choices)
    supporter = forms.ChoiceField(
        label=_("法定赡养（抚养、扶养）义务人"), choices=Supporter.choices, initial=Supporter.ABLE, required=False
    )
    disability_category = forms.ChoiceField(label=_("残疾类别"), choices=DisabilityCategory.choices, required=False)
    disability_grade = forms.TypedChoiceField(
        label=_("残疾等级"), choices=_blank("—") + [(i, _("%(grade)s级") % {"grade": i}) for i in range(1, 5)],
        coerce=int, empty_value=None, required=False,
    )  # fmt: skip
    illness_description = forms.CharField(label=_("疾病情况"), max_length=200, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    has_serious_illness = forms.BooleanField(label=_("患重特大疾病"), required=False)
    is_student = forms.BooleanField(label=_("在校学生"), required=False)
    is_cadre = forms.BooleanField(label=_("基层干部"), required=False)
    is_cadre_relative = forms.BooleanField(label=_("基层干部近亲属"), required=False)
    is_co_resident = forms.BooleanField(label=_("共同生活"), required=False, initial=True)

    _DATA_FIELDS = (
        "name", "id_number", "relation", "ethnicity", "marital_status", "education", "employment",
        "work_ability", "supporter", "disability_category", "disability_grade", "illness_description", "phone",
        "has_serious_illness", "is_student", "is_cadre", "is_cadre_relative", "is_co_resident",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every row is a person: a blank added row is an error, not silently skipped, so row N
        # of the page is always member N of the service's input (its errors say "members-N-…").
        self.empty_permitted = False
        self.use_required_attribute = False

    def to_data(self, **extra: Any) -> PersonData:
        values: dict[str, Any] = {
            name: self.cleaned_data.get(name) for name in self._DATA_FIELDS if name in self.fields
        }
        for text in ("id_number", "education", "employment", "disability_category", "illness_description", "phone"):
            if text in values:
                values[text] = values[text] or ""
        if "supporter" in values:
            values["supporter"] = values["supporter"] or Supporter.ABLE
        values.update(extra)
        return PersonData(**values)


MemberFormSet = forms.formset_factory(PersonForm, extra=0, min_num=1, validate_min=True, max_num=30, validate_max=True)


def member_data(formset: forms.BaseFormSet[PersonForm]) -> tuple[PersonData, ...]:
    """Row N of the formset is member N of the service input, so its errors come back as `members-N-…`."""
    return tuple(form.to_data() for form in formset.forms)


class PersonDetailForm(PersonForm):
    """A single person (add, edit, birth): sex and birth date may be typed when there is no ID number."""

    sex = forms.ChoiceField(label=_("性别"), choices=_blank("—") + list(Sex.choices), required=False)
    birth_date = date_field(_("出生日期"), required=False)

    field_order = ["name", "id_number", "sex", "birth_date", "relation"]

    def to_data(self, **extra: Any) -> PersonData:
        extra.setdefault("sex", self.cleaned_data.get("sex") or "")
        extra.setdefault("birth_date", self.cleaned_data.get("birth_date"))
        return super().to_data(**extra)


class PersonAddForm(OneTimeForm, PersonDetailForm):
    reason = reason_field(_("说明"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["relation"].choices = _blank(_("请选择")) + _NOT_HEAD  # type: ignore[attr-defined]


class BirthForm(PersonAddForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["relation"].choices = [  # type: ignore[attr-defined]
            c for c in Relation.choices if c[0] in (Relation.CHILD, Relation.GRANDCHILD, Relation.OTHER)
        ]
        self.fields["id_number"].help_text = _("尚未落户的新生儿可暂不填写，须填写性别和出生日期。")
        for name, value in (("relation", Relation.CHILD), ("work_ability", WorkAbility.NONE)):
            self.fields[name].initial = value
        self.fields["employment"].initial = Employment.PRESCHOOL_CHILD


class PersonEditForm(VersionedForm, PersonDetailForm):
    reason = reason_field(_("变更原因"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["id_number"].help_text = _("留空则保持原号码不变；如需更正，请录入完整的新号码。")


class MoveForm(forms.Form):
    # Picked with radio buttons among search results (rendered by the template).
    to_household = forms.IntegerField(label=_("迁入家庭"), error_messages={"required": _("请先搜索并选择迁入的家庭。")})
    relation = forms.ChoiceField(label=_("在新家庭中与户主的关系"), choices=_blank(_("请选择")) + _NOT_HEAD)
    moved_on = date_field(_("迁移日期"), initial=timezone.localdate)
    reason = reason_field(_("迁移原因"))


class DeathForm(forms.Form):
    death_date = date_field(_("死亡日期"))
    reason = reason_field(_("说明（如死亡证明编号）"))


class MarriageForm(forms.Form):
    married_on = date_field(_("结婚日期"))
    # Picked with radio buttons among search results (rendered by the template); empty = not in the registry.
    spouse = forms.IntegerField(label=_("配偶（已在档人员）"), required=False)
    spouse_joins_household = forms.BooleanField(label=_("配偶迁入本户"), required=False)
    reason = reason_field(_("说明"), required=False)


class HeadChangeForm(VersionedForm):
    new_head = forms.TypedChoiceField(label=_("新户主"), coerce=int)
    former_head_relation = forms.ChoiceField(label=_("原户主与新户主的关系"), choices=_blank(_("请选择")) + _NOT_HEAD)
    reason = reason_field(_("变更原因"))

    def __init__(self, *args: Any, candidates: Iterable[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_head"].choices = member_choices(candidates, blank=_("请选择"))  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = reason_field()


# --- Income, assets, documents ----------------------------------------------------------------


class _MemberChoiceMixin(forms.Form):
    person = forms.TypedChoiceField(label=_("成员"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args: Any, members: Iterable[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = member_choices(members, blank=_("全家（不指定成员）"))  # type: ignore[attr-defined]


class IncomeForm(_MemberChoiceMixin):
    kind = forms.ChoiceField(label=_("收入类型"), choices=_blank(_("请选择")) + list(IncomeKind.choices))
    monthly_amount = YuanField(label=_("月收入（元）"))
    source = forms.ChoiceField(label=_("来源"), choices=IncomeSource.choices)
    description = forms.CharField(label=_("说明"), max_length=200, required=False)
    recorded_on = date_field(_("登记日期"), required=False)

    field_order = ["kind", "person", "monthly_amount", "source", "description", "recorded_on"]

    def to_data(self) -> IncomeData:
        d = self.cleaned_data
        return IncomeData(
            kind=d["kind"], monthly_amount_fen=d["monthly_amount"], person_id=d["person"], source=d["source"],
            description=d["description"], recorded_on=d["recorded_on"],
        )  # fmt: skip


class IncomeAddForm(OneTimeForm, IncomeForm):
    pass


class IncomeEditForm(VersionedForm, IncomeForm):
    reason = reason_field(_("变更原因"), required=False)


class AssetForm(_MemberChoiceMixin):
    kind = forms.ChoiceField(label=_("财产类型"), choices=_blank(_("请选择")) + list(AssetKind.choices))
    description = forms.CharField(label=_("说明"), max_length=200, required=False)
    value = YuanField(label=_("价值（元）"), required=False)
    quantity = forms.IntegerField(label=_("数量"), initial=1)
    floor_area_sqm = forms.DecimalField(label=_("建筑面积（平方米）"), max_digits=9, decimal_places=2, required=False)
    registration_number = forms.CharField(label=_("登记号/车牌号"), max_length=64, required=False)
    recorded_on = date_field(_("登记日期"), required=False)

    field_order = ["kind", "person", "description", "value", "quantity", "floor_area_sqm", "registration_number"]

    def to_data(self) -> AssetData:
        d = self.cleaned_data
        return AssetData(
            kind=d["kind"], value_fen=d["value"] or 0, person_id=d["person"], description=d["description"],
            quantity=d["quantity"], floor_area_sqm=d["floor_area_sqm"],
            registration_number=d["registration_number"], recorded_on=d["recorded_on"],
        )  # fmt: skip


class AssetAddForm(OneTimeForm, AssetForm):
    pass


class AssetEditForm(VersionedForm, AssetForm):
    reason = reason_field(_("变更原因"), required=False)


class DocumentUploadForm(OneTimeForm, _MemberChoiceMixin):
    kind = forms.ChoiceField(label=_("材料类型"), choices=_blank(_("请选择")) + list(DocumentKind.choices))
    file = forms.FileField(label=_("文件"), help_text=_("PDF、JPG、PNG、TIFF 或 WEBP 格式的扫描件或照片。"))
    description = forms.CharField(label=_("说明"), max_length=200, required=False)

    field_order = ["kind", "person", "file", "description"]


# --- Search -----------------------------------------------------------------------------------


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(label=_("查询"), required=False, max_length=64)
    region = forms.ChoiceField(label=_("村（社区）/乡镇"), required=False)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=_blank(_("全部")) + list(HouseholdStatus.choices)
    )

    def __init__(self, *args: Any, region_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _blank(_("全部")) + region_choices  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs["placeholder"] = _("姓名、拼音首字母或身份证号")

    def criteria(self) -> dict[str, str]:
        if not self.is_valid():
            return {"query": "", "region_code": "", "status": ""}
        d = self.cleaned_data
        return {"query": d["q"], "region_code": d["region"], "status": d["status"]}


class PickSearchForm(forms.Form):
    """The GET box on the move and marriage pages that finds a household or a person to pick."""

    q = forms.CharField(label=_("查询"), required=False, max_length=64)
