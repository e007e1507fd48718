"""The monthly job and the yearly batch: many households opened and confirmed "no change" in bulk."""

from __future__ import annotations

import datetime

import pytest

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.choices import ReviewOutcome, ReviewStatus
from jiuzhu.cases.models import AmountChange, Entitlement, Review
from jiuzhu.cases.services.dynamic import review_propose
from jiuzhu.cases.services.dynamic_batch import reviews_confirm_no_change_batch, reviews_due_open
from jiuzhu.common.exceptions import PermissionDeniedError, ValidationFailed
from jiuzhu.programs.selectors import dibao_policy_get
from jiuzhu.registry.services.finances import IncomeData, income_item_add
from jiuzhu.testing.beneficiaries import bulk_beneficiaries
from jiuzhu.testing.builders import COUNTY, OTHER_TOWNSHIP_VILLAGE, VILLAGE_A, VILLAGE_B

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 6, 1)  # the frozen clock
COUNT = 120


@pytest.fixture
def town(clock, world, policy):
    dibao = dibao_policy_get(region_code=COUNTY, program_code="dibao_rural", on=TODAY)
    township = world.users["township"]
    a = bulk_beneficiaries(
        actor=township, region=world.regions[VILLAGE_A], policy=dibao, count=COUNT, decided_on=D(2025, 6, 1)
    )
    b = bulk_beneficiaries(
        actor=township, region=world.regions[VILLAGE_B], policy=dibao, count=5, decided_on=D(2025, 9, 1)
    )
    other = bulk_beneficiaries(
        actor=world.users["admin"],
        region=world.regions[OTHER_TOWNSHIP_VILLAGE],
        policy=dibao,
        count=3,
        decided_on=D(2025, 6, 1),
    )
    return a, b, other


def test_the_monthly_job_opens_every_due_review_once_in_a_few_queries(town, django_assert_max_num_queries):
    a, _b, other = town
    with django_assert_max_num_queries(12):
        opened = reviews_due_open(today=TODAY)  # due 1 June 2026; village B's on 1 September: not yet
    assert len(opened) == COUNT + 3
    assert set(Review.objects.filter(pk__in=opened).values_list("entitlement_id", flat=True)) == set(
        a.entitlement_ids + other.entitlement_ids
    )
    assert AuditEvent.objects.filter(event_type=AuditEventType.REVIEW_OPENED).count() == COUNT + 3
    assert reviews_due_open(today=TODAY) == []
    assert len(reviews_due_open(today=D(2026, 8, 15))) == 5  # village B within 30 days now


def test_batch_confirms_unchanged_households_and_leaves_the_others(town, world, django_assert_max_num_queries):
    a, _b, other = town
    changed = a.household_ids[7]
    head = Entitlement.objects.get(household_id=changed).application.applicant
    income_item_add(
        actor=world.users["township"],
        household_id=changed,
        data=IncomeData(kind="pension", monthly_amount_fen=3000, person_id=head.pk),
    )
    opened = reviews_due_open(today=TODAY)
    outside = Review.objects.get(entitlement_id=other.entitlement_ids[0]).pk

    with django_assert_max_num_queries(40):  # constant, whatever the number of households
        result = reviews_confirm_no_change_batch(actor=world.users["township"], review_ids=opened)

    assert len(result.confirmed) == COUNT - 1
    changed_review = Review.objects.get(entitlement__household_id=changed)
    assert set(result.skipped) == {changed_review.pk, *(Review.objects.filter(
        entitlement_id__in=other.entitlement_ids).values_list("pk", flat=True))}  # fmt: skip
    assert "减发" in result.skipped[changed_review.pk] and "42.00" in result.skipped[changed_review.pk]
    assert "辖区" in result.skipped[outside]
    assert changed_review.status == ReviewStatus.OPEN and changed_review.version == 1

    confirmed = Review.objects.get(pk=result.confirmed[0])
    assert confirmed.status == ReviewStatus.DECIDED and confirmed.outcome == ReviewOutcome.NO_CHANGE
    assert confirmed.amount_fen == confirmed.amount_before_fen == 7200
    assert [line["code"] for line in confirmed.lines] == ["gap"] and confirmed.review_class == "stable"
    assert confirmed.decided_by == world.users["township"] and confirmed.version == 2
    assert confirmed.policy_snapshot["standard_fen"] == 7200
    unchanged = Entitlement.objects.filter(reviews__pk__in=result.confirmed)
    assert set(unchanged.values_list("next_review_on", "last_reviewed_on", "version")) == {(D(2027, 6, 1), TODAY, 2)}
    assert Entitlement.objects.get(household_id=changed).next_review_on == D(2026, 6, 1)
    assert AmountChange.objects.filter(review__isnull=False).count() == 0  # no change, no entry
    events = AuditEvent.objects.filter(event_type=AuditEventType.REVIEW_DECIDED)
    assert events.count() == COUNT - 1
    assert set(events.values_list("subject_id", flat=True)) == set(result.confirmed)
    assert events.first().after["outcome"] == "no_change"

    again = reviews_confirm_no_change_batch(actor=world.users["township"], review_ids=result.confirmed[:3])
    assert again.confirmed == [] and all("已办结" in text for text in again.skipped.values())


def test_batch_needs_the_township_or_county_and_checks_versions(town, world):
    opened = reviews_due_open(today=TODAY)
    with pytest.raises(PermissionDeniedError):
        reviews_confirm_no_change_batch(actor=world.users["coordinator_a"], review_ids=opened)
    with pytest.raises(ValidationFailed):
        reviews_confirm_no_change_batch(
            actor=world.users["township"], review_ids=opened, decided_on=TODAY + datetime.timedelta(days=1)
        )
    first = Review.objects.get(pk=opened[0])
    review_propose(
        actor=world.users["township"], review_id=first.pk, expected_version=first.version, findings="已入户核查"
    )
    result = reviews_confirm_no_change_batch(
        actor=world.users["township"], review_ids=opened[:2], expected_versions={opened[0]: 1, opened[1]: 1}
    )
    assert result.confirmed == [opened[1]] and "修改" in result.skipped[opened[0]]
    result = reviews_confirm_no_change_batch(
        actor=world.users["county_approver"], review_ids=[opened[0]], expected_versions={opened[0]: 2}
    )
    assert result.confirmed == [opened[0]]  # a proposal of "no change" may be confirmed too
    assert Review.objects.get(pk=opened[0]).findings == "已入户核查"
