"""Domain errors. Services raise these; views and the API map them to responses in one place.

Each class has a stable `code` for clients and logs; `message` is user-facing (Chinese, translatable).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code: str = "domain_error"
    default_message: Any = _("操作未能完成。")
    http_status: int = 400

    def __init__(self, message: Any = None, *, code: str | None = None, **data: Any) -> None:
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        self.data = data
        super().__init__(str(self.message))

    @property
    def user_message(self) -> str:
        return str(self.message)


class ValidationFailed(DomainError):
    """Input that breaks a rule of the data itself (a wrong check digit, a negative amount).

    `field_errors` maps a field name to its Chinese messages so forms can show them in place.
    """

    code = "validation_failed"
    default_message = _("输入有误，请按提示修改。")
    http_status = 400

    def __init__(
        self,
        message: Any = None,
        *,
        field_errors: dict[str, list[str]] | None = None,
        code: str | None = None,
        **data: Any,
    ) -> None:
        self.field_errors = field_errors or {}
        if message is None and self.field_errors:
            message = "；".join(m for msgs in self.field_errors.values() for m in msgs)
        super().__init__(message, code=code, **data)


class RuleViolation(DomainError):
    code = "rule_violation"
    default_message = _("该操作不符合业务规则。")
    http_status = 409


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
    default_message = _("当前状态下不能进行此操作。")
    http_status = 409


class ConflictError(DomainError):
    code = "conflict"
    default_message = _("该记录已被他人修改，请刷新后重试。")
    http_status = 409


class PermissionDeniedError(DomainError):
    code = "permission_denied"
    default_message = _("您的角色无权进行此操作。")
    http_status = 403


class NotFoundOrNoAccess(DomainError):
    """The same answer whether the object is missing or outside the actor's jurisdiction."""

    code = "not_found"
    default_message = _("记录不存在。")
    http_status = 404


class ExternalServiceError(DomainError):
    code = "external_service_error"
    default_message = _("外部服务暂时不可用。")
    http_status = 502
