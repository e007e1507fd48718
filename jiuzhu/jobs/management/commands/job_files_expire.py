"""Remove the bytes of job files past their keeping time (run it daily from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jiuzhu.jobs.files import job_files_expire


class Command(BaseCommand):
    help = "删除超过保留期的后台任务文件（银行文件、大批量导出）。"

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        while removed := job_files_expire():
            total += removed
        self.stdout.write(f"删除到期文件 {total} 个。")
