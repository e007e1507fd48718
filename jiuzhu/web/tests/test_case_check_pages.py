"""The verification step's checks from the case page: offered to those who record verification
results (the county's centre, the township) while a request is pending, and run from there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiuzhu.cases.tests.conftest import clock, flow, policy  # noqa: F401 (fixtures)
from jiuzhu.verification.models import ApplicationCheck

pytestmark = pytest.mark.django_db


def test_the_case_page_offers_and_runs_the_checks(flow, client_as):  # noqa: F811 - the fixture
    flow.submit()
    flow.accept()
    officer = client_as("county_officer")
    assert b'id="case-check"' not in officer.get(reverse("web:case-detail", args=[flow.app.pk])).content
    flow.request_verification()
    assert b'id="case-check"' in officer.get(reverse("web:case-detail", args=[flow.app.pk])).content
    coordinator = client_as("coordinator_a")
    assert b'id="case-check"' not in coordinator.get(reverse("web:case-detail", args=[flow.app.pk])).content
    assert coordinator.post(reverse("web:case-check", args=[flow.app.pk])).status_code == 403
    done = officer.post(reverse("web:case-check", args=[flow.app.pk]), follow=True)
    assert "信息核对完成：未发现问题" in done.content.decode()
    check = ApplicationCheck.objects.get()
    assert reverse("web:document-download", args=[check.report_id]) in done.content.decode()
