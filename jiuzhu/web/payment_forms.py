"""Forms of the payment pages: input shape only (the services check everything else)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiuzhu.payments.choices import FundSource, PayrollLineKind, PayrollStatus
from jiuzhu.payments.services.funds import MANUAL_KINDS
from jiuzhu.programs.models import DIBAO_PROGRAMS
from jiuzhu.programs.rules.dynamic import add_months, month_of
from jiuzhu.web.case_forms import MonthField
from jiuzhu.web.forms import VersionedForm, YuanField, date_field

PROGRAM_CHOICES = [(code.value, code.label) for code in DIBAO_PROGRAMS]


class PayrollGenerateForm(forms.Form):
    program = forms.ChoiceField(label=_("救助项目"), choices=PROGRAM_CHOICES)
    region = forms.ChoiceField(label=_("发放地区"))
    month = MonthField(
        label=_("发放月份"),
        help_text=_("按季发放的地区选季度内任一月份即可，名册覆盖整个季度。"),
    )

    def __init__(self, *args: Any, region_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices  # type: ignore[attr-defined]
        self.fields["month"].initial = add_months(month_of(timezone.localdate()), 1)


class PayrollFilterForm(forms.Form):
    program = forms.ChoiceField(label=_("救助项目"), choices=[("", _("全部项目")), *PROGRAM_CHOICES], required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部状态")), *PayrollStatus.choices], required=False)

    def criteria(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {"program_code": self.cleaned_data["program"], "status": self.cleaned_data["status"]}


class PayrollLineFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("村（社区）"), required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("全部类型")), *PayrollLineKind.choices], required=False)

    def __init__(self, *args: Any, region_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全部")), *region_choices]  # type: ignore[attr-defined]

    def criteria(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {"region_code": self.cleaned_data["region"], "kind": self.cleaned_data["kind"]}


class PayrollLockForm(VersionedForm):
    pass


class BankFileForm(forms.Form):
    institution = forms.ChoiceField(label=_("发放机构"))

    def __init__(self, *args: Any, institutions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = institutions  # type: ignore[attr-defined]


MAX_RETURN_FILE = 50 * 1024 * 1024


class BankReturnForm(forms.Form):
    file = forms.FileField(
        label=_("回盘文件"),
        help_text=_("银行返回的 CSV（UTF-8、GBK 或 GB18030）或 XLSX 文件，须有流水号或账号、金额、处理结果列。"),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_RETURN_FILE:
            raise forms.ValidationError(_("文件超过 50 MB。"))
        return upload


class FundCreateForm(forms.Form):
    program = forms.ChoiceField(label=_("救助项目"), choices=PROGRAM_CHOICES)
    region = forms.ChoiceField(label=_("资金所属地区"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    source = forms.ChoiceField(label=_("资金来源"), choices=FundSource.choices)
    name = forms.CharField(label=_("资金名称"), max_length=128, required=False, help_text=_("留空则自动命名。"))

    def __init__(self, *args: Any, region_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year


class FundEntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[(k.value, k.label) for k in MANUAL_KINDS],
    )
    amount = YuanField(label=_("金额（元）"))
    entered_on = date_field(_("日期"), initial=timezone.localdate)
    document_no = forms.CharField(label=_("文号或凭证号"), max_length=64, required=False)
    note = forms.CharField(label=_("摘要"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PayrollChargeForm(forms.Form):
    """Up to three funds, each with the amount to charge (yuan)."""

    entered_on = date_field(_("列支日期"), initial=timezone.localdate)

    def __init__(self, *args: Any, funds: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("（不选）")), *funds]
        for n in range(1, 4):
            self.fields[f"fund_{n}"] = forms.ChoiceField(
                label=_("资金 %(n)s") % {"n": n}, choices=choices, required=False
            )
            self.fields[f"amount_{n}"] = YuanField(label=_("金额（元）"), required=False)

    def charges(self) -> dict[int, int]:
        charges: dict[int, int] = {}
        for n in range(1, 4):
            fund, amount = self.cleaned_data.get(f"fund_{n}"), self.cleaned_data.get(f"amount_{n}")
            if fund and amount:
                charges[int(fund)] = charges.get(int(fund), 0) + int(amount)
        return charges


class CardCustodyForm(forms.Form):
    held_by = forms.ChoiceField(label=_("代管人"))
    held_since = date_field(_("代管起始日期"), initial=timezone.localdate)
    agreement = forms.ChoiceField(label=_("代管协议（已上传的附件）"))
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, keepers: list[tuple[int, str]], agreements: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_by"].choices = keepers  # type: ignore[attr-defined]
        self.fields["agreement"].choices = [("", _("请选择")), *agreements]  # type: ignore[attr-defined]


class CardCustodyEndForm(forms.Form):
    ended_on = date_field(_("归还日期"), initial=timezone.localdate)
    note = forms.CharField(label=_("归还说明"), required=False)
