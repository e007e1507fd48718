from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jiuzhu.audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from jiuzhu.audit import db_guard

        db_guard.connect()
