from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiuzhu.regions.models import Region, RegionLevel
from jiuzhu.regions.rules import is_urban_code, parent_code_of, region_row
from jiuzhu.regions.scoping import subtree_q
from jiuzhu.regions.services import regions_import_bundled_province

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("code", "level", "parent", "urban"),
    [
        ("51", RegionLevel.PROVINCE, None, False),
        ("5117", RegionLevel.CITY, "51", False),
        ("511723", RegionLevel.COUNTY, "5117", False),
        ("511723105", RegionLevel.TOWNSHIP, "511723", False),
        ("511723001", RegionLevel.TOWNSHIP, "511723", True),
        ("511723105001", RegionLevel.VILLAGE, "511723105", True),
        ("511723105201", RegionLevel.VILLAGE, "511723105", False),
    ],
)
def test_code_structure(code, level, parent, urban):
    row = region_row(code, "名称")
    assert (row.level, row.parent_code, row.is_urban) == (level, parent, urban)
    assert parent_code_of(code) == parent
    assert is_urban_code(code) == urban


@pytest.mark.parametrize("bad", ["5", "511", "51172310", "5117231050011", "51a723", ""])
def test_malformed_codes_are_refused(bad):
    with pytest.raises(ValueError):
        region_row(bad, "名称")


@pytest.mark.django_db
def test_bundled_province_builds_the_demo_tree():
    result = regions_import_bundled_province()
    assert result.created == Region.objects.count() > 3000
    town = Region.objects.get(code="511723105")
    assert (town.name, town.parent.name, town.parent.parent.name, town.parent.parent.parent.name) == (
        "讲治镇",
        "开江县",
        "达州市",
        "四川省",
    )
    again = regions_import_bundled_province()
    assert again.created == 0 and again.updated == 0


@pytest.mark.django_db
def test_national_import_command_loads_the_four_file_layout(capsys):
    call_command("import_regions", str(REPO / "data" / "regions"))
    assert Region.objects.filter(level=RegionLevel.PROVINCE).count() == 31
    assert Region.objects.filter(level=RegionLevel.TOWNSHIP).count() == 41352
    assert Region.objects.get(code="110101001").parent.code == "110101"
    assert "新增" in capsys.readouterr().out


@pytest.mark.django_db
def test_import_refuses_a_bad_file_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name\n51,四川省\n51ab,坏代码\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 3 行"):
        call_command("import_regions", str(bad))
    orphan = tmp_path / "orphan.csv"
    orphan.write_text("code,name\n511723105201,孤村\n", encoding="utf-8")
    with pytest.raises(CommandError, match="上级"):
        call_command("import_regions", str(orphan))
    missing = tmp_path / "cols.csv"
    missing.write_text("代码,名称\n51,四川省\n", encoding="utf-8")
    with pytest.raises(CommandError, match="缺少"):
        call_command("import_regions", str(missing))
    assert not Region.objects.exists()


@pytest.mark.django_db
def test_subtree_is_one_query_on_the_code_index(regions):
    with CaptureQueriesContext(connection) as queries:
        codes = sorted(Region.objects.filter(subtree_q("511723105")).values_list("code", flat=True))
    assert codes == ["511723105", "511723105001", "511723105201", "511723105202"]
    assert len(queries) == 1
    assert sorted(Region.objects.filter(subtree_q("")).values_list("code", flat=True)) == sorted(
        r.code for r in regions.values()
    )
    with connection.cursor() as cursor:
        sql, params = Region.objects.filter(subtree_q("5117")).values("id").query.sql_with_params()
        plan_sql = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(plan_sql + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    if connection.vendor == "sqlite":
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan
