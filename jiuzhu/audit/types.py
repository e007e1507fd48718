"""Audit event types, banded per app (0xx accounts and configuration, 1xx registry, 2xx cases,
3xx payments, 4xx relief, 5xx institutions, 6xx oversight)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventType(models.IntegerChoices):
    USER_CREATED = 1, _("创建用户")
    USER_CHANGED = 2, _("修改用户")
    REGIONS_IMPORTED = 10, _("导入行政区划")
    POLICY_VERSION_CREATED = 20, _("新建政策参数版本")
    POLICY_VERSION_CHANGED = 21, _("修改政策参数版本")
    WORKING_DAY_CORRECTION_SET = 30, _("设置工作日调整")
    WORKING_DAY_CORRECTION_REMOVED = 31, _("删除工作日调整")
    JOB_SUBMITTED = 40, _("提交后台任务")
    JOB_RERUN = 41, _("重新运行后台任务")
    JOB_FILE_DOWNLOADED = 42, _("下载任务生成的文件")
    JOB_FILES_EXPIRED = 43, _("删除到期的任务文件")

    HOUSEHOLD_CREATED = 101, _("建立家庭档案")
    HOUSEHOLD_CHANGED = 102, _("修改家庭信息")
    HOUSEHOLD_VIEWED = 103, _("查阅家庭档案")
    HOUSEHOLD_ACCOUNT_REVEALED = 104, _("查看完整银行账号")
    HOUSEHOLD_GENERATED = 105, _("生成演示家庭")
    PERSON_ADDED = 111, _("添加家庭成员")
    PERSON_CHANGED = 112, _("修改成员信息")
    PERSON_MOVED = 113, _("成员迁移到其他家庭")
    PERSON_DIED = 114, _("登记死亡")
    PERSON_BORN = 115, _("登记出生")
    PERSON_MARRIED = 116, _("登记结婚")
    PERSON_ID_REVEALED = 117, _("查看完整身份证号")
    HEAD_CHANGED = 118, _("变更户主")
    INCOME_ITEM_ADDED = 121, _("添加收入")
    INCOME_ITEM_CHANGED = 122, _("修改收入")
    INCOME_ITEM_REMOVED = 123, _("删除收入")
    ASSET_ADDED = 131, _("添加财产")
    ASSET_CHANGED = 132, _("修改财产")
    ASSET_REMOVED = 133, _("删除财产")
    DOCUMENT_UPLOADED = 141, _("上传附件")
    DOCUMENT_VIEWED = 142, _("查看附件")
    DOCUMENT_REMOVED = 143, _("删除附件")

    APPLICATION_SUBMITTED = 201, _("登记低保申请")
    APPLICATION_MATERIALS_COMPLETED = 202, _("补齐申请材料")
    APPLICATION_ACCEPTED = 203, _("受理申请")
    HOME_VISIT_RECORDED = 204, _("登记入户调查")
    VERIFICATION_REQUESTED = 205, _("提请家庭经济状况核对")
    VERIFICATION_RESULT_RECORDED = 206, _("登记核对结果")
    APPLICATION_MARKED_DISPUTED = 207, _("标记有争议")
    APPLICATION_MARKED_SPECIAL = 208, _("标记特殊情况")
    APPRAISAL_RECORDED = 209, _("登记民主评议")
    TOWNSHIP_OPINION_GIVEN = 210, _("乡镇提出初审意见")
    NOTICE_STARTED = 211, _("开始公示")
    NOTICE_OBJECTION_RECORDED = 212, _("登记公示异议")
    APPLICATION_FORWARDED = 213, _("报送审批")
    CADRE_FILING_RECORDED = 214, _("干部近亲属备案")
    APPLICATION_APPROVED = 215, _("批准低保")
    APPLICATION_REFUSED = 216, _("不予批准")
    APPLICATION_PUBLISHED = 217, _("长期公示")
    APPLICATION_WITHDRAWN = 218, _("撤回申请")
    APPLICATION_TERMINATED = 219, _("终止办理")
    APPLICATION_DOCUMENT_PRINTED = 220, _("打印申请文书")
    # Dynamic management (动态管理): reviews and changes of benefits in force.
    REVIEW_OPENED = 221, _("发起低保复核")
    REVIEW_EVENT_ADDED = 222, _("复核追加家庭变化情况")
    REVIEW_PROPOSED = 223, _("提出复核意见")
    REVIEW_DECIDED = 224, _("复核审批（增发、减发、停发或维持）")
    REVIEW_REJECTED = 225, _("复核关闭（不同意复核意见或已停发）")
    BENEFIT_STOPPED = 226, _("停发低保（死亡或转出）")
    GRADUAL_EXIT_FINISHED = 227, _("渐退期满停保")
    APPLICATION_ONBOARDED = 228, _("存量低保对象建档")
    APPLICATION_VIEWED = 229, _("查阅低保案卷")

    PAYROLL_CREATED = 301, _("新建发放名册")
    PAYROLL_GENERATED = 302, _("生成发放名册明细")
    PAYROLL_LOCKED = 303, _("锁定发放名册")
    PAYMENT_OUTCOMES_RECORDED = 304, _("登记发放结果")
    PAYROLL_RECONCILED = 305, _("发放名册对账完成")
    BANK_FILE_EXPORTED = 306, _("生成银行发放文件")
    BANK_RETURN_IMPORTED = 307, _("导入银行回盘文件")
    PAYMENT_INSTITUTION_SAVED = 308, _("保存发放机构设置")
    PAYROLL_ROSTER_PRINTED = 309, _("打印发放花名册")
    FUND_CREATED = 310, _("新建资金账户")
    FUND_ENTRY_RECORDED = 311, _("登记资金台账")
    PAYROLL_CHARGED = 312, _("发放名册列支资金")
    CARD_CUSTODY_RECORDED = 313, _("登记银行卡代管")
    CARD_CUSTODY_ENDED = 314, _("银行卡代管结束")

    DATASET_UPLOADED = 401, _("上传外部数据文件")
    DATASET_IMPORTED = 402, _("导入外部数据")
    DATASET_REFUSED = 403, _("外部数据文件有误，未导入")
    DATASET_DOWNLOADED = 404, _("下载外部数据原文件")
    SWEEP_FINISHED = 405, _("完成交叉核查")
    FLAG_CONFIRMED = 406, _("核查疑点核实属实")
    FLAG_DISMISSED = 407, _("排除核查疑点")
    APPLICATION_CHECKED = 408, _("申请家庭信息核对")
    ONBOARDING_UPLOADED = 501, _("上传存量数据文件")
    ONBOARDING_CHECKED = 502, _("存量数据试导入")
    ONBOARDING_APPLIED = 503, _("存量数据导入")
    ONBOARDING_DOWNLOADED = 504, _("下载存量数据原文件")
    SNAPSHOT_BUILT = 601, _("生成月末统计快照")
    LIST_EXPORTED_WITH_IDS = 602, _("导出含完整身份证号的名单")
    NEAR_POOR_RECOGNISED = 701, _("认定低保边缘家庭")
    NEAR_POOR_ENDED = 702, _("低保边缘家庭退出")


# Reads that are logged but are not changes to the record (shown in the access log, not history).
READ_EVENT_TYPES = frozenset(
    {
        AuditEventType.HOUSEHOLD_VIEWED,
        AuditEventType.HOUSEHOLD_ACCOUNT_REVEALED,
        AuditEventType.PERSON_ID_REVEALED,
        AuditEventType.DOCUMENT_VIEWED,
        AuditEventType.APPLICATION_DOCUMENT_PRINTED,
        AuditEventType.APPLICATION_VIEWED,
        AuditEventType.PAYROLL_ROSTER_PRINTED,
    }
)
