"""Password policy beyond Django's validators: letters and digits both required."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
            raise ValidationError(_("密码必须同时包含字母和数字。"), code="password_character_classes")

    def get_help_text(self) -> str:
        return _("密码必须同时包含字母和数字。")


class MinimumLengthValidator:
    """Minimum length, with the message in Chinese (Django's own catalogue lacks this plural form)."""

    def __init__(self, min_length: int = 10) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                _("密码太短：至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length},
                code="password_too_short",
            )

    def get_help_text(self) -> str:
        return _("密码至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}
