"""The month-end snapshots of the demo county (开江县, where 讲治镇 is the only township with cases):
every month of 2012 and January 2013 — the year the seed's work summary describes, and the roll it
ends on — and every month of this year so far, built by the county approver with the statistics
service, so the monthly report opens on figures the user can check against the seed."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.models import User
from jiuzhu.demo.town import COUNTY_CODE
from jiuzhu.reports.models import MonthSnapshot
from jiuzhu.reports.services.snapshots import snapshot_build


def demo_snapshot_months(today: datetime.date) -> list[datetime.date]:
    months = [datetime.date(2012, month, 1) for month in range(1, 13)] + [datetime.date(2013, 1, 1)]
    months += [datetime.date(today.year, month, 1) for month in range(1, today.month + 1)]
    return months


def demo_snapshots_exist() -> bool:
    return MonthSnapshot.objects.filter(region__code=COUNTY_CODE).exists()


def demo_snapshots_build(progress: Callable[[str], None] | None = None) -> int:
    approver = User.objects.get(username="approver")
    months = demo_snapshot_months(timezone.localdate())
    for month in months:
        snapshot_build(actor=approver, region_code=COUNTY_CODE, month=month, reason="演示数据：月末统计")
    if progress is not None:
        progress(_("月末统计快照 %(months)d 个月（2012年全年、2013年1月、本年各月）") % {"months": len(months)})
    return len(months)
