"""Small helpers the page modules share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def back_or_home(request: HttpRequest, kwargs: dict[str, Any]) -> str:
    """Where a POST-only action returns after an error: its `next` field if it is ours, else home."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("web:home")


def to_payroll(request: HttpRequest, kwargs: dict[str, Any]) -> str:
    """Where a payroll action (lock, bank file, charge…) returns after an error: the payroll's page."""
    return reverse("web:payroll-detail", args=[kwargs["payroll_id"]])


def to_household_file(household_id: int) -> HttpResponseRedirect:
    return redirect("web:household-file", household_id=household_id)


def is_submitted(request: HttpRequest) -> bool:
    return request.method == "POST"
