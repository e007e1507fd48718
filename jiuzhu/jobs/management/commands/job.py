"""`jiuzhu job KIND`: submit a background job and follow it with a progress bar.

jiuzhu job cases.reviews_open_due --param today=2026-12-01       # queued; a worker runs it
jiuzhu job cases.reviews_open_due --here                          # run it in this process
jiuzhu job --list                                                 # the kinds there are
jiuzhu job --rerun 42                                             # a failed or stalled job again
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _
from tqdm import tqdm

from jiuzhu.common.exceptions import DomainError
from jiuzhu.jobs.choices import ACTIVE_STATUSES, JobStatus
from jiuzhu.jobs.kinds import job_kind_get, job_kinds
from jiuzhu.jobs.models import Job
from jiuzhu.jobs.runner import chunk_execute, job_execute
from jiuzhu.jobs.services import job_rerun, job_submit


def _params(pairs: list[str]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise CommandError(_("参数应写成 名称=值：%(pair)s") % {"pair": pair})
        params[key] = value
    return params


class Command(BaseCommand):
    help = "提交后台任务并显示进度；--here 在本进程中运行，--list 列出任务类型。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", nargs="?", help="任务类型，例如 cases.reviews_open_due")
        parser.add_argument("--param", action="append", default=[], help="任务参数 名称=值，可重复")
        parser.add_argument("--region", default="", help="任务所属区划代码")
        parser.add_argument("--title", default="", help="任务名称（默认为任务类型的名称）")
        parser.add_argument("--here", action="store_true", help="在本进程中运行，不经过队列")
        parser.add_argument("--no-wait", dest="wait", action="store_false", help="提交后立即返回")
        parser.add_argument("--list", action="store_true", help="列出任务类型")
        parser.add_argument("--rerun", type=int, default=None, help="重新运行失败或中断的任务（任务编号）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for kind in job_kinds():
                self.stdout.write(f"{kind.name}  {kind.label}{'  ' + _('（分块）') if kind.chunked else ''}")
            return
        try:
            if options["rerun"] is not None:
                job = job_rerun(actor=None, job_id=options["rerun"])
            else:
                if not options["kind"]:
                    raise CommandError(_("请给出任务类型（jiuzhu job --list 列出全部）。"))
                try:
                    kind = job_kind_get(options["kind"])
                except LookupError:
                    raise CommandError(_("没有这种任务：%(kind)s") % {"kind": options["kind"]}) from None
                job = job_submit(
                    actor=None,
                    kind=kind.name,
                    title=options["title"] or str(kind.label),
                    params=_params(options["param"]),
                    region_code=options["region"],
                )
        except DomainError as error:
            raise CommandError(error.user_message) from error
        self.stdout.write(_("任务 %(id)s：%(title)s") % {"id": job.pk, "title": job.title})
        if options["here"]:
            self._run_here(job.pk)
        elif not options["wait"]:
            return
        self._follow(job.pk)

    def _run_here(self, job_id: int) -> None:
        """Run the job (and its chunks, one after another) in a thread of this process; the main thread
        shows the progress as it would for a worker."""

        def work() -> None:
            try:
                job_execute(job_id, enqueue_chunk=lambda job, index: chunk_execute(job, index))
            finally:
                connection.close()

        threading.Thread(target=work, daemon=True).start()

    def _follow(self, job_id: int) -> None:
        with tqdm(total=None, unit=_("条"), dynamic_ncols=True, file=self.stdout) as bar:
            while True:
                job = Job.objects.get(pk=job_id)
                if job.progress_total is not None and bar.total != job.progress_total:
                    bar.total = job.progress_total
                bar.n = job.progress_done
                bar.refresh()
                if job.status not in ACTIVE_STATUSES:
                    break
                time.sleep(0.3)
        if job.status == JobStatus.FAILED:
            raise CommandError(
                _("任务失败：%(error)s（可用 jiuzhu job --rerun %(id)s 重新运行）") % {"error": job.error, "id": job.pk}
            )
        self.stdout.write(_("任务完成：%(result)s") % {"result": job.result})
        for file in job.files.filter(removed_at__isnull=True).order_by("id"):
            self.stdout.write(
                _("文件：%(name)s（%(size)s 字节），在任务页 /jobs/%(id)s/ 下载")
                % {"name": file.name, "size": file.size, "id": job.pk}
            )
