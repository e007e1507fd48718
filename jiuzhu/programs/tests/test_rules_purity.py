"""The rules stay pure (no Django), and their code lists match the registry's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from jiuzhu.programs.rules import codes
from jiuzhu.registry.choices import AssetKind, IncomeKind, Relation

RULES_DIR = Path(codes.__file__).resolve().parent


def test_rules_import_nothing_from_django_or_the_database():
    modules = sorted(f"jiuzhu.programs.rules.{p.stem}" for p in RULES_DIR.glob("*.py") if p.stem != "__init__")
    script = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith(('django.', 'jiuzhu.registry')))\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
    assert len(modules) >= 8


def test_rules_read_no_clock():
    for path in RULES_DIR.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for forbidden in ("date.today(", "datetime.now(", "timezone.now(", "float("):
            assert forbidden not in source, f"{path.name}: {forbidden}"


def test_income_and_asset_kinds_are_the_registry_ones():
    assert set(codes.INCOME_KINDS) == set(IncomeKind.values)
    assert {str(IncomeKind(kind).label) for kind in codes.INCOME_KINDS} == set(codes.INCOME_KINDS.values())
    assert codes.ASSET_KINDS == set(AssetKind.values)
    assert codes.SUPPORT_DUTY_RELATIONS < set(Relation.values)
    assert codes.NATIONAL_EXCLUDED_INCOME_KINDS < set(IncomeKind.values)
