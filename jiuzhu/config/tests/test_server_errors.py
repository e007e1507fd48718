from __future__ import annotations

from typing import NoReturn

import pytest
from django.http import HttpRequest
from django.test import Client, override_settings
from django.urls import path

from jiuzhu.config.urls import handler500, urlpatterns


def _boom(request: HttpRequest) -> NoReturn:
    raise RuntimeError("boom")


urlpatterns = [path("api/v1/boom/", _boom), path("boom/", _boom), *urlpatterns]
handler500 = handler500


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_unexpected_errors_are_json_under_api_and_a_page_elsewhere():
    client = Client(raise_request_exception=False)
    api = client.get("/api/v1/boom/")
    assert api.status_code == 500
    body = api.json()
    assert body["code"] == "server_error" and "服务器内部错误" in body["message"]
    assert body["request_id"] == api["X-Request-ID"]
    page = client.get("/boom/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")
