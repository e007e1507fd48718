"""Payroll generation as a background job, run by django-tasks-db's real worker."""

import pytest

from jiuzhu.common.exceptions import ConflictError
from jiuzhu.jobs.choices import JobStatus
from jiuzhu.jobs.models import Job, JobChunk
from jiuzhu.payments.choices import PayrollStatus
from jiuzhu.payments.models import PayrollLine
from jiuzhu.payments.services.submission import payroll_generation_submit
from jiuzhu.payments.tests.conftest import FEB, STANDARD
from jiuzhu.testing.builders import COUNTY
from jiuzhu.testing.jobs import work_the_queue

pytestmark = pytest.mark.django_db


def test_generation_runs_in_parts_on_the_worker(users, cases, clock):
    payroll, job = payroll_generation_submit(
        actor=users["county_officer"], program_code="dibao_rural", region_code=COUNTY, month=FEB
    )
    with pytest.raises(ConflictError) as error:  # asked twice: the second is told the first is on its way
        payroll_generation_submit(
            actor=users["county_officer"], program_code="dibao_rural", region_code=COUNTY, month=FEB
        )
    assert error.value.code == "job_running"
    work_the_queue()
    job.refresh_from_db()
    payroll.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.chunks_total == 2 == JobChunk.objects.filter(job=job).count()  # the county's two townships
    assert (payroll.status, payroll.line_count, payroll.total_fen) == (PayrollStatus.DRAFT, 7, 7 * STANDARD)
    assert job.result == {"payroll_id": payroll.pk, "lines": 7, "households": 7, "total_fen": 7 * STANDARD}
    assert PayrollLine.objects.filter(payroll=payroll).count() == 7
    # Submitted again once finished: runs, and adds nothing.
    _payroll, second = payroll_generation_submit(
        actor=users["county_officer"], program_code="dibao_rural", region_code=COUNTY, month=FEB
    )
    work_the_queue()
    second.refresh_from_db()
    assert second.status == JobStatus.SUCCEEDED and PayrollLine.objects.count() == 7
    assert Job.objects.count() == 2
