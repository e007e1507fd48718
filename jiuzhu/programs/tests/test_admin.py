"""The admin for policy versions and working-day corrections: through the services, never around them."""

from __future__ import annotations

import datetime
import html
import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.programs.models import PolicyVersion, Program, WorkingDayCorrection
from jiuzhu.programs.services.policy import policy_version_create
from jiuzhu.testing.builders import COUNTY, TOWNSHIP, VILLAGE_A, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _staff(user) -> Client:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


def _page(response) -> str:
    return html.unescape(response.content.decode())


def _add_data(regions, region=COUNTY, on="2027-01-01", params=None, note="开民发〔2026〕9号"):
    return {
        "region": regions[region].pk if region in regions else "",
        "program": Program.objects.get(code="dibao_rural").pk,
        "effective_from": on,
        "params": json.dumps(params if params is not None else {"standard_fen": 7_500}),
        "note": note,
    }


def test_county_approver_adds_a_version_through_the_service(users, regions):
    client = _staff(users["county_approver"])
    url = reverse("admin:programs_policyversion_add")
    assert client.get(url).status_code == 200
    response = client.post(url, _add_data(regions))
    assert response.status_code == 302, _page(response)
    version = PolicyVersion.objects.get()
    assert (version.region.code, version.params, version.created_by) == (
        COUNTY,
        {"standard_fen": 7_500},
        users["county_approver"],
    )
    assert (
        AuditEvent.objects.filter(event_type=AuditEventType.POLICY_VERSION_CREATED, subject_id=version.pk).count() == 1
    )


@pytest.mark.parametrize(
    ("case", "changes", "message"),
    [
        ("bad value", {"params": json.dumps({"grace_months": 9})}, "渐退期（月）（grace_months）：应在 0 至 6 之间。"),
        ("back-dated without a note", {"on": "2026-01-01", "note": ""}, "追溯生效的版本须在说明中写明依据"),
        ("region above the county", {"region": "51"}, "选择一个有效的选项"),
    ],
)
def test_invalid_versions_come_back_with_messages_and_nothing_is_saved(users, regions, case, changes, message):
    client = _staff(users["county_approver"])
    data = _add_data(regions, **{k: v for k, v in changes.items() if k in ("region", "on", "note")})
    if "params" in changes:
        data["params"] = changes["params"]
    response = client.post(reverse("admin:programs_policyversion_add"), data)
    assert response.status_code == 200, case
    assert message in _page(response), case
    assert not PolicyVersion.objects.exists() and not AuditEvent.objects.exists()


def _version(users, on, region=COUNTY, **params):
    return policy_version_create(
        actor=users["admin"], region_code=region, program_code="dibao_rural", effective_from=on,
        params=params or {"standard_fen": 7_200}, note="文件",
    )  # fmt: skip


def test_a_version_in_force_is_view_only_and_nothing_is_deleted(users):
    version = _version(users, datetime.date(2012, 1, 1))
    client = _staff(users["county_approver"])
    url = reverse("admin:programs_policyversion_change", args=[version.pk])
    page = _page(client.get(url))
    assert 'name="_save"' not in page and "170.00" not in page and "72.00 元" in page
    post = client.post(url, {"effective_from": "2012-01-01", "params": '{"standard_fen": 1}', "note": "篡改"})
    assert post.status_code == 403
    assert (
        client.post(reverse("admin:programs_policyversion_delete", args=[version.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert PolicyVersion.objects.get(pk=version.pk).params == {"standard_fen": 7_200}


def test_a_future_version_is_corrected_through_the_service(users):
    version = _version(users, datetime.date(2027, 1, 1))
    client = _staff(users["county_approver"])
    url = reverse("admin:programs_policyversion_change", args=[version.pk])
    response = client.post(url, {"effective_from": "2027-02-01", "params": '{"standard_fen": 7600}', "note": "更正"})
    assert response.status_code == 302, _page(response)
    version.refresh_from_db()
    assert (version.params, version.effective_from, version.version) == (
        {"standard_fen": 7_600},
        datetime.date(2027, 2, 1),
        2,
    )
    event = AuditEvent.objects.get(event_type=AuditEventType.POLICY_VERSION_CHANGED)
    assert event.actor == users["county_approver"]


def test_in_force_page_shows_each_value_and_where_it_comes_from(users):
    _version(users, datetime.date(2012, 1, 1), region="51", standard_fen=6_000, notice_days=10)
    county = _version(users, datetime.date(2012, 1, 1), standard_fen=7_200)
    client = _staff(users["county_approver"])
    url = reverse("admin:programs_policyversion_in_force")
    assert client.get(url).status_code == 200
    page = _page(client.get(url, {"region": VILLAGE_A, "program": "dibao_rural", "on": "2012-06-01"}))
    assert "凤凰村" in page
    table = page.split('<table id="in-force">')[1].split("</table>")[0]
    rows = {row.split("<code>")[1].split("</code>")[0]: row for row in table.split("<tr>")[2:]}
    assert (
        "72.00 元" in rows["standard_fen"]
        and "511723 开江县" in rows["standard_fen"]
        and "2012-01-01" in rows["standard_fen"]
    )
    assert reverse("admin:programs_policyversion_change", args=[county.pk]) in rows["standard_fen"]
    assert ">10<" in rows["notice_days"] and "51 四川省" in rows["notice_days"]
    assert "全国默认（国家规定）" in rows["overall_wd"] and "30" in rows["overall_wd"]
    assert "系统默认（常见地方取值）" in rows["deposit_limit_months"]
    assert "未设置低保标准" not in page

    before = _page(client.get(url, {"region": VILLAGE_A, "program": "dibao_rural", "on": "2011-06-01"}))
    assert "未设置低保标准" in before
    other = _page(client.get(url, {"region": "511723106201", "program": "dibao_rural", "on": "2012-06-01"}))
    assert "白岩村" in other  # another township of the same county
    assert "不在您的辖区内" in _page(client.get(url, {"region": "5200", "program": "dibao_rural", "on": "2012-06-01"}))


def test_policy_admin_is_closed_to_roles_without_policy_edit(users):
    client = _staff(users["township"])
    assert client.get(reverse("admin:programs_policyversion_changelist")).status_code == 403
    assert client.get(reverse("admin:programs_policyversion_in_force")).status_code == 403
    assert client.get(reverse("admin:programs_workingdaycorrection_changelist")).status_code == 403


def test_changelist_lists_inherited_versions_but_not_the_neighbours(users, regions):
    _version(users, datetime.date(2012, 1, 1), region="51", standard_fen=6_000)
    _version(users, datetime.date(2012, 1, 1), region="511723106", minimum_payment_fen=500)
    client = _staff(users["township"])  # no POLICY_EDIT: closed
    assert client.get(reverse("admin:programs_policyversion_changelist")).status_code == 403
    approver = make_user("approver_township", "county_approver", regions[TOWNSHIP])
    page = _page(_staff(approver).get(reverse("admin:programs_policyversion_changelist")))
    assert "51 四川省" in page and "511723106" not in page
    assert "现行参数查询" in page


# --- Working-day corrections -------------------------------------------------------------------------


def test_corrections_are_added_and_deleted_through_the_services(users):
    client = _staff(users["admin"])
    listing = _page(client.get(reverse("admin:programs_workingdaycorrection_changelist")))
    assert "2027 年尚无官方节假日数据" in listing
    response = client.post(
        reverse("admin:programs_workingdaycorrection_add"),
        {"day": "2027-01-01", "is_working_day": "", "note": "国办发明电〔2026〕7号"},
    )
    assert response.status_code == 302, _page(response)
    correction = WorkingDayCorrection.objects.get()
    assert AuditEvent.objects.filter(event_type=AuditEventType.WORKING_DAY_CORRECTION_SET).count() == 1
    assert "2027 年尚无官方节假日数据" not in _page(
        client.get(reverse("admin:programs_workingdaycorrection_changelist"))
    )

    delete = client.post(reverse("admin:programs_workingdaycorrection_delete", args=[correction.pk]), {"post": "yes"})
    assert delete.status_code == 302
    assert not WorkingDayCorrection.objects.exists()
    assert AuditEvent.objects.filter(event_type=AuditEventType.WORKING_DAY_CORRECTION_REMOVED).count() == 1
