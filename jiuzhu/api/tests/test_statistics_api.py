"""`GET /api/v1/work-summary/`: the summary's sections, figures and notes as JSON, scoped like the pages."""

from __future__ import annotations

import datetime

import pytest

from jiuzhu.reports.services.snapshots import snapshot_build
from jiuzhu.reports.tests.fixtures import build_county
from jiuzhu.reports.tests.test_snapshots import TODAY
from jiuzhu.testing.builders import COUNTY, VILLAGE_A

pytestmark = pytest.mark.django_db


def test_the_summary_as_json_with_its_notes(api, regions, users):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    for month in (datetime.date(2025, 12, 1), datetime.date(2026, 1, 1)):
        snapshot_build(actor=county.actor, region_code=COUNTY, month=month, today=TODAY)
    answer = api("county_officer").get("/api/v1/work-summary/", {"region": COUNTY, "year": 2025})
    assert answer.status_code == 200
    body = answer.json()
    assert body["title"] == "开江县2025年社会救助工作总结（统计数字部分）" and body["year"] == 2025
    dibao = body["sections"][0]
    assert dibao["built"] is True and dibao["title"] == "一、城乡最低生活保障"
    first = dibao["paragraphs"][0]
    assert first[1] == {"text": "城市低保对象1户1人，月发放低保金400元", "note": 1}
    assert body["notes"][0]["number"] == 1 and "月末快照" in body["notes"][0]["text"]
    assert [s["built"] for s in body["sections"][1:]] == [False] * (len(body["sections"]) - 1)

    outside = api("coordinator_a").get("/api/v1/work-summary/", {"region": COUNTY, "year": 2025})
    assert outside.status_code == 400 and set(outside.json()["fields"]) == {"region"}
    assert api("coordinator_a").get("/api/v1/work-summary/", {"region": VILLAGE_A, "year": 2025}).status_code == 200
    bad = api("county_officer").get("/api/v1/work-summary/", {"region": "12x", "year": "去年"})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"region", "year"}
