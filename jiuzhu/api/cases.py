"""Dibao cases over the API: applications and their workflow steps, decisions, benefits in force.

- `/applications/`: list (scoped, filtered), detail (with the steps the caller may take), create
  (= register an application, 登记申请). `/applications/{id}/steps/` is the case's timeline; each
  workflow step is its own operation, `POST /applications/{id}/steps/{step}/`, with its own input
  and always `expected_version`. It answers with the application as it now stands.
  `POST /applications/batch/{notice_start|forward|publish}/` takes one of the township's list steps
  for many cases at once (批量办理): each case is checked as in its one-case step; those that fail a
  check (or are missing, or outside the jurisdiction) are skipped with the reason, the rest go ahead.
- `/decisions/`: approvals and refusals with their itemised amount, reasons and the policy used.
- `/cases/`: benefits in force (低保待遇) with their amount history; `?month=YYYY-MM` adds the amount
  in force for that month.

Everything is scoped by jurisdiction through `cases.access`: another area's case is a 404 like a
missing one. A step checks, in this order: the case is visible (404), the caller's role may take
this step at all (403), the input's shape (400); then the service checks the version (409
`conflict`), the order of the workflow (409 `transition_not_allowed` or a more precise code such as
`notice_running`), and the data (400 field errors, 409 rule codes) — see jiuzhu.api.errors.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiuzhu.accounts.jurisdiction import has_capability, require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.api.case_serializers import (
    AcceptInput,
    ApplicationBatchInput,
    ApplicationBatchOutput,
    ApplicationDetailOutput,
    ApplicationFilterInput,
    ApplicationListOutput,
    ApplicationSubmitInput,
    AppraisalInput,
    ApproveInput,
    CadreFilingInput,
    CompleteMaterialsInput,
    DecisionFilterInput,
    DecisionOutput,
    EntitlementFilterInput,
    EntitlementOutput,
    ForwardInput,
    HomeVisitInput,
    MonthInput,
    NoticeObjectionInput,
    NoticeStartInput,
    PublishInput,
    ReasonStepInput,
    RefuseInput,
    TimelineOutput,
    TownshipOpinionInput,
    VerificationRequestInput,
    VerificationResultInput,
)
from jiuzhu.api.common import RegistryViewSet, visible_object
from jiuzhu.api.finances import income_data_for_update
from jiuzhu.api.review_serializers import IncomeChangeInput, IncomeChangeOutput, TransferOutInput
from jiuzhu.cases.access import (
    access_application_for_view,
    access_entitlement_for_view,
    applications_visible_to,
    entitlements_visible_to,
)
from jiuzhu.cases.choices import EntitlementStatus, Step
from jiuzhu.cases.models import Application, Decision, Entitlement, Review
from jiuzhu.cases.review_rules import ACTIVE_REVIEW_STATUSES, OPEN_CAPABILITIES, TRANSFER_CAPABILITIES
from jiuzhu.cases.rules import amount_in_force
from jiuzhu.cases.selectors import amount_in_force_get, application_timeline, applications_overdue
from jiuzhu.cases.services.batch_steps import (
    StepBatchResult,
    applications_forward_many,
    applications_publish_many,
    notices_start_many,
)
from jiuzhu.cases.services.decision import application_approve, application_publish, application_refuse
from jiuzhu.cases.services.dynamic import require_any
from jiuzhu.cases.services.dynamic_events import entitlement_transfer_out, income_change_report
from jiuzhu.cases.services.intake import (
    application_accept,
    application_materials_complete,
    application_submit,
    application_terminate,
    application_withdraw,
)
from jiuzhu.cases.services.investigation import (
    application_mark_disputed,
    application_mark_special,
    appraisal_record,
    cadre_filing_record,
    home_visit_record,
    verification_request,
    verification_result_record,
)
from jiuzhu.cases.services.review import (
    application_forward,
    notice_objection_record,
    notice_start,
    township_opinion_give,
)
from jiuzhu.cases.step_access import require_may_ever_take, steps_open_to
from jiuzhu.common.exceptions import RuleViolation
from jiuzhu.regions.scoping import subtree_q
from jiuzhu.registry.access import access_income_item_for_edit
from jiuzhu.registry.services.finances import IncomeData

TAGS = ["applications"]
STEP_TAGS = ["application steps"]
BATCH_TAGS = ["application batches"]


class CanViewCases(BasePermission):
    """The caller's role may read cases (jurisdiction is checked per object)."""

    message = _("您的角色无权查看低保案件。")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return has_capability(request.user, Capability.CASE_VIEW)


class CasesViewSet(RegistryViewSet):
    permission_classes = [IsAuthenticated, CanViewCases]


# --- Who may take which step --------------------------------------------------------------------------


def _require_step_capability(actor: Any, application: Application, step: Step) -> None:
    """403 before the input is even read when the role may never take this step (in this mode)."""
    require_may_ever_take(actor, step, application.workflow_mode)


def _require_batch_capability(actor: Any, step: Step) -> None:
    """403 before the input is read when the role takes the step in no status and no workflow mode (the
    batch services' own check)."""
    require_may_ever_take(actor, step)


def application_search(actor: Any, filters: dict[str, Any], today: datetime.date) -> QuerySet[Application]:
    """Visible applications narrowed by the list filters; the most urgent first when asking for overdue ones."""
    overdue = filters.get("overdue")
    applications = applications_visible_to(actor)
    if overdue is True:
        applications = applications_overdue(actor=actor, today=today)
    elif overdue is False:
        applications = applications.exclude(pk__in=applications_overdue(actor=actor, today=today).values("pk"))
    if filters.get("region"):
        applications = applications.filter(subtree_q(filters["region"], "region__code"))
    if filters.get("program"):
        applications = applications.filter(program__code=filters["program"])
    for field in ("status", "next_step", "household_id"):
        if filters.get(field) is not None:
            applications = applications.filter(**{field: filters[field]})
    ordering = ("due_on", "id") if overdue else ("-submitted_on", "-id")
    return applications.select_related("household", "region", "program", "applicant").order_by(*ordering)


# --- Applications ---------------------------------------------------------------------------------------


def _step_schema(summary: str, request: Any, description: str) -> Callable[[Any], Any]:
    return extend_schema(
        summary=summary, description=description, request=request, responses={200: ApplicationDetailOutput},
        tags=STEP_TAGS,
    )  # fmt: skip


def _step_action(step: Step) -> Callable[[Any], Any]:
    return action(
        detail=True, methods=["post"], url_path=f"steps/{step.value}", url_name=f"step-{step.value.replace('_', '-')}"
    )


class ApplicationViewSet(CasesViewSet):
    service_field_names = {"applicant": "applicant_id", "materials": "materials_provided"}

    def get_queryset(self) -> QuerySet[Application]:
        return applications_visible_to(self.request.user)

    def detail_response(self, application_id: int, status_code: int = status.HTTP_200_OK) -> Response:
        actor = self.request.user
        application = access_application_for_view(actor, application_id)
        context = {"today": timezone.localdate(), "allowed_steps": steps_open_to(actor, application)}
        return Response(ApplicationDetailOutput(application, context=context).data, status=status_code)

    def take_step(
        self, request: Request, pk: int, step: Step, input_class: Any, service: Callable[..., Any]
    ) -> Response:
        application = access_application_for_view(request.user, pk)
        _require_step_capability(request.user, application, step)
        data = self.validated(input_class, request.data)
        service(actor=request.user, application_id=application.pk, **data)
        return self.detail_response(application.pk)

    @extend_schema(
        summary="低保申请列表", parameters=[ApplicationFilterInput], responses=ApplicationListOutput(many=True),
        tags=TAGS,
    )  # fmt: skip
    def list(self, request: Request) -> Response:
        filters = self.validated(ApplicationFilterInput, request.query_params)
        today = timezone.localdate()
        page = self.paginate_queryset(application_search(request.user, filters, today))
        assert page is not None  # pagination is always on (settings.REST_FRAMEWORK)
        return self.get_paginated_response(ApplicationListOutput(page, many=True, context={"today": today}).data)

    @extend_schema(
        summary="登记低保申请", request=ApplicationSubmitInput, responses={201: ApplicationDetailOutput}, tags=TAGS,
        description="材料齐全时状态为“已申请，待受理”，否则为“材料不全”并生成一次性告知书（missing_materials_text）。",
    )  # fmt: skip
    def create(self, request: Request) -> Response:
        require_capability(request.user, Capability.CASE_INTAKE)
        data = self.validated(ApplicationSubmitInput, request.data)
        application = application_submit(actor=request.user, **data)
        return self.detail_response(application.pk, status.HTTP_201_CREATED)

    @extend_schema(summary="低保申请详情", responses=ApplicationDetailOutput, tags=TAGS)
    def retrieve(self, request: Request, pk: int) -> Response:
        return self.detail_response(pk)

    @extend_schema(summary="办理记录", responses=TimelineOutput(many=True), tags=TAGS)
    @action(detail=True, methods=["get"], url_path="steps", url_name="steps")
    def steps(self, request: Request, pk: int) -> Response:
        application = access_application_for_view(request.user, pk)
        timeline = application_timeline(actor=request.user, application_id=application.pk)
        return Response(TimelineOutput(timeline, many=True).data)

    # --- one operation per step ---

    @_step_schema("补齐材料", CompleteMaterialsInput, "登记一次性告知后补交的材料；材料齐全后转为待受理。")
    @_step_action(Step.COMPLETE_MATERIALS)
    def complete_materials(self, request: Request, pk: int) -> Response:
        return self.take_step(
            request, pk, Step.COMPLETE_MATERIALS, CompleteMaterialsInput, application_materials_complete
        )

    @_step_schema("受理", AcceptInput, "乡镇受理申请，按当日现行政策开始计算办理时限。")
    @_step_action(Step.ACCEPT)
    def accept(self, request: Request, pk: int) -> Response:
        return self.take_step(request, pk, Step.ACCEPT, AcceptInput, application_accept)

    @_step_schema("提请经济状况核对", VerificationRequestInput, "须已签署核对授权书；同一时间只能有一份核对在办。")
    @_step_action(Step.VERIFICATION_REQUEST)
    def request_verification(self, request: Request, pk: int) -> Response:
        return self.take_step(request, pk, Step.VERIFICATION_REQUEST, VerificationRequestInput, verification_request)

    @_step_schema("入户调查", HomeVisitInput, "至少两名工作人员；报送审批后只能由县级工作人员登记（县级入户核查）。")
    @_step_action(Step.HOME_VISIT)
    def home_visit(self, request: Request, pk: int) -> Response:
        return self.take_step(request, pk, Step.HOME_VISIT, HomeVisitInput, home_visit_record)

    @_step_schema("登记核对结果", VerificationResultInput, "登记核对中心对在办核对的结果。")
    @_step_action(Step.VERIFICATION_RESULT)
    def verification_result(self, request: Request, pk: int) -> Response:
        return self.take_step(
            request, pk, Step.VERIFICATION_RESULT, VerificationResultInput, verification_result_record
        )

    @_step_schema("标记有争议", ReasonStepInput, "当地政策为“有异议时评议”时，此后须先民主评议再提出初审意见。")
    @_step_action(Step.MARK_DISPUTED)
    def mark_disputed(self, request: Request, pk: int) -> Response:
        return self.take_step(request, pk, Step.MARK_DISPUTED, ReasonStepInput, application_mark_disputed)

    @_step_schema("标记特殊情况", ReasonStepInput, "总办理时限改为特殊情况时限。")
    @_step_action(Step.MARK_SPECIAL)
    def mark_special(self, request: Request, pk: int) -> Response:
        return self.take_step(request, pk, Step.MARK_SPECIAL, ReasonStepInput, application_mark_special)

    @_step_schema("民主评议", AppraisalInput, "当地政策不进行民主评议时返回 409（code=appraisal_not_used）。")
    @_step_action(Step.APPRAISAL)
    def appraisal(self, request: Request, pk: int) -> Response:
        return self.take_step(request, pk, Step.APPRAISAL, AppraisalInput, appraisal_record)

    @_step_schema(
        "乡镇初审意见", TownshipOpinionInput, "本轮调查核实完成后提出（否则 409，code=investigation_incomplete）。"
    )
    @_step_action(Step.TOWNSHIP_OPINION)
    def township_opinion(self, request: Request, pk: int) -> Response:
        return self.take_step(request, pk, Step.TOWNSHIP_OPINION, TownshipOpinionInput, township_opinion_give)

    @_step_schema("村（社区）公示", NoticeStartInput, "公示同意的初审意见，公示期按当地政策（自然日）。")
    @_step_action(Step.NOTICE_START)
    def start_notice(self, request: Request, pk: int) -> Response:
        return self.take_step(request, pk, Step.NOTICE_START, NoticeStartInput, notice_start)

    @_step_schema("登记公示异议", NoticeObjectionInput, "申请回到调查核实，开始新一轮调查。")
    @_step_action(Step.NOTICE_OBJECTION)
    def notice_objection(self, request: Request, pk: int) -> Response:
        return self.take_step(request, pk, Step.NOTICE_OBJECTION, NoticeObjectionInput, notice_objection_record)

    @_step_schema(
        "报送审核确认", ForwardInput,
        "公示期满后报送（否则 409，code=notice_running）；初审意见为不同意时直接报送。",
    )  # fmt: skip
    @_step_action(Step.FORWARD)
    def forward(self, request: Request, pk: int) -> Response:
        return self.take_step(request, pk, Step.FORWARD, ForwardInput, application_forward)

    @_step_schema("干部近亲属备案", CadreFilingInput, "家庭成员是基层干部或其近亲属时，乡镇单独登记备案。")
    @_step_action(Step.CADRE_FILING)
    def cadre_filing(self, request: Request, pk: int) -> Response:
        return self.take_step(request, pk, Step.CADRE_FILING, CadreFilingInput, cadre_filing_record)

    @_step_schema(
        "批准", ApproveInput,
        "按家庭信息和审批日现行政策计算月保障金额，保存计算明细和所用政策。参与调查的人员不能审批"
        "（409，code=investigator_may_not_decide）；不符合条件时 409（code=not_eligible）。"
        "两人同时审批时只有一人成功，另一人得到 409（code=conflict）。",
    )  # fmt: skip
    @_step_action(Step.APPROVE)
    def approve(self, request: Request, pk: int) -> Response:
        return self.take_step(request, pk, Step.APPROVE, ApproveInput, application_approve)

    @_step_schema("不予批准", RefuseInput, "须选择原因并写明理由。")
    @_step_action(Step.REFUSE)
    def refuse(self, request: Request, pk: int) -> Response:
        return self.take_step(request, pk, Step.REFUSE, RefuseInput, application_refuse)

    @_step_schema("长期公示", PublishInput, "公示批准的家庭，待遇自起始发放月份起生效（见 /api/v1/cases/）。")
    @_step_action(Step.PUBLISH)
    def publish(self, request: Request, pk: int) -> Response:
        return self.take_step(request, pk, Step.PUBLISH, PublishInput, application_publish)

    @_step_schema("申请人撤回", ReasonStepInput, "登记申请人撤回申请。")
    @_step_action(Step.WITHDRAW)
    def withdraw(self, request: Request, pk: int) -> Response:
        return self.take_step(request, pk, Step.WITHDRAW, ReasonStepInput, application_withdraw)

    @_step_schema("终止办理", ReasonStepInput, "申请人家庭无正当理由不配合调查时终止办理。")
    @_step_action(Step.TERMINATE)
    def terminate(self, request: Request, pk: int) -> Response:
        return self.take_step(request, pk, Step.TERMINATE, ReasonStepInput, application_terminate)


# --- The township's list work: one step for many applications (批量办理) -------------------------------------


def _batch_schema(summary: str, description: str) -> Callable[[Any], Any]:
    return extend_schema(
        summary=summary, description=description, request=ApplicationBatchInput,
        responses={200: ApplicationBatchOutput}, tags=BATCH_TAGS,
    )  # fmt: skip


def _batch_action(step: Step) -> Callable[[Any], Any]:
    return action(detail=False, methods=["post"], url_path=step.value, url_name=step.value.replace("_", "-"))


class ApplicationBatchViewSet(CasesViewSet):
    """`/applications/batch/{step}/`: the batch services name the date after the one-case step
    (`starts_on`, ...); the API calls it `on` in every batch."""

    service_field_names = {"starts_on": "on", "forwarded_on": "on", "published_on": "on"}

    def take_batch_step(
        self, request: Request, step: Step, service: Callable[..., StepBatchResult], date_field: str
    ) -> Response:
        _require_batch_capability(request.user, step)
        data = self.validated(ApplicationBatchInput, request.data)
        result = service(actor=request.user, items=data["items"], **{date_field: data["on"]})
        skipped = [{"id": pk, "reason": reason} for pk, reason in result.skipped.items()]
        return Response(ApplicationBatchOutput({"done": result.done, "skipped": skipped}).data)

    @_batch_schema(
        "批量村（社区）公示（公示名单）",
        "将乡镇初审意见为同意的多件申请按同一日期在村（社区）公示。每件申请按单件公示的规则逐件检查，"
        "不符合的（版本不符、状态不符、不存在或不在辖区内等）跳过并说明原因，其余照常办理。",
    )
    @_batch_action(Step.NOTICE_START)
    def batch_notice_start(self, request: Request) -> Response:
        return self.take_batch_step(request, Step.NOTICE_START, notices_start_many, "starts_on")

    @_batch_schema(
        "批量报送审核确认",
        "将公示期已满（或初审意见为不同意）的多件申请按同一日期报送县级审核确认；公示期未满等不能报送的跳过并说明原因。",
    )
    @_batch_action(Step.FORWARD)
    def batch_forward(self, request: Request) -> Response:
        return self.take_batch_step(request, Step.FORWARD, applications_forward_many, "forwarded_on")

    @_batch_schema(
        "批量长期公示",
        "将已批准的多件申请按同一日期长期公示，待遇自起始发放月份起生效（见 /api/v1/cases/）；"
        "不能公示的跳过并说明原因。",
    )
    @_batch_action(Step.PUBLISH)
    def batch_publish(self, request: Request) -> Response:
        return self.take_batch_step(request, Step.PUBLISH, applications_publish_many, "published_on")


# --- Decisions ------------------------------------------------------------------------------------------


class DecisionViewSet(CasesViewSet):
    def get_queryset(self) -> QuerySet[Decision]:
        return Decision.objects.filter(application__in=applications_visible_to(self.request.user)).select_related(
            "application", "application__household", "application__region", "application__program", "decided_by"
        )

    @extend_schema(
        summary="审批决定列表",
        parameters=[DecisionFilterInput],
        responses=DecisionOutput(many=True),
        tags=["decisions"],
    )
    def list(self, request: Request) -> Response:
        filters = self.validated(DecisionFilterInput, request.query_params)
        decisions = self.get_queryset()
        if filters.get("outcome"):
            decisions = decisions.filter(outcome=filters["outcome"])
        if filters.get("application_id") is not None:
            decisions = decisions.filter(application_id=filters["application_id"])
        if filters.get("region"):
            decisions = decisions.filter(subtree_q(filters["region"], "application__region__code"))
        return self.paginated(decisions.order_by("-decided_on", "-id"), DecisionOutput)

    @extend_schema(summary="审批决定详情", responses=DecisionOutput, tags=["decisions"])
    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(DecisionOutput(visible_object(self.get_queryset(), pk)).data)


# --- Benefits in force (cases) ----------------------------------------------------------------------------


def _open_review_id() -> Subquery:
    active = Review.objects.filter(entitlement=OuterRef("pk"), status__in=sorted(ACTIVE_REVIEW_STATUSES))
    return Subquery(active.values("pk")[:1])


class EntitlementViewSet(CasesViewSet):
    service_field_names = {"monthly_amount": "monthly_amount_fen", "person": "person_id", "item": "item_id"}

    def get_queryset(self) -> QuerySet[Entitlement]:
        return (
            entitlements_visible_to(self.request.user)
            .select_related("household", "region", "program")
            .prefetch_related("amount_changes")
            .annotate(open_review_id=_open_review_id())
        )

    def case_response(self, entitlement_id: int) -> Response:
        entitlement = visible_object(self.get_queryset(), entitlement_id)
        return Response(EntitlementOutput(entitlement, context={"month": None}).data)

    @extend_schema(
        summary="低保待遇列表", parameters=[EntitlementFilterInput], responses=EntitlementOutput(many=True),
        tags=["cases"],
    )  # fmt: skip
    def list(self, request: Request) -> Response:
        filters = self.validated(EntitlementFilterInput, request.query_params)
        entitlements = self.get_queryset()
        if filters.get("status"):
            entitlements = entitlements.filter(status=filters["status"])
        if filters.get("household_id") is not None:
            entitlements = entitlements.filter(household_id=filters["household_id"])
        if filters.get("region"):
            entitlements = entitlements.filter(subtree_q(filters["region"], "region__code"))
        if filters.get("program"):
            entitlements = entitlements.filter(program__code=filters["program"])
        page = self.paginate_queryset(entitlements.order_by("region__code", "-first_month", "id"))
        assert page is not None  # pagination is always on (settings.REST_FRAMEWORK)
        month = filters.get("month")
        context: dict[str, Any] = {"month": month}
        if month is not None:  # from the prefetched history, with the same rule as amount_in_force_get
            context["amounts"] = {
                e.pk: amount_in_force(((c.effective_month, c.amount_fen) for c in e.amount_changes.all()), month)
                for e in page
            }
        return self.get_paginated_response(EntitlementOutput(page, many=True, context=context).data)

    @extend_schema(
        summary="低保待遇详情", parameters=[MonthInput], responses=EntitlementOutput,
        tags=["cases"],
    )  # fmt: skip
    def retrieve(self, request: Request, pk: int) -> Response:
        entitlement = visible_object(self.get_queryset(), pk)
        month = self.validated(MonthInput, request.query_params).get("month")
        context: dict[str, Any] = {"month": month}
        if month is not None:
            context["amounts"] = {entitlement.pk: amount_in_force_get(entitlement=entitlement, month=month)}
        return Response(EntitlementOutput(entitlement, context=context).data)

    # --- events (dynamic management, ADR-007) ---

    @extend_schema(
        summary="迁出本县（转出）", request=TransferOutInput, responses=EntitlementOutput, tags=["cases"],
        description="家庭已迁出本县：自停发月份起停发（记入待遇变动记录），进行中的复核关闭，申请不再在保；"
        "迁入地另行申请。乡镇或县级办理。",
    )  # fmt: skip
    @action(detail=True, methods=["post"], url_path="transfer-out", url_name="transfer-out")
    def transfer_out(self, request: Request, pk: int) -> Response:
        entitlement = access_entitlement_for_view(request.user, pk)
        require_any(request.user, TRANSFER_CAPABILITIES)
        data = self.validated(TransferOutInput, request.data)
        entitlement_transfer_out(actor=request.user, entitlement_id=entitlement.pk, **data)
        return self.case_response(entitlement.pk)

    @extend_schema(
        summary="报告收入变化", request=IncomeChangeInput, responses=IncomeChangeOutput, tags=["cases"],
        description="在家庭档案中新增（或更正，item_id）一项收入，并对在保家庭发起复核（已有进行中的复核时并入，"
        "期限取较早者），期限按政策的复核时限。已停保的待遇返回 409（code=entitlement_not_active）。",
    )  # fmt: skip
    @action(detail=True, methods=["post"], url_path="income-change", url_name="income-change")
    def income_change(self, request: Request, pk: int) -> Response:
        entitlement = access_entitlement_for_view(request.user, pk)
        require_any(request.user, OPEN_CAPABILITIES)
        data = self.validated(IncomeChangeInput, request.data)
        if entitlement.status == EntitlementStatus.STOPPED:  # the household's file, not this case
            raise RuleViolation(
                gettext("该低保待遇已停保，收入变化请在家庭档案中登记。"), code="entitlement_not_active"
            )
        item_id, item_version, note = data.pop("item_id"), data.pop("expected_item_version"), data.pop("note")
        income = (
            income_data_for_update(access_income_item_for_edit(request.user, item_id), data)
            if item_id is not None
            else IncomeData(**data)
        )
        reported = income_change_report(
            actor=request.user, household_id=entitlement.household_id, data=income, item_id=item_id,
            expected_item_version=item_version, note=note,
        )  # fmt: skip
        return Response(IncomeChangeOutput({"income_item": reported.item, "review": reported.review}).data)
