"""`jiuzhu import_regions PATH`: load a division code list (one CSV or the NBS folder layout)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiuzhu.common.exceptions import DomainError
from jiuzhu.regions.services import BUNDLED_PROVINCE_CSV, read_region_rows, regions_import


class Command(BaseCommand):
    help = "导入行政区划代码（CSV：code,name；或国家统计局四文件目录 provinces/cities/areas/streets.csv）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(BUNDLED_PROVINCE_CSV), help="CSV 文件或目录")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"找不到文件或目录：{path}")
        try:
            rows = read_region_rows(path)
            result = regions_import(actor=None, rows=rows, source_name=path.name)
        except DomainError as error:
            raise CommandError(error.user_message) from error
        self.stdout.write(f"区划导入完成：共 {result.rows} 条，新增 {result.created} 条，更名 {result.updated} 条。")
