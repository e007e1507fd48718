"""Forms of the statistics pages: which area and month a report shows, and a snapshot's build."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiuzhu.regions.validators import region_code
from jiuzhu.web.case_forms import MonthField


class RegionCodeField(forms.CharField):
    default_validators = [region_code]


class ReportFilterForm(forms.Form):
    region = RegionCodeField(label=_("区划代码"), required=False)
    month = MonthField(label=_("统计月份"), required=False)


class SnapshotBuildForm(forms.Form):
    region = RegionCodeField(widget=forms.HiddenInput)
    month = MonthField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("生成原因"), max_length=200, initial=_("月末统计"))


class SummaryFilterForm(forms.Form):
    region = RegionCodeField(label=_("区划代码"), required=False)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
