from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "jiuzhu.audit"
    verbose_name = _("审计日志")

    def ready(self) -> None:
        from jiuzhu.audit import db_guard

        db_guard.connect()
