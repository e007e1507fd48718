"""Input shapes of the review pages (动态管理): the list's filters, the review steps, opening a review, the
events on a benefit (a reported income change, a move out of the county) and the yearly batch.

Shape only, as in `case_forms`: the services check the rules and their Chinese messages are shown in place
by `web.errors`. Step forms post back the review's (or the benefit's) `expected_version` and a one-time
token; field names are the services' keyword arguments, so each view passes `service_kwargs()` on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiuzhu.cases.choices import ReviewOutcome, ReviewStatus, ReviewTrigger
from jiuzhu.cases.models import Review
from jiuzhu.cases.review_rules import NO_CHANGE, month_after_day
from jiuzhu.common.money import fen_to_yuan_text
from jiuzhu.registry.models import IncomeItem
from jiuzhu.web.case_forms import MonthField, ServiceForm
from jiuzhu.web.forms import IncomeForm, OneTimeForm, VersionedForm, date_field

_ALL = _("全部")


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _step_date(label: Any) -> forms.DateField:
    return date_field(label, required=False, initial=timezone.localdate, help_text=_("默认为今天。"))


# --- The list ----------------------------------------------------------------------------------------------


class ReviewFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=_blank(_ALL) + list(ReviewStatus.choices))
    trigger = forms.ChoiceField(label=_("复核原因"), required=False, choices=_blank(_ALL) + list(ReviewTrigger.choices))
    region = forms.ChoiceField(label=_("村（社区）/乡镇"), required=False)
    mine = forms.BooleanField(label=_("只看待我办理"), required=False)
    overdue = forms.BooleanField(label=_("只看超期"), required=False)
    due_soon = forms.BooleanField(label=_("30天内到期"), required=False)

    def __init__(self, *args: Any, region_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _blank(_ALL) + region_choices  # type: ignore[attr-defined]

    def criteria(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "status": d["status"],
            "trigger": d["trigger"],
            "region_code": d["region"],
            "overdue": d["overdue"],
            "due_soon": d["due_soon"],
            "mine": d["mine"],
        }


# --- The steps of a review -----------------------------------------------------------------------------------


class ReviewStepForm(OneTimeForm, VersionedForm, ServiceForm):
    """One step on one review: `review` is known to the form for its choices."""

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.review = review


class ProposeForm(ReviewStepForm):
    """复核意见: findings, the outcome (only where the proposer may choose: stop instead of gradual exit),
    the reasons told to the family, the day. The outcome otherwise follows from the recomputation."""

    findings = forms.CharField(label=_("核查情况"), required=False, max_length=4000, widget=_textarea(5))
    outcome = forms.ChoiceField(label=_("复核结论"), required=False, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label=_("变更理由（将写入书面通知）"), required=False, max_length=4000, widget=_textarea(4)
    )
    proposed_on = _step_date(_("核查日期"))

    def __init__(self, *args: Any, outcome_choices: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(outcome_choices) > 1:
            self.fields["outcome"].choices = [(o, ReviewOutcome(o).label) for o in outcome_choices]  # type: ignore[attr-defined]
            self.fields["outcome"].initial = outcome_choices[0]
            self.fields["outcome"].help_text = _("按规定可给予渐退期；也可以直接停发（须写明理由）。")
        else:
            del self.fields["outcome"]
        self.fields["reasons"].help_text = _("减发、停发或渐退须写明理由，并书面告知家庭。")
        if self.review.status == ReviewStatus.PROPOSED:
            self.fields["findings"].initial = self.review.findings
            self.fields["reasons"].initial = self.review.reasons

    def service_kwargs(self) -> dict[str, Any]:
        kwargs = super().service_kwargs()
        if not kwargs.get("outcome"):
            kwargs.pop("outcome", None)
        return kwargs


class DecideForm(ReviewStepForm):
    """复核审批: a note, the first month of the change (not for "no change"), the day."""

    note = forms.CharField(label=_("审批意见"), required=False, max_length=2000, widget=_textarea())
    effective_month = MonthField(label=_("生效月份"), required=False)
    decided_on = _step_date(_("审批日期"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.review.outcome == NO_CHANGE:
            del self.fields["effective_month"]
        else:
            self.fields["effective_month"].initial = month_after_day(timezone.localdate())
            self.fields["effective_month"].help_text = _("默认为审批次月。")


class RejectForm(ReviewStepForm):
    reason = forms.CharField(label=_("不同意的理由"), required=False, max_length=2000, widget=_textarea(4))
    decided_on = _step_date(_("日期"))


# --- Opening a review, events on a benefit --------------------------------------------------------------------

OPEN_TRIGGERS = (ReviewTrigger.PERIODIC, ReviewTrigger.INCOME_CHANGE, ReviewTrigger.OTHER)


class ReviewOpenForm(OneTimeForm, ServiceForm):
    trigger = forms.ChoiceField(
        label=_("复核原因"), choices=[(t.value, t.label) for t in OPEN_TRIGGERS], initial=ReviewTrigger.OTHER
    )
    note = forms.CharField(label=_("发起说明"), required=False, max_length=2000, widget=_textarea())
    event_on = date_field(_("变化发生日期"), required=False, help_text=_("不清楚可留空。"))
    due_on = date_field(
        _("复核期限"), required=False, help_text=_("留空则定期复核按下次复核日期，其他按政策规定的期限。")
    )


class TransferOutForm(OneTimeForm, VersionedForm, ServiceForm):
    moved_on = date_field(_("迁出日期"))
    destination = forms.CharField(label=_("迁往地点"), required=False, max_length=200)
    reason = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=_textarea())
    effective_month = MonthField(label=_("停发月份"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_month"].help_text = _("默认为迁出次月。")


_ITEM_VALUE = re.compile(r"^(\d{1,12}):(\d{1,9})$")


def _item_label(item: IncomeItem) -> str:
    return _("%(kind)s 每月 %(amount)s 元（%(who)s）") % {
        "kind": item.get_kind_display(),
        "amount": fen_to_yuan_text(item.monthly_amount_fen),
        "who": item.person.name if item.person else _("全家"),
    }


class IncomeChangeForm(OneTimeForm, IncomeForm):
    """收入变化: a new income item, or a correction of one already recorded (its id and version travel
    together as "id:version", so a stale choice is a conflict), and a note."""

    item = forms.ChoiceField(label=_("变化的收入"), required=False)
    note = forms.CharField(label=_("情况说明"), required=False, max_length=2000, widget=_textarea())

    field_order = ["item", "kind", "person", "monthly_amount", "source", "description", "recorded_on", "note"]

    def __init__(self, *args: Any, items: Iterable[IncomeItem] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = _blank(_("新增一项收入")) + [  # type: ignore[attr-defined]
            (f"{i.pk}:{i.version}", _item_label(i)) for i in items
        ]
        self.fields["item"].help_text = _("选择已登记的收入项则按新填写的内容更正该项。")
        self.fields["recorded_on"].initial = timezone.localdate

    def item_and_version(self) -> tuple[int | None, int | None]:
        match = _ITEM_VALUE.match(self.cleaned_data.get("item") or "")
        return (int(match[1]), int(match[2])) if match else (None, None)


# --- The yearly batch ---------------------------------------------------------------------------------------------


class ReviewPicksField(forms.Field):
    """Ticked reviews as "id:version" values (the checkboxes are drawn by the template) → {id: version}."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("请至少选择一户。"),
        "invalid": _("所选复核无效，请刷新页面后重试。"),
    }

    def to_python(self, value: Any) -> dict[int, int]:
        picks: dict[int, int] = {}
        for item in value or []:
            match = _ITEM_VALUE.match(str(item))
            if not match:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            picks[int(match[1])] = int(match[2])
        return picks


class BatchConfirmForm(OneTimeForm):
    reviews = ReviewPicksField(label=_("复核"))
    decided_on = _step_date(_("复核日期"))
    note = forms.CharField(
        label=_("核查情况"),
        required=False,
        max_length=2000,
        widget=_textarea(2),
        help_text=_("留空则记为：年度复核，经核查家庭人口、收入和财产状况无变化，维持原保障金额。"),
    )
