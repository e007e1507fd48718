from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "jiuzhu.payments"
    label = "payments"
    verbose_name = _("资金发放")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jiuzhu.payments import jobs  # noqa: F401 - registers the payroll job kinds
