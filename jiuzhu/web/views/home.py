"""Log-in, log-out and the home page with the role's to-do list."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jiuzhu.accounts.jurisdiction import has_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.web.errors import domain_errors
from jiuzhu.web.todos import todo_sections

login_page = auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True)
logout_page = auth_views.LogoutView.as_view()


@login_required
@domain_errors()
def home_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/home.html",
        {
            "sections": todo_sections(request.user),
            "can_edit": has_capability(request.user, Capability.REGISTRY_EDIT),
        },
    )
