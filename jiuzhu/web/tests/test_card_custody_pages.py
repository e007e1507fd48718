"""Bank cards kept by staff (银行卡代管): only with the family's signed agreement on file; shown on the
household file; handed back; and staff keeping many cards are flagged on the payments overview."""

import pytest
from django.urls import reverse

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import ConflictError, ValidationFailed
from jiuzhu.payments.custody_selectors import keepers_of_many_cards
from jiuzhu.payments.models import CardCustody
from jiuzhu.payments.services.custody import card_custody_record
from jiuzhu.registry.services.documents import document_upload
from jiuzhu.web.tests.conftest import png_upload

pytestmark = pytest.mark.django_db


def _agreement(world, kind="custody_agreement"):
    return document_upload(
        actor=world.users["coordinator_a"], household_id=world.household_a.pk, upload=png_upload("协议.png"), kind=kind
    )


def test_custody_needs_the_agreement_and_shows_on_the_household_file(client_as, world):
    coordinator = client_as("coordinator_a")
    url = reverse("web:card-custody", args=[world.household_a.pk])
    page = coordinator.get(url)
    assert not page.context["has_agreement"] and "还没有上传代管协议" in page.content.decode()
    with pytest.raises(ValidationFailed):  # a document that is not the agreement will not do
        card_custody_record(
            actor=world.users["coordinator_a"], household_id=world.household_a.pk,
            held_by_id=world.users["coordinator_a"].pk, held_since=world.household_a.created_at.date(),
            agreement_id=_agreement(world, kind="photo").pk,
        )  # fmt: skip
    agreement = _agreement(world)
    done = coordinator.post(
        url,
        {"held_by": str(world.users["township"].pk), "held_since": "2026-03-01", "agreement": str(agreement.pk)},
        follow=True,
    )
    html = done.content.decode()
    assert "已登记银行卡代管" in html and "银行卡由 township 代管（自 2026-03-01）" in html
    assert AuditEvent.objects.filter(event_type=AuditEventType.CARD_CUSTODY_RECORDED).count() == 1
    with pytest.raises(ConflictError):  # one keeper at a time
        card_custody_record(
            actor=world.users["coordinator_a"], household_id=world.household_a.pk,
            held_by_id=world.users["coordinator_a"].pk, held_since=agreement.uploaded_at.date(),
            agreement_id=agreement.pk,
        )  # fmt: skip
    ended = coordinator.post(
        reverse("web:card-custody-end", args=[world.household_a.pk]), {"ended_on": "2026-06-30"}, follow=True
    )
    assert "已登记银行卡归还" in ended.content.decode()
    assert CardCustody.objects.get().ended_on.isoformat() == "2026-06-30"
    # Another village's coordinator can neither see nor record it.
    assert client_as("coordinator_b").get(url).status_code == 404


def test_a_keeper_of_many_cards_is_flagged(world):
    agreement = _agreement(world)
    card_custody_record(
        actor=world.users["coordinator_a"], household_id=world.household_a.pk,
        held_by_id=world.users["coordinator_a"].pk, held_since=agreement.uploaded_at.date(),
        agreement_id=agreement.pk,
    )  # fmt: skip
    [keeper] = keepers_of_many_cards(actor=world.users["finance"], threshold=1)
    assert (keeper.user_id, keeper.cards) == (world.users["coordinator_a"].pk, 1)
    assert keepers_of_many_cards(actor=world.users["finance"], threshold=2) == []
    assert keepers_of_many_cards(actor=world.users["coordinator_other"], threshold=1) == []
