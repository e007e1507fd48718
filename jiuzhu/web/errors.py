"""The one place where domain errors become responses for server-rendered pages (STYLE.md B5).

- `NotFoundOrNoAccess` -> 404, the same page whether the object is missing or off-limits;
- `PermissionDeniedError` -> 403;
- `ValidationFailed` -> the form page the view registered with `form_page()` is rendered again,
  each message next to the field it names (`members-1-id_number` goes to row 1 of the `members`
  formset); keys no field owns become errors at the top of the form;
- any other `DomainError` (`ConflictError`, `RuleViolation`, …) -> an error message and a redirect
  (by default back to the page itself, so a stale form is reloaded with fresh data). A page whose
  `FormPage.rule_errors_in_form` is set (the case workflow steps) shows a `RuleViolation` or
  `TransitionNotAllowed` at the top of its form instead, keeping what was typed; a `ConflictError`
  still reloads the page, since the form's version is stale.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.forms.formsets import BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render

from jiuzhu.common.exceptions import (
    ConflictError,
    DomainError,
    NotFoundOrNoAccess,
    PermissionDeniedError,
    ValidationFailed,
)

_PAGE_ATTRIBUTE = "_jiuzhu_form_page"
_FORMSET_KEY = re.compile(r"^(?P<prefix>[\w]+)-(?P<index>\d+)-(?P<field>\w+)$")

View = Callable[..., HttpResponseBase]
RedirectTarget = Callable[[HttpRequest, dict[str, Any]], str]


@dataclass
class FormPage:
    """A page with forms that a `ValidationFailed` from the service should re-render."""

    template: str
    forms: dict[str, forms.BaseForm | BaseFormSet]
    context: dict[str, Any] = field(default_factory=dict)
    rule_errors_in_form: bool = False

    def render(self, request: HttpRequest, status: int | None = None) -> HttpResponse:
        if status is None:
            status = 400 if request.method == "POST" else 200
        return render(request, self.template, {**self.context, **self.forms}, status=status)

    def add_errors(self, error: ValidationFailed) -> None:
        field_errors = error.field_errors or {NON_FIELD_ERRORS: [error.user_message]}
        for key, field_messages in field_errors.items():
            for message in field_messages:
                self._add_error(key, str(message))

    def shows_in_form(self, error: DomainError) -> bool:
        return self.rule_errors_in_form and not isinstance(error, ConflictError)

    def add_form_error(self, message: str) -> None:
        self._add_error(NON_FIELD_ERRORS, message)

    def _add_error(self, key: str, message: str) -> None:
        match = _FORMSET_KEY.match(key)
        formsets = {f.prefix: f for f in self.forms.values() if isinstance(f, BaseFormSet)}
        if match and match["prefix"] in formsets:
            rows = formsets[match["prefix"]].forms
            index = int(match["index"])
            if index < len(rows):
                row = rows[index]
                row.add_error(match["field"] if match["field"] in row.fields else None, message)
                return
        if key in formsets:
            formsets[key].non_form_errors().append(message)
            return
        plain = [f for f in self.forms.values() if isinstance(f, forms.BaseForm)]
        for form in plain:
            if key in form.fields:
                form.add_error(key, message)
                return
        if plain:
            plain[0].add_error(None, message)
        elif formsets:
            next(iter(formsets.values())).non_form_errors().append(message)


def form_page(request: HttpRequest, template: str, *, forms: dict[str, Any], **context: Any) -> FormPage:
    """Register the page that `domain_errors` re-renders when the service rejects the input."""
    page = FormPage(template=template, forms=forms, context=context)
    setattr(request, _PAGE_ATTRIBUTE, page)
    return page


def _same_page(request: HttpRequest, kwargs: dict[str, Any]) -> str:
    return request.get_full_path()


def domain_errors(redirect_to: RedirectTarget = _same_page) -> Callable[[View], View]:
    """Map domain errors raised by a view (usually by the one service it calls) to responses."""

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                return view(request, *args, **kwargs)
            except NotFoundOrNoAccess:
                raise Http404() from None
            except PermissionDeniedError as error:
                raise PermissionDenied(error.user_message) from None
            except ValidationFailed as error:
                page: FormPage | None = getattr(request, _PAGE_ATTRIBUTE, None)
                if page is None:
                    messages.error(request, error.user_message)
                    return redirect(redirect_to(request, kwargs))
                page.add_errors(error)
                return page.render(request, status=400)
            except DomainError as error:
                registered: FormPage | None = getattr(request, _PAGE_ATTRIBUTE, None)
                if registered is not None and registered.shows_in_form(error):
                    registered.add_form_error(error.user_message)
                    return registered.render(request, status=error.http_status)
                messages.error(request, error.user_message)
                return redirect(redirect_to(request, kwargs))

        return wrapper

    return decorator
