from __future__ import annotations

import re

import pytest
from django.urls import reverse

from jiuzhu.testing.builders import PASSWORD
from jiuzhu.web.tests.html import page_html

pytestmark = pytest.mark.django_db

LOGIN = reverse("web:login")


def test_login_page_is_chinese_and_logs_in(client, users):
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert "社会救助管理信息系统" in page_html(page)
    response = client.post(LOGIN, {"username": "coord_a", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    home = client.get(reverse("web:home"))
    html = page_html(home)
    assert "coord_a" in html and "村（社区）协理员" in html and "凤凰村" in html


def test_wrong_password_shows_a_chinese_error_and_does_not_log_in(client, users):
    response = client.post(LOGIN, {"username": "coord_a", "password": "wrong-password"})
    assert response.status_code == 200
    assert "请输入一个正确的" in page_html(response)
    assert client.get(reverse("web:home")).status_code == 302


def test_account_is_locked_after_repeated_failures_with_a_chinese_page(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "coord_a", "password": "wrong-password"})
    response = client.post(LOGIN, {"username": "coord_a", "password": PASSWORD})
    html = page_html(response)
    assert response.status_code == 429
    assert "账号已临时锁定" in html
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    assert f"锁定 {minutes} 分钟" in html
    assert client.get(reverse("web:home")).status_code == 302


def test_logout_is_a_post(client_as):
    client = client_as("coordinator_a")
    assert client.post(reverse("web:logout")).status_code == 302
    assert client.get(reverse("web:home")).status_code == 302


def test_anonymous_users_are_sent_to_login(client, world):
    for url in (reverse("web:home"), reverse("web:household-file", args=[world.household_a.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_language_switch_posts_to_set_language_and_english_is_served(client_as):
    client = client_as("coordinator_a")
    html = page_html(client.get(reverse("web:home")))
    assert 'action="/i18n/setlang/"' in html and 'name="csrfmiddlewaretoken"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    english = client.get(reverse("web:home"))
    assert english.wsgi_request.LANGUAGE_CODE == "en"
    assert "To-do" in page_html(english) and "Log out" in page_html(english)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "待办事项" in page_html(client.get(reverse("web:home")))


def test_pages_carry_a_strict_csp_and_load_nothing_from_outside(client_as, world):
    client = client_as("coordinator_a")
    for url in (
        LOGIN,
        reverse("web:home"),
        reverse("web:household-list"),
        reverse("web:household-create"),
        reverse("web:household-file", args=[world.household_a.pk]),
    ):
        response = client.get(url)
        html = page_html(response)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), url
        assert "<style" not in html and " style=" not in html, url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url  # no inline script
        assert "/media/" not in html, url


def test_static_stylesheet_has_print_rules(client_as):
    from django.contrib.staticfiles import finders

    css = open(finders.find("web/app.css"), encoding="utf-8").read()
    assert "@media print" in css and "size: A4" in css
