"""Bulk registries for benchmarks: the same generator, spread over synthetic villages."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import ValidationFailed
from jiuzhu.demo.models import Dataset, DemoHousehold
from jiuzhu.demo.selectors import demo_registry_digest
from jiuzhu.demo.services import demo_bulk_generate
from jiuzhu.regions.models import Region
from jiuzhu.regions.scoping import subtree_q
from jiuzhu.registry.models import Household, MembershipPeriod, Person

pytestmark = pytest.mark.django_db
COUNTY = "511723"


def _digest_of_fresh_run(households: int, seed: int, batch_size: int = 100) -> str:
    """Generate into the (empty) test database, take the digest, roll everything back."""
    with transaction.atomic():
        demo_bulk_generate(households=households, region_code=COUNTY, seed=seed, batch_size=batch_size)
        digest = demo_registry_digest(region_code=COUNTY)
        transaction.set_rollback(True)
    return digest


def test_two_runs_on_empty_databases_build_identical_data():
    first = _digest_of_fresh_run(250, seed=5)
    assert Household.objects.count() == 0
    assert _digest_of_fresh_run(250, seed=5, batch_size=70) == first  # batch size does not matter
    assert _digest_of_fresh_run(250, seed=6) != first  # the seed does


def test_households_spread_over_synthetic_villages_of_real_townships():
    progress = []
    result = demo_bulk_generate(
        households=1000, region_code=COUNTY, seed=1, batch_size=400, progress=lambda h, p: progress.append(h)
    )
    assert progress == [400, 800, 1000]
    households = Household.objects.all()
    assert result.households == households.count() == 1000
    assert result.persons == Person.objects.count() == MembershipPeriod.objects.count()
    codes = set(households.values_list("region__code", flat=True))
    assert all(len(code) == 12 and code.startswith(COUNTY) for code in codes)
    assert not any(code.startswith("511723105") for code in codes)  # 讲治镇 is kept for the demo town
    townships = {code[:9] for code in codes}
    assert len(townships) == Region.objects.filter(subtree_q(COUNTY), level=4).count() - 1
    assert Region.objects.filter(code__in=codes, level=5, parent__level=4).count() == len(codes)
    assert not households.filter(head__isnull=True).exists()
    assert AuditEvent.objects.filter(event_type=AuditEventType.HOUSEHOLD_GENERATED).count() == 1000
    cohorts = set(DemoHousehold.objects.filter(dataset=Dataset.BULK).values_list("cohort", flat=True))
    assert {"dibao_rural", "dibao_urban", "tekun", "ordinary"} <= cohorts


def test_numbers_already_in_the_registry_are_skipped():
    demo_bulk_generate(households=120, region_code=COUNTY, seed=3)
    first = Person.objects.count()
    # The same seed draws the same people again, so every first choice of ID number is taken.
    demo_bulk_generate(households=120, region_code=COUNTY, seed=3)
    assert Person.objects.count() == 2 * first
    digests = list(Person.objects.values_list("id_number_digest", flat=True))
    assert len(set(digests)) == len(digests)


def test_refuses_the_demo_town_and_unknown_regions():
    with pytest.raises(ValidationFailed):
        demo_bulk_generate(households=10, region_code="511723105")
    with pytest.raises(ValidationFailed):
        demo_bulk_generate(households=10, region_code="999999")
    with pytest.raises(ValidationFailed):
        demo_bulk_generate(households=0, region_code=COUNTY)
    assert Household.objects.count() == 0


def test_command_builds_a_bulk_registry_and_refuses_the_demo_town():
    out = StringIO()
    call_command("demo", households=40, region_code=COUNTY, stdout=out)
    assert Household.objects.count() == 40
    assert "批量生成完成：40 户" in out.getvalue() and out.getvalue().count("jiuzhu@2026") == 9
    with pytest.raises(CommandError, match="讲治镇保留给演示镇"):
        call_command("demo", households=10, region_code="511723105", stdout=StringIO())
    assert Household.objects.count() == 40
