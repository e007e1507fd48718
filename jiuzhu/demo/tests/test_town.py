"""The full town, built once for this module by `jiuzhu demo`, counted through the registry.

Counts come from queries over the generated rows (registry tables, plus the demo cohort rows that
say which household stands behind which figure), never from the generator's constants.
"""

from __future__ import annotations

import datetime
import time
from collections import Counter
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q

from jiuzhu.accounts.models import User
from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.sensitive import decrypt, lookup_digest
from jiuzhu.demo.models import Cohort, Dataset, DemoHousehold
from jiuzhu.regions.models import Region
from jiuzhu.regions.scoping import subtree_q
from jiuzhu.registry.models import Household, MembershipPeriod, Person
from jiuzhu.registry.rules.id_numbers import parse_id_number

TOWN = "511723105"
COMMUNITY = "511723105001"
YEAR_END = datetime.date(2012, 12, 31)
TODAY = datetime.date(2026, 1, 1)

pytestmark = pytest.mark.django_db


@dataclass
class TownRun:
    output: str
    seconds: float


@pytest.fixture(scope="module")
def town(django_db_setup, django_db_blocker):
    """Build the town once; everything is rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        started = time.monotonic()
        call_command("demo", "--no-history", stdout=out)
        yield TownRun(out.getvalue(), time.monotonic() - started)
        transaction.set_rollback(True)


def _rows(cohort: str):
    return DemoHousehold.objects.filter(cohort=cohort, dataset=Dataset.TOWN)


def _households(cohort: str) -> int:
    return _rows(cohort).values("household_id").distinct().count()


def _alive_on_year_end() -> Q:
    return Q(death_date__isnull=True) | Q(death_date__gt=YEAR_END)


def test_town_builds_in_well_under_a_minute(town):
    assert town.seconds < 60
    assert Region.objects.filter(subtree_q(TOWN), level=5).count() == 12
    assert Region.objects.get(code=COMMUNITY).is_urban
    assert Region.objects.filter(subtree_q(TOWN), level=5, is_urban=False).count() == 11


def test_urban_dibao_is_274_persons_in_261_community_households(town):
    assert _households(Cohort.DIBAO_URBAN) == 261
    persons = Person.objects.filter(pk__in=_rows(Cohort.DIBAO_URBAN).values("person_id"))
    assert persons.count() == 274
    assert persons.filter(_alive_on_year_end(), is_co_resident=True).count() == 274
    households = Household.objects.filter(pk__in=_rows(Cohort.DIBAO_URBAN).values("household_id"))
    assert set(households.values_list("region__code", "hukou_type").distinct()) == {(COMMUNITY, "urban")}
    # The cohort rows are exactly the living co-resident members of those households.
    members = Person.objects.filter(household__in=households, is_co_resident=True).filter(_alive_on_year_end())
    assert members.count() == 274
    # The community's other households are not dibao: counting all urban residents would be wrong.
    assert Person.objects.filter(household__region__code=COMMUNITY).count() > 274


def test_rural_dibao_is_2768_persons_in_2680_village_households(town):
    assert _households(Cohort.DIBAO_RURAL) == 2680
    persons = Person.objects.filter(pk__in=_rows(Cohort.DIBAO_RURAL).values("person_id"))
    assert persons.filter(_alive_on_year_end(), is_co_resident=True).count() == 2768
    households = Household.objects.filter(pk__in=_rows(Cohort.DIBAO_RURAL).values("household_id"))
    assert set(households.values_list("hukou_type", flat=True).distinct()) == {"rural"}
    members = Person.objects.filter(household__in=households, is_co_resident=True).filter(_alive_on_year_end())
    assert members.count() == 2768
    villages = set(households.values_list("region__code", flat=True).distinct())
    assert len(villages) == 11 and COMMUNITY not in villages


def test_2941_dibao_households_on_the_notice_boards(town):
    dibao = DemoHousehold.objects.filter(cohort__in=[Cohort.DIBAO_URBAN, Cohort.DIBAO_RURAL])
    assert dibao.values("household_id").distinct().count() == 2941
    # One notice board per village and community: every one has dibao households to list.
    assert dibao.values("household__region_id").distinct().count() == 12


def test_rural_dibao_movements_of_2012(town):
    rural = _rows(Cohort.DIBAO_RURAL)
    new_2012 = [r for r in rural.values_list("attributes", flat=True) if r["approved_on"].startswith("2012")]
    assert sum(1 for a in new_2012 if "change" not in a) == 891
    changed = Counter(a["change"] for a in rural.values_list("attributes", flat=True) if "change" in a)
    changed_households = rural.filter(attributes__has_key="change").values("household_id").distinct().count()
    assert changed_households == 14 and sum(changed.values()) == 14 + 4  # member_added households have 2 persons
    # A member who died in 2012 is in the file of each "member died" household.
    died = rural.filter(attributes__change="member_died").values("household_id")
    assert Person.objects.filter(household__in=died, death_date__year=2012).count() == 6

    cancelled = _rows(Cohort.DIBAO_CANCELLED)
    assert cancelled.count() == 128
    assert cancelled.values("household_id").distinct().count() == 117
    assert not cancelled.filter(household_id__in=rural.values("household_id")).exists()
    dead = Person.objects.filter(pk__in=cancelled.filter(attributes__reason="died").values("person_id"))
    assert dead.count() == 30 and dead.filter(death_date__year=2012).count() == 30
    assert Household.objects.filter(pk__in=dead.values("household_id"), status="dissolved").count() == 30
    assert not Person.objects.filter(household__status="dissolved", death_date__isnull=True).exists()


def test_55_applicants_awaiting_decision(town):
    applicants = _rows(Cohort.DIBAO_APPLICANT)
    assert applicants.count() == 55
    assert applicants.filter(attributes__filed_on__startswith="2012-1").count() == 55
    dibao = DemoHousehold.objects.filter(cohort__in=[Cohort.DIBAO_URBAN, Cohort.DIBAO_RURAL])
    assert not applicants.filter(household_id__in=dibao.values("household_id")).exists()


def test_220_tekun_persons_48_in_the_care_home(town):
    tekun = _rows(Cohort.TEKUN)
    persons = Person.objects.filter(pk__in=tekun.values("person_id"))
    assert persons.count() == 220
    assert tekun.filter(attributes__support_mode="centralized", attributes__institution="晚晴敬老院").count() == 48
    assert persons.filter(household__hukou_type="rural").count() == 220
    sizes = Counter(
        Household.objects.filter(pk__in=tekun.values("household_id"))
        .annotate(n=Count("members", filter=Q(members__death_date__isnull=True)))
        .values_list("n", flat=True)
    )
    assert sizes[1] >= 200  # mostly one-person households
    old = persons.filter(birth_date__lte=datetime.date(1952, 12, 31)).count()
    unable = persons.exclude(work_ability="full").count()
    assert old >= 180 and unable == 220
    assert not persons.filter(marital_status="married").exists()


def test_153_veterans_mostly_rural_men_over_60(town):
    veterans = Person.objects.filter(pk__in=_rows(Cohort.VETERAN).values("person_id"))
    assert veterans.count() == 153
    men_60 = veterans.filter(sex="male", birth_date__lte=datetime.date(1952, 12, 31)).count()
    assert men_60 >= 100
    assert veterans.filter(household__hukou_type="rural").count() >= 130


def test_31_people_aged_90_or_more_at_the_end_of_2012(town):
    living = Person.objects.filter(subtree_q(TOWN, "household__region__code")).filter(_alive_on_year_end())
    assert living.filter(birth_date__lte=datetime.date(1922, 12, 31)).count() == 31
    # The boundary matters: at 89 or more there are more.
    assert living.filter(birth_date__lte=datetime.date(1923, 12, 31)).count() > 31


def test_household_programme_cohorts(town):
    expected = {
        Cohort.MEDICAL: 185,
        Cohort.OUTPATIENT: 210,
        Cohort.TEMPORARY: 81,
        Cohort.FLOOD_COLLAPSED: 30,
        Cohort.FLOOD_REPAIRED: 46,
        Cohort.HOUSING_GRADE_D: 187,
        Cohort.HOUSING_GRADE_C: 170,
    }
    assert {cohort: _households(cohort) for cohort in expected} == expected
    patients = Person.objects.filter(pk__in=_rows(Cohort.MEDICAL).values("person_id"))
    assert patients.filter(has_serious_illness=True).count() == 185
    assert (
        Person.objects.filter(pk__in=_rows(Cohort.OUTPATIENT).values("person_id"))
        .exclude(illness_description="")
        .count()
        == 210
    )
    for cohort in (Cohort.FLOOD_COLLAPSED, Cohort.FLOOD_REPAIRED, Cohort.HOUSING_GRADE_D, Cohort.HOUSING_GRADE_C):
        assert set(_rows(cohort).values_list("household__hukou_type", flat=True).distinct()) == {"rural"}
    grade_d = set(_rows(Cohort.HOUSING_GRADE_D).values_list("household_id", flat=True))
    assert not grade_d & set(_rows(Cohort.HOUSING_GRADE_C).values_list("household_id", flat=True))
    # Medical assistance went to dibao and tekun families mostly.
    poor = DemoHousehold.objects.filter(cohort__in=[Cohort.DIBAO_URBAN, Cohort.DIBAO_RURAL, Cohort.TEKUN])
    assert _rows(Cohort.MEDICAL).filter(household_id__in=poor.values("household_id")).count() == 170
    assert _households(Cohort.ORDINARY) > 3000


def test_every_id_number_is_valid_unique_and_matches_the_person(town):
    persons = Person.objects.filter(subtree_q(TOWN, "household__region__code"))
    seen = set()
    count = 0
    for ciphertext, digest, masked, sex, born in persons.values_list(
        "id_number_ciphertext", "id_number_digest", "id_number_masked", "sex", "birth_date"
    ).iterator():
        number = decrypt(ciphertext)
        facts = parse_id_number(number, today=TODAY)
        assert (facts.birth_date, facts.sex.value, facts.address_code) == (born, sex, "511723")
        assert lookup_digest(number) == digest and masked == number[:6] + "********" + number[-4:]
        seen.add(number)
        count += 1
    assert count == len(seen) > 15000


def test_heads_memberships_and_audit(town):
    households = Household.objects.filter(subtree_q(TOWN, "region__code"))
    total = households.count()
    assert households.filter(head__relation="head", head__household_id=F("pk")).count() == total
    assert all(h.head_name == h.head.name and h.head_name_initials for h in households.select_related("head")[:200])
    persons = Person.objects.filter(household__in=households)
    assert MembershipPeriod.objects.filter(person__in=persons).count() == persons.count()
    open_periods = MembershipPeriod.objects.filter(person__in=persons, ended_on__isnull=True).count()
    assert open_periods == persons.filter(death_date__isnull=True).count()
    events = AuditEvent.objects.filter(event_type=AuditEventType.HOUSEHOLD_GENERATED, reason="演示数据生成")
    assert events.count() == total and not events.filter(actor__isnull=False).exists()


def test_one_demo_account_per_role_with_the_printed_password(town):
    expected = {
        "coordinator": ("coordinator", "511723105201"),
        "community": ("coordinator", COMMUNITY),
        "township": ("township_officer", TOWN),
        "county": ("county_officer", "511723"),
        "approver": ("county_approver", "511723"),
        "finance": ("finance_officer", "511723"),
        "institution": ("institution_staff", TOWN),
        "supervisor": ("supervisor", TOWN),
        "admin": ("admin", None),
    }
    users = {u.username: u for u in User.objects.filter(username__in=expected).select_related("region")}
    assert {name: (u.role, u.region.code if u.region else None) for name, u in users.items()} == expected
    assert all(u.check_password("jiuzhu@2026") and u.first_name for u in users.values())
    assert not users["admin"].check_password("wrong-password-1")
    for username in expected:
        assert username in town.output
    assert town.output.count("jiuzhu@2026") == 9


def test_running_demo_again_changes_nothing_and_prints_the_logins(town):
    before = (Household.objects.count(), Person.objects.count(), User.objects.count(), AuditEvent.objects.count())
    out = StringIO()
    started = time.monotonic()
    call_command("demo", "--no-history", stdout=out)
    assert time.monotonic() - started < 5
    assert (
        Household.objects.count(),
        Person.objects.count(),
        User.objects.count(),
        AuditEvent.objects.count(),
    ) == before
    assert "已存在" in out.getvalue() and out.getvalue().count("jiuzhu@2026") == 9


def test_the_calculator_grants_the_seeds_monthly_totals_from_the_generated_households(town):
    """45,805 yuan for 274 urban persons and 202,498 yuan for 2,768 rural persons a month: the dibao
    calculator that decisions use, on the facts the registry holds on the day each amount is decided
    (go-live for the existing caseload, the approval or change day for 2012's)."""
    from jiuzhu.cases.selectors import household_facts_get
    from jiuzhu.demo.calibrate import GO_LIVE
    from jiuzhu.programs.rules.dibao import assess_dibao
    from jiuzhu.programs.selectors import dibao_policy_get

    for cohort, persons, fen in ((Cohort.DIBAO_URBAN, 274, 4_580_500), (Cohort.DIBAO_RURAL, 2768, 20_249_800)):
        policy = dibao_policy_get(region_code="511723", program_code=str(cohort), on=GO_LIVE)
        total = counted = 0
        for household_id, attrs in dict(_rows(cohort).values_list("household_id", "attributes")).items():
            day = datetime.date.fromisoformat(attrs.get("changed_on") or attrs["approved_on"])
            day = day if "changed_on" in attrs or day >= GO_LIVE else GO_LIVE
            assessment = assess_dibao(household_facts_get(household_id=household_id, as_of=day), policy, day)
            assert assessment.eligible, (household_id, assessment.reasons)
            total += assessment.total_fen
            counted += assessment.counted_member_count
        assert (counted, total) == (persons, fen)
