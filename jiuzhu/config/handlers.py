"""Server error handler: JSON under /api/, the Chinese error page elsewhere."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from jiuzhu.common.request_context import current_request_id


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "code": "server_error",
                "message": _("服务器内部错误，请稍后重试；如果问题持续，请把请求编号告诉系统管理员。"),
                "request_id": current_request_id.get(),
            },
            status=500,
            json_dumps_params={"ensure_ascii": False},
        )
    return defaults.server_error(request)
