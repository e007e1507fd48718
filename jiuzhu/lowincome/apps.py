from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LowIncomeConfig(AppConfig):
    name = "jiuzhu.lowincome"
    label = "lowincome"
    verbose_name = _("低收入人口")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jiuzhu.lowincome import jobs  # noqa: F401 - registers the job kind
