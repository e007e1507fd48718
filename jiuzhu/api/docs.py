"""Swagger UI for /api/v1/docs/, served entirely from local static files (drf-spectacular-sidecar).

The split view delivers the start-up script as a separate same-origin file, and our template has
no inline style, so the page works under the strict content-security policy (script-src 'self').
"""

from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    title = "救助 Jiuzhu 接口文档"
