from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "jiuzhu.reports"
    label = "reports"
    verbose_name = _("民政统计")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jiuzhu.reports import jobs  # noqa: F401 - registers the snapshot job kind
