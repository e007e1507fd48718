"""Input and output shapes of dynamic management over the API (jiuzhu.api.reviews). Shape only.

Inputs mirror the keyword arguments of the services in `cases.services.dynamic`, `dynamic_batch`
and `dynamic_events`, so a view passes `validated_data` straight on. Free text typed by staff
(notes, findings, reasons) is shown with ID-like digit runs masked.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jiuzhu.api.case_serializers import (
    AmountChangeOutput,
    BenefitLineOutput,
    CodeLabelOutput,
    StepInput,
    benefit_lines,
    reason_label,
)
from jiuzhu.api.finances import IncomeItemOutput
from jiuzhu.cases.choices import ReviewOutcome, ReviewStatus, ReviewStep, ReviewTrigger
from jiuzhu.cases.models import Review
from jiuzhu.cases.review_rules import ACTIVE_REVIEW_STATUSES, is_overdue
from jiuzhu.common.masking import mask_in_text
from jiuzhu.registry.choices import IncomeKind, IncomeSource

# Opened on demand; a member's death and a move out of the county have their own operations.
OPEN_TRIGGER_CHOICES = [
    (code, label)
    for code, label in ReviewTrigger.choices
    if code not in (ReviewTrigger.MEMBER_DEATH, ReviewTrigger.MOVE_OUT)
]
MAX_BATCH = 10_000
MAX_LEAD_DAYS = 366


def _optional_date(label: Any, help_text: Any = None) -> serializers.DateField:
    return serializers.DateField(
        label=label, required=False, allow_null=True, default=None, help_text=help_text or _("不填为今天。")
    )


def _text(label: Any, max_length: int = 2000, help_text: Any = None) -> serializers.CharField:
    """Required key; an empty text is refused by the service with its own message."""
    return serializers.CharField(label=label, max_length=max_length, allow_blank=True, help_text=help_text)


def _optional_text(label: Any, max_length: int = 2000, help_text: Any = None) -> serializers.CharField:
    return serializers.CharField(
        label=label, max_length=max_length, required=False, allow_blank=True, default="", help_text=help_text
    )


# --- Filters --------------------------------------------------------------------------------------


class ReviewFilterInput(serializers.Serializer[Any]):
    status = serializers.ChoiceField(label=_("状态"), choices=ReviewStatus.choices, required=False)
    trigger = serializers.ChoiceField(label=_("复核原因"), choices=ReviewTrigger.choices, required=False)
    outcome = serializers.ChoiceField(label=_("复核结果"), choices=ReviewOutcome.choices, required=False)
    region = serializers.RegexField(
        r"^\d{2,12}$", label=_("区划代码"), required=False, help_text=_("该区划及其下级（本人辖区以外的没有结果）。")
    )
    entitlement_id = serializers.IntegerField(label=_("低保待遇编号"), required=False)
    household_id = serializers.IntegerField(label=_("家庭编号"), required=False)
    overdue = serializers.BooleanField(
        label=_("已超期"), required=False, allow_null=True, default=None,
        help_text=_("true：只列出超过复核期限仍未办结的复核（期限最早的在前）；false：只列出其余的。"),
    )  # fmt: skip
    due_before = serializers.DateField(
        label=_("期限早于"), required=False, help_text=_("只列出复核期限在该日之前（含当日）的复核，期限最早的在前。")
    )


# --- Opening, steps -------------------------------------------------------------------------------


class ReviewOpenInput(serializers.Serializer[Any]):
    entitlement_id = serializers.IntegerField(
        label=_("低保待遇编号"), help_text=_("在保的低保待遇（/api/v1/cases/）。")
    )
    trigger = serializers.ChoiceField(
        label=_("复核原因"), choices=OPEN_TRIGGER_CHOICES, required=False, default=ReviewTrigger.OTHER,
        help_text=_(
            "成员死亡请用 POST /api/v1/persons/{id}/death/，迁出本县请用 POST /api/v1/cases/{id}/transfer-out/。"
        ),
    )  # fmt: skip
    note = _optional_text(_("发起说明"), help_text=_("定期复核以外必填。"))
    due_on = serializers.DateField(
        label=_("复核期限"), required=False, allow_null=True, default=None,
        help_text=_("不填时：定期复核为下次复核日期，其他为变化发生日起按政策的复核时限。"),
    )  # fmt: skip
    event_on = serializers.DateField(label=_("变化发生日期"), required=False, allow_null=True, default=None)
    opened_on = _optional_date(_("发起日期"))


class ReviewProposeInput(StepInput):
    findings = _text(_("核查情况"), 5000)
    reasons = _optional_text(_("变更理由"), 5000, help_text=_("减发、停发、渐退时必填（书面告知家庭）。"))
    outcome = serializers.ChoiceField(
        label=_("复核结论"), choices=ReviewOutcome.choices, required=False, allow_null=True, default=None,
        help_text=_("不填按重新核算的结果；只有渐退可以改为停发。"),
    )  # fmt: skip
    proposed_on = _optional_date(_("提出意见日期"))


class ReviewDecideInput(StepInput):
    note = _optional_text(_("审批意见"))
    effective_month = serializers.DateField(
        label=_("生效月份"), required=False, allow_null=True, default=None,
        help_text=_("某月1日；不填为审批次月。维持不变时不用。"),
    )  # fmt: skip
    decided_on = _optional_date(_("审批日期"))


class ReviewRejectInput(StepInput):
    reason = _text(_("不同意的理由"))
    decided_on = _optional_date(_("日期"))


# --- Batches --------------------------------------------------------------------------------------


class ReviewsOpenDueInput(serializers.Serializer[Any]):
    region = serializers.RegexField(
        r"^\d{2,12}$", label=_("区划代码"), required=False, allow_blank=True, default="", source="region_code",
        help_text=_("只处理该区划及其下级；须在本人辖区内。不填为本人辖区。"),
    )  # fmt: skip
    lead_days = serializers.IntegerField(
        label=_("提前天数"), min_value=0, max_value=MAX_LEAD_DAYS, required=False, default=30,
        help_text=_("下次复核日期在今天起这么多天内（或已过）的在保家庭。"),
    )  # fmt: skip


class ReviewsOpenDueOutput(serializers.Serializer[Any]):
    opened = serializers.ListField(child=serializers.IntegerField(), label=_("新发起的复核编号"))


class ReviewsConfirmNoChangeInput(serializers.Serializer[Any]):
    review_ids = serializers.ListField(
        child=serializers.IntegerField(), min_length=1, max_length=MAX_BATCH, label=_("复核编号"),
    )  # fmt: skip
    expected_versions = serializers.DictField(
        child=serializers.IntegerField(min_value=1), required=False, allow_null=True, default=None,
        label=_("版本号"),
        help_text=_("复核编号 → 读取时的 version；给出时每个复核都要有，版本不符的复核跳过。"),
    )  # fmt: skip
    decided_on = _optional_date(_("审批日期"))
    note = _optional_text(_("核查情况"), help_text=_("不填为“家庭人口、收入和财产状况无变化，维持原保障金额”。"))

    def validate_expected_versions(self, value: dict[str, int] | None) -> dict[int, int] | None:
        if value is None:
            return None
        versions: dict[int, int] = {}
        for key, version in value.items():
            try:
                versions[int(key)] = version
            except ValueError:
                raise serializers.ValidationError(gettext("“%(key)s” 不是复核编号。") % {"key": key}) from None
        return versions

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        versions = attrs.get("expected_versions")
        if versions is not None:
            missing = [pk for pk in attrs["review_ids"] if pk not in versions]
            if missing:
                raise serializers.ValidationError(
                    {
                        "expected_versions": [
                            gettext("缺少复核 %(ids)s 的版本号。") % {"ids": ", ".join(map(str, missing))}
                        ]
                    }
                )
        return attrs


class ReviewsConfirmNoChangeOutput(serializers.Serializer[Any]):
    confirmed = serializers.ListField(child=serializers.IntegerField(), label=_("已维持不变的复核编号"))
    skipped = serializers.DictField(
        child=serializers.CharField(), label=_("未处理的复核"),
        help_text=_("复核编号 → 原因（如重新核算金额有变化，须单独提出复核意见）。"),
    )  # fmt: skip


# --- Events ---------------------------------------------------------------------------------------


class TransferOutInput(StepInput):
    moved_on = serializers.DateField(label=_("迁出日期"))
    destination = _text(_("迁往地点"), 200)
    reason = _optional_text(_("说明"))
    effective_month = serializers.DateField(
        label=_("停发月份"), required=False, allow_null=True, default=None, help_text=_("某月1日；不填为迁出次月。")
    )


class IncomeChangeInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(label=_("收入类型"), choices=IncomeKind.choices)
    monthly_amount_fen = serializers.IntegerField(
        label=_("月收入（分）"), help_text=_("变化后的月收入，整数，单位为分。")
    )
    person_id = serializers.IntegerField(
        label=_("成员编号"), required=False, allow_null=True, help_text=_("空表示全家的收入。")
    )
    source = serializers.ChoiceField(  # type: ignore[assignment]  # DRF takes declared fields off the class
        label=_("来源"), choices=IncomeSource.choices, required=False
    )
    description = serializers.CharField(label=_("说明"), max_length=200, required=False, allow_blank=True)
    recorded_on = serializers.DateField(label=_("登记日期"), required=False, allow_null=True)
    item_id = serializers.IntegerField(
        label=_("更正的收入编号"), required=False, allow_null=True, default=None,
        help_text=_("更正该家庭已登记的一项收入（/api/v1/income-items/）；不填为新增一项收入。"),
    )  # fmt: skip
    expected_item_version = serializers.IntegerField(
        label=_("收入的版本号"), min_value=1, required=False, allow_null=True, default=None,
        help_text=_("更正时必填：读取该收入时的 version。"),
    )  # fmt: skip
    note = _optional_text(_("报告说明"))


# --- Outputs --------------------------------------------------------------------------------------


class ReviewAllowedStepOutput(serializers.Serializer[Any]):
    step = serializers.CharField(label=_("环节代码"), help_text=_("POST /api/v1/reviews/{id}/steps/{step}/"))
    label = serializers.CharField(label=_("环节"))  # type: ignore[assignment]  # DRF takes declared fields off
    is_next = serializers.BooleanField(label=_("是复核正在等待的下一步"))


class ReviewListOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    entitlement_id = serializers.IntegerField(label=_("低保待遇编号"))
    household_id = serializers.IntegerField(source="entitlement.household_id", label=_("家庭编号"))
    head_name = serializers.CharField(source="entitlement.household.head_name", label=_("户主"))
    region_code = serializers.CharField(source="entitlement.region.code", label=_("村（社区）区划代码"))
    region_name = serializers.CharField(source="entitlement.region.name", label=_("村（社区）"))
    program = serializers.CharField(source="entitlement.program.code", label=_("救助项目"))
    trigger = serializers.CharField(label=_("复核原因"))
    trigger_label = serializers.CharField(source="get_trigger_display", label=_("复核原因名称"))
    status = serializers.CharField(
        label=_("状态"), help_text=_("open 待核查、proposed 待审批、decided 已办结、closed 已关闭。")
    )
    status_label = serializers.CharField(source="get_status_display", label=_("状态名称"))
    opened_on = serializers.DateField(label=_("发起日期"))
    due_on = serializers.DateField(label=_("复核期限"))
    is_overdue = serializers.SerializerMethodField(label=_("已超期"))
    event_on = serializers.DateField(label=_("变化发生日期"), allow_null=True)
    person_id = serializers.IntegerField(label=_("相关成员编号"), allow_null=True)
    outcome = serializers.CharField(label=_("复核结论"), help_text=_("提出意见前为空。"))
    outcome_label = serializers.CharField(source="get_outcome_display", label=_("复核结论名称"))
    amount_before_fen = serializers.IntegerField(label=_("原月保障金额（分）"), allow_null=True)
    amount_fen = serializers.IntegerField(label=_("重新核定月保障金额（分）"), allow_null=True)
    effective_month = serializers.DateField(label=_("生效月份"), allow_null=True)
    entitlement_status = serializers.CharField(source="entitlement.status", label=_("待遇状态"))
    version = serializers.IntegerField(label=_("版本号"))

    def get_is_overdue(self, review: Review) -> bool:
        today: datetime.date = self.context.get("today") or timezone.localdate()
        return review.status in ACTIVE_REVIEW_STATUSES and is_overdue(review.due_on, today)


class ReviewEntitlementOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    status = serializers.CharField(label=_("状态"))
    status_label = serializers.CharField(source="get_status_display", label=_("状态名称"))
    monthly_amount_fen = serializers.IntegerField(label=_("当前月保障金额（分）"))
    review_class = serializers.CharField(label=_("复核类别"))
    last_reviewed_on = serializers.DateField(label=_("上次核定日期"), allow_null=True)
    next_review_on = serializers.DateField(label=_("下次定期复核日期"), allow_null=True)
    version = serializers.IntegerField(label=_("版本号"))


class ReviewAssessmentOutput(serializers.Serializer[Any]):
    """The household assessed again when the proposal was made (the policy of that day)."""

    review_class = serializers.CharField(label=_("复核类别"))
    review_class_label = serializers.CharField(source="get_review_class_display", label=_("复核类别名称"))
    eligible = serializers.BooleanField(label=_("仍符合低保条件"))
    amount_before_fen = serializers.IntegerField(label=_("原月保障金额（分）"))
    amount_fen = serializers.IntegerField(label=_("重新核定月保障金额（分）"))
    member_count = serializers.IntegerField(label=_("保障人数"))
    per_capita_income_fen = serializers.IntegerField(label=_("家庭人均月收入（分）"))
    lines = serializers.SerializerMethodField(label=_("保障金额明细"))
    reasons = serializers.SerializerMethodField(label=_("不符合条件的原因"))
    policy_snapshot = serializers.JSONField(
        label=_("适用政策参数"), help_text=_("提出意见当日的低保政策参数（含 on、region）。")
    )

    @extend_schema_field(BenefitLineOutput(many=True))
    def get_lines(self, review: Review) -> list[dict[str, Any]]:
        return benefit_lines(review.lines)

    @extend_schema_field(CodeLabelOutput(many=True))
    def get_reasons(self, review: Review) -> list[dict[str, str]]:
        return [{"code": code, "label": reason_label(code)} for code in review.reason_codes]


class ReviewProposalOutput(serializers.Serializer[Any]):
    findings = serializers.SerializerMethodField(label=_("核查情况"))
    reasons = serializers.SerializerMethodField(label=_("变更理由"))
    proposed_on = serializers.DateField(label=_("提出意见日期"))
    proposed_by_name = serializers.CharField(source="proposed_by.display_name", label=_("提出人"), allow_null=True)
    outcome = serializers.CharField(label=_("复核结论"))
    outcome_label = serializers.CharField(source="get_outcome_display", label=_("复核结论名称"))

    def get_findings(self, review: Review) -> str:
        return mask_in_text(review.findings)

    def get_reasons(self, review: Review) -> str:
        return mask_in_text(review.reasons)


class ReviewDecisionOutput(serializers.Serializer[Any]):
    decided_on = serializers.DateField(label=_("审批日期"))
    decided_by_name = serializers.CharField(source="decided_by.display_name", label=_("审批人"), allow_null=True)
    note = serializers.SerializerMethodField(label=_("审批意见"))
    closed_reason = serializers.SerializerMethodField(label=_("关闭原因"), help_text=_("不同意或因停发关闭时。"))

    def get_note(self, review: Review) -> str:
        return mask_in_text(review.decision_note)

    def get_closed_reason(self, review: Review) -> str:
        return mask_in_text(review.closed_reason)


class ReviewDetailOutput(ReviewListOutput):
    person_name = serializers.CharField(source="person.name", label=_("相关成员"), allow_null=True)
    note = serializers.SerializerMethodField(label=_("发起说明"))
    opened_by_name = serializers.CharField(source="opened_by.display_name", label=_("发起人"), allow_null=True)
    entitlement = ReviewEntitlementOutput(label=_("低保待遇"))
    assessment = serializers.SerializerMethodField(label=_("重新核算"), help_text=_("提出意见前为空。"))
    proposal = serializers.SerializerMethodField(label=_("复核意见"))
    decision = serializers.SerializerMethodField(label=_("审批"), help_text=_("办结或关闭后才有。"))
    grace_months = serializers.IntegerField(label=_("渐退期（月）"))
    stop_month = serializers.DateField(
        label=_("停发月份"), allow_null=True, help_text=_("停发或渐退时：起停发的月份。")
    )
    amount_changes = serializers.SerializerMethodField(label=_("本次复核的待遇变动"))
    allowed_steps = serializers.SerializerMethodField(
        label=_("本人可办理的环节"),
        help_text=_("按复核状态、结论和本人角色可以办理的环节；个别还要满足业务条件，否则返回 409。"),
    )

    def get_note(self, review: Review) -> str:
        return mask_in_text(review.note)

    @extend_schema_field(ReviewAssessmentOutput(allow_null=True))
    def get_assessment(self, review: Review) -> Any:
        if review.eligible is None or review.amount_fen is None or review.amount_before_fen is None:
            return None
        return ReviewAssessmentOutput(review).data

    @extend_schema_field(ReviewProposalOutput(allow_null=True))
    def get_proposal(self, review: Review) -> Any:
        return ReviewProposalOutput(review).data if review.proposed_on is not None else None

    @extend_schema_field(ReviewDecisionOutput(allow_null=True))
    def get_decision(self, review: Review) -> Any:
        return ReviewDecisionOutput(review).data if review.decided_on is not None else None

    @extend_schema_field(AmountChangeOutput(many=True))
    def get_amount_changes(self, review: Review) -> Any:
        return AmountChangeOutput(review.amount_changes.order_by("effective_month", "id"), many=True).data

    @extend_schema_field(ReviewAllowedStepOutput(many=True))
    def get_allowed_steps(self, review: Review) -> list[dict[str, Any]]:
        steps: list[str] = self.context.get("allowed_steps", [])
        next_step = {ReviewStatus.OPEN: ReviewStep.PROPOSE, ReviewStatus.PROPOSED: ReviewStep.DECIDE}.get(
            ReviewStatus(review.status)
        )
        return [{"step": step, "label": str(ReviewStep(step).label), "is_next": step == next_step} for step in steps]


class IncomeChangeOutput(serializers.Serializer[Any]):
    income_item = IncomeItemOutput(label=_("登记的收入"))
    review = ReviewListOutput(
        allow_null=True, label=_("低保复核"), help_text=_("家庭在保时新发起（或并入）的复核，否则为空。")
    )
