"""`jiuzhu demo`: build the demo town 讲治镇 and its staff accounts, or a bulk registry for benchmarks.

jiuzhu demo                                   # the town and its dibao cases 2012–today (skipped when it exists)
jiuzhu demo --no-history                      # the town's registry only (fast; the tests use it)
jiuzhu demo --households 100000 [--region-code 511723] [--seed N]   # a bulk registry
"""

from __future__ import annotations

import time
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from jiuzhu.common.exceptions import DomainError
from jiuzhu.demo.history import demo_history_build, demo_history_continue, demo_history_exists
from jiuzhu.demo.near_poor import demo_near_poor_build, demo_near_poor_exist
from jiuzhu.demo.services import (
    AccountLine,
    demo_accounts_ensure,
    demo_bulk_generate,
    demo_policies_ensure,
    demo_regions_ensure,
    demo_town_build,
    demo_town_exists,
)
from jiuzhu.demo.statistics import demo_snapshots_build, demo_snapshots_exist
from jiuzhu.demo.town import COUNTY_CODE, DEFAULT_SEED
from jiuzhu.demo.verification import demo_verification_build, demo_verification_exists


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "生成演示数据：讲治镇（村、社区、家庭、人员）和各角色演示账户；或用 --households 生成批量数据。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--households", type=int, default=None, help="生成指定数量的批量家庭（基准测试用）")
        parser.add_argument("--region-code", default=COUNTY_CODE, help="批量数据所在区划（默认开江县 511723）")
        parser.add_argument(
            "--no-history",
            dest="history",
            action="store_false",
            help="只生成户籍数据，不办理2012年至今的低保业务（较快，测试用）",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子（相同种子生成相同数据）")

    def handle(self, *args: Any, **options: Any) -> None:
        # With DEBUG on (local settings) Django keeps and formats every query for its debug page; the
        # demo runs several hundred thousand, which costs about a tenth of its time for nothing.
        with override_settings(DEBUG=False):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        started = time.monotonic()
        built_now = False
        try:
            if options["households"] is not None:
                self._bulk(options["households"], options["region_code"], options["seed"])
            elif demo_town_exists():
                self.stdout.write(_("演示镇讲治镇已存在，未重复生成。"))
            else:
                self.stdout.write(_("正在生成演示镇讲治镇……"))
                result = demo_town_build(seed=options["seed"], defer_deaths=options["history"])
                built_now = True
                self.stdout.write(
                    _("已生成 %(households)d 户、%(persons)d 人（%(seconds).1f 秒）。")
                    % {
                        "households": result.households,
                        "persons": result.persons,
                        "seconds": time.monotonic() - started,
                    }
                )
            demo_regions_ensure()
            lines = demo_accounts_ensure()
            if demo_policies_ensure():
                self.stdout.write(_("已设置开江县2012年低保标准：城市170元/人·月，农村72元/人·月。"))
            if built_now and options["history"] and not demo_history_exists():
                self._history(started)
        except DomainError as error:
            raise CommandError(error.user_message) from error
        self._print_logins(lines)

    def _history(self, started: float) -> None:
        """The dibao cases of 讲治镇 from 2012 to today, made with the workflow services."""

        def say(text: str) -> None:
            self.stdout.write(f"  [{time.monotonic() - started:5.1f}s] {text}")

        self.stdout.write(_("正在用业务流程办理讲治镇2012年至今的低保业务……"))
        demo_history_build(progress=say)
        demo_history_continue(progress=say)
        if not demo_verification_exists():
            made = demo_verification_build()
            figures = {"datasets": made.datasets, "records": made.records, "invalid": made.invalid_rows}
            say(
                _("交叉核查：导入部门数据 %(datasets)d 批、%(records)d 条（有误 %(invalid)d 行未导入），") % figures
                + _("发现疑点 %(flags)d 条。") % {"flags": made.flags}
            )
        if not demo_near_poor_exist():
            demo_near_poor_build(progress=say)
        if not demo_snapshots_exist():
            demo_snapshots_build(progress=say)

    def _bulk(self, households: int, region_code: str, seed: int) -> None:
        started = time.monotonic()

        def progress(done: int, persons: int) -> None:
            rate = done / max(time.monotonic() - started, 1e-6)
            self.stdout.write(
                _("  已写入 %(done)d / %(total)d 户，%(persons)d 人（%(rate).0f 户/秒）")
                % {"done": done, "total": households, "persons": persons, "rate": rate}
            )

        result = demo_bulk_generate(households=households, region_code=region_code, seed=seed, progress=progress)
        self.stdout.write(
            _("批量生成完成：%(households)d 户、%(persons)d 人，用时 %(seconds).1f 秒。")
            % {"households": result.households, "persons": result.persons, "seconds": time.monotonic() - started}
        )

    def _print_logins(self, lines: list[AccountLine]) -> None:
        header = (_("用户名"), _("角色"), _("所属区划"), _("密码"))
        rows = [
            (
                line.username,
                line.role_label,
                line.region_label,
                line.password or _("（已存在的非演示账户，密码未改动）"),
            )
            for line in lines
        ]
        widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(4)]
        self.stdout.write("")
        self.stdout.write(_("演示账户（密码相同）："))
        for row in [header, *rows]:
            self.stdout.write("  " + "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
