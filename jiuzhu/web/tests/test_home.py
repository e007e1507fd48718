from __future__ import annotations

import pytest
from django.urls import reverse

from jiuzhu.registry.services.households import household_file_viewed
from jiuzhu.registry.services.persons import person_register_birth
from jiuzhu.registry.types import PersonData
from jiuzhu.web.tests.conftest import today
from jiuzhu.web.todos import TODO_PROVIDERS, TodoSection, todo_sections

pytestmark = pytest.mark.django_db

HOME = reverse("web:home")


def _sections(response) -> dict[str, TodoSection]:
    return {s.key: s for s in response.context["sections"]}


def test_coordinator_sees_households_missing_id_numbers_and_documents_in_own_village_only(client_as, world):
    actor = world.users["coordinator_a"]
    person_register_birth(
        actor=actor,
        household_id=world.household_a.pk,
        data=PersonData(name="张小宝", relation="child", sex="male", birth_date=today()),
    )
    sections = _sections(client_as("coordinator_a").get(HOME))

    missing_ids = [item.label for item in sections["missing_id_numbers"].items]
    assert missing_ids == ["张三户"]
    assert [item.label for item in sections["missing_documents"].items] == ["张三户"]
    changes = sections["recent_changes"].events
    assert changes and all(e.event.region_code.startswith(world.regions["511723105201"].code) for e in changes)

    other = _sections(client_as("coordinator_b").get(HOME))
    assert other["missing_id_numbers"].items == []
    assert [item.label for item in other["missing_documents"].items] == ["王五户"]


def test_supervisor_home_is_read_only_with_recent_events_including_reads(client_as, world):
    household_file_viewed(actor=world.users["township"], household=world.household_a)
    response = client_as("supervisor").get(HOME)
    sections = _sections(response)
    assert set(sections) == {"recent_events"}
    labels = [e.event.get_event_type_display() for e in sections["recent_events"].events]
    assert "查阅家庭档案" in labels and "建立家庭档案" in labels
    assert reverse("web:household-create") not in response.content.decode()


def test_coordinator_does_not_see_reads_in_recent_changes(client_as, world):
    household_file_viewed(actor=world.users["township"], household=world.household_a)
    events = _sections(client_as("coordinator_a").get(HOME))["recent_changes"].events
    assert "查阅家庭档案" not in [e.event.get_event_type_display() for e in events]


def test_todo_providers_can_be_extended(world, monkeypatch):
    extra = TodoSection(key="extra", title="新增待办")
    monkeypatch.setattr("jiuzhu.web.todos.TODO_PROVIDERS", [*TODO_PROVIDERS, lambda actor: extra])
    assert todo_sections(world.users["coordinator_a"])[-1] == extra
