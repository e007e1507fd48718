from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "jiuzhu.verification"
    label = "verification"
    verbose_name = _("家庭经济状况核对")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jiuzhu.verification import jobs  # noqa: F401 - registers the import job kind
