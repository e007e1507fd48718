"""The case-document pages: PDFs of the application's letters and forms, a 404 before the step."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.services.intake import application_submit
from jiuzhu.cases.tests.conftest import ALL_MATERIALS, make_policy
from jiuzhu.web.tests.case_fixtures import refused_case_a  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

PAGES = {
    "web:case-acceptance-pdf": "受理通知书",
    "web:case-home-visit-pdf": "入户调查表",
    "web:case-opinion-pdf": "乡镇初审意见",
    "web:case-notice-pdf": "拟保对象公示名单",
    "web:case-decision-pdf": "不予批准通知书",
}


def text_of(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


@pytest.mark.parametrize(("name", "title"), PAGES.items())
def test_each_document_of_a_refused_case(name, title, client_as, refused_case_a):  # noqa: F811
    response = client_as("coordinator_a").get(reverse(name, args=[refused_case_a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert title in text_of(response)


def test_printing_a_case_document_is_logged(client_as, users, refused_case_a):  # noqa: F811
    printed = AuditEvent.objects.filter(event_type=AuditEventType.APPLICATION_DOCUMENT_PRINTED)
    assert not printed.exists()
    assert client_as("coordinator_b").get(reverse("web:case-decision-pdf", args=[refused_case_a.pk])).status_code == 404
    assert not printed.exists()
    client_as("supervisor").get(reverse("web:case-decision-pdf", args=[refused_case_a.pk]))
    event = printed.get()
    assert event.actor == users["supervisor"] and event.subject_id == refused_case_a.pk
    assert event.after == {"document": "审批决定"} and event.region_code == refused_case_a.region.code


def test_the_refusal_states_reasons_and_remedies(client_as, refused_case_a):  # noqa: F811
    text = text_of(client_as("supervisor").get(reverse("web:case-decision-pdf", args=[refused_case_a.pk])))
    assert "人均收入高于当地低保标准" in text and "60日" in text and "6个月" in text


def test_the_notice_list_has_no_amount_for_a_household_that_does_not_qualify(client_as, refused_case_a):  # noqa: F811
    text = text_of(client_as("coordinator_a").get(reverse("web:case-notice-pdf", args=[refused_case_a.pk])))
    assert "待核定" in text and "1234.56" not in text


def test_documents_of_steps_not_reached_are_404(client_as, world, users):
    make_policy(users)
    head = world.household_a.members.get(relation="head")
    application = application_submit(
        actor=users["coordinator_a"],
        household_id=world.household_a.pk,
        applicant_id=head.pk,
        materials_provided=ALL_MATERIALS,
        authorisation_signed_on=head.created_at.date(),
        authorisation_signers=["张三", "李梅"],
        promise_signed_on=head.created_at.date(),
    )
    client = client_as("coordinator_a")
    for name in PAGES:
        assert client.get(reverse(name, args=[application.pk])).status_code == 404, name
