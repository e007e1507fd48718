"""The API's one exception handler: every error is JSON with a stable code and a Chinese message.

Shape: {"code": "...", "message": "...", "fields": {"field.path": ["message", ...]}} plus, for some
domain errors, pointer data (e.g. `existing_household_id` when an ID number is already registered).

`fields` keys are the API's own field names, flattened with dots for nested input
(`members.1.id_number`). Services name some fields after their form counterparts
(`monthly_amount`, `members-1-id_number`); a view lists its renames in `service_field_names`.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from jiuzhu.api.authentication import TokenExpired
from jiuzhu.common.exceptions import DomainError, NotFoundOrNoAccess, ValidationFailed

_DRF_CODES: dict[type[Exception], tuple[str, Any]] = {
    TokenExpired: ("token_expired", gettext_lazy("令牌已过期，请重新获取。")),
    exceptions.NotAuthenticated: ("not_authenticated", gettext_lazy("未登录或登录已过期，请先登录。")),
    exceptions.AuthenticationFailed: ("authentication_failed", gettext_lazy("用户名、密码或令牌不正确。")),
    exceptions.PermissionDenied: ("permission_denied", gettext_lazy("您的角色无权进行此操作。")),
    exceptions.NotFound: ("not_found", gettext_lazy("记录不存在。")),
    exceptions.MethodNotAllowed: ("method_not_allowed", gettext_lazy("不支持该请求方法。")),
    exceptions.NotAcceptable: ("not_acceptable", gettext_lazy("无法按请求的格式返回结果。")),
    exceptions.Throttled: ("throttled", gettext_lazy("请求过于频繁，请稍后再试。")),
    exceptions.ParseError: ("parse_error", gettext_lazy("请求内容无法解析。")),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", gettext_lazy("不支持的内容类型。")),
}

# "members-1-id_number" (form-prefix style used by services) -> "members.1.id_number"
_FORM_PREFIX_RE = re.compile(r"^(?P<name>[a-z_]+)-(?P<index>\d+)-(?P<field>.+)$")


class LoginLockedOut(exceptions.APIException):
    """Too many failed logins for this username (django-axes said no)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"


def _body(code: str, message: str, fields: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    body.update(extra)
    return body


def flatten_field_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure as {"a.0.b": ["message", ...]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            flat.update(flatten_field_errors(value, f"{prefix}{key}."))
    elif isinstance(detail, list) and detail and all(isinstance(item, str) for item in detail):
        flat[prefix.rstrip(".") or "non_field_errors"] = [str(item) for item in detail]
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if value:
                flat.update(flatten_field_errors(value, f"{prefix}{index}."))
    elif detail:
        flat[prefix.rstrip(".") or "non_field_errors"] = [str(detail)]
    return flat


def api_field_name(service_name: str, renames: dict[str, str]) -> str:
    match = _FORM_PREFIX_RE.match(service_name)
    if match:
        field = match["field"]
        return f"{match['name']}.{match['index']}.{renames.get(field, field)}"
    return renames.get(service_name, service_name)


def _service_fields(exc: ValidationFailed, context: dict[str, Any]) -> dict[str, list[str]]:
    renames: dict[str, str] = getattr(context.get("view"), "service_field_names", {}) or {}
    fields: dict[str, list[str]] = {}
    for name, messages in exc.field_errors.items():
        fields.setdefault(api_field_name(name, renames), []).extend(str(m) for m in messages)
    return fields


def _locked_out_message() -> str:
    minutes = max(1, round(float(getattr(settings, "AXES_COOLOFF_TIME", 0.5) or 0.5) * 60))
    return _("登录失败次数过多，该账号已被暂时锁定。请 %(minutes)d 分钟后再试，或联系系统管理员解锁。") % {
        "minutes": minutes
    }


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ValidationFailed):
        body = _body(exc.code, exc.user_message, _service_fields(exc, context), **exc.data)
        return Response(body, status=exc.http_status)
    if isinstance(exc, NotFoundOrNoAccess | Http404 | exceptions.NotFound):
        return Response(_body("not_found", _("记录不存在。")), status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DomainError):
        return Response(_body(exc.code, exc.user_message, **exc.data), status=exc.http_status)
    if isinstance(exc, LoginLockedOut):
        return Response(_body("locked_out", _locked_out_message()), status=exc.status_code)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        fields = flatten_field_errors(exc.detail)
        return Response(_body("validation_failed", _("输入有误，请按提示修改。"), fields), status=400)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        response.data = _body("csrf_failed", _("安全校验失败（CSRF），请刷新页面后重试。"))
        return response
    code, message = _DRF_CODES.get(type(exc), ("error", gettext_lazy("请求未能完成。")))
    response.data = _body(code, str(message))
    return response


def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown addresses under /api/v1/ answer in the API's error shape, not with an HTML page."""
    return JsonResponse(_body("not_found", _("接口不存在。")), status=404, json_dumps_params={"ensure_ascii": False})
