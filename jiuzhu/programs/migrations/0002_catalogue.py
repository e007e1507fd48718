"""Seed the programme catalogue (data migration; re-runnable)."""

from __future__ import annotations

from django.db import migrations

CATALOGUE = [
    ("dibao_urban", "城市最低生活保障", True),
    ("dibao_rural", "农村最低生活保障", True),
    ("tekun", "特困人员救助供养", True),
    ("medical", "医疗救助", False),
    ("temporary", "临时救助", False),
    ("relief", "受灾人员救助", False),
    ("longevity_allowance", "高龄津贴", True),
    ("disability_subsidy", "残疾人两项补贴", True),
    ("veteran", "优抚", True),
    ("housing_repair", "农村危房改造", False),
    ("festival_visit", "节日慰问", False),
]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    program = apps.get_model("programs", "Program")
    for code, name, recurring in CATALOGUE:
        program.objects.update_or_create(code=code, defaults={"name": name, "is_recurring": recurring})


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
