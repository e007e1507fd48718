from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "jiuzhu.web"
    verbose_name = _("页面")

    def ready(self) -> None:
        from jiuzhu.web import jobs  # noqa: F401 - registers the list export job kind
