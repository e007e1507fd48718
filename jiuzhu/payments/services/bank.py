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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiuzhu.accounts.jurisdiction import require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import NotFoundOrNoAccess, TransitionNotAllowed, ValidationFailed
from jiuzhu.common.money import fen_to_yuan_text
from jiuzhu.common.sensitive import decrypt_many, lookup_digest
from jiuzhu.common.spreadsheets import XLSX_CONTENT_TYPE
from jiuzhu.payments.access import access_payroll_for_change
from jiuzhu.payments.bank_layout import (
    BankRow,
    Encoding,
    FileFormat,
    Layout,
    UnencodableRows,
    csv_end,
    csv_rows,
    csv_start,
    render,
)
from jiuzhu.payments.bank_return import ReturnFileError, parse_return
from jiuzhu.payments.choices import OutcomeStatus, PayrollLineKind, PayrollStatus
from jiuzhu.payments.models import (
    BankFile,
    BankFileRow,
    BankReturn,
    PaymentInstitution,
    PaymentOutcome,
    Payroll,
    PayrollLine,
)
from jiuzhu.payments.rules import Period
from jiuzhu.payments.services.settlement import outcomes_write
from jiuzhu.programs.rules.resolution import ancestor_codes
from jiuzhu.regions.models import Region
from jiuzhu.registry.models import Household, Person

NO_ACCOUNT = gettext_noop("未登记银行账号，本期未列入银行文件，转下期发放。")
NOTHING_DUE = gettext_noop("本期应发金额不足以抵扣追回款，未列入银行文件，转下期处理。")
CONTENT_TYPES = {
    FileFormat.CSV: "text/csv",
    FileFormat.XLSX: XLSX_CONTENT_TYPE,
}


@dataclass(frozen=True)
class Sent:
    """A payment as the bank file sent it."""

    reference: str
    household_id: int
    amount_fen: int
    account_digest: str


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


def _remark(payroll: Payroll, lines: int, regular: int) -> str:
    label = f"{payroll.program.name}{Period(payroll.period_start, payroll.months).label()}"
    return label if lines == regular else f"{label}（含补发、追回或结转）"


@transaction.atomic(durable=True)
def bank_file_export(
    *, actor: Any, payroll_id: int, institution_id: int, progress: Callable[[int], None] | None = None
) -> BankFileExport:
    """The file for the unsettled households of a locked payroll; `progress` is told the number of
    households done after each part (the background job's bar)."""
    require_capability(actor, Capability.PAYROLL_EXPORT)
    payroll = access_payroll_for_change(actor, payroll_id, lock=True)
    if payroll.status not in (PayrollStatus.LOCKED, PayrollStatus.EXPORTED):
        raise TransitionNotAllowed(_("只有已锁定、尚未对账完成的发放名册才能生成银行文件。"), code="payroll_not_locked")
    institution = next((i for i in institutions_for(payroll) if i.pk == int(institution_id)), None)
    if institution is None:
        raise NotFoundOrNoAccess()
    layout = layout_of(institution)
    period = Period(payroll.period_start, payroll.months).label()
    remarks = {True: _remark(payroll, 1, 1), False: _remark(payroll, 2, 1)}
    now = timezone.now()
    stamp = timezone.localtime(now).strftime("%Y%m%d%H%M%S")
    bank_file = BankFile.objects.create(
        payroll=payroll,
        institution=institution,
        file_name=f"{payroll.region.name}{payroll.program.name}{period}_{institution.name}_{stamp}.{layout.file_format}",
        row_count=0,
        total_fen=0,
        sha256="",
        created_by=actor,
    )
    csv_file = layout.file_format == FileFormat.CSV
    parts: list[bytes] = [csv_start(layout)] if csv_file else []
    all_rows: list[BankRow] = []  # XLSX only: the workbook is written at the end
    left_out: dict[int, str] = {}
    count = total_fen = 0
    # A part at a time (decrypt, write, record), so a province's file never holds all rows twice in memory.
    for unsettled in _unsettled_by_household(payroll):
        paying = []
        for row in unsettled:
            if not row[8]:
                left_out[row[0]] = _(NO_ACCOUNT)
            elif row[2] <= 0:
                left_out[row[0]] = _(NOTHING_DUE)
            else:
                paying.append(row)
        accounts = decrypt_many([row[8] for row in paying])
        id_numbers = decrypt_many([row[10] or "" for row in paying])
        rows: list[BankRow] = []
        for index, (household_id, village, total, lines, regular, head, holder, bank, _c, _d, _i) in enumerate(paying):
            rows.append(
                BankRow(
                    seq=count + index + 1,
                    reference=reference_of(payroll.pk, household_id),
                    holder_name=holder or head,
                    id_number=id_numbers[index],
                    account_number=accounts[index],
                    bank_name=bank or institution.name,
                    amount_fen=total,
                    period=period,
                    village=village,
                    remark=remarks[lines == regular],
                )
            )
        try:
            if csv_file:
                parts.append(csv_rows(rows, layout))
        except UnencodableRows as error:
            names = "、".join(f"第 {seq} 笔 {name}" for seq, name in error.rows[:20])
            raise ValidationFailed(
                _("以下户名含有 %(encoding)s 编码无法表示的字，请将该机构的文件编码改为 GB18030 或 UTF-8：%(names)s")
                % {"encoding": error.encoding.upper(), "names": names},
                code="bank_file_encoding",
            ) from None
        if not csv_file:
            all_rows.extend(rows)
        _rows_insert(bank_file, [(row[0], row[2], row[9]) for row in paying])
        count += len(rows)
        total_fen += sum(row.amount_fen for row in rows)
        if progress is not None:
            progress(count + len(left_out))
    content = b"".join([*parts, csv_end(count, total_fen, layout)]) if csv_file else render(all_rows, layout)
    bank_file.row_count, bank_file.total_fen, bank_file.excluded_count = count, total_fen, len(left_out)
    bank_file.sha256 = hashlib.sha256(content).hexdigest()
    bank_file.save(update_fields=["row_count", "total_fen", "excluded_count", "sha256"])
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


def reference_of(payroll_id: int, household_id: int) -> str:
    """A payment's reference (流水号) in the bank file and the bank's return file."""
    return f"{payroll_id}-{household_id}"


def _rows_insert(bank_file: BankFile, rows: list[tuple[int, int, str]]) -> None:
    """The file's rows, by the driver's executemany (a province's file has a million)."""
    quote = connection.ops.quote_name
    table = quote(BankFileRow._meta.db_table)
    sql = f"INSERT INTO {table} (bank_file_id, household_id, amount_fen, account_digest) VALUES (%s, %s, %s, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 50_000):
            file_id = bank_file.pk
            cursor.executemany(sql, [(file_id, h, a, d) for h, a, d in rows[start : start + 50_000]])


def _unsettled_by_household(payroll: Payroll, part: int = 20_000) -> Iterator[list[tuple[Any, ...]]]:
    """Per household with lines not yet settled, in village order: (household, village name, total,
    lines, regular lines, head's name, account holder, bank, account ciphertext, account digest, head's
    ID ciphertext). One grouped query: a province's bank file reads a million of these."""
    quote = connection.ops.quote_name
    line, outcome = quote(PayrollLine._meta.db_table), quote(PaymentOutcome._meta.db_table)
    household, person = quote(Household._meta.db_table), quote(Person._meta.db_table)
    region = quote(Region._meta.db_table)
    sql = (
        "SELECT l.household_id, MIN(r.name), CAST(SUM(l.amount_fen) AS BIGINT), COUNT(*),"  # noqa: S608 - names only
        " CAST(SUM(CASE WHEN l.kind = %s THEN 1 ELSE 0 END) AS BIGINT),"
        " MIN(h.head_name), MIN(h.account_holder), MIN(h.bank_name), MIN(h.account_number_ciphertext),"
        " MIN(h.account_number_digest), MIN(p.id_number_ciphertext)"
        f" FROM {line} l JOIN {household} h ON h.id = l.household_id"
        f" LEFT JOIN {person} p ON p.id = h.head_id JOIN {region} r ON r.id = l.region_id"
        f" WHERE l.payroll_id = %s AND NOT EXISTS (SELECT 1 FROM {outcome} o WHERE o.line_id = l.id)"
        " GROUP BY l.household_id ORDER BY MIN(r.code), l.household_id"
    )
    with connection.chunked_cursor() as cursor:  # a server-side cursor on PostgreSQL: rows come as read
        cursor.execute(sql, [PayrollLineKind.REGULAR.value, payroll.pk])
        while rows := cursor.fetchmany(part):
            yield [(r[0], r[1], int(r[2]), r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10]) for r in rows]


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
    by_reference: dict[str, Sent] = {}
    by_account: dict[str, Sent] = {}
    for household_id, amount, digest in (
        BankFileRow.objects.filter(bank_file__payroll=payroll)
        .order_by("bank_file_id", "pk")
        .values_list("household_id", "amount_fen", "account_digest")
    ):
        sent = Sent(reference_of(payroll.pk, household_id), household_id, amount, digest)
        by_reference[sent.reference] = sent  # a later file's row replaces an earlier one's
        by_account[digest] = sent
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
