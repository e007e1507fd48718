"""Policy versions: services (capability, jurisdiction, validation, in-force rule, audit) and selectors."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import (
    ConflictError,
    NotFoundOrNoAccess,
    PermissionDeniedError,
    RuleViolation,
    ValidationFailed,
)
from jiuzhu.programs.access import access_policy_version_for_edit, policy_versions_visible_to
from jiuzhu.programs.models import PolicyVersion
from jiuzhu.programs.rules.dibao import assess_dibao
from jiuzhu.programs.selectors import dibao_policy_get, dibao_policy_resolve
from jiuzhu.programs.services.policy import policy_version_create, policy_version_update
from jiuzhu.programs.tests.factories import family
from jiuzhu.regions.models import Region
from jiuzhu.testing.builders import COUNTY, TOWNSHIP, VILLAGE_A

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
PROVINCE = "51"


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _create(actor, region=COUNTY, program="dibao_rural", on=datetime.date(2026, 4, 1), note="", **params):
    return policy_version_create(
        actor=actor, region_code=region, program_code=program, effective_from=on, params=params, note=note
    )


def test_county_approver_sets_the_county_standard_and_it_is_audited(users):
    approver = users["county_approver"]
    version = _create(approver, standard_fen=7_200, grace_months=3, note="开民发〔2026〕1号")
    assert (version.region.code, version.program.code, version.params) == (
        COUNTY,
        "dibao_rural",
        {"standard_fen": 7_200, "grace_months": 3},
    )
    event = AuditEvent.objects.get(event_type=AuditEventType.POLICY_VERSION_CREATED)
    assert (event.actor, event.subject_id, event.region_code) == (approver, version.pk, COUNTY)
    assert event.after == {
        "region": COUNTY, "program": "dibao_rural", "effective_from": "2026-04-01",
        "params": {"standard_fen": 7_200, "grace_months": 3}, "note": "开民发〔2026〕1号",
    }  # fmt: skip


def test_admin_may_set_the_province_and_the_village_inherits_per_key(users):
    admin = users["admin"]
    _create(admin, region=PROVINCE, on=datetime.date(2012, 1, 1), note="省级文件", standard_fen=6_000, notice_days=7,
            supplements={"severe_disability": {"percent_bp": 2000}})  # fmt: skip
    _create(admin, region=COUNTY, on=datetime.date(2012, 1, 1), note="县级文件", standard_fen=7_200)
    _create(admin, region=TOWNSHIP, on=datetime.date(2012, 7, 1), note="镇级试点", rounding_unit="yuan")
    resolved = dibao_policy_resolve(region_code=VILLAGE_A, program_code="dibao_rural", on=datetime.date(2012, 6, 1))
    assert resolved.get("standard_fen").region_code == COUNTY
    assert resolved.get("supplements").region_code == PROVINCE
    assert resolved.get("rounding_unit").is_default  # the township's version starts in July
    policy = dibao_policy_get(region_code=VILLAGE_A, program_code="dibao_rural", on=datetime.date(2012, 7, 1))
    assert (policy.standard_fen, policy.rounding_unit) == (7_200, "yuan")
    # Urban dibao is a separate programme with its own standard.
    with pytest.raises(RuleViolation) as caught:
        dibao_policy_get(region_code=VILLAGE_A, program_code="dibao_urban", on=datetime.date(2012, 7, 1))
    assert caught.value.code == "policy_incomplete" and "未设置低保标准" in caught.value.user_message


def test_resolving_the_policy_is_one_query(users, django_assert_num_queries):
    _create(users["admin"], region=PROVINCE, standard_fen=6_000)
    _create(users["admin"], region=COUNTY, standard_fen=7_200)
    with django_assert_num_queries(1):
        policy = dibao_policy_get(region_code=VILLAGE_A, program_code="dibao_rural", on=datetime.date(2026, 5, 1))
    assert policy.standard_fen == 7_200
    assert assess_dibao(family(1), policy, datetime.date(2026, 5, 1)).total_fen == 7_200


@pytest.mark.parametrize(
    ("user", "region", "error"),
    [
        ("coordinator_a", VILLAGE_A, PermissionDeniedError),
        ("county_officer", COUNTY, PermissionDeniedError),
        ("supervisor", TOWNSHIP, PermissionDeniedError),
        ("county_approver", PROVINCE, NotFoundOrNoAccess),  # above the county
        ("county_approver", "999999", NotFoundOrNoAccess),  # no such region
    ],
)
def test_who_may_not_set_policy(users, user, region, error):
    with pytest.raises(error):
        _create(users[user], region=region, standard_fen=7_200)
    assert not PolicyVersion.objects.exists() and not AuditEvent.objects.exists()


def test_county_approver_may_set_a_village_of_the_county(users):
    assert _create(users["county_approver"], region=VILLAGE_A, minimum_payment_fen=1_000).region.code == VILLAGE_A


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"standard_fen": -5},
            "params.standard_fen",
            "低保标准（分/人·月）（standard_fen）：应在 1 至 10000000000 之间。",
        ),
        ({"grace_months": 12}, "params.grace_months", "渐退期（月）（grace_months）：应在 0 至 6 之间。"),
        ({"colour": "red"}, "params.colour", "未知参数“colour”。"),
        ({"benefit_method": "bands"}, "params.bands", "分档标准（bands）：按分档计发时须设置分档标准。"),
    ],
)
def test_invalid_params_are_refused_field_by_field_and_nothing_is_saved(users, params, field, message):
    with pytest.raises(ValidationFailed) as caught:
        _create(users["county_approver"], **params)
    assert caught.value.field_errors == {field: [message]}
    assert not PolicyVersion.objects.exists() and not AuditEvent.objects.exists()


def test_bands_set_above_make_a_county_switch_to_bands_valid(users):
    admin = users["admin"]
    _create(admin, region=PROVINCE, bands=[{"below_fen": None, "amount_fen": 5_000}])
    assert _create(admin, region=COUNTY, benefit_method="bands").params == {"benefit_method": "bands"}


def test_one_version_per_region_programme_and_day(users):
    _create(users["county_approver"], standard_fen=7_200)
    with pytest.raises(ValidationFailed) as caught:
        _create(users["county_approver"], standard_fen=7_500)
    assert list(caught.value.field_errors) == ["effective_from"]
    assert _create(users["county_approver"], program="dibao_urban", standard_fen=17_000).pk


def test_only_dibao_programmes_have_a_dibao_policy(users):
    with pytest.raises(ValidationFailed) as caught:
        _create(users["county_approver"], program="tekun", standard_fen=7_200)
    assert list(caught.value.field_errors) == ["program"]


def test_a_back_dated_version_needs_its_legal_basis(users):
    with pytest.raises(ValidationFailed) as caught:
        _create(users["county_approver"], on=datetime.date(2026, 1, 1), standard_fen=7_500)
    assert caught.value.field_errors == {"note": ["追溯生效的版本须在说明中写明依据（文件名称和文号）。"]}
    assert _create(users["county_approver"], on=datetime.date(2026, 1, 1), note="开民发〔2026〕2号", standard_fen=7_500)


# --- Changing a version before it takes effect ----------------------------------------------------------


def test_a_future_version_may_be_corrected_with_audit(users):
    approver = users["county_approver"]
    version = _create(approver, standard_fen=7_200)
    changed = policy_version_update(
        actor=approver, version_id=version.pk, expected_version=version.version,
        params={"standard_fen": 7_500}, note="更正", effective_from=datetime.date(2026, 5, 1),
    )  # fmt: skip
    assert (changed.params, changed.effective_from, changed.version) == (
        {"standard_fen": 7_500},
        datetime.date(2026, 5, 1),
        2,
    )
    event = AuditEvent.objects.get(event_type=AuditEventType.POLICY_VERSION_CHANGED)
    assert event.before == {"params": {"standard_fen": 7_200}, "effective_from": "2026-04-01", "note": ""}
    assert event.after == {"params": {"standard_fen": 7_500}, "effective_from": "2026-05-01", "note": "更正"}


def test_a_stale_form_is_refused(users):
    approver = users["county_approver"]
    version = _create(approver, standard_fen=7_200)
    policy_version_update(
        actor=approver, version_id=version.pk, expected_version=1, params={"standard_fen": 7_300}, note=""
    )
    with pytest.raises(ConflictError):
        policy_version_update(
            actor=approver, version_id=version.pk, expected_version=1, params={"standard_fen": 9}, note=""
        )
    assert PolicyVersion.objects.get(pk=version.pk).params == {"standard_fen": 7_300}


def test_a_version_in_force_is_never_edited(users):
    approver = users["county_approver"]
    version = _create(approver, on=TODAY, standard_fen=7_200)
    with pytest.raises(RuleViolation) as caught:
        policy_version_update(
            actor=approver, version_id=version.pk, expected_version=1, params={"standard_fen": 1}, note=""
        )
    assert caught.value.code == "policy_version_in_force"
    assert caught.value.user_message == "该版本已于 2026-03-02 生效，不能修改；请新建一个版本。"
    assert PolicyVersion.objects.get(pk=version.pk).params == {"standard_fen": 7_200}
    assert not AuditEvent.objects.filter(event_type=AuditEventType.POLICY_VERSION_CHANGED).exists()


def test_a_correction_may_not_move_a_version_into_the_past(users):
    approver = users["county_approver"]
    version = _create(approver, standard_fen=7_200)
    with pytest.raises(ValidationFailed) as caught:
        policy_version_update(actor=approver, version_id=version.pk, expected_version=1, params={"standard_fen": 7_200},
                              note="", effective_from=TODAY)  # fmt: skip
    assert list(caught.value.field_errors) == ["effective_from"]


def test_versions_of_other_jurisdictions_are_not_found(users, regions):
    other_county = Region.objects.create(code="511724", name="大竹县", level=3, parent=regions["5117"])
    admin_version = _create(users["admin"], region=other_county.code, standard_fen=7_000)
    province_version = _create(users["admin"], region=PROVINCE, standard_fen=6_000)
    own = _create(users["county_approver"], standard_fen=7_200)
    approver = users["county_approver"]
    with pytest.raises(NotFoundOrNoAccess):
        access_policy_version_for_edit(approver, admin_version.pk)
    with pytest.raises(NotFoundOrNoAccess):
        access_policy_version_for_edit(approver, province_version.pk)  # visible, but not the county's to change
    assert access_policy_version_for_edit(approver, own.pk) == own
    assert set(policy_versions_visible_to(approver)) == {province_version, own}
    assert set(policy_versions_visible_to(users["admin"])) == {admin_version, province_version, own}
    assert set(policy_versions_visible_to(users["coordinator_a"])) == {province_version, own}
