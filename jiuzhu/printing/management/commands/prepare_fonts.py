"""`jiuzhu prepare_fonts`: build the static PDF fonts now, so that the first printout is not slow."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jiuzhu.printing.fonts import FontUnavailable, ensure_static_fonts


class Command(BaseCommand):
    help = "生成打印用的中文字体（思源黑体 Noto Sans SC 常规、粗体静态字形），已生成则直接使用缓存"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def building(cache_dir: Path) -> None:
            self.stdout.write(f"正在生成打印字体（约需半分钟至一分钟），保存到 {cache_dir} …")

        try:
            fonts = ensure_static_fonts(on_build=building)
        except FontUnavailable as error:
            raise CommandError(f"找不到字体源文件：{error}") from error
        seconds = time.monotonic() - started
        for path in fonts.files.values():
            self.stdout.write(f"打印字体：{path}")
        if options["verbosity"] > 1:
            self.stdout.write(f"用时 {seconds:.1f} 秒")
