"""Onboarding an office's spreadsheet: a dry run that writes nothing and lists every row's outcome,
an import that writes each household whole or not at all (household, members, the migrated case
and the extract in its file), and a second import of the same file that changes nothing."""

from __future__ import annotations

import datetime
import io
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.db import DatabaseError
from pypdf import PdfReader

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.choices import ApplicationOrigin, ApplicationStatus
from jiuzhu.cases.models import AmountChange, Application, Entitlement
from jiuzhu.common.exceptions import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from jiuzhu.common.sensitive import decrypt
from jiuzhu.onboarding.models import BatchStatus, OnboardingBatch, Outcome
from jiuzhu.onboarding.services import batches
from jiuzhu.onboarding.services.batches import batch_apply, batch_columns_confirm, batch_upload
from jiuzhu.programs.models import Program
from jiuzhu.regions.models import Region
from jiuzhu.registry.choices import DocumentKind
from jiuzhu.registry.models import Document, Household, Person
from jiuzhu.testing.builders import COUNTY, TOWNSHIP, make_household, new_id_number, person
from jiuzhu.testing.jobs import work_the_queue

pytestmark = pytest.mark.django_db

GO_LIVE = datetime.date(2026, 6, 1)
ACCOUNT = "6228480012345678901"
HEADER = (
    "户编号,所属村（社区）,户籍类型,家庭住址,姓名,身份证号,与户主关系,开户银行,银行账号,"
    "保障类别,月保障金额（元）,起始发放年月\r\n"
)


def make_people() -> list[str]:
    return [new_id_number(datetime.date(1960 + n, 3, 1)) for n in range(8)]


@pytest.fixture
def people():
    return make_people()


def _file(people, *, amount="144.00", bad_check_digit=True):
    bad = people[5][:-1] + ("0" if people[5][-1] != "0" else "1")
    return (
        HEADER
        + f"A1,凤凰村,农村,凤凰村一组3号,张大山,{people[0]},户主,农村信用社,{ACCOUNT},农村低保,{amount},2019-03\r\n"
        + f"A1,,,,李秀英,{people[1]},配偶,,,,,\r\n"
        + f"A2,石桥村,农村,石桥村二组,王老五,{people[2]},户主,,,,,\r\n"
        + f"A3,凤凰村,农村,凤凰村四组,赵六,{people[4]},户主,,,农村低保,72,2020-01\r\n"
        + f"A3,,,,赵小六,{bad if bad_check_digit else people[5]},子女,,,,,\r\n"
        + f"A3,,,,赵七,{people[6]},外甥,,,,,\r\n"
    ).encode("gbk")


def _upload(users, content, who="county_officer", region=COUNTY, name="2026年低保台账.csv"):
    return batch_upload(
        actor=users[who], region_code=region, go_live=GO_LIVE, reason="2026年5月低保台账",
        upload=io.BytesIO(content), file_name=name,
    )  # fmt: skip


def _dry_run(users, content, **kwargs):
    batch = _upload(users, content, **kwargs)
    batch_columns_confirm(actor=users["county_officer"], batch_id=batch.pk, columns=batch.columns)
    work_the_queue()
    batch.refresh_from_db()
    return batch


def _outcomes(batch):
    return {h.key: h.outcome for h in batch.households.all()}


def _apply(users, batch):
    batch_apply(actor=users["county_approver"], batch_id=batch.pk)
    work_the_queue()
    batch.refresh_from_db()
    return batch


def test_the_dry_run_lists_every_row_and_writes_nothing(policy, users, people):
    before = Household.objects.count()
    batch = _dry_run(users, _file(people))
    assert batch.status == BatchStatus.CHECKED and batch.row_count == 6 and batch.encoding == "gb18030"
    assert _outcomes(batch) == {"A1": Outcome.NEW_WITH_CASE, "A2": Outcome.NEW, "A3": Outcome.ERROR}
    assert batch.counts == {"new_with_case": 1, "new": 1, "error": 1}
    a3 = batch.households.get(key="A3")
    assert [(p["line"], p["column"]) for p in a3.problems] == [(6, "身份证号"), (7, "与户主关系")]
    assert "校验位" in a3.problems[0]["message"] and people[5][6:14] not in str(a3.problems)  # masked
    assert [row["line"] for row in a3.rows] == [5, 6, 7] and "*" in a3.rows[1]["id_masked"]
    a1 = batch.households.get(key="A1")
    assert (a1.amount_fen, a1.first_month, a1.head_name) == (14400, datetime.date(2019, 3, 1), "张大山")
    assert Household.objects.count() == before and not Application.objects.exists()
    assert AuditEvent.objects.filter(event_type=AuditEventType.ONBOARDING_CHECKED, subject_id=str(batch.pk)).exists()
    with default_storage.open(batch.stored_file, "rb") as stored:
        assert people[0].encode() not in stored.read()  # the original is kept encrypted


def test_applying_writes_each_good_household_with_its_migrated_case_and_source(policy, users, people):
    batch = _apply(users, _dry_run(users, _file(people)))
    assert batch.status == BatchStatus.APPLIED
    assert _outcomes(batch) == {"A1": Outcome.APPLIED, "A2": Outcome.APPLIED, "A3": Outcome.ERROR}
    a1 = batch.households.get(key="A1")
    household = Household.objects.get(pk=a1.household_id)
    assert household.region.name == "凤凰村" and household.head_name == "张大山"
    assert sorted(household.members.values_list("name", flat=True)) == ["张大山", "李秀英"]
    assert household.account_number_masked.startswith("6228") and "*" in household.account_number_masked
    application = Application.objects.get(pk=a1.application_id)
    assert application.status == ApplicationStatus.IN_FORCE and application.origin == ApplicationOrigin.MIGRATED
    assert "2026年低保台账.csv 第 2–3 行" in application.origin_note
    entitlement = Entitlement.objects.get(application=application)
    assert (entitlement.monthly_amount_fen, entitlement.first_month) == (14400, datetime.date(2019, 3, 1))
    assert application.decision.policy_snapshot["migrated"] is True and application.decision.member_count == 2
    # Jiuzhu pays from the go-live month: no arrears for the years before.
    assert list(AmountChange.objects.filter(entitlement=entitlement).values_list("effective_month", "amount_fen")) == [
        (GO_LIVE, 14400)
    ]
    document = Document.objects.get(household=household, kind=DocumentKind.MIGRATION_SOURCE)
    with document.file.open("rb") as pdf:
        text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "存量数据迁移来源" in text and "2026年低保台账.csv" in text and "144.00" in text
    assert people[0] not in text and people[0][:6] in text  # masked
    a2 = Household.objects.get(pk=batch.households.get(key="A2").household_id)
    assert not Application.objects.filter(household=a2).exists()  # registered only
    assert not Person.objects.filter(name="赵六").exists()  # the household with errors: nothing
    applied = AuditEvent.objects.get(event_type=AuditEventType.ONBOARDING_APPLIED, subject_id=str(batch.pk))
    assert applied.after == {"applied": 2, "error": 1} and applied.actor == users["county_approver"]
    assert AuditEvent.objects.filter(event_type=AuditEventType.HOUSEHOLD_CREATED).count() == 2


def test_importing_the_same_file_again_changes_nothing(policy, users, people):
    _apply(users, _dry_run(users, _file(people)))
    counts = (Household.objects.count(), Person.objects.count(), Application.objects.count(), Document.objects.count())
    again = _dry_run(users, _file(people))
    assert _outcomes(again) == {"A1": Outcome.UNCHANGED, "A2": Outcome.UNCHANGED, "A3": Outcome.ERROR}
    with pytest.raises(TransitionNotAllowed) as refused:
        batch_apply(actor=users["county_approver"], batch_id=again.pk)
    assert refused.value.code == "nothing_to_apply"
    # The corrected file: A3 now imports, the others are still unchanged.
    fixed = _apply(
        users, _dry_run(users, _file(people, bad_check_digit=False).replace("外甥".encode("gbk"), "其他".encode("gbk")))
    )
    assert _outcomes(fixed) == {"A1": Outcome.UNCHANGED, "A2": Outcome.UNCHANGED, "A3": Outcome.APPLIED}
    assert Household.objects.count() == counts[0] + 1 and Application.objects.count() == counts[2] + 1


def test_a_registered_household_differing_from_the_file_is_an_error_and_one_without_a_case_gets_it(
    policy, users, people
):
    _apply(users, _dry_run(users, _file(people)))
    changed = _file(people, amount="150.00").replace(
        f"A2,石桥村,农村,石桥村二组,王老五,{people[2]},户主,,,,,".encode("gbk"),
        f"A2,石桥村,农村,石桥村二组,王老五,{people[2]},户主,,,农村低保,72,2021-05".encode("gbk"),
    )
    batch = _dry_run(users, changed)
    assert _outcomes(batch)["A2"] == Outcome.ADD_CASE
    a1 = batch.households.get(key="A1")
    assert a1.outcome == Outcome.ERROR and "与当时导入的不一致" in a1.problems[0]["message"]
    _apply(users, batch)
    household = Household.objects.get(head_name="王老五")
    assert Entitlement.objects.get(household=household).monthly_amount_fen == 7200


def test_a_household_that_fails_while_applying_is_left_out_whole(policy, users, people):
    batch = _dry_run(users, _file(people))
    real = batches.entitlement_migrate

    def failing(*, actor, case, go_live, reason):
        real(actor=actor, case=case, go_live=go_live, reason=reason)  # written, then the household fails
        raise ValidationFailed("模拟：写入时出错")

    with mock.patch("jiuzhu.onboarding.services.batches.entitlement_migrate", failing):
        batch = _apply(users, batch)
    assert _outcomes(batch) == {"A1": Outcome.FAILED, "A2": Outcome.APPLIED, "A3": Outcome.ERROR}
    assert batch.households.get(key="A1").problems[0]["message"] == "模拟：写入时出错"
    assert not Person.objects.filter(name__in=["张大山", "李秀英"]).exists()  # rolled back whole
    assert not Application.objects.exists() and Person.objects.filter(name="王老五").exists()
    # Imported again, the failed household goes in and the others are unchanged.
    again = _apply(users, _dry_run(users, _file(people)))
    assert _outcomes(again) == {"A1": Outcome.APPLIED, "A2": Outcome.UNCHANGED, "A3": Outcome.ERROR}


def test_villages_people_already_registered_and_repeats_in_the_file_are_named(policy, users, people, world):
    member = world.household_a.members.get(relation="spouse")
    content = (
        HEADER
        + f"B1,凤凰村,农村,凤凰村,甲,{people[0]},户主,,,,,\r\n"
        + f"B1,,,,乙,{people[1]},配偶,,,,,\r\n"
        + f"B2,白岩村,农村,白岩村,丙,{people[2]},户主,,,,,\r\n"  # another township's village, county batch: fine
        + f"B3,不存在村,农村,某地,丁,{people[3]},户主,,,,,\r\n"
        + f"B4,石桥村,农村,石桥村,戊,{people[4]},户主,,,,,\r\n"
        + f"B4,,,,己,{people[1]},子女,,,,,\r\n"
    ).encode("utf-8-sig")
    batch = _dry_run(users, content)
    outcomes = _outcomes(batch)
    assert outcomes == {"B1": Outcome.ERROR, "B2": Outcome.NEW, "B3": Outcome.ERROR, "B4": Outcome.ERROR}
    assert "不是开江县的村" in batch.households.get(key="B3").problems[0]["message"]
    assert batch.households.get(key="B1").problems[0]["message"] == "同一身份证号在文件中出现了不止一次"
    # A member registered elsewhere is named with the household that holds them.
    content = (HEADER + f"C1,凤凰村,农村,凤凰村,庚,{people[7]},户主,,,,,\r\n").encode() + (
        f"C1,,,,李梅,{_id_of(member)},配偶,,,,,\r\n".encode()
    )
    batch = _dry_run(users, content)
    problem = batch.households.get(key="C1").problems[0]
    assert problem["line"] == 3 and "已登记在" in problem["message"] and "张三户" in problem["message"]


def _id_of(person):
    return decrypt(person.id_number_ciphertext)


def test_files_that_cannot_be_used_are_refused_with_the_reason(policy, users, people):
    with pytest.raises(ValidationFailed) as empty:
        _upload(users, b"")
    assert empty.value.code == "file_empty"
    batch = _upload(users, "户编号,姓名\r\n1,张三\r\n".encode())
    with pytest.raises(ValidationFailed) as missing:
        batch_columns_confirm(actor=users["county_officer"], batch_id=batch.pk, columns=batch.columns)
    assert "缺少必需的列：身份证号、与户主关系" in str(missing.value)
    header_only = _dry_run(users, HEADER.encode())
    assert header_only.status == BatchStatus.REFUSED and "没有数据行" in header_only.refusal
    with pytest.raises(ValidationFailed) as utf16:
        _upload(users, _file(people).decode("gbk").encode("utf-16"))
    assert utf16.value.code == "file_unreadable"


def test_who_may_upload_and_who_may_apply(policy, users, people):
    with pytest.raises(PermissionDeniedError):
        _upload(users, _file(people), who="township", region=TOWNSHIP)
    batch = _dry_run(users, _file(people))
    with pytest.raises(PermissionDeniedError):  # the officer prepares; the approver puts cases in force
        batch_apply(actor=users["county_officer"], batch_id=batch.pk)
    assert OnboardingBatch.objects.get(pk=batch.pk).status == BatchStatus.CHECKED


def test_later_changes_in_the_system_keep_a_reimport_unchanged_and_never_bring_a_case_back(policy, users, people):
    batch = _apply(users, _dry_run(users, _file(people)))
    entitlement = Entitlement.objects.get(application_id=batch.households.get(key="A1").application_id)
    # The standard rose and the first review raised the amount: the same file is still "unchanged".
    Entitlement.objects.filter(pk=entitlement.pk).update(monthly_amount_fen=20000)
    assert _outcomes(_dry_run(users, _file(people)))["A1"] == Outcome.UNCHANGED
    # The case was stopped later: importing the ledger again does not put it back in force.
    Application.objects.filter(pk=entitlement.application_id).update(status=ApplicationStatus.STOPPED)
    Entitlement.objects.filter(pk=entitlement.pk).update(status="stopped")
    again = _dry_run(users, _file(people))
    a1 = again.households.get(key="A1")
    assert a1.outcome == Outcome.UNCHANGED and "已停保" in a1.notes[0] and a1.noted
    assert Application.objects.filter(household_id=a1.household_id).count() == 1


def test_a_household_registered_by_hand_whose_case_ended_is_not_onboarded_again(policy, users, world):
    head = world.household_b.members.get(relation="head")
    Application.objects.create(
        household=world.household_b, region=world.household_b.region,
        program_id=Program.objects.get(code="dibao_rural").pk, applicant=head, status=ApplicationStatus.STOPPED,
        submitted_on=datetime.date(2020, 1, 1),
        workflow_mode="standard", appraisal_mode="none", created_by=users["county_approver"],
    )  # fmt: skip
    content = (
        HEADER + f"W1,石桥村,农村,石桥村1组8号,王五,{decrypt(head.id_number_ciphertext)},户主,,,农村低保,72,2020-02\r\n"
    )
    batch = _dry_run(users, content.encode())
    household = batch.households.get()
    assert household.outcome == Outcome.ERROR and "有过低保记录" in household.problems[0]["message"]


def test_merged_household_number_cells_continue_the_household_above(policy, users, people):
    content = (
        HEADER
        + f"M1,凤凰村,农村,凤凰村一组,张大山,{people[0]},户主,,,农村低保,144,2019-03\r\n"
        + f",,,,李秀英,{people[1]},配偶,,,,,\r\n"
        + f",,,,张小明,{people[2]},子女,,,,,\r\n"
    ).encode()
    batch = _apply(users, _dry_run(users, content))
    household = batch.households.get()
    assert household.outcome == Outcome.APPLIED and [r["line"] for r in household.rows] == [2, 3, 4]
    assert Household.objects.get(pk=household.household_id).members.count() == 3
    first_blank = _dry_run(users, (HEADER + f",凤凰村,农村,凤凰村,甲,{people[3]},户主,,,,,\r\n").encode())
    problem = first_blank.households.get().problems[0]
    assert (problem["line"], problem["column"]) == (2, "户编号") and "未填户编号" in problem["message"]


def test_amounts_above_the_standard_are_noted_and_far_above_it_refused(policy, users, people):
    content = (
        HEADER
        + f"T1,凤凰村,农村,凤凰村,甲,{people[0]},户主,,,农村低保,100,2019-03\r\n"  # above 72: noted
        + f"T2,凤凰村,农村,凤凰村,乙,{people[1]},户主,,,农村低保,7200,2019-03\r\n"  # 7200 for 72.00: refused
    ).encode()
    batch = _dry_run(users, content)
    assert _outcomes(batch) == {"T1": Outcome.NEW_WITH_CASE, "T2": Outcome.ERROR}
    assert batch.counts["noted"] == 1 and batch.households.get(key="T1").noted
    problem = batch.households.get(key="T2").problems[0]
    assert problem["column"] == "月保障金额（元）" and "两倍" in problem["message"]


def test_what_the_registry_would_refuse_is_found_by_the_dry_run_on_its_row_and_column(policy, users, people):
    header = HEADER.replace("\r\n", ",联系电话,残疾等级\r\n")
    content = (
        header
        + f"R1,凤凰村,农村,凤凰村,甲,{people[0]},户主,信用社,1234567,,,,,\r\n"  # 7 digits: the registry wants 8
        + f"R1,,,,乙,{people[1]},配偶,,,,,,,二级\r\n"  # a grade without its category
        + f"R2,凤凰村,农村,凤凰村,丙,{people[2]},户主,,,,,,{'1' * 40},\r\n"  # longer than the registry keeps
    ).encode()
    batch = _dry_run(users, content)
    assert batch.status == BatchStatus.CHECKED
    r1 = {(p["line"], p["column"]) for p in batch.households.get(key="R1").problems}
    assert r1 == {(2, "银行账号"), (3, "残疾类别")}  # the file has no 残疾类别 column: named by its label
    r2 = batch.households.get(key="R2").problems
    assert [(p["line"], p["column"]) for p in r2] == [(4, "联系电话")] and "不能超过 32 个字" in r2[0]["message"]


def test_an_unforeseen_error_fails_one_household_and_the_others_go_in(policy, users, people):
    batch = _dry_run(users, _file(people))
    real = batches.household_insert

    def failing(*, actor, data, reason):
        if data.members[0].name == "张大山":
            raise DatabaseError("value too long for type character varying(32)")
        return real(actor=actor, data=data, reason=reason)

    with mock.patch("jiuzhu.onboarding.services.batches.household_insert", failing):
        batch = _apply(users, batch)
    assert batch.status == BatchStatus.APPLIED
    assert _outcomes(batch) == {"A1": Outcome.FAILED, "A2": Outcome.APPLIED, "A3": Outcome.ERROR}
    assert batch.households.get(key="A1").problems[0]["message"] == "写入时出错（DatabaseError）"
    # Run again (as after a crash): nothing is written twice.
    before = Household.objects.count()
    batches.batch_apply_run(batch_id=batch.pk)
    assert Household.objects.count() == before


def test_a_household_number_that_is_an_id_number_is_never_shown_or_kept_in_full(policy, users, people):
    content = (HEADER + f"{people[0]},凤凰村,农村,凤凰村,甲,{people[0]},户主,,,,,\r\n").encode()
    batch = _apply(users, _dry_run(users, content))
    household = batch.households.get()
    assert household.key == people[0][:6] + "********" + people[0][-4:] and household.outcome == Outcome.APPLIED
    document = Document.objects.get(household_id=household.household_id)
    with document.file.open("rb") as pdf:
        text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert people[0] not in text and people[0] not in document.original_name


def test_people_registered_outside_the_importers_area_are_not_described(policy, users, people, regions):
    outside = Region.objects.create(code="511724", name="邻县", level=3, parent=regions["5117"])
    village = Region.objects.create(code="511724100201", name="邻村", level=5, parent=Region.objects.create(
        code="511724100", name="邻镇", level=4, parent=outside))  # fmt: skip
    make_household(users["admin"], village, person("外县户主", id_number=people[5]))
    content = (HEADER + f"O1,凤凰村,农村,凤凰村,甲,{people[5]},户主,,,,,\r\n").encode()
    problem = _dry_run(users, content).households.get().problems[0]
    assert "已在其他地区登记" in problem["message"] and "外县户主" not in problem["message"]
    assert "邻村" not in problem["message"] and "家庭编号" not in problem["message"]


def test_an_import_that_breaks_off_can_be_started_again(policy, users, people):
    batch = _dry_run(users, _file(people))
    with mock.patch("jiuzhu.onboarding.services.batches.extract_pdf", side_effect=[b"%PDF-1.4", OSError("disk")]):
        batch = _apply(users, batch)  # one household's own failure: the others go on
    assert batch.status == BatchStatus.APPLIED and sorted(_outcomes(batch).values()) == ["applied", "error", "failed"]
    batch = _dry_run(users, _file(people))
    with mock.patch("jiuzhu.onboarding.services.batches.read_batch", side_effect=OSError("storage")):
        batch = _apply(users, batch)  # the job itself breaks off: the batch can be imported again
    assert batch.status == BatchStatus.CHECKED and "可再次导入其余各户" in batch.refusal
    batch = _apply(users, batch)
    assert batch.status == BatchStatus.APPLIED and batch.refusal == ""
    assert sorted(_outcomes(batch).values()) == ["applied", "error", "unchanged"]
