"""Form and serializer validation of a region code typed by a user."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jiuzhu.regions.rules import is_valid_region_code


def region_code(value: str) -> None:
    if not is_valid_region_code(value):
        raise ValidationError(_("区划代码应为 2、4、6、9 或 12 位数字。"), code="invalid")
