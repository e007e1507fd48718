"""The API's one exception handler: every error is JSON with a stable code and a Chinese message.

Shape: {"code": "...", "message": "...", "fields": {"field": ["message", ...]}}
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from jiuzhu.common.exceptions import DomainError, NotFoundOrNoAccess, ValidationFailed

_DRF_CODES: dict[type[Exception], tuple[str, Any]] = {
    exceptions.NotAuthenticated: ("not_authenticated", "未登录或登录已过期，请先登录。"),
    exceptions.AuthenticationFailed: ("authentication_failed", "用户名、密码或令牌不正确。"),
    exceptions.PermissionDenied: ("permission_denied", "您的角色无权进行此操作。"),
    exceptions.NotFound: ("not_found", "记录不存在。"),
    exceptions.MethodNotAllowed: ("method_not_allowed", "不支持该请求方法。"),
    exceptions.Throttled: ("throttled", "请求过于频繁，请稍后再试。"),
    exceptions.ParseError: ("parse_error", "请求内容无法解析。"),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", "不支持的内容类型。"),
}


def _body(code: str, message: str, fields: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    body.update(extra)
    return body


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ValidationFailed):
        return Response(
            _body(exc.code, exc.user_message, exc.field_errors, **exc.data), status=exc.http_status
        )
    if isinstance(exc, NotFoundOrNoAccess) or isinstance(exc, Http404):
        return Response(_body("not_found", _("记录不存在。")), status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DomainError):
        return Response(_body(exc.code, exc.user_message, **exc.data), status=exc.http_status)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return Response(_body("validation_failed", _("输入有误，请按提示修改。"), detail), status=400)
    response = exception_handler(exc, context)
    if response is None:
        return None
    code, message = _DRF_CODES.get(type(exc), ("error", "请求未能完成。"))
    response.data = _body(code, _(message))
    return response
