"""Payrolls (发放名册) and their lines. See `payments.rules` for what a line pays and
docs/decisions/ADR-009-payroll.md for why lines are never edited after lock."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiuzhu.payments.bank_layout import DEFAULT_COLUMNS
from jiuzhu.payments.choices import (
    EncodingChoice,
    FileFormatChoice,
    FundEntryKind,
    FundSource,
    InstitutionKind,
    OutcomeStatus,
    PayrollLineKind,
    PayrollStatus,
)


def default_columns() -> list[str]:
    return list(DEFAULT_COLUMNS)


class Payroll(models.Model):
    """One programme's payroll for one region (a county, a township or any subtree) and one period
    (a month, or a quarter where the policy pays quarterly). `line_count` and `total_fen` are
    written when generation finishes and checked against the lines when the payroll is locked."""

    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("发放期起始月份"))
    months = models.PositiveSmallIntegerField(_("发放期月数"))
    pay_on = models.DateField(_("发放日"))
    status = models.CharField(_("状态"), max_length=16, choices=PayrollStatus.choices, default=PayrollStatus.DRAFT)
    line_count = models.PositiveIntegerField(_("明细行数"), default=0)
    total_fen = models.BigIntegerField(_("合计金额（分）"), default=0)
    household_count = models.PositiveIntegerField(_("户数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("生成人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    generation_started_at = models.DateTimeField(_("最近一次生成开始时间"), null=True, blank=True)
    generated_at = models.DateTimeField(_("最近一次生成完成时间"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("锁定人"),
    )
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    exported_at = models.DateTimeField(_("导出时间"), null=True, blank=True)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("导出人"),
    )
    reconciled_at = models.DateTimeField(_("对账完成时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("发放名册")
        verbose_name_plural = _("发放名册")
        ordering = ["-period_start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "region", "period_start"], name="payroll_one_per_period"),
            models.CheckConstraint(condition=models.Q(months__in=[1, 3]), name="payroll_months_month_or_quarter"),
        ]
        indexes = [models.Index(fields=["program", "period_start"], name="payroll_program_period_idx")]

    def __str__(self) -> str:
        return f"{self.program_id} {self.region_id} {self.period_start}"


class PayrollLine(models.Model):
    """One payment for one case and one month. Never changed once the payroll is locked: a
    correction is a new line (补发, 追回) in a later payroll. The month's regular line is unique per
    case, programme and month, so no month is paid twice however often generation runs."""

    payroll = models.ForeignKey(Payroll, on_delete=models.PROTECT, related_name="lines", db_index=False)
    entitlement = models.ForeignKey(
        "cases.Entitlement", on_delete=models.PROTECT, related_name="payroll_lines", db_index=False
    )
    # Copies of the case's household, programme and region, written with the line by generation's
    # INSERT … SELECT from the case itself, for grouping and scoping without a join. They carry no
    # foreign-key constraint: the case's own constraint already guarantees them, and a constraint
    # per copy would cost every line three more checks on insert (a province writes a million) and
    # make deleting a household or region scan every line.
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    month = models.DateField(_("所属月份"))
    kind = models.CharField(_("类型"), max_length=16, choices=PayrollLineKind.choices)
    amount_fen = models.BigIntegerField(_("金额（分）"))

    class Meta:
        verbose_name = _("发放明细")
        verbose_name_plural = _("发放明细")
        constraints = [
            models.UniqueConstraint(
                fields=["entitlement", "program", "month"],
                condition=models.Q(kind="regular"),
                name="payroll_line_one_regular_per_case_month",
            ),
            models.UniqueConstraint(
                fields=["payroll", "entitlement", "month"],
                condition=~models.Q(kind="regular"),
                name="payroll_line_one_adjustment_per_payroll",
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="recovery") & models.Q(amount_fen__lt=0))
                | (~models.Q(kind="recovery") & models.Q(amount_fen__gt=0)),
                name="payroll_line_amount_sign",
            ),
        ]
        indexes = [
            models.Index(fields=["payroll", "region"], name="payroll_line_payroll_idx"),
            models.Index(fields=["entitlement", "month"], name="payroll_line_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.entitlement_id} {self.month} {self.kind} {self.amount_fen}"


class PaymentOutcome(models.Model):
    """What the bank (or the cashier) reported for one line: paid, or failed with a reason. A failed
    line's month is paid again as a carry-over (结转) line in the next payroll."""

    line = models.OneToOneField(PayrollLine, on_delete=models.PROTECT, primary_key=True, related_name="outcome")
    status = models.CharField(_("结果"), max_length=16, choices=OutcomeStatus.choices)
    reason = models.TextField(_("失败原因"), blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("发放结果")
        verbose_name_plural = _("发放结果")
        indexes = [
            models.Index(
                fields=["recorded_at"], condition=models.Q(status="failed"), name="payment_outcome_failed_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} {self.status}"


class PaymentInstitution(models.Model):
    """A bank, rural credit union or post office paying a county's benefits (发放机构), with the
    layout of the files it takes (`payments.bank_layout`). Configuration data: the admin saves it
    through `payments.services.institutions`."""

    name = models.CharField(_("机构名称"), max_length=64)
    kind = models.CharField(_("机构类型"), max_length=16, choices=InstitutionKind.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("服务地区"))
    file_format = models.CharField(_("文件格式"), max_length=8, choices=FileFormatChoice.choices, default="csv")
    encoding = models.CharField(_("文件编码"), max_length=16, choices=EncodingChoice.choices, default="utf-8")
    columns = models.JSONField(_("列（按顺序）"), default=default_columns)
    has_header = models.BooleanField(_("首行为表头"), default=True)
    has_totals = models.BooleanField(_("末行为合计"), default=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("发放机构")
        verbose_name_plural = _("发放机构")
        ordering = ["region__code", "name"]

    def __str__(self) -> str:
        return self.name


class BankFile(models.Model):
    """One bank file produced for a payroll (the file itself is not kept: it holds full account
    numbers; its checksum and rows are)."""

    payroll = models.ForeignKey(Payroll, on_delete=models.PROTECT, related_name="bank_files")
    institution = models.ForeignKey(PaymentInstitution, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("文件名"), max_length=128)
    row_count = models.PositiveIntegerField(_("笔数"))
    total_fen = models.BigIntegerField(_("金额（分）"))
    excluded_count = models.PositiveIntegerField(_("未列入的户数"), default=0)
    sha256 = models.CharField(_("校验值"), max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("银行文件")
        verbose_name_plural = _("银行文件")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class BankFileRow(models.Model):
    """One payment in a bank file: a household's unsettled lines of the payroll, summed. Its reference
    in the file is "<payroll id>-<household id>" (`reference`); the account's keyed hash is kept to
    check the account a return file names."""

    bank_file = models.ForeignKey(BankFile, on_delete=models.CASCADE, related_name="rows")
    # Taken from the payroll's lines (whose case guarantees it), a million per province file: no
    # constraint of its own, for the same reasons as `PayrollLine.household`.
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    amount_fen = models.BigIntegerField(_("金额（分）"))
    account_digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("银行文件明细")
        verbose_name_plural = _("银行文件明细")

    def __str__(self) -> str:
        return f"{self.bank_file_id} {self.household_id} {self.amount_fen}"


class BankReturn(models.Model):
    """A return file imported for a payroll, with what was applied and what was not (by line)."""

    payroll = models.ForeignKey(Payroll, on_delete=models.PROTECT, related_name="bank_returns")
    file_name = models.CharField(_("文件名"), max_length=128)
    row_count = models.PositiveIntegerField(_("行数"))
    paid_count = models.PositiveIntegerField(_("成功笔数"))
    failed_count = models.PositiveIntegerField(_("失败笔数"))
    problems = models.JSONField(_("未处理的行"), default=list)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("银行回盘")
        verbose_name_plural = _("银行回盘")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class Fund(models.Model):
    """Money for one programme and year from one source (中央、省、市、县、乡镇), held by a region
    (usually the county). Special-account rule (专款专用): a fund pays its own programme only."""

    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    source = models.CharField(_("资金来源"), max_length=16, choices=FundSource.choices)
    name = models.CharField(_("资金名称"), max_length=128)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("资金")
        verbose_name_plural = _("资金")
        ordering = ["-year", "program_id", "source"]
        constraints = [
            models.UniqueConstraint(fields=["program", "region", "year", "source"], name="fund_one_per_source_year")
        ]

    def __str__(self) -> str:
        return self.name


class FundEntry(models.Model):
    """One entry of a fund's ledger (资金台账): money in (allocation, advance) positive, money out
    (payroll, repaid advance) negative. Entries are never changed; a mistake is corrected by an entry."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("类型"), max_length=16, choices=FundEntryKind.choices)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    entered_on = models.DateField(_("日期"))
    payroll = models.ForeignKey(Payroll, null=True, blank=True, on_delete=models.PROTECT, related_name="fund_entries")
    document_no = models.CharField(_("文号或凭证号"), max_length=64, blank=True)
    note = models.TextField(_("摘要"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("资金台账")
        verbose_name_plural = _("资金台账")
        ordering = ["entered_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "payroll"], condition=models.Q(kind="payroll"), name="fund_entry_payroll_once"
            ),
            models.CheckConstraint(
                condition=(models.Q(kind__in=["allocation", "advance"]) & models.Q(amount_fen__gt=0))
                | (models.Q(kind__in=["payroll", "advance_repaid"]) & models.Q(amount_fen__lt=0)),
                name="fund_entry_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.kind} {self.amount_fen}"


class CardCustody(models.Model):
    """A family's bank card or passbook kept by a member of staff (代管), with the written agreement on
    file, as the rules require (S2 Art. 26). One open custody per household; ending one keeps the row."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="card_custodies")
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("代管人")
    )
    held_since = models.DateField(_("代管起始日期"))
    agreement = models.ForeignKey(
        "registry.Document", on_delete=models.PROTECT, related_name="+", verbose_name=_("代管协议")
    )
    note = models.TextField(_("说明"), blank=True)
    ended_on = models.DateField(_("归还日期"), null=True, blank=True)
    end_note = models.TextField(_("归还说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("银行卡代管")
        verbose_name_plural = _("银行卡代管")
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=models.Q(ended_on__isnull=True), name="card_custody_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.held_by_id}"
