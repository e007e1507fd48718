from __future__ import annotations

from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "jiuzhu.common"
    verbose_name = "公共"
