"""Forms of the edge-household register (低保边缘家庭)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiuzhu.lowincome.choices import NearPoorEndReason, NearPoorState
from jiuzhu.web.forms import VersionedForm, date_field, reason_field

_ALL = _("全部")


class NearPoorFilterForm(forms.Form):
    q = forms.CharField(label=_("户主姓名或拼音首字母"), required=False, max_length=64)
    region = forms.ChoiceField(label=_("村（社区）/乡镇"), required=False)
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _ALL), *NearPoorState.choices], initial=NearPoorState.IN_FORCE
    )

    def __init__(self, *args: Any, region_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _ALL), *region_choices]  # type: ignore[attr-defined]

    def criteria(self) -> dict[str, Any]:
        if not self.is_bound:  # the page opens on the register in force
            return {"query": "", "region_code": "", "state": NearPoorState.IN_FORCE}
        if not self.is_valid():
            return {"query": "", "region_code": "", "state": ""}
        d = self.cleaned_data
        return {"query": d["q"], "region_code": d["region"], "state": d["state"]}


class NearPoorRecogniseForm(forms.Form):
    recognised_on = date_field(_("认定日期"), initial=timezone.localdate)
    reason = reason_field(_("认定依据（如核对报告编号、审批会议）"))
    application = forms.IntegerField(widget=forms.HiddenInput, required=False)


class NearPoorEndForm(VersionedForm):
    ended_on = date_field(_("退出日期"), initial=timezone.localdate)
    end_reason = forms.ChoiceField(label=_("退出原因"), choices=[("", _("请选择")), *NearPoorEndReason.choices])
    note = forms.CharField(label=_("说明"), required=False, max_length=200)
