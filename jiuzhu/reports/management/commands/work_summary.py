"""`jiuzhu work-summary --region CODE_OR_NAME --year YYYY [--out FILE.docx|FILE.pdf]`: the statistics
of an area's yearly work summary, printed as text, or written as an editable Word document (or PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jiuzhu.common.exceptions import DomainError
from jiuzhu.reports.documents import authority_of
from jiuzhu.reports.summary import build_work_summary, resolve_region
from jiuzhu.reports.summary_documents import summary_docx, summary_pdf, summary_text


class Command(BaseCommand):
    help = "起草一个地区某年工作总结中的统计数字（按节，每个数字注明来源）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="区划代码或名称，例如 511723 或 讲治镇")
        parser.add_argument("--year", required=True, type=int, help="年度，例如 2012")
        parser.add_argument("--out", default="", help="写入文件（.docx 或 .pdf）；不给则打印文本")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            region = resolve_region(options["region"])
        except DomainError as error:
            raise CommandError(error.user_message) from error
        summary = build_work_summary(region=region, year=options["year"])
        out = options["out"]
        if not out:
            self.stdout.write(summary_text(summary), ending="")
            return
        path = Path(out)
        if path.suffix.lower() == ".docx":
            path.write_bytes(summary_docx(summary))
        elif path.suffix.lower() == ".pdf":
            path.write_bytes(summary_pdf(summary, authority=authority_of(region)))
        else:
            raise CommandError(_("--out 须为 .docx 或 .pdf 文件。"))
        self.stdout.write(_("已写入 %(path)s（%(title)s）") % {"path": path, "title": summary.title})
