"""The cases' monthly jobs run as background jobs on the queue, with the submitter's jurisdiction."""

from __future__ import annotations

import datetime

import pytest

from jiuzhu.cases.jobs import GRADUAL_EXITS_FINISH, REVIEWS_OPEN_DUE
from jiuzhu.cases.models import Review
from jiuzhu.jobs.choices import JobStatus
from jiuzhu.jobs.services import job_submit
from jiuzhu.programs.selectors import dibao_policy_get
from jiuzhu.testing.beneficiaries import bulk_beneficiaries
from jiuzhu.testing.builders import COUNTY, OTHER_TOWNSHIP_VILLAGE, TOWNSHIP, VILLAGE_A
from jiuzhu.testing.jobs import work_the_queue

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)  # the frozen clock


def test_the_township_opens_its_due_reviews_as_a_background_job(clock, world, policy):
    dibao = dibao_policy_get(region_code=COUNTY, program_code="dibao_rural", on=TODAY)
    township = world.users["township"]
    mine = bulk_beneficiaries(
        actor=township, region=world.regions[VILLAGE_A], policy=dibao, count=7, decided_on=datetime.date(2025, 6, 1)
    )
    bulk_beneficiaries(
        actor=world.users["admin"],
        region=world.regions[OTHER_TOWNSHIP_VILLAGE],
        policy=dibao,
        count=3,
        decided_on=datetime.date(2025, 6, 1),
    )
    job = job_submit(actor=township, kind=REVIEWS_OPEN_DUE, title="开启到期复核", region_code=TOWNSHIP)
    exits = job_submit(actor=township, kind=GRADUAL_EXITS_FINISH, title="渐退期满停保", region_code=TOWNSHIP)
    work_the_queue()
    job.refresh_from_db()
    exits.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result == {"opened": 7}
    assert job.progress_done == job.progress_total == 7
    assert set(Review.objects.values_list("entitlement_id", flat=True)) == set(mine.entitlement_ids)  # not next door
    assert exits.status == JobStatus.SUCCEEDED and exits.result == {"stopped": 0}
    assert job.log.get().message == "已发起定期复核 7 户。"
