"""The verification report (家庭经济状况核对报告) of an application, as an A4 PDF: the household, the
agency data consulted (source and as-of date), every check with its result, and what was found.
Always in Chinese, whatever the user's language."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from jiuzhu.printing.document import Document, chinese_date
from jiuzhu.verification.checks import CHECKS, SEVERITY_LABELS

LETTER_LANGUAGE = "zh-hans"


def check_report_pdf(
    *, application: Any, authority: str, datasets: Sequence[Any], findings: Sequence[dict[str, str]],
    run_on: datetime.date, run_by: str,
) -> bytes:  # fmt: skip
    household = application.household
    with translation.override(LETTER_LANGUAGE):
        doc = Document(title="家庭经济状况核对报告", authority=authority)
        doc.facts(
            [
                ("户主", household.head_name),
                ("所属地区", household.region.name),
                ("申请项目", application.program.name),
                ("申请编号", str(application.pk)),
                ("核对日期", chinese_date(run_on)),
                ("核对人", run_by),
            ]
        )
        doc.heading("一、所用外部数据")
        doc.table(
            ["数据来源", "提供单位", "数据截止日期", "记录数"],
            [
                [d.get_source_display(), d.provider or "—", chinese_date(d.as_of), str(d.imported_count)]
                for d in datasets
            ],
            widths=[3, 4, 3, 2],
            align=["left", "left", "center", "right"],
            empty="尚未导入任何部门数据，以下各项未能核对。",
        )
        doc.heading("二、核对结果")
        found = {f["check"] for f in findings}
        rows = []
        for check in CHECKS:
            needs_missing = check.needs and not any(d.source in check.needs for d in datasets)
            result = "发现问题" if check.code in found else ("无数据，未核对" if needs_missing else "未发现问题")
            rows.append([_(check.title), str(SEVERITY_LABELS[check.severity]), result])
        doc.table(["核对项目", "严重程度", "结果"], rows, widths=[6, 2, 3], align=["left", "center", "center"])
        doc.heading("三、发现的问题")
        if findings:
            doc.table(
                ["核对项目", "情况"],
                [[f["title"], f["explanation"]] for f in findings],
                widths=[3, 9],
                align=["left", "left"],
            )
        else:
            doc.paragraph("经与上述部门数据比对，未发现不符合条件的情况。")
        doc.note("本报告由系统根据各部门提供的数据自动比对生成，比对结果须经入户调查等核实后方可作为认定依据。")
        doc.signature_lines(["核对人", "审核人"])
        return doc.render()
