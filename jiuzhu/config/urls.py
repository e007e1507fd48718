"""Top-level URL map: pages, the REST API, the admin (configuration data only)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("jiuzhu.api.urls")),
    path("", include("jiuzhu.web.urls")),
]
# Uploaded files are never served directly: the registry serves them after an access check.

handler500 = "jiuzhu.config.handlers.server_error"
