"""The demo town's cross-check (拉网式交叉核查, the seed's "清理核查"): the county's agencies send
their files, the county officer imports them with the import services, and a sweep of 讲治镇 turns
what they say into flags for the villages to answer.

The files are made here from the town itself: a few of today's beneficiaries appear in them (a
death, a move, a car, a second flat, a shop, a salaried job, savings, a cadre's relative), among
other people of the county; one file carries two rows with mistakes, which the import lists and
leaves out. Which beneficiaries is fixed (every n-th member in ID order), so the demo is the same
each time it is built.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.utils import timezone

from jiuzhu.accounts.models import User
from jiuzhu.common.sensitive import decrypt, lookup_digest
from jiuzhu.demo.town import COUNTY_CODE, TOWNSHIP_CODE
from jiuzhu.registry.models import Person
from jiuzhu.registry.rules.id_numbers import make_id_number
from jiuzhu.verification.models import ExternalDataset, Flag
from jiuzhu.verification.services.imports import dataset_columns_confirm, dataset_import_run, dataset_upload
from jiuzhu.verification.services.sweep import sweep_run

PROVIDERS = {
    "hukou": "开江县公安局户政大队",
    "vehicle": "开江县公安局交警大队",
    "real_estate": "开江县不动产登记中心",
    "business": "开江县市场监督管理局",
    "tax_wages": "国家税务总局开江县税务局",
    "deposits": "开江县农村信用合作联社",
    "cadres": "开江县纪委监委",
}
OTHERS = 120  # people of the county who are in the files but not in 讲治镇's caseload


@dataclass(frozen=True)
class DemoVerification:
    datasets: int
    records: int
    invalid_rows: int
    flags: int


def demo_verification_exists() -> bool:
    return ExternalDataset.objects.filter(provider__in=PROVIDERS.values()).exists()


def _beneficiaries() -> list[tuple[str, str]]:
    """(ID number, name) of today's members of 讲治镇 households with a case in force, in ID order."""
    persons = (
        Person.objects.filter(
            memberships__ended_on__isnull=True,
            memberships__household__region__code__startswith=TOWNSHIP_CODE,
            memberships__household__entitlements__status__in=["active", "exiting"],
        )
        .exclude(id_number_digest=None)
        .distinct()
        .values_list("id_number_ciphertext", "name")
    )
    return sorted((decrypt(ciphertext), name) for ciphertext, name in persons)


def _others(today: datetime.date) -> list[str]:
    """Valid ID numbers of people of the county who are not in the registry."""
    numbers: list[str] = []
    known = set(Person.objects.exclude(id_number_digest=None).values_list("id_number_digest", flat=True))
    sequence = 0
    while len(numbers) < OTHERS:
        number = make_id_number(COUNTY_CODE, datetime.date(1960, 1, 1) + datetime.timedelta(days=97 * sequence), 600)
        sequence += 1
        if lookup_digest(number) not in known and number[6:14] < today.strftime("%Y%m%d"):
            numbers.append(number)
    return numbers


def _files(today: datetime.date) -> dict[str, str]:
    people = _beneficiaries()
    pick = people[7 :: max(len(people) // 12, 1)]  # about a dozen, spread over the town
    others = _others(today)
    day = (today - datetime.timedelta(days=40)).isoformat()
    (dead, dead_name), (moved, moved_name), (driver, _), (owner, _), (trader, trader_name), (earner, _) = pick[:6]
    (saver, _), (relative, relative_name) = pick[6:8]
    return {
        "hukou": "公民身份号码,姓名,变动类型,变动日期\n"
        + f"{dead},{dead_name},死亡,{day}\n{moved},{moved_name},迁出,{day}\n"
        + "".join(f"{n},外县居民,迁出,{day}\n" for n in others[:40])
        + f"{others[40][:-1]}{'0' if others[40][-1] != '0' else '1'},校验位错,死亡,{day}\n"  # a typing mistake
        + f"{others[41]},日期错,死亡,2025-02-30\n",
        "vehicle": "所有人身份证号码,号牌号码,车辆类型,登记日期\n"
        + f"{driver},川S6A321,小型普通客车,2024-05-18\n"
        + "".join(f"{n},川S{10000 + i},小型普通客车,2023-03-01\n" for i, n in enumerate(others[:60])),
        "real_estate": "权利人证件号码,不动产权证号,坐落,建筑面积（平方米）,用途\n"
        + f"{owner},川(2019)开江县不动产权第0001234号,新宁镇滨河路8号,96.5,住宅\n"
        + f"{owner},川(2022)开江县不动产权第0005678号,新宁镇东环路12号,88.0,成套住宅\n"
        + "".join(f"{n},川(2021)开江县不动产权第{9000 + i:07d}号,新宁镇,90,住宅\n" for i, n in enumerate(others[:50])),
        "business": "投资人证件号码,主体名称,登记状态\n"
        + f"{trader},讲治镇{trader_name}便民超市,存续\n"
        + "".join(f"{n},开江县商户{i},{'注销' if i % 3 == 0 else '存续'}\n" for i, n in enumerate(others[60:90])),
        "tax_wages": "纳税人证件号码,扣缴单位,月收入额（元）,所属期\n"
        + f"{earner},开江县某建筑公司,4200.00,{today:%Y-%m}\n"
        + "".join(f"{n},开江县某单位,3500.00,{today:%Y-%m}\n" for n in others[:100]),
        "deposits": "客户证件号码,金融机构,存款余额（元）\n"
        + f"{saver},开江县农村信用合作联社,68000.00\n"
        + "".join(f"{n},开江县农村信用合作联社,20000.00\n" for n in others[20:80]),
        "cadres": "公民身份号码,姓名,干部身份证号码,干部姓名,职务,与干部关系\n"
        + f"{relative},{relative_name},{others[100]},王某,讲治镇某村村委会主任,兄弟姐妹\n"
        + "".join(f"{n},干部{i},{n},干部{i},开江县某局科员,本人\n" for i, n in enumerate(others[101:110])),
    }


def demo_verification_build() -> DemoVerification:
    today = timezone.localdate()
    officer = User.objects.select_related("region").get(username="county")
    datasets = records = invalid = 0
    for source, text in _files(today).items():
        dataset = dataset_upload(
            actor=officer, source=source, region_code=COUNTY_CODE, as_of=today - datetime.timedelta(days=3),
            upload=io.BytesIO(text.encode("gbk")), file_name=f"{PROVIDERS[source]}{today:%Y%m}.csv",
            provider=PROVIDERS[source],
        )  # fmt: skip
        dataset_columns_confirm(actor=officer, dataset_id=dataset.pk, columns=dataset.columns)
        dataset = dataset_import_run(dataset_id=dataset.pk)
        datasets += 1
        records += dataset.imported_count
        invalid += dataset.invalid_count
    sweep, _times = sweep_run(region_code=TOWNSHIP_CODE, actor_id=officer.pk, today=today)
    return DemoVerification(
        datasets=datasets, records=records, invalid_rows=invalid, flags=Flag.objects.filter(sweep=sweep).count()
    )
