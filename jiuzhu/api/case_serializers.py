"""Input and output shapes of the case resources (jiuzhu.api.cases). Shape only: no rule lives here.

Inputs mirror the keyword arguments of the step services (`source=` where the API name differs),
so a view passes `validated_data` straight on. Outputs never carry a full ID or bank number; free
text typed by staff (reasons, notes) is shown with ID-like digit runs masked.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jiuzhu.api.common import expected_version_field
from jiuzhu.cases.choices import (
    ApplicantRelation,
    ApplicationStatus,
    DecisionOutcome,
    EntitlementStatus,
    NoticeStageKind,
    RefusalReason,
    Step,
)
from jiuzhu.cases.models import AmountChange, Application, Decision, Entitlement, StatusChange
from jiuzhu.cases.rules import MATERIAL_LABELS, is_overdue
from jiuzhu.common.masking import mask_in_text
from jiuzhu.programs.models import DIBAO_PROGRAMS, ProgramCode
from jiuzhu.programs.rules.dibao import REASON_LABELS
from jiuzhu.programs.rules.labels import render_label

MONTH_RE = r"^\d{4}-(0[1-9]|1[0-2])$"
DIBAO_PROGRAM_CHOICES = [(code, label) for code, label in ProgramCode.choices if code in DIBAO_PROGRAMS]
MATERIAL_CHOICES = [(code, _(label)) for code, label in MATERIAL_LABELS.items()]


def _optional_date(label: Any, help_text: Any = None) -> serializers.DateField:
    return serializers.DateField(
        label=label, required=False, allow_null=True, default=None, help_text=help_text or _("不填为今天。")
    )


def _text(label: Any, max_length: int = 2000, help_text: Any = None) -> serializers.CharField:
    """Required key; an empty text is refused by the service with its own message."""
    return serializers.CharField(label=label, max_length=max_length, allow_blank=True, help_text=help_text)


def material_items(codes: list[str]) -> list[dict[str, str]]:
    return [{"code": code, "label": gettext(MATERIAL_LABELS.get(code, code))} for code in codes]


def reason_label(code: str) -> str:
    if code in RefusalReason.values:
        return str(RefusalReason(code).label)
    return gettext(REASON_LABELS.get(code, code))


# --- Filters --------------------------------------------------------------------------------------


class ApplicationFilterInput(serializers.Serializer[Any]):
    status = serializers.ChoiceField(label=_("状态"), choices=ApplicationStatus.choices, required=False)
    region = serializers.RegexField(
        r"^\d{2,12}$", label=_("区划代码"), required=False, help_text=_("该区划及其下级（本人辖区以外的没有结果）。")
    )
    program = serializers.ChoiceField(label=_("救助项目"), choices=DIBAO_PROGRAM_CHOICES, required=False)
    next_step = serializers.ChoiceField(label=_("下一步"), choices=Step.choices, required=False)
    household_id = serializers.IntegerField(label=_("家庭编号"), required=False)
    overdue = serializers.BooleanField(
        label=_("已超期"), required=False, allow_null=True, default=None,
        help_text=_("true：只列出下一步或总办理期限已过的申请；false：只列出未超期的。"),
    )  # fmt: skip


class DecisionFilterInput(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(label=_("结果"), choices=DecisionOutcome.choices, required=False)
    application_id = serializers.IntegerField(label=_("申请编号"), required=False)
    region = serializers.RegexField(r"^\d{2,12}$", label=_("区划代码"), required=False)


class MonthInput(serializers.Serializer[Any]):
    month = serializers.RegexField(
        MONTH_RE, label=_("月份"), required=False,
        help_text=_("YYYY-MM：返回该月适用的保障金额（amount_in_month_fen）。"),
    )  # fmt: skip

    def validate_month(self, value: str) -> datetime.date:
        year, month = value.split("-")
        return datetime.date(int(year), int(month), 1)


class EntitlementFilterInput(MonthInput):
    status = serializers.ChoiceField(label=_("状态"), choices=EntitlementStatus.choices, required=False)
    household_id = serializers.IntegerField(label=_("家庭编号"), required=False)
    region = serializers.RegexField(r"^\d{2,12}$", label=_("区划代码"), required=False)
    program = serializers.ChoiceField(label=_("救助项目"), choices=DIBAO_PROGRAM_CHOICES, required=False)


# --- Intake ---------------------------------------------------------------------------------------


class ApplicationSubmitInput(serializers.Serializer[Any]):
    household_id = serializers.IntegerField(label=_("家庭编号"))
    applicant_id = serializers.IntegerField(label=_("申请人（成员编号）"), help_text=_("该家庭在世的成员。"))
    program = serializers.ChoiceField(
        label=_("救助项目"), choices=DIBAO_PROGRAM_CHOICES, required=False, source="program_code",
        help_text=_("不填时按户籍类型确定城市或农村低保。"),
    )  # fmt: skip
    materials_provided = serializers.ListField(
        child=serializers.ChoiceField(choices=MATERIAL_CHOICES), label=_("已提交材料"), required=False, default=list,
        help_text=_("签字的核对授权书和诚信承诺书以签署日期为准，不必列出。"),
    )  # fmt: skip
    authorisation_signed_on = serializers.DateField(
        label=_("核对授权书签署日期"), required=False, allow_null=True, default=None
    )
    authorisation_signers = serializers.ListField(
        child=serializers.CharField(max_length=64), label=_("授权书签字人"), required=False, default=list
    )
    promise_signed_on = serializers.DateField(
        label=_("诚信承诺书签署日期"), required=False, allow_null=True, default=None
    )
    submitted_on = _optional_date(_("申请日期"))
    applied_by_applicant = serializers.BooleanField(label=_("本人申请"), required=False, default=True)
    agent_name = serializers.CharField(label=_("代为申请人"), max_length=64, required=False, allow_blank=True)
    agent_relation = serializers.ChoiceField(
        label=_("代申请人身份"), choices=ApplicantRelation.choices, required=False, allow_blank=True
    )


# --- Steps (one input per step; every one carries expected_version) ------------------------------


class StepInput(serializers.Serializer[Any]):
    expected_version = expected_version_field()


class CompleteMaterialsInput(StepInput):
    materials_provided = serializers.ListField(
        child=serializers.ChoiceField(choices=MATERIAL_CHOICES), label=_("补交的材料"),
        help_text=_("与已交材料合并。"),
    )  # fmt: skip
    authorisation_signed_on = serializers.DateField(
        label=_("核对授权书签署日期"), required=False, allow_null=True, default=None
    )
    authorisation_signers = serializers.ListField(
        child=serializers.CharField(max_length=64), label=_("授权书签字人"), required=False, default=list
    )
    promise_signed_on = serializers.DateField(
        label=_("诚信承诺书签署日期"), required=False, allow_null=True, default=None
    )
    on = _optional_date(_("补齐日期"))


class AcceptInput(StepInput):
    accepted_on = _optional_date(_("受理日期"))


class HomeVisitInput(StepInput):
    visited_on = serializers.DateField(label=_("调查日期"))
    findings = _text(_("调查情况"), 5000)
    investigators = serializers.ListField(
        child=serializers.IntegerField(), source="investigator_ids", label=_("调查人员"),
        help_text=_("至少两名本辖区可开展入户调查的工作人员的用户编号（办理记录中的 actor_id）。"),
    )  # fmt: skip
    photos = serializers.ListField(
        child=serializers.IntegerField(), source="photo_ids", label=_("照片"), required=False, default=list,
        help_text=_("该家庭档案中附件的编号。"),
    )  # fmt: skip


class VerificationRequestInput(StepInput):
    requested_on = _optional_date(_("提请日期"))


class VerificationResultInput(StepInput):
    passed = serializers.BooleanField(label=_("核对符合"))
    notes = serializers.CharField(
        label=_("核对说明"), max_length=2000, required=False, allow_blank=True, default="",
        help_text=_("核对不符合时必填。"),
    )  # fmt: skip
    result_on = _optional_date(_("结果日期"))


class ReasonStepInput(StepInput):
    reason = _text(_("原因"))


class AppraisalInput(StepInput):
    held_on = serializers.DateField(label=_("评议日期"))
    participant_count = serializers.IntegerField(label=_("参加人数"), min_value=1)
    votes_for = serializers.IntegerField(label=_("同意票"), min_value=0)
    votes_against = serializers.IntegerField(label=_("反对票"), min_value=0)
    votes_abstain = serializers.IntegerField(label=_("弃权票"), min_value=0)
    minutes = _text(_("评议记录"), 5000)


class TownshipOpinionInput(StepInput):
    agrees = serializers.BooleanField(label=_("同意"))
    text = _text(_("初审意见"))
    given_on = _optional_date(_("日期"))


class NoticeStartInput(StepInput):
    starts_on = _optional_date(_("公示开始日期"))


class NoticeObjectionInput(StepInput):
    text = _text(_("异议内容"))
    received_on = _optional_date(_("收到日期"))


class ForwardInput(StepInput):
    forwarded_on = _optional_date(_("报送日期"))


class CadreFilingInput(StepInput):
    note = _text(_("备案说明"), help_text=_("与基层干部的关系和职务。"))
    filed_on = _optional_date(_("备案日期"))


class ApproveInput(StepInput):
    comment = serializers.CharField(label=_("审批意见"), max_length=2000, required=False, allow_blank=True, default="")
    first_payment_month = serializers.DateField(
        label=_("起始发放月份"), required=False, allow_null=True, default=None,
        help_text=_("某月1日；不填为审批次月。"),
    )  # fmt: skip
    decided_on = _optional_date(_("审批日期"))


class RefuseInput(StepInput):
    reason_codes = serializers.ListField(
        child=serializers.ChoiceField(choices=RefusalReason.choices), label=_("不予批准原因")
    )
    reason_text = _text(_("不予批准理由"))
    decided_on = _optional_date(_("审批日期"))


class PublishInput(StepInput):
    published_on = _optional_date(_("长期公示日期"))


# --- The township's list work (批量办理: one step for many cases) ---------------------------------------

MAX_BATCH_ITEMS = 10_000


class BatchItemInput(serializers.Serializer[Any]):
    id = serializers.IntegerField(label=_("申请编号"), min_value=1)
    expected_version = expected_version_field()


class ApplicationBatchInput(serializers.Serializer[Any]):
    items = serializers.ListField(
        child=BatchItemInput(), min_length=1, max_length=MAX_BATCH_ITEMS, label=_("申请"),
        help_text=_("每件申请的编号和读取时的 version；版本不符的申请跳过（不影响其他申请）。"),
    )  # fmt: skip
    on = _optional_date(_("办理日期"), help_text=_("不填为今天；不能晚于今天，也不能早于申请日期。"))

    def validate_items(self, value: list[dict[str, int]]) -> dict[int, int]:
        """{id: expected_version}; an id listed twice is refused."""
        items: dict[int, int] = {}
        for item in value:
            if item["id"] in items:
                raise serializers.ValidationError(gettext("申请 %(id)s 重复列出。") % {"id": item["id"]})
            items[item["id"]] = item["expected_version"]
        return items


# --- Outputs --------------------------------------------------------------------------------------


class CodeLabelOutput(serializers.Serializer[Any]):
    code = serializers.CharField(label=_("代码"))
    label = serializers.CharField(label=_("名称"))  # type: ignore[assignment]  # DRF takes declared fields off


class AllowedStepOutput(serializers.Serializer[Any]):
    step = serializers.CharField(label=_("环节代码"), help_text=_("POST /api/v1/applications/{id}/steps/{step}/"))
    label = serializers.CharField(label=_("环节"))  # type: ignore[assignment]  # DRF takes declared fields off
    is_next = serializers.BooleanField(label=_("是申请正在等待的下一步"))


class DecisionSummaryOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    outcome = serializers.CharField(label=_("结果"))
    outcome_label = serializers.CharField(source="get_outcome_display", label=_("结果名称"))
    decided_on = serializers.DateField(label=_("审批日期"))
    monthly_amount_fen = serializers.IntegerField(label=_("月保障金额（分）"))
    first_payment_month = serializers.DateField(label=_("起始发放月份"), allow_null=True)


class NoticeOutput(serializers.Serializer[Any]):
    stage = serializers.CharField(label=_("公示环节"))
    starts_on = serializers.DateField(label=_("公示开始日期"))
    ends_on = serializers.DateField(label=_("公示截止日期"), allow_null=True)


class ApplicationListOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    household_id = serializers.IntegerField(label=_("家庭编号"))
    head_name = serializers.CharField(source="household.head_name", label=_("户主"))
    region_code = serializers.CharField(source="region.code", label=_("村（社区）区划代码"))
    region_name = serializers.CharField(source="region.name", label=_("村（社区）"))
    program = serializers.CharField(source="program.code", label=_("救助项目"))
    program_name = serializers.CharField(source="program.name", label=_("救助项目名称"))
    applicant_id = serializers.IntegerField(label=_("申请人（成员编号）"))
    applicant_name = serializers.CharField(source="applicant.name", label=_("申请人"))
    status = serializers.CharField(label=_("状态"), help_text=_("见 status 筛选条件的代码表。"))
    status_label = serializers.CharField(source="get_status_display", label=_("状态名称"))
    next_step = serializers.CharField(label=_("下一步"), help_text=_("空：没有待办环节。"))
    next_step_label = serializers.CharField(source="get_next_step_display", label=_("下一步名称"))
    submitted_on = serializers.DateField(label=_("申请日期"))
    accepted_on = serializers.DateField(label=_("受理日期"), allow_null=True)
    due_on = serializers.DateField(label=_("下一步办理期限"), allow_null=True)
    overall_due_on = serializers.DateField(label=_("总办理期限"), allow_null=True)
    is_overdue = serializers.SerializerMethodField(label=_("已超期"))
    decided_on = serializers.DateField(label=_("审批日期"), allow_null=True)
    version = serializers.IntegerField(label=_("版本号"))

    def _today(self) -> datetime.date:
        return self.context.get("today") or timezone.localdate()

    def get_is_overdue(self, application: Application) -> bool:
        today = self._today()
        return is_overdue(application.due_on, today) or (
            application.decided_on is None and is_overdue(application.overall_due_on, today)
        )


class ApplicationDetailOutput(ApplicationListOutput):
    applied_by_applicant = serializers.BooleanField(label=_("本人申请"))
    agent_name = serializers.CharField(label=_("代为申请人"))
    agent_relation = serializers.CharField(label=_("代申请人身份"))
    authorisation_signed_on = serializers.DateField(label=_("核对授权书签署日期"), allow_null=True)
    authorisation_signers = serializers.ListField(child=serializers.CharField(), label=_("授权书签字人"))
    promise_signed_on = serializers.DateField(label=_("诚信承诺书签署日期"), allow_null=True)
    materials_provided = serializers.SerializerMethodField(label=_("已提交材料"))
    materials_missing = serializers.SerializerMethodField(label=_("缺少的材料"))
    missing_materials_text = serializers.CharField(label=_("一次性告知书内容"))
    materials_complete_on = serializers.DateField(label=_("材料齐全日期"), allow_null=True)
    round = serializers.IntegerField(label=_("调查轮次"))
    is_disputed = serializers.BooleanField(label=_("有争议"))
    is_special = serializers.BooleanField(label=_("特殊情况（延长时限）"))
    special_reason = serializers.SerializerMethodField(label=_("特殊情况说明"))
    is_cadre_case = serializers.BooleanField(label=_("涉及基层干部或其近亲属"))
    workflow_mode = serializers.CharField(label=_("审核确认模式"))
    appraisal_mode = serializers.CharField(label=_("民主评议"))
    is_overall_overdue = serializers.SerializerMethodField(label=_("已超过总办理期限"))
    forwarded_on = serializers.DateField(label=_("报送审批日期"), allow_null=True)
    published_on = serializers.DateField(label=_("长期公示日期"), allow_null=True)
    closed_reason = serializers.SerializerMethodField(label=_("撤回或终止原因"))
    village_notice = serializers.SerializerMethodField(label=_("村（社区）公示"))
    decision = serializers.SerializerMethodField(label=_("审批决定"))
    entitlement_id = serializers.SerializerMethodField(label=_("低保待遇编号"))
    allowed_steps = serializers.SerializerMethodField(
        label=_("本人可办理的环节"),
        help_text=_("按流程和本人角色可以办理的环节；个别环节还要满足业务条件（如公示期满），否则返回 409。"),
    )

    @extend_schema_field(CodeLabelOutput(many=True))
    def get_materials_provided(self, application: Application) -> list[dict[str, str]]:
        return material_items(application.materials_provided)

    @extend_schema_field(CodeLabelOutput(many=True))
    def get_materials_missing(self, application: Application) -> list[dict[str, str]]:
        return material_items(application.materials_missing)

    def get_special_reason(self, application: Application) -> str:
        return mask_in_text(application.special_reason)

    def get_closed_reason(self, application: Application) -> str:
        return mask_in_text(application.closed_reason)

    def get_is_overall_overdue(self, application: Application) -> bool:
        return application.decided_on is None and is_overdue(application.overall_due_on, self._today())

    @extend_schema_field(NoticeOutput(allow_null=True))
    def get_village_notice(self, application: Application) -> Any:
        notice = application.notices.filter(stage=NoticeStageKind.VILLAGE_NOTICE).order_by("-starts_on", "-id").first()
        return NoticeOutput(notice).data if notice else None

    @extend_schema_field(DecisionSummaryOutput(allow_null=True))
    def get_decision(self, application: Application) -> Any:
        decision = Decision.objects.filter(application=application).first()
        return DecisionSummaryOutput(decision).data if decision else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_entitlement_id(self, application: Application) -> int | None:
        return Entitlement.objects.filter(application=application).values_list("pk", flat=True).first()

    @extend_schema_field(AllowedStepOutput(many=True))
    def get_allowed_steps(self, application: Application) -> list[dict[str, Any]]:
        steps: list[Step] = self.context.get("allowed_steps", [])
        return [
            {"step": step.value, "label": str(step.label), "is_next": step == application.next_step} for step in steps
        ]


class TimelineOutput(serializers.ModelSerializer[StatusChange]):
    step_label = serializers.CharField(source="get_step_display", label=_("办理环节名称"))
    from_status_label = serializers.CharField(source="get_from_status_display", label=_("原状态名称"))
    to_status_label = serializers.CharField(source="get_to_status_display", label=_("新状态名称"))
    actor_id = serializers.IntegerField(label=_("经办人（用户编号）"))
    actor_name = serializers.CharField(source="actor.display_name", label=_("经办人"))
    note = serializers.SerializerMethodField(label=_("说明"))
    step = serializers.CharField(label=_("办理环节"))
    from_status = serializers.CharField(label=_("原状态"), help_text=_("登记申请时为空。"))
    to_status = serializers.CharField(label=_("新状态"))

    class Meta:
        model = StatusChange
        fields = [
            "id", "step", "step_label", "from_status", "from_status_label", "to_status", "to_status_label",
            "occurred_on", "occurred_at", "actor_id", "actor_name", "note",
        ]  # fmt: skip
        read_only_fields = fields

    def get_note(self, change: StatusChange) -> str:
        return mask_in_text(change.note)


class BenefitLineOutput(serializers.Serializer[Any]):
    code = serializers.CharField(label=_("项目代码"), help_text=_("gap、band、full_standard、supplement 等。"))
    label = serializers.CharField(label=_("项目"))  # type: ignore[assignment]  # DRF takes declared fields off
    amount_fen = serializers.IntegerField(label=_("金额（分）"))
    count = serializers.IntegerField(label=_("人数"))
    unit_fen = serializers.IntegerField(label=_("每人金额（分）"), allow_null=True)
    category = serializers.CharField(label=_("分类施保类别"), allow_null=True)
    basis = serializers.CharField(label=_("计算依据"))


def benefit_lines(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored calculation lines (`BenefitLine.to_json`) as `BenefitLineOutput`, labels translated."""
    return [
        {
            "code": line["code"],
            "label": gettext(line["label"]),
            "amount_fen": int(line["amount_fen"]),
            "count": int(line.get("count", 1)),
            "unit_fen": line.get("unit_fen"),
            "category": line.get("category"),
            "basis": render_label(line.get("basis", ""), line.get("basis_params", {}).items(), gettext)
            if line.get("basis")
            else "",
        }
        for line in lines
    ]


class DecisionOutput(serializers.ModelSerializer[Decision]):
    household_id = serializers.IntegerField(source="application.household_id", label=_("家庭编号"))
    head_name = serializers.CharField(source="application.household.head_name", label=_("户主"))
    region_code = serializers.CharField(source="application.region.code", label=_("村（社区）区划代码"))
    program = serializers.CharField(source="application.program.code", label=_("救助项目"))
    outcome = serializers.CharField(label=_("结果"))
    outcome_label = serializers.CharField(source="get_outcome_display", label=_("结果名称"))
    decided_by_name = serializers.CharField(source="decided_by.display_name", label=_("审批人"))
    lines = serializers.SerializerMethodField(label=_("保障金额明细"))
    reasons = serializers.SerializerMethodField(label=_("不予批准的原因"))
    reason_text = serializers.SerializerMethodField(label=_("审批意见或不予批准理由"))
    policy_snapshot = serializers.JSONField(
        label=_("适用政策参数"), help_text=_("审批时适用的全部低保政策参数（含 on、region）。批准时才有。")
    )

    class Meta:
        model = Decision
        fields = [
            "id", "application_id", "household_id", "head_name", "region_code", "program", "outcome",
            "outcome_label", "decided_on", "decided_by_name", "monthly_amount_fen", "first_payment_month",
            "member_count", "per_capita_income_fen", "lines", "reasons", "reason_text", "policy_snapshot",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(BenefitLineOutput(many=True))
    def get_lines(self, decision: Decision) -> list[dict[str, Any]]:
        return benefit_lines(decision.lines)

    @extend_schema_field(CodeLabelOutput(many=True))
    def get_reasons(self, decision: Decision) -> list[dict[str, str]]:
        return [{"code": code, "label": reason_label(code)} for code in decision.reason_codes]

    def get_reason_text(self, decision: Decision) -> str:
        return mask_in_text(decision.reason_text)


class AmountChangeOutput(serializers.ModelSerializer[AmountChange]):
    kind = serializers.CharField(label=_("类型"), help_text=_("grant 新增、increase 增发、decrease 减发、stop 停发。"))
    kind_label = serializers.CharField(source="get_kind_display", label=_("类型名称"))
    reason = serializers.SerializerMethodField(label=_("原因"))

    class Meta:
        model = AmountChange
        fields = ["effective_month", "amount_fen", "kind", "kind_label", "reason", "decision_id"]
        read_only_fields = fields

    def get_reason(self, change: AmountChange) -> str:
        return mask_in_text(change.reason)


class EntitlementOutput(serializers.ModelSerializer[Entitlement]):
    head_name = serializers.CharField(source="household.head_name", label=_("户主"))
    region_code = serializers.CharField(source="region.code", label=_("村（社区）区划代码"))
    region_name = serializers.CharField(source="region.name", label=_("村（社区）"))
    program = serializers.CharField(source="program.code", label=_("救助项目"))
    program_name = serializers.CharField(source="program.name", label=_("救助项目名称"))
    status = serializers.CharField(label=_("状态"))
    status_label = serializers.CharField(source="get_status_display", label=_("状态名称"))
    monthly_amount_fen = serializers.IntegerField(label=_("当前月保障金额（分）"))
    amount_history = serializers.SerializerMethodField(label=_("待遇变动记录"))
    month = serializers.SerializerMethodField(label=_("查询月份"))
    amount_in_month_fen = serializers.SerializerMethodField(
        label=_("该月保障金额（分）"), help_text=_("带 month 参数时返回；首月之前或停发之后为 0。")
    )
    review_class = serializers.CharField(label=_("复核类别"), help_text=_("stable 每年复核、unstable 每半年复核。"))
    review_class_label = serializers.CharField(source="get_review_class_display", label=_("复核类别名称"))
    next_review_on = serializers.DateField(
        label=_("下次定期复核日期"), allow_null=True, help_text=_("停保或渐退期内为空。")
    )
    open_review_id = serializers.IntegerField(
        label=_("进行中的复核编号"),
        allow_null=True,
        help_text=_("待核查或待审批的复核（/api/v1/reviews/{id}/）；没有时为空。"),
    )

    class Meta:
        model = Entitlement
        fields = [
            "id", "application_id", "household_id", "head_name", "region_code", "region_name", "program",
            "program_name", "status", "status_label", "first_month", "monthly_amount_fen", "amount_history", "month",
            "amount_in_month_fen", "review_class", "review_class_label", "last_reviewed_on", "next_review_on",
            "open_review_id", "version",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(AmountChangeOutput(many=True))
    def get_amount_history(self, entitlement: Entitlement) -> Any:
        return AmountChangeOutput(entitlement.amount_changes.all(), many=True).data

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_month(self, entitlement: Entitlement) -> str | None:
        month: datetime.date | None = self.context.get("month")
        return month.isoformat() if month else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_amount_in_month_fen(self, entitlement: Entitlement) -> int | None:
        amounts: dict[int, int] | None = self.context.get("amounts")
        return None if amounts is None else amounts.get(entitlement.pk, 0)


class BatchSkippedOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField(label=_("申请编号"))
    reason = serializers.CharField(label=_("原因"), help_text=_("未办理的原因（中文），须单独办理。"))


class ApplicationBatchOutput(serializers.Serializer[Any]):
    done = serializers.ListField(child=serializers.IntegerField(), label=_("已办理的申请编号"))
    skipped = BatchSkippedOutput(
        many=True, label=_("未办理的申请"),
        help_text=_("版本不符、状态不符、公示期未满、不存在或不在辖区内等，逐件说明原因。"),
    )  # fmt: skip
