from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "jiuzhu.onboarding"
    label = "onboarding"
    verbose_name = _("存量数据导入")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jiuzhu.onboarding import jobs  # noqa: F401 - registers the check and apply job kinds
