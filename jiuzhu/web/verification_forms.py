"""Forms of the verification pages (外部数据导入): input shape only (the services check the rest)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiuzhu.verification.models import RetentionClass
from jiuzhu.verification.sources import DatasetSource, Field
from jiuzhu.web.forms import date_field


class DatasetUploadForm(forms.Form):
    source = forms.ChoiceField(label=_("数据来源"), choices=DatasetSource.choices)
    region = forms.ChoiceField(label=_("数据覆盖地区"))
    as_of = date_field(_("数据截止日期"), initial=timezone.localdate)
    provider = forms.CharField(label=_("提供单位"), max_length=100, required=False)
    retention_class = forms.ChoiceField(label=_("保管类别"), choices=RetentionClass.choices)
    mapping = forms.ChoiceField(
        label=_("列对应方案"), required=False, help_text=_("选用以前保存的方案；留空则按列名自动对应。")
    )
    file = forms.FileField(
        label=_("文件"), help_text=_("CSV（UTF-8、GBK 或 GB18030 编码）或 XLSX；第一行为列名。身份证号码列须为文本。")
    )

    def __init__(
        self, *args: Any, region_choices: list[tuple[str, str]], mappings: list[tuple[int, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices  # type: ignore[attr-defined]
        self.fields["mapping"].choices = [("", "—"), *mappings]  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.JIUZHU_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("文件超过 %(mb)s MB。") % {"mb": settings.JIUZHU_IMPORT_MAX_BYTES // (1 << 20)}
            )
        return upload


class ColumnsForm(forms.Form):
    """One choice per field of the source: which column of the file holds it ("" = none)."""

    save_as = forms.CharField(
        label=_("保存为方案"), max_length=100, required=False, help_text=_("填写名称，下次同一来源的文件可直接选用。")
    )

    def __init__(
        self, *args: Any, fields: tuple[Field, ...], header: list[str], initial_columns: dict[str, str],
        may_save: bool = True, required_columns: tuple[str, ...] = (), **kwargs: Any,
    ):  # fmt: skip
        super().__init__(*args, **kwargs)
        if not may_save:  # a layout with no agency behind it (the onboarding template)
            del self.fields["save_as"]
        choices = [("", _("（不导入）")), *((name, name) for name in header if name)]
        for field in fields:
            self.fields[f"column_{field.key}"] = forms.ChoiceField(
                label=field.label + (str(_("（必填）")) if field.required or field.key in required_columns else ""),
                choices=choices,
                required=False,
                initial=initial_columns.get(field.key, ""),
            )
        self.source_fields = fields
        self.order_fields([f"column_{field.key}" for field in fields] + (["save_as"] if may_save else []))

    def columns(self) -> dict[str, str]:
        return {field.key: self.cleaned_data.get(f"column_{field.key}", "") for field in self.source_fields}


class FlagFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False)
    check = forms.ChoiceField(label=_("核查规则"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from jiuzhu.verification.checks import CHECKS
        from jiuzhu.verification.models import FlagStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("全部")), *FlagStatus.choices]  # type: ignore[attr-defined]
        self.fields["check"].choices = [("", _("全部")), *((c.code, _(c.title)) for c in CHECKS)]  # type: ignore[attr-defined]


class SweepForm(forms.Form):
    region = forms.ChoiceField(label=_("核查地区"))

    def __init__(self, *args: Any, region_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices  # type: ignore[attr-defined]


class FlagConfirmForm(forms.Form):
    note = forms.CharField(
        label=_("核实情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("确认属实后将发起复核，由复核决定停发、减发或维持。"),
    )  # fmt: skip


class FlagDismissForm(forms.Form):
    reason = forms.CharField(label=_("排除理由"), widget=forms.Textarea(attrs={"rows": 2}))
