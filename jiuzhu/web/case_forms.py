"""Input shapes of the case pages: the list's filters, the new application, and one form per workflow step.

Forms check shape only; the services check the rules and their Chinese messages are shown in place by
`web.errors` (so fields the services validate with their own message are not `required` here). Every
step form posts back the case's `expected_version` (a stale form is a ConflictError) and a one-time
token (a double post takes the step once). Field names are the services' keyword arguments — or the
keys of their field errors, mapped back by `renames` — so each view passes `service_kwargs()` on.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiuzhu.cases.choices import ApplicantRelation, ApplicationStatus, RefusalReason
from jiuzhu.cases.models import Application
from jiuzhu.cases.rules import AUTHORISATION, MATERIAL_LABELS, PROMISE, month_after
from jiuzhu.programs.models import DIBAO_PROGRAMS
from jiuzhu.registry.models import Document, Person
from jiuzhu.web.forms import OneTimeForm, VersionedForm, date_field

_ALL = _("全部")
# The signed authorisation and promise count by their signature dates, not by a tick.
_TICKED_MATERIALS = [code for code in MATERIAL_LABELS if code not in (AUTHORISATION, PROMISE)]


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


def _material_choices() -> list[tuple[str, str]]:
    return [(code, gettext(MATERIAL_LABELS[code])) for code in _TICKED_MATERIALS]


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _step_date(label: Any) -> forms.DateField:
    return date_field(label, required=False, initial=timezone.localdate, help_text=_("默认为今天。"))


class MonthInput(forms.TextInput):
    input_type = "month"


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (the browser's month picker), cleaned to its first day."""

    widget = MonthInput
    default_error_messages = {"invalid": _("请按“年-月”选择月份，例如 2026-07。")}

    def to_python(self, value: Any) -> datetime.date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{2})", text)
        if not match or not 1 <= int(match[2]) <= 12:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return datetime.date(int(match[1]), int(match[2]), 1)

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%Y-%m") if isinstance(value, datetime.date) else value


def _signers_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("在授权书上签字的家庭成员"), required=False, widget=forms.CheckboxSelectMultiple
    )


# --- The list ----------------------------------------------------------------------------------------------


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("户主姓名或拼音首字母"), required=False, max_length=64)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=_blank(_ALL) + list(ApplicationStatus.choices))
    region = forms.ChoiceField(label=_("村（社区）/乡镇"), required=False)
    program = forms.ChoiceField(
        label=_("救助项目"),
        required=False,
        choices=_blank(_ALL) + [(c.value, c.label) for c in DIBAO_PROGRAMS],
    )
    mine = forms.BooleanField(label=_("只看待我办理"), required=False)
    overdue = forms.BooleanField(label=_("只看超期"), required=False)

    def __init__(self, *args: Any, region_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _blank(_ALL) + region_choices  # type: ignore[attr-defined]

    def criteria(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "query": d["q"],
            "status": d["status"],
            "region_code": d["region"],
            "program": d["program"],
            "overdue": d["overdue"],
            "mine": d["mine"],
        }


# --- A new application -----------------------------------------------------------------------------------------


class ServiceForm(forms.Form):
    """A form whose cleaned data are the service's keyword arguments (after `renames`)."""

    renames: ClassVar[dict[str, str]] = {}

    def service_kwargs(self) -> dict[str, Any]:
        return {
            self.renames.get(name, name): value
            for name, value in self.cleaned_data.items()
            if name not in ("submission_token",)
        }


class ApplicationCreateForm(OneTimeForm, ServiceForm):
    """申请登记: applicant, programme, the materials handed in, the signed authorisation and promise, agent."""

    renames = {"applicant": "applicant_id", "program": "program_code", "materials": "materials_provided"}

    applicant = forms.TypedChoiceField(label=_("申请人"), coerce=int)
    program = forms.ChoiceField(label=_("救助项目"), choices=[(c.value, c.label) for c in DIBAO_PROGRAMS])
    submitted_on = _step_date(_("申请日期"))
    materials = forms.MultipleChoiceField(
        label=_("已提交的申请材料"), required=False, widget=forms.CheckboxSelectMultiple
    )
    authorisation_signed_on = date_field(
        _("核对授权书签署日期"), required=False, help_text=_("未签署则留空；签署后方可提请经济状况核对。")
    )
    authorisation_signers = _signers_field()
    promise_signed_on = date_field(_("诚信承诺书签署日期"), required=False, help_text=_("未签署则留空。"))
    applied_by_applicant = forms.BooleanField(label=_("本人申请"), required=False, initial=True)
    agent_name = forms.CharField(label=_("代为申请人姓名"), max_length=64, required=False)
    agent_relation = forms.ChoiceField(
        label=_("代申请人身份"), required=False, choices=_blank("—") + list(ApplicantRelation.choices)
    )

    def __init__(self, *args: Any, members: Iterable[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = list(members)
        self.fields["applicant"].choices = [(m.pk, m.name) for m in members]  # type: ignore[attr-defined]
        self.fields["materials"].choices = _material_choices()  # type: ignore[attr-defined]
        self.fields["authorisation_signers"].choices = [(m.name, m.name) for m in members]  # type: ignore[attr-defined]
        self.fields["agent_name"].help_text = _("不是本人申请时填写（村民委员会或受托人代为申请）。")


# --- The workflow steps -------------------------------------------------------------------------------------------


class CaseStepForm(OneTimeForm, VersionedForm, ServiceForm):
    """One workflow step on one case: `application` and `actor` are known to the form for its choices."""

    def __init__(self, *args: Any, application: Application, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.application = application
        self.actor = actor


class CompleteMaterialsForm(CaseStepForm):
    renames = {"materials": "materials_provided"}

    materials = forms.MultipleChoiceField(
        label=_("补交的申请材料"), required=False, widget=forms.CheckboxSelectMultiple
    )
    authorisation_signed_on = date_field(_("核对授权书签署日期"), required=False, help_text=_("已登记的可留空。"))
    authorisation_signers = _signers_field()
    promise_signed_on = date_field(_("诚信承诺书签署日期"), required=False, help_text=_("已登记的可留空。"))
    on = _step_date(_("补齐日期"))

    def __init__(self, *args: Any, members: Iterable[Person] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["materials"].choices = _material_choices()  # type: ignore[attr-defined]
        self.fields["materials"].initial = [m for m in self.application.materials_missing if m in _TICKED_MATERIALS]
        self.fields["authorisation_signers"].choices = [(m.name, m.name) for m in members]  # type: ignore[attr-defined]


class AcceptForm(CaseStepForm):
    accepted_on = _step_date(_("受理日期"))


class HomeVisitForm(CaseStepForm):
    renames = {"investigators": "investigator_ids", "photos": "photo_ids"}

    visited_on = _step_date(_("调查日期"))
    investigators = forms.TypedMultipleChoiceField(
        label=_("调查人员（至少两人）"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    findings = forms.CharField(label=_("调查情况"), required=False, widget=_textarea(5))
    photos = forms.TypedMultipleChoiceField(
        label=_("照片（家庭档案中的附件）"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, investigators: Iterable[Any] = (), photos: Iterable[Document] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["investigators"].choices = [  # type: ignore[attr-defined]
            (u.pk, f"{u.display_name}（{u.get_role_display()}，{u.region.name if u.region else ''}）")
            for u in investigators
        ]
        self.fields["investigators"].initial = [self.actor.pk]
        self.fields["photos"].choices = [  # type: ignore[attr-defined]
            (d.pk, f"{d.original_name}（{d.get_kind_display()}）") for d in photos
        ]
        self.fields["photos"].help_text = _("照片须先上传到家庭档案的附件材料中，再在此选择。")


class VerificationRequestForm(CaseStepForm):
    requested_on = _step_date(_("提请日期"))


_RESULT_CHOICES = [("passed", _("符合")), ("failed", _("不符合"))]


class VerificationResultForm(CaseStepForm):
    passed = forms.TypedChoiceField(
        label=_("核对结果"),
        choices=_RESULT_CHOICES,
        coerce=lambda value: value == "passed",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择核对结果。")},
    )
    notes = forms.CharField(label=_("核对说明"), required=False, widget=_textarea())
    result_on = _step_date(_("结果日期"))


class ReasonForm(CaseStepForm):
    reason = forms.CharField(label=_("原因"), required=False, max_length=2000, widget=_textarea())


class DisputedForm(ReasonForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("争议情况")


class SpecialForm(ReasonForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("特殊情况说明（如人户分离、调查取证困难）")


class WithdrawForm(ReasonForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("撤回原因（申请人书面撤回）")


class TerminateForm(ReasonForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("终止原因（无正当理由拒不配合调查核实）")


class AppraisalForm(CaseStepForm):
    held_on = _step_date(_("评议日期"))
    participant_count = forms.IntegerField(label=_("参加人数"), min_value=0)
    votes_for = forms.IntegerField(label=_("同意票"), min_value=0, initial=0)
    votes_against = forms.IntegerField(label=_("反对票"), min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label=_("弃权票"), min_value=0, initial=0)
    minutes = forms.CharField(label=_("评议记录"), required=False, widget=_textarea(4))


_OPINION_CHOICES = [("agree", _("同意")), ("disagree", _("不同意"))]


class OpinionForm(CaseStepForm):
    agrees = forms.TypedChoiceField(
        label=_("初审意见"),
        choices=_OPINION_CHOICES,
        coerce=lambda value: value == "agree",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择同意或不同意。")},
    )
    text = forms.CharField(label=_("意见内容"), required=False, widget=_textarea(4))
    given_on = _step_date(_("日期"))


class NoticeStartForm(CaseStepForm):
    starts_on = _step_date(_("公示开始日期"))


class ObjectionForm(CaseStepForm):
    text = forms.CharField(label=_("异议内容"), required=False, widget=_textarea(4))
    received_on = _step_date(_("收到日期"))


class ForwardForm(CaseStepForm):
    forwarded_on = _step_date(_("报送日期"))


class CadreFilingForm(CaseStepForm):
    note = forms.CharField(label=_("备案说明（与基层干部的关系和职务）"), required=False, widget=_textarea())
    filed_on = _step_date(_("备案日期"))


class ApproveForm(CaseStepForm):
    """The decision date is today: the trial calculation shown above the form is computed for it."""

    comment = forms.CharField(label=_("审批意见"), required=False, max_length=2000, widget=_textarea())
    first_payment_month = MonthField(label=_("起始发放月份"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_payment_month"].initial = month_after(timezone.localdate())
        self.fields["first_payment_month"].help_text = _("默认为审批次月。")


class RefuseForm(CaseStepForm):
    reason_codes = forms.MultipleChoiceField(
        label=_("不予批准的原因"), required=False, choices=RefusalReason.choices, widget=forms.CheckboxSelectMultiple
    )
    reason_text = forms.CharField(label=_("不予批准的理由（将写入书面通知）"), required=False, widget=_textarea(4))


class PublishForm(CaseStepForm):
    published_on = _step_date(_("长期公示日期"))


# --- The township's list work (批量办理) ------------------------------------------------------------------------

_PICK_VALUE = re.compile(r"^(\d{1,12}):(\d{1,9})$")


class ApplicationPicksField(forms.Field):
    """Ticked applications as "id:version" values (the checkboxes are drawn by the template) → {id: version}."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("请至少选择一件申请。"),
        "invalid": _("所选申请无效，请刷新页面后重试。"),
    }

    def to_python(self, value: Any) -> dict[int, int]:
        picks: dict[int, int] = {}
        for item in value or []:
            match = _PICK_VALUE.match(str(item))
            if not match:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            picks[int(match[1])] = int(match[2])
        return picks


class CaseBatchForm(OneTimeForm, ServiceForm):
    """One step for the ticked cases at once; the date field is named as the service's keyword argument."""

    renames = {"applications": "items"}

    applications = ApplicationPicksField(label=_("申请"))


class NoticeBatchForm(CaseBatchForm):
    starts_on = _step_date(_("公示开始日期"))


class ForwardBatchForm(CaseBatchForm):
    forwarded_on = _step_date(_("报送日期"))


class PublishBatchForm(CaseBatchForm):
    published_on = _step_date(_("长期公示日期"))


class NoticeListQueryForm(forms.Form):
    """Which printed notice list: the village and programme, the first day and (village notices) the last."""

    region = forms.RegexField(regex=r"^\d{12}$")
    program = forms.SlugField(max_length=32)
    on = date_field(_("公示开始日期"))
    until = date_field(_("公示截止日期"), required=False)
