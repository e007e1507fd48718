"""Code lists of the case workflow: statuses, steps, outcomes. Stored values English, labels Chinese."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    MATERIALS_INCOMPLETE = "materials_incomplete", _("材料不全，待补齐")
    SUBMITTED = "submitted", _("已申请，待受理")
    INVESTIGATING = "investigating", _("已受理，调查核实中")
    OPINION_GIVEN = "opinion_given", _("乡镇已提出初审意见")
    IN_NOTICE = "in_notice", _("村（社区）公示中")
    AWAITING_DECISION = "awaiting_decision", _("待审核确认")
    APPROVED = "approved", _("已批准，待长期公示")
    IN_FORCE = "in_force", _("在保")
    STOPPED = "stopped", _("已停保")
    REFUSED = "refused", _("不予批准")
    WITHDRAWN = "withdrawn", _("申请人撤回")
    TERMINATED = "terminated", _("终止办理")


class ApplicationOrigin(models.TextChoices):
    """How a case came into Jiuzhu: through the workflow, or as an existing case of the caseload."""

    APPLIED = "applied", _("申请办理")
    ONBOARDED = "onboarded", _("存量对象建档")
    MIGRATED = "migrated", _("存量数据迁移")


class Step(models.TextChoices):
    SUBMIT = "submit", _("登记申请")
    COMPLETE_MATERIALS = "complete_materials", _("补齐材料")
    ACCEPT = "accept", _("受理")
    HOME_VISIT = "home_visit", _("入户调查")
    VERIFICATION_REQUEST = "verification_request", _("提请经济状况核对")
    VERIFICATION_RESULT = "verification_result", _("登记核对结果")
    MARK_DISPUTED = "mark_disputed", _("标记有争议")
    MARK_SPECIAL = "mark_special", _("标记特殊情况")
    APPRAISAL = "appraisal", _("民主评议")
    TOWNSHIP_OPINION = "township_opinion", _("乡镇初审意见")
    NOTICE_START = "notice_start", _("村（社区）公示")
    NOTICE_OBJECTION = "notice_objection", _("登记公示异议")
    FORWARD = "forward", _("报送审核确认")
    CADRE_FILING = "cadre_filing", _("干部近亲属备案")
    APPROVE = "approve", _("批准")
    REFUSE = "refuse", _("不予批准")
    PUBLISH = "publish", _("长期公示")
    WITHDRAW = "withdraw", _("申请人撤回")
    TERMINATE = "terminate", _("终止办理（不配合调查）")
    STOP = "stop", _("停保")
    ONBOARD = "onboard", _("存量对象建档")


class VerificationResult(models.TextChoices):
    PENDING = "pending", _("核对中")
    PASSED = "passed", _("符合")
    FAILED = "failed", _("不符合")


class DecisionOutcome(models.TextChoices):
    APPROVED = "approved", _("批准")
    REFUSED = "refused", _("不予批准")


class RefusalReason(models.TextChoices):
    INCOME_ABOVE_STANDARD = "income_above_standard", _("家庭人均收入不低于当地低保标准")
    PROPERTY_ABOVE_LIMIT = "property_above_limit", _("家庭财产超过规定")
    VERIFICATION_FAILED = "verification_failed", _("经济状况核对不符合条件")
    FALSE_DECLARATION = "false_declaration", _("隐瞒或虚报家庭收入、财产")
    NOT_RESIDENT = "not_resident", _("不符合户籍或居住条件")
    OTHER = "other", _("其他原因")


class NoticeStageKind(models.TextChoices):
    VILLAGE_NOTICE = "village_notice", _("村（社区）公示")
    PUBLICATION = "publication", _("长期公示")


class AmountChangeKind(models.TextChoices):
    GRANT = "grant", _("新增")
    INCREASE = "increase", _("增发")
    DECREASE = "decrease", _("减发")
    STOP = "stop", _("停发")


class EntitlementStatus(models.TextChoices):
    ACTIVE = "active", _("在保")
    EXITING = "exiting", _("渐退期")
    STOPPED = "stopped", _("已停保")


# --- Dynamic management (动态管理): reviews and changes; codes from cases.review_rules -------------------


class ReviewClass(models.TextChoices):
    STABLE = "stable", _("收入稳定（每年复核）")
    UNSTABLE = "unstable", _("收入不稳定或有劳动能力（每半年复核）")


class ReviewTrigger(models.TextChoices):
    PERIODIC = "periodic", _("定期复核")
    MEMBER_DEATH = "member_death", _("家庭成员死亡")
    MOVE_OUT = "move_out", _("迁出本县（转出）")
    INCOME_CHANGE = "income_change", _("家庭收入变化")
    OTHER = "other", _("其他情况变化")


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("待核查")
    PROPOSED = "proposed", _("待审批")
    DECIDED = "decided", _("已办结")
    CLOSED = "closed", _("已关闭")


class ReviewStep(models.TextChoices):
    PROPOSE = "propose", _("提出复核意见")
    DECIDE = "decide", _("复核审批")
    REJECT = "reject", _("不同意复核意见")


class ReviewOutcome(models.TextChoices):
    NO_CHANGE = "no_change", _("维持不变")
    INCREASE = "increase", _("增发")
    DECREASE = "decrease", _("减发")
    STOP = "stop", _("停发")
    GRADUAL_EXIT = "gradual_exit", _("渐退")


class ApplicantRelation(models.TextChoices):
    """Who applied on the applicant's behalf (代为申请)."""

    FAMILY = "family", _("家庭成员")
    VILLAGE_COMMITTEE = "village_committee", _("村（居）民委员会")
    ENTRUSTED = "entrusted", _("受托人")
    OTHER = "other", _("其他")
