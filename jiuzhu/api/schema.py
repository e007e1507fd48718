"""OpenAPI details shared by every operation: the error body and the statuses that carry it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorOutput(serializers.Serializer[Any]):
    """The body of every error answer (see jiuzhu.api.errors)."""

    code = serializers.CharField(label=_("错误代码"), help_text=_("稳定的英文代码，如 not_found、conflict。"))
    message = serializers.CharField(label=_("错误信息"), help_text=_("中文说明，可直接展示给用户。"))
    fields = serializers.DictField(  # type: ignore[assignment]  # DRF takes declared fields off the class
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        label=_("字段错误"),
        help_text=_("字段名（嵌套字段以点分隔，如 members.1.id_number）→ 错误信息列表。"),
    )


_ERRORS = {
    "400": _("输入有误（code=validation_failed 等）"),
    "401": _("未登录或令牌无效"),
    "403": _("角色无权进行此操作"),
    "404": _("记录不存在，或不在本人辖区内"),
    "409": _("记录已被他人修改（code=conflict），或不符合业务规则"),
}


class ApiSchema(AutoSchema):
    """Adds the error answers an operation can give, so clients see the error shape everywhere."""

    def _error_statuses(self) -> list[str]:
        statuses = ["400"]
        if self.view.authentication_classes:
            statuses += ["401", "403"]
        if "{" in self.path:
            statuses.append("404")
        if self.method in ("POST", "PUT", "PATCH", "DELETE") and self.view.authentication_classes:
            statuses.append("409")
        return statuses

    def _get_request_for_media_type(self, serializer: Any, direction: Any = "request") -> Any:
        # drf-spectacular documents PATCH bodies as DRF's partial serializers (nothing required).
        # Ours are not partial: each update input requires `expected_version` and says so.
        if self.method != "PATCH":
            return super()._get_request_for_media_type(serializer, direction)
        self.method = "POST"
        try:
            return super()._get_request_for_media_type(serializer, direction)
        finally:
            self.method = "PATCH"

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        bodies: dict[str, Any] = super()._get_response_bodies(direction)
        for status in self._error_statuses():
            if status not in bodies:
                response = OpenApiResponse(ErrorOutput, description=str(_ERRORS[status]))
                bodies[status] = self._get_response_for_code(response, status, direction=direction)
        return bodies
