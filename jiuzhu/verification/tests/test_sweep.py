"""The sweep over a county's cases in force: each check finds exactly what the hand-made agency files
and registry facts below put there (hand-computed), thresholds from the policy; a finding is
raised once, and again only when its facts change."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine

from jiuzhu.cases.models import Entitlement
from jiuzhu.common.sensitive import lookup_digest, seal_account_number
from jiuzhu.payments.tests.conftest import TZ, cases, clock, policy  # noqa: F401 (fixtures)
from jiuzhu.programs.selectors import dibao_policy_get
from jiuzhu.registry.models import Household, Person
from jiuzhu.registry.rules.id_numbers import make_id_number
from jiuzhu.testing.beneficiaries import bulk_beneficiaries
from jiuzhu.testing.builders import COUNTY, VILLAGE_A
from jiuzhu.verification.models import Flag, FlagStatus
from jiuzhu.verification.services.imports import dataset_columns_confirm, dataset_import_run, dataset_upload
from jiuzhu.verification.services.sweep import sweep_run

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def people(users, request):
    """The seven one-person households of the payments fixtures (village A: 0–2, village B: 3–4, the
    other township: 5–6), each head with an ID number; households 5 and 6 share a bank account."""
    request.getfixturevalue("cases")
    persons = list(Person.objects.filter(household__entitlements__isnull=False).order_by("pk"))
    numbers = []
    for index, person in enumerate(persons):
        number = make_id_number("511723", datetime.date(1950, 1, 1), 100 + index)
        Person.objects.filter(pk=person.pk).update(id_number_digest=lookup_digest(number), name=f"居民{index}")
        numbers.append(number)
    sealed = seal_account_number("6228480012000000001")
    Household.objects.filter(pk__in=[persons[5].household_id, persons[6].household_id]).update(
        account_number_ciphertext=sealed.ciphertext, account_number_digest=sealed.digest,
        account_number_masked=sealed.masked,
    )  # fmt: skip
    return [(p.pk, p.household_id, n) for p, n in zip(persons, numbers, strict=True)]


def _import(users, source: str, text: str) -> None:
    with time_machine.travel(datetime.datetime(2026, 11, 10, 9, tzinfo=TZ), tick=False):
        dataset = dataset_upload(
            actor=users["county_officer"], source=source, region_code=COUNTY, as_of=datetime.date(2026, 11, 1),
            upload=io.BytesIO(text.encode()), file_name=f"{source}.csv",
        )  # fmt: skip
        dataset_columns_confirm(actor=users["county_officer"], dataset_id=dataset.pk, columns=dataset.columns)
        dataset_import_run(dataset_id=dataset.pk)


def _found(sweep) -> set[tuple[str, int]]:
    return set(Flag.objects.filter(sweep=sweep).values_list("check_code", "household_id"))


def test_each_check_finds_what_the_files_say(users, people):
    ids = [number for _p, _h, number in people]
    home = [household for _p, household, _n in people]
    _import(users, "hukou", f"公民身份号码,变动类型,变动日期\n{ids[0]},死亡,2026-03-05\n{ids[1]},迁出,2026-05-01\n")
    _import(users, "vehicle", f"所有人身份证号码,号牌号码\n{ids[1]},川S12345\n")
    _import(
        users, "real_estate",
        f"权利人证件号码,不动产权证号,用途\n{ids[2]},川(2020)1号,住宅\n{ids[2]},川(2021)2号,成套住宅\n"
        f"{ids[3]},川(2020)3号,住宅\n{ids[3]},川(2020)4号,商业\n",
    )  # fmt: skip
    _import(users, "business", f"投资人证件号码,主体名称,登记状态\n{ids[3]},小卖部,存续\n{ids[4]},农家乐,注销\n")
    _import(
        users, "tax_wages",
        f"纳税人证件号码,月收入额（元）,所属期\n{ids[5]},60.00,2026-09\n{ids[5]},80.00,2026-10\n{ids[6]},50.00,2026-10\n",
    )  # fmt: skip
    _import(users, "social_insurance", f"公民身份号码,类别,月金额（元）\n{ids[6]},养老金,30.00\n")
    # Deposits: the limit is 24 months of the 72-yuan standard for one person, 1,728 yuan.
    _import(users, "deposits", f"客户证件号码,存款余额（元）\n{ids[4]},1728.00\n{ids[0]},1728.01\n")
    _import(users, "cadres", f"公民身份号码,干部身份证号码,职务,与干部关系\n{ids[2]},{ids[0]},村委会主任,父母\n")
    # Household 4 also has urban dibao in force (moved there from a household made for it).
    rural = dibao_policy_get(region_code=COUNTY, program_code="dibao_rural", on=datetime.date(2026, 1, 1))
    made = bulk_beneficiaries(
        actor=users["county_approver"], region=Household.objects.get(pk=home[4]).region, policy=rural, count=1,
        decided_on=datetime.date(2026, 1, 15), program_code="dibao_urban",
    )  # fmt: skip
    Entitlement.objects.filter(pk__in=made.entitlement_ids).update(household_id=home[4])

    sweep, _times = sweep_run(region_code=COUNTY, today=TODAY)
    assert _found(sweep) == {
        ("death_still_paid", home[0]),
        ("moved_out", home[1]),
        ("vehicle", home[1]),
        ("dwellings", home[2]),  # two dwellings; household 3 has one dwelling and a shop
        ("cadre_relative_unfiled", home[2]),
        ("business", home[3]),  # household 4's business is closed
        ("income_above_line", home[5]),  # 80 yuan this month > 72; household 6: 50 + 30 = 80 > 72 too
        ("income_above_line", home[6]),
        ("deposits_above_limit", home[0]),  # household 4 is exactly at the limit
        ("shared_account", home[5]),
        ("shared_account", home[6]),
        ("exclusive_programs", home[4]),
    }
    assert sweep.cases == 8 and sweep.found == 12 == sweep.raised
    death = Flag.objects.get(check_code="death_still_paid")
    assert death.explanation == "居民0 户籍于 2026-03-05 登记死亡，家庭仍在保（最近发放至 —）。"
    assert death.severity == "high" and death.due_on == TODAY + datetime.timedelta(days=30)
    income = Flag.objects.get(check_code="income_above_line", household_id=home[6])
    assert "工资和养老金合计每月 80.00 元，1 人人均 80.00 元，高于低保标准 72.00 元" in income.explanation
    exclusive = Flag.objects.get(check_code="exclusive_programs")
    assert "农村最低生活保障" in exclusive.explanation and "城市最低生活保障" in exclusive.explanation

    # The same facts again: nothing new, even for a finding already dismissed.
    Flag.objects.filter(check_code="vehicle").update(status=FlagStatus.DISMISSED, resolution="已过户，有过户证明")
    again, _times = sweep_run(region_code=COUNTY, today=TODAY)
    assert again.found == 12 and again.raised == 0
    # New facts: a second vehicle is a new finding; the dismissed one stays dismissed.
    _import(users, "vehicle", f"所有人身份证号码,号牌号码\n{ids[1]},川S12345\n{ids[1]},川S99999\n")
    third, _times = sweep_run(region_code=COUNTY, today=TODAY)
    assert _found(third) == {("vehicle", home[1])} and third.raised == 1
    assert "2 辆（川S12345、川S99999）" in Flag.objects.get(sweep=third).explanation


def test_a_sweep_of_a_village_reads_only_its_cases_and_no_files_means_no_file_checks(users, people):
    sweep, _times = sweep_run(region_code=VILLAGE_A, today=TODAY)
    assert sweep.cases == 3 and sweep.found == 0 and sweep.datasets == {}
    # A member registered without an ID number under the name and birth date of another beneficiary.
    Person.objects.filter(pk=people[1][0]).update(name="居民0", id_number_digest=None)
    sweep, _times = sweep_run(region_code=VILLAGE_A, today=TODAY)
    assert _found(sweep) == {("duplicate_person", people[0][1]), ("duplicate_person", people[1][1])}
    assert sweep.raised == 2  # each household is told of the other
