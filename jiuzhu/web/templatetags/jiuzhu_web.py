"""Display helpers for the pages: money in yuan, dates as YYYY-MM-DD, ages, capabilities, paging links."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import has_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.common.money import fen_to_yuan_text
from jiuzhu.registry.rules.id_numbers import age_on

register = template.Library()


@register.filter
def yuan(fen: Any) -> str:
    """123456 -> "1,234.56 元"."""
    if fen is None or fen == "":
        return "—"
    return fen_to_yuan_text(int(fen)) + _(" 元")


@register.filter
def ymd(value: Any) -> str:
    """A date (or an aware datetime, in local time) as YYYY-MM-DD."""
    if not value:
        return "—"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return str(value.isoformat())


@register.filter
def ymdhm(value: Any) -> str:
    if not value:
        return "—"
    return str(timezone.localtime(value).strftime("%Y-%m-%d %H:%M"))


@register.filter
def age(person: Any) -> str:
    """Age in full years today, or at death for a deceased person."""
    if not getattr(person, "birth_date", None):
        return "—"
    on = person.death_date or timezone.localdate()
    return str(age_on(person.birth_date, on))


@register.filter
def minutes(value: Any) -> int:
    """A timedelta (e.g. the lockout cool-off) in whole minutes, at least 1."""
    if isinstance(value, datetime.timedelta):
        return max(1, int(value.total_seconds() // 60))
    return 0


@register.filter
def can(user: Any, capability: str) -> bool:
    """`{% if user|can:"registry.edit" %}` — whether the user's role has a capability."""
    return has_capability(user, Capability(capability))


@register.simple_tag
def page_url(request: HttpRequest, number: int) -> str:
    """The current query string with another page number."""
    query = request.GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()


@register.filter
def yes_no(value: Any) -> str:
    return _("是") if value else ""
