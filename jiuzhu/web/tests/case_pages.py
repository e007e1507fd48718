"""Helpers for the case page tests: posting a step page the way a browser does (its one-time token and
version taken from the page just opened)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from jiuzhu.cases.models import Application


def step_url(application: Application, slug: str) -> str:
    return reverse(f"web:case-{slug}", args=[application.pk])


def opened_form(client: Client, url: str) -> dict[str, Any]:
    """The hidden fields of the form on the page at `url`, as the browser would post them back."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    form = response.context["form"]
    return {name: form[name].value() for name in ("submission_token", "expected_version") if name in form.fields}


def post_step(client: Client, application: Application, slug: str, **data: Any) -> Any:
    """Open the step page, fill in `data`, send it."""
    url = step_url(application, slug)
    return client.post(url, {**opened_form(client, url), **data})


def case_url(application: Application) -> str:
    return reverse("web:case-detail", args=[application.pk])
