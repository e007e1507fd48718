"""Audit events as readable history lines: Chinese field names, code labels, yuan, dates."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiuzhu.accounts.roles import Role
from jiuzhu.audit.models import AuditEvent
from jiuzhu.common.money import fen_to_yuan_text
from jiuzhu.registry.choices import ETHNICITIES
from jiuzhu.registry.models import Asset, Document, Household, IncomeItem, Person

_MODELS: dict[str, type[models.Model]] = {
    "registry.household": Household,
    "registry.person": Person,
    "registry.incomeitem": IncomeItem,
    "registry.asset": Asset,
    "registry.document": Document,
}
_SUBJECT_LABELS = {
    "registry.household": gettext_lazy("家庭"),
    "registry.person": gettext_lazy("成员"),
    "registry.incomeitem": gettext_lazy("收入"),
    "registry.asset": gettext_lazy("财产"),
    "registry.document": gettext_lazy("附件"),
}
_EXTRA_LABELS = {
    "region_id": gettext_lazy("所属村（社区）"),
    "head_id": gettext_lazy("户主编号"),
    "person_id": gettext_lazy("成员编号"),
    "household_id": gettext_lazy("家庭编号"),
    "spouse_id": gettext_lazy("配偶编号"),
    "married_to": gettext_lazy("配偶编号"),
    "married_on": gettext_lazy("结婚日期"),
    "id_number_masked": gettext_lazy("身份证号"),
    "account_number_masked": gettext_lazy("银行账号"),
    "name": gettext_lazy("名称"),
    "size_bytes": gettext_lazy("大小（字节）"),
    "sha256": gettext_lazy("文件摘要"),
}
_ETHNICITY_LABELS = dict(ETHNICITIES)
EMPTY = "—"


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    event: AuditEvent
    actor_name: str
    role_label: str
    subject_label: str
    changes: list[Change]
    is_creation: bool


def _field(model: type[models.Model] | None, key: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(key)
    except FieldDoesNotExist:  # keys such as "married_on" live only in events
        return None
    return found if isinstance(found, models.Field) else None


def _label(model: type[models.Model] | None, key: str) -> str:
    if key.endswith("_fen"):
        base = _field(model, key)
        text = str(base.verbose_name) if base is not None else key
        return text.replace(_("（分）"), "") + _("（元）")
    if key.endswith("_id") and key in _EXTRA_LABELS:  # "head_id" is a number here, not the head
        return str(_EXTRA_LABELS[key])
    found = _field(model, key)
    return str(found.verbose_name) if found is not None else str(_EXTRA_LABELS.get(key, key))


def _value(model: type[models.Model] | None, key: str, value: Any, regions: dict[int, str]) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if key.endswith("_fen") and isinstance(value, int):
        return fen_to_yuan_text(value) + _(" 元")
    if key == "region_id":
        return regions.get(value, str(value))
    if key == "ethnicity":
        return str(_ETHNICITY_LABELS.get(value, value))
    found = _field(model, key)
    if found is not None and found.choices:
        return str(dict(found.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _changes(event: AuditEvent, regions: dict[int, str]) -> list[Change]:
    model = _MODELS.get(event.subject_type)
    before = event.before or {}
    after = event.after or {}
    creation = not before
    changes = []
    for key in list(dict.fromkeys([*before.keys(), *after.keys()])):
        old, new = before.get(key), after.get(key)
        if creation and new in (None, "", False):
            continue
        changes.append(Change(_label(model, key), _value(model, key, old, regions), _value(model, key, new, regions)))
    return changes


def region_ids_in(events: list[AuditEvent]) -> set[int]:
    ids: set[int] = set()
    for event in events:
        for side in (event.before or {}, event.after or {}):
            if isinstance(side.get("region_id"), int):
                ids.add(side["region_id"])
    return ids


def history_entries(events: list[AuditEvent], *, regions: dict[int, str]) -> list[HistoryEntry]:
    roles = dict(Role.choices)
    return [
        HistoryEntry(
            event=event,
            actor_name=event.actor.display_name if event.actor else _("系统"),
            role_label=str(roles.get(event.actor_role, event.actor_role or EMPTY)),
            subject_label=str(_SUBJECT_LABELS.get(event.subject_type, event.subject_type)),
            changes=_changes(event, regions),
            is_creation=not event.before and bool(event.after),
        )
        for event in events
    ]
