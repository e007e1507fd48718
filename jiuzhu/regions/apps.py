from __future__ import annotations

from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "jiuzhu.regions"
    verbose_name = "行政区划"
