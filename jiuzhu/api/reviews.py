"""Dynamic management (动态管理) over the API: reviews of benefits in force, their steps, the batches.

- `/reviews/`: list (scoped, filtered), detail (the recomputed assessment with its lines, the
  proposal, the decision, the amount changes it made and the steps the caller may take), create
  (= open a review on demand, `review_open`).
- `/reviews/{id}/steps/{propose|decide|reject}/`: one operation per step, always with
  `expected_version`; it answers with the review as it now stands.
- `/reviews/open-due/`: open the periodic reviews falling due in the caller's jurisdiction (the
  monthly job's work, on demand: `reviews_due_open`); `/reviews/confirm-no-change/`: the yearly
  batch of unchanged households (`reviews_confirm_no_change_batch`), with the reason for each review
  it leaves for individual handling.
Events on a benefit are operations of the case (`/cases/{id}/transfer-out/`, `/cases/{id}/income-change/`,
jiuzhu.api.cases) and of the person (`/persons/{id}/death/`, jiuzhu.api.persons).

Checks come in the same order as for application steps: the review is visible (404), the caller's
role may take this step at all (403), the input's shape (400); then the service checks the version
(409 `conflict`), the order (409 `review_step_not_allowed`), and the data (400 field errors, 409
rule codes such as `proposer_may_not_decide`). Policy: DOMAIN §4.7, ADR-007.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jiuzhu.accounts.jurisdiction import has_capability, region_code_in_jurisdiction
from jiuzhu.api.cases import CasesViewSet
from jiuzhu.api.review_serializers import (
    ReviewDecideInput,
    ReviewDetailOutput,
    ReviewFilterInput,
    ReviewListOutput,
    ReviewOpenInput,
    ReviewProposeInput,
    ReviewRejectInput,
    ReviewsConfirmNoChangeInput,
    ReviewsConfirmNoChangeOutput,
    ReviewsOpenDueInput,
    ReviewsOpenDueOutput,
)
from jiuzhu.cases.access import REVIEW_REGION_CODE, access_review_for_view, reviews_visible_to
from jiuzhu.cases.choices import EntitlementStatus, ReviewStep
from jiuzhu.cases.models import Review
from jiuzhu.cases.review_rules import (
    COUNTY_OUTCOMES,
    NO_CHANGE_CAPABILITIES,
    OPEN_CAPABILITIES,
    PROPOSE_CAPABILITIES,
    any_decide_capabilities,
    decide_capabilities,
    review_step_allowed,
)
from jiuzhu.cases.review_selectors import reviews_overdue
from jiuzhu.cases.services.dynamic import require_any, review_decide, review_open, review_propose, review_reject
from jiuzhu.cases.services.dynamic_batch import reviews_confirm_no_change_batch, reviews_due_open
from jiuzhu.common.exceptions import ValidationFailed
from jiuzhu.regions.scoping import subtree_q

TAGS = ["reviews"]
STEP_TAGS = ["review steps"]


def _may_any(actor: Any, capabilities: Iterable[Any]) -> bool:
    return any(has_capability(actor, c) for c in capabilities)


def _step_needs_any_of(review: Review, step: str) -> frozenset[Any]:
    """Whoever may take the step for some proposal (403 before the input is read, as the services do)."""
    if step == ReviewStep.PROPOSE:
        return PROPOSE_CAPABILITIES
    return any_decide_capabilities(review.entitlement.application.workflow_mode)


def review_steps_open_to(actor: Any, review: Review) -> list[str]:
    """Steps the review's status allows that the actor may take: the proposal by whoever may propose;
    the decision (or refusal) by whoever may decide this outcome in the case's workflow mode, and a
    change of amount never by the one who proposed it (four eyes). None once the benefit is no longer
    in force."""
    entitlement = review.entitlement
    if entitlement.status != EntitlementStatus.ACTIVE:
        return []
    mode = entitlement.application.workflow_mode
    steps = []
    for step in (ReviewStep.PROPOSE, ReviewStep.DECIDE, ReviewStep.REJECT):
        if not review_step_allowed(review.status, step):
            continue
        needs = PROPOSE_CAPABILITIES if step == ReviewStep.PROPOSE else decide_capabilities(review.outcome, mode)
        if not _may_any(actor, needs):
            continue
        own_proposal = review.proposed_by_id is not None and review.proposed_by_id == actor.pk
        if step == ReviewStep.DECIDE and review.outcome in COUNTY_OUTCOMES and own_proposal:
            continue
        steps.append(step.value)
    return steps


def review_search(actor: Any, filters: dict[str, Any], today: datetime.date) -> QuerySet[Review]:
    """Visible reviews narrowed by the list filters; earliest due first when asking by due date."""
    overdue = filters.get("overdue")
    reviews = reviews_visible_to(actor)
    if overdue is True:
        reviews = reviews_overdue(actor=actor, today=today)
    elif overdue is False:
        reviews = reviews.exclude(pk__in=reviews_overdue(actor=actor, today=today).values("pk"))
    if filters.get("region"):
        reviews = reviews.filter(subtree_q(filters["region"], REVIEW_REGION_CODE))
    for field in ("status", "trigger", "outcome", "entitlement_id"):
        if filters.get(field) is not None:
            reviews = reviews.filter(**{field: filters[field]})
    if filters.get("household_id") is not None:
        reviews = reviews.filter(entitlement__household_id=filters["household_id"])
    if filters.get("due_before") is not None:
        reviews = reviews.filter(due_on__lte=filters["due_before"])
    by_due = overdue or filters.get("due_before") is not None
    ordering = ("due_on", "id") if by_due else ("-opened_on", "-id")
    return reviews.select_related(
        "entitlement", "entitlement__household", "entitlement__region", "entitlement__program"
    ).order_by(*ordering)


def _step_schema(summary: str, request: Any, description: str) -> Callable[[Any], Any]:
    return extend_schema(
        summary=summary, description=description, request=request, responses={200: ReviewDetailOutput},
        tags=STEP_TAGS,
    )  # fmt: skip


def _step_action(step: ReviewStep) -> Callable[[Any], Any]:
    return action(detail=True, methods=["post"], url_path=f"steps/{step.value}", url_name=f"step-{step.value}")


class ReviewViewSet(CasesViewSet):
    def get_queryset(self) -> QuerySet[Review]:
        return reviews_visible_to(self.request.user)

    def detail_response(self, review_id: int, status_code: int = status.HTTP_200_OK) -> Response:
        actor = self.request.user
        review = access_review_for_view(actor, review_id)
        context = {"today": timezone.localdate(), "allowed_steps": review_steps_open_to(actor, review)}
        return Response(ReviewDetailOutput(review, context=context).data, status=status_code)

    def take_step(
        self, request: Request, pk: int, step: ReviewStep, input_class: Any, service: Callable[..., Any]
    ) -> Response:
        review = access_review_for_view(request.user, pk)
        require_any(request.user, _step_needs_any_of(review, step))
        data = self.validated(input_class, request.data)
        service(actor=request.user, review_id=review.pk, **data)
        return self.detail_response(review.pk)

    @extend_schema(
        summary="低保复核列表", parameters=[ReviewFilterInput], responses=ReviewListOutput(many=True), tags=TAGS,
    )  # fmt: skip
    def list(self, request: Request) -> Response:
        filters = self.validated(ReviewFilterInput, request.query_params)
        today = timezone.localdate()
        page = self.paginate_queryset(review_search(request.user, filters, today))
        assert page is not None  # pagination is always on (settings.REST_FRAMEWORK)
        return self.get_paginated_response(ReviewListOutput(page, many=True, context={"today": today}).data)

    @extend_schema(
        summary="发起复核", request=ReviewOpenInput, responses={201: ReviewDetailOutput}, tags=TAGS,
        description="村（社区）协理员或乡镇对在保家庭发起复核（定期复核、收入变化、其他情况变化）。"
        "同一低保待遇同时只能有一个进行中的复核（409，code=review_already_open，review_id 为该复核）。",
    )  # fmt: skip
    def create(self, request: Request) -> Response:
        require_any(request.user, OPEN_CAPABILITIES)
        data = self.validated(ReviewOpenInput, request.data)
        review = review_open(actor=request.user, **data)
        return self.detail_response(review.pk, status.HTTP_201_CREATED)

    @extend_schema(summary="低保复核详情", responses=ReviewDetailOutput, tags=TAGS)
    def retrieve(self, request: Request, pk: int) -> Response:
        return self.detail_response(pk)

    # --- one operation per step ---

    @_step_schema(
        "提出复核意见", ReviewProposeInput,
        "按当日家庭信息和现行政策重新核算，结论随结果而定（维持、增发、减发、停发、渐退）；只有渐退可以改为停发。"
        "减发、停发、渐退须写明理由。审批前可以重新提出。",
    )  # fmt: skip
    @_step_action(ReviewStep.PROPOSE)
    def propose(self, request: Request, pk: int) -> Response:
        return self.take_step(request, pk, ReviewStep.PROPOSE, ReviewProposeInput, review_propose)

    @_step_schema(
        "复核审批", ReviewDecideInput,
        "维持不变由乡镇办结；增发、减发、停发、渐退由县级审批（委托乡镇审核确认的由乡镇），提出意见的人不能审批"
        "（409，code=proposer_may_not_decide）。变动自生效月份起记入待遇变动记录（/api/v1/cases/{id}/）。",
    )  # fmt: skip
    @_step_action(ReviewStep.DECIDE)
    def decide(self, request: Request, pk: int) -> Response:
        return self.take_step(request, pk, ReviewStep.DECIDE, ReviewDecideInput, review_decide)

    @_step_schema("不同意复核意见", ReviewRejectInput, "复核关闭，待遇不变，下次复核日期不变。须写明理由。")
    @_step_action(ReviewStep.REJECT)
    def reject(self, request: Request, pk: int) -> Response:
        return self.take_step(request, pk, ReviewStep.REJECT, ReviewRejectInput, review_reject)

    # --- batches ---

    @extend_schema(
        summary="发起到期的定期复核", request=ReviewsOpenDueInput, responses=ReviewsOpenDueOutput, tags=TAGS,
        description="本人辖区内下次复核日期在提前天数内（或已过）且没有进行中复核的在保家庭，各发起一个定期复核。"
        "重复调用不会重复发起。",
    )  # fmt: skip
    @action(detail=False, methods=["post"], url_path="open-due", url_name="open-due")
    def open_due(self, request: Request) -> Response:
        require_any(request.user, OPEN_CAPABILITIES)
        data = self.validated(ReviewsOpenDueInput, request.data)
        if data["region_code"] and not region_code_in_jurisdiction(request.user, data["region_code"]):
            raise ValidationFailed(field_errors={"region": [gettext("没有这个区划，或它不在您的辖区内。")]})
        opened = reviews_due_open(actor=request.user, **data)
        return Response(ReviewsOpenDueOutput({"opened": opened}).data)

    @extend_schema(
        summary="批量维持不变（年度复核）", request=ReviewsConfirmNoChangeInput,
        responses=ReviewsConfirmNoChangeOutput, tags=TAGS,
        description="乡镇（或县级）对情况无变化的家庭批量办结复核：逐户按审批日的家庭信息和现行政策重新核算，"
        "金额不变的才维持；其余（金额有变化、状态不符、版本不符、不在辖区内的）跳过并说明原因，须单独办理。",
    )  # fmt: skip
    @action(detail=False, methods=["post"], url_path="confirm-no-change", url_name="confirm-no-change")
    def confirm_no_change(self, request: Request) -> Response:
        require_any(request.user, NO_CHANGE_CAPABILITIES)
        data = self.validated(ReviewsConfirmNoChangeInput, request.data)
        result = reviews_confirm_no_change_batch(actor=request.user, **data)
        skipped = {str(pk): reason for pk, reason in result.skipped.items()}
        return Response(ReviewsConfirmNoChangeOutput({"confirmed": result.confirmed, "skipped": skipped}).data)
