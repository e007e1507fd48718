"""An area by its code, for the statistics (a code that is no region answers like one out of reach)."""

from __future__ import annotations

from jiuzhu.common.exceptions import NotFoundOrNoAccess
from jiuzhu.regions.models import Region


def region_of(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFoundOrNoAccess()
    return region
