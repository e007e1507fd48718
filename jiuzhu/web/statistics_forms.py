"""Forms of the statistics pages: which area and month a report shows, and a snapshot's build."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuzhu.web.case_forms import MonthField


class ReportFilterForm(forms.Form):
    region = forms.RegexField(
        label=_("区划代码"), regex=r"^\d{2}(\d{2})?(\d{2})?(\d{3})?(\d{3})?$", required=False,
        error_messages={"invalid": _("区划代码应为 2、4、6、9 或 12 位数字。")},
    )  # fmt: skip
    month = MonthField(label=_("统计月份"), required=False)


class SnapshotBuildForm(forms.Form):
    region = forms.RegexField(regex=r"^\d{2}(\d{2})?(\d{2})?(\d{3})?(\d{3})?$", widget=forms.HiddenInput)
    month = MonthField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("生成原因"), max_length=200, initial=_("月末统计"))


class SummaryFilterForm(forms.Form):
    region = forms.RegexField(
        label=_("区划代码"), regex=r"^\d{2}(\d{2})?(\d{2})?(\d{3})?(\d{3})?$", required=False,
        error_messages={"invalid": _("区划代码应为 2、4、6、9 或 12 位数字。")},
    )  # fmt: skip
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
