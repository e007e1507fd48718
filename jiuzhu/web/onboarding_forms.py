"""Forms of the onboarding pages (存量数据导入): input shape only (the services check the rest)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiuzhu.web.forms import date_field


class BatchUploadForm(forms.Form):
    region = forms.ChoiceField(label=_("导入地区"), help_text=_("表中的村（社区）须在此地区内。"))
    go_live = date_field(_("建档日期"), initial=timezone.localdate)
    reason = forms.CharField(
        label=_("建档依据"), max_length=200, help_text=_("如“2026年5月城乡低保台账”，记入每户的档案和操作记录。")
    )
    file = forms.FileField(
        label=_("文件"),
        help_text=_(
            "XLSX 或 CSV（UTF-8、GBK 或 GB18030 编码），每行一人；可用本页的模板，也可用本单位的表格后逐列对应。"
        ),
    )

    def __init__(self, *args: Any, region_choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.JIUZHU_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("文件超过 %(mb)s MB。") % {"mb": settings.JIUZHU_IMPORT_MAX_BYTES // (1 << 20)}
            )
        return upload
