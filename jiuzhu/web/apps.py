from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jiuzhu.web"
    verbose_name = "页面"
