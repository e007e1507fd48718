"""Stored codes of the payments app, with their Chinese labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiuzhu.payments.bank_layout import Encoding, FileFormat
from jiuzhu.payments.rules import LineKind


class PayrollStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    LOCKED = "locked", _("已锁定")
    EXPORTED = "exported", _("已导出银行文件")
    RECONCILED = "reconciled", _("已对账")


class PayrollLineKind(models.TextChoices):
    REGULAR = LineKind.REGULAR.value, _("正常发放")
    ARREARS = LineKind.ARREARS.value, _("补发")
    CARRY_OVER = LineKind.CARRY_OVER.value, _("结转（上期发放失败）")
    RECOVERY = LineKind.RECOVERY.value, _("追回")


class OutcomeStatus(models.TextChoices):
    PAID = "paid", _("已到账")
    FAILED = "failed", _("发放失败")


class InstitutionKind(models.TextChoices):
    BANK = "bank", _("银行")
    CREDIT_UNION = "credit_union", _("农村信用社")
    POST_OFFICE = "post_office", _("邮政储蓄")


class FileFormatChoice(models.TextChoices):
    CSV = FileFormat.CSV.value, "CSV"
    XLSX = FileFormat.XLSX.value, "XLSX"


class EncodingChoice(models.TextChoices):
    UTF8 = Encoding.UTF8.value, "UTF-8"
    GBK = Encoding.GBK.value, "GBK"
    GB18030 = Encoding.GB18030.value, "GB18030"


class FundSource(models.TextChoices):
    CENTRAL = "central", _("中央")
    PROVINCIAL = "provincial", _("省级")
    PREFECTURE = "prefecture", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇")


class FundEntryKind(models.TextChoices):
    ALLOCATION = "allocation", _("资金拨入")
    ADVANCE = "advance", _("垫付")
    ADVANCE_REPAID = "advance_repaid", _("归还垫付")
    PAYROLL = "payroll", _("发放支出")
