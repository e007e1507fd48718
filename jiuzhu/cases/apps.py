from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "jiuzhu.cases"
    label = "cases"
    verbose_name = _("申请与审批")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jiuzhu.cases import jobs  # noqa: F401 - registers the cases' job kinds
