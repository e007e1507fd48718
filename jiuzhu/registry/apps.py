from __future__ import annotations

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jiuzhu.registry"
    verbose_name = "一户一档"
