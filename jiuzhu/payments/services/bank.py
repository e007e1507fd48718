"""Paying through the bank (社会化发放): the bank file for a locked payroll, and the bank's return file.

* `bank_file_export`: one row per household with lines not yet settled, for the sum of its lines,
  in the paying institution's layout. Full account and ID numbers appear only in the file, which is
  not kept; producing it is logged (who, when, how many, the total, the file's checksum). A household
  without an account, or whose lines sum to nothing or less (a recovery larger than what is due), is
  left out and its lines are recorded as failed with the reason, so the next payroll carries them
  over. Exporting again lists only the households still without an outcome.
* `bank_return_import`: each row of the return file found by its reference (or account), checked
  against the bank file (account, amount), and recorded as paid or failed with the bank's reason
  for all of the household's lines. Rows that match nothing, or do not agree, are reported line by
  line and change nothing. The payroll is reconciled when every line has an outcome.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiuzhu.accounts.jurisdiction import require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.bulk import insert_rows
from jiuzhu.common.exceptions import NotFoundOrNoAccess, TransitionNotAllowed, ValidationFailed
from jiuzhu.common.money import fen_to_yuan_text
from jiuzhu.common.sensitive import decrypt, lookup_digest
from jiuzhu.payments.access import access_payroll_for_change
from jiuzhu.payments.bank_layout import BankRow, Encoding, FileFormat, Layout, UnencodableRows, render
from jiuzhu.payments.bank_return import ReturnFileError, parse_return
from jiuzhu.payments.choices import OutcomeStatus, PayrollLineKind, PayrollStatus
from jiuzhu.payments.models import BankFile, BankFileRow, BankReturn, PaymentInstitution, Payroll, PayrollLine
from jiuzhu.payments.rules import Period
from jiuzhu.payments.services.settlement import outcomes_write
from jiuzhu.programs.rules.resolution import ancestor_codes
from jiuzhu.registry.models import Household

NO_ACCOUNT = gettext_noop("未登记银行账号，本期未列入银行文件，转下期发放。")
NOTHING_DUE = gettext_noop("本期应发金额不足以抵扣追回款，未列入银行文件，转下期处理。")
CONTENT_TYPES = {
    FileFormat.CSV: "text/csv",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class BankFileExport:
    bank_file: BankFile
    content: bytes
    content_type: str


def layout_of(institution: PaymentInstitution) -> Layout:
    return Layout(
        columns=tuple(institution.columns),
        file_format=FileFormat(institution.file_format),
        encoding=Encoding(institution.encoding),
        header=institution.has_header,
        totals=institution.has_totals,
    )


def institutions_for(payroll: Payroll) -> list[PaymentInstitution]:
    """Active institutions serving the payroll's region (or a region above it)."""
    return list(
        PaymentInstitution.objects.filter(is_active=True, region__code__in=ancestor_codes(payroll.region.code))
        .select_related("region")
        .order_by("name")
    )


def _reference(payroll: Payroll, household_id: int) -> str:
    return f"{payroll.pk}-{household_id}"


def _remark(payroll: Payroll, lines: int, regular: int) -> str:
    label = f"{payroll.program.name}{Period(payroll.period_start, payroll.months).label()}"
    return label if lines == regular else f"{label}（含补发、追回或结转）"


@transaction.atomic(durable=True)
def bank_file_export(*, actor: Any, payroll_id: int, institution_id: int) -> BankFileExport:
    require_capability(actor, Capability.PAYROLL_EXPORT)
    payroll = access_payroll_for_change(actor, payroll_id, lock=True)
    if payroll.status not in (PayrollStatus.LOCKED, PayrollStatus.EXPORTED):
        raise TransitionNotAllowed(_("只有已锁定、尚未对账完成的发放名册才能生成银行文件。"), code="payroll_not_locked")
    institution = next((i for i in institutions_for(payroll) if i.pk == int(institution_id)), None)
    if institution is None:
        raise NotFoundOrNoAccess()
    layout = layout_of(institution)
    period = Period(payroll.period_start, payroll.months).label()
    per_household = (
        PayrollLine.objects.filter(payroll=payroll, outcome__isnull=True)
        .values("household_id")
        .annotate(total=Sum("amount_fen"), lines=Count("pk"), regular=Count("pk", filter=_regular_only()))
        .order_by("region__code", "household_id")
        .values_list("household_id", "region__name", "total", "lines", "regular")
    )
    households = _household_rows(payroll)
    rows: list[BankRow] = []
    file_rows: list[dict[str, Any]] = []
    left_out: dict[int, str] = {}
    for household_id, village, total, lines, regular in per_household:
        head_name, holder, bank_name, ciphertext, digest, masked, id_ciphertext = households[household_id]
        if not ciphertext:
            left_out[household_id] = _(NO_ACCOUNT)
            continue
        if total <= 0:
            left_out[household_id] = _(NOTHING_DUE)
            continue
        reference = _reference(payroll, household_id)
        rows.append(
            BankRow(
                seq=len(rows) + 1,
                reference=reference,
                holder_name=holder or head_name,
                id_number=decrypt(id_ciphertext) if id_ciphertext else "",
                account_number=decrypt(ciphertext),
                bank_name=bank_name or institution.name,
                amount_fen=total,
                period=period,
                village=village,
                remark=_remark(payroll, lines, regular),
            )
        )
        file_rows.append(
            {
                "reference": reference,
                "household_id": household_id,
                "amount_fen": total,
                "account_digest": digest,
                "account_masked": masked,
            }
        )
    try:
        content = render(rows, layout)
    except UnencodableRows as error:
        names = "、".join(f"第 {seq} 笔 {name}" for seq, name in error.rows[:20])
        raise ValidationFailed(
            _("以下户名含有 %(encoding)s 编码无法表示的字，请将该机构的文件编码改为 GB18030 或 UTF-8：%(names)s")
            % {"encoding": error.encoding.upper(), "names": names},
            code="bank_file_encoding",
        ) from None
    now = timezone.now()
    stamp = timezone.localtime(now).strftime("%Y%m%d%H%M%S")
    bank_file = BankFile.objects.create(
        payroll=payroll,
        institution=institution,
        file_name=f"{payroll.region.name}{payroll.program.name}{period}_{institution.name}_{stamp}.{layout.file_format}",
        row_count=len(rows),
        total_fen=sum(row.amount_fen for row in rows),
        excluded_count=len(left_out),
        sha256=hashlib.sha256(content).hexdigest(),
        created_by=actor,
    )
    insert_rows(BankFileRow, file_rows, defaults=BankFileRow(bank_file=bank_file))
    before = payroll.status
    payroll.status, payroll.exported_at, payroll.exported_by = PayrollStatus.EXPORTED, now, actor
    payroll.version += 1
    payroll.save(update_fields=["status", "exported_at", "exported_by", "version"])
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.BANK_FILE_EXPORTED,
        subject=payroll,
        region_code=payroll.region.code,
        before={"status": before},
        after={
            "status": payroll.status,
            "bank_file": bank_file.pk,
            "institution": institution.name,
            "rows": bank_file.row_count,
            "total_fen": bank_file.total_fen,
            "left_out": len(left_out),
            "sha256": bank_file.sha256,
        },
    )
    if left_out:
        _fail_households(actor, payroll, left_out, source="bank_file_export")
    return BankFileExport(bank_file=bank_file, content=content, content_type=CONTENT_TYPES[layout.file_format])


def _regular_only() -> Q:
    return Q(kind=PayrollLineKind.REGULAR)


def _household_rows(payroll: Payroll) -> dict[int, tuple[Any, ...]]:
    ids = PayrollLine.objects.filter(payroll=payroll, outcome__isnull=True).values("household_id")
    return {
        row[0]: row[1:]
        for row in Household.objects.filter(pk__in=ids).values_list(
            "pk",
            "head_name",
            "account_holder",
            "bank_name",
            "account_number_ciphertext",
            "account_number_digest",
            "account_number_masked",
            "head__id_number_ciphertext",
        )
    }


def _fail_households(actor: Any, payroll: Payroll, reasons: dict[int, str], *, source: str) -> tuple[int, int]:
    return _settle_households(actor, payroll, {h: (OutcomeStatus.FAILED.value, r) for h, r in reasons.items()}, source)


def _settle_households(
    actor: Any, payroll: Payroll, results: dict[int, tuple[str, str]], source: str
) -> tuple[int, int]:
    """Outcomes for every unsettled line of each household: {household: (status, reason)}."""
    outcomes: dict[int, tuple[str, str]] = {}
    households = list(results)
    for start in range(0, len(households), 5000):
        for line_id, household_id in PayrollLine.objects.filter(
            payroll=payroll, outcome__isnull=True, household_id__in=households[start : start + 5000]
        ).values_list("pk", "household_id"):
            outcomes[line_id] = results[household_id]
    return outcomes_write(actor=actor, payroll=payroll, outcomes=outcomes, source=source)


@transaction.atomic(durable=True)
def bank_return_import(*, actor: Any, payroll_id: int, file_name: str, content: bytes) -> BankReturn:
    require_capability(actor, Capability.PAYROLL_EXPORT)
    payroll = access_payroll_for_change(actor, payroll_id, lock=True)
    if payroll.status != PayrollStatus.EXPORTED:
        raise TransitionNotAllowed(
            _("只有已导出银行文件、尚未对账完成的发放名册才能导入回盘文件。"), code="payroll_not_exported"
        )
    try:
        parsed = parse_return(content)
    except ReturnFileError as error:
        raise ValidationFailed(str(error), code="return_file_invalid") from None
    by_reference: dict[str, BankFileRow] = {}
    by_account: dict[str, BankFileRow] = {}
    for sent in BankFileRow.objects.filter(bank_file__payroll=payroll).order_by("bank_file_id", "pk"):
        by_reference[sent.reference] = sent  # a later file's row replaces an earlier one's
        by_account[sent.account_digest] = sent
    unsettled = set(
        PayrollLine.objects.filter(payroll=payroll, outcome__isnull=True).values_list("household_id", flat=True)
    )
    problems = list(parsed.problems)
    results: dict[int, tuple[str, str]] = {}
    for row in parsed.rows:
        digest = lookup_digest(row.account) if row.account else ""
        match = by_reference.get(row.reference) if row.reference else None
        if match is None and digest:
            match = by_account.get(digest)
        where = _("第 %(line)s 行") % {"line": row.line}
        if match is None:
            problems.append(
                _("%(where)s：流水号“%(ref)s”、账号尾号“%(tail)s”在本名册的银行文件中找不到，未处理。")
                % {"where": where, "ref": row.reference or "—", "tail": row.account[-4:] or "—"}
            )
        elif digest and digest != match.account_digest:
            problems.append(_("%(where)s：账号与银行文件中的不一致，未处理。") % {"where": where})
        elif row.amount_fen != match.amount_fen:
            problems.append(
                _("%(where)s：金额 %(got)s 元与银行文件中的 %(sent)s 元不符，未处理。")
                % {"where": where, "got": _yuan(row.amount_fen), "sent": _yuan(match.amount_fen)}
            )
        elif match.household_id in results:
            problems.append(
                _("%(where)s：同一笔（%(ref)s）在文件中出现两次，只处理第一次。")
                % {"where": where, "ref": match.reference}
            )
        elif match.household_id not in unsettled:
            problems.append(
                _("%(where)s：这一笔（%(ref)s）已登记过发放结果，未处理。") % {"where": where, "ref": match.reference}
            )
        else:
            reason = "" if row.paid else (row.reason or _("银行未注明原因"))
            results[match.household_id] = (OutcomeStatus.PAID.value if row.paid else OutcomeStatus.FAILED.value, reason)
    if results:
        _settle_households(actor, payroll, results, source=f"bank_return:{file_name}")
    bank_return = BankReturn.objects.create(
        payroll=payroll,
        file_name=file_name[:128],
        row_count=len(parsed.rows) + len(parsed.problems),
        paid_count=sum(1 for status, _reason in results.values() if status == OutcomeStatus.PAID),
        failed_count=sum(1 for status, _reason in results.values() if status == OutcomeStatus.FAILED),
        problems=problems,
        uploaded_by=actor,
    )
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.BANK_RETURN_IMPORTED,
        subject=payroll,
        region_code=payroll.region.code,
        after={
            "file": bank_return.file_name,
            "rows": bank_return.row_count,
            "paid": bank_return.paid_count,
            "failed": bank_return.failed_count,
            "not_applied": len(problems),
        },
    )
    return bank_return


def _yuan(fen: int | None) -> str:
    return fen_to_yuan_text(fen or 0)
