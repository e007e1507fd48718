"""Token login (through django-axes), token and session authentication, 401/403 answers."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from jiuzhu.testing.builders import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = reverse("api:token")
HOUSEHOLDS_URL = reverse("api:household-list")


def _login(client: APIClient, username: str, password: str):
    return client.post(TOKEN_URL, {"username": username, "password": password}, format="json")


def test_token_is_issued_for_right_password_and_authenticates(users):
    response = _login(APIClient(), "coord_a", PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=users["coordinator_a"]).key
    client = APIClient()
    assert client.get(HOUSEHOLDS_URL).status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(HOUSEHOLDS_URL).status_code == 200
    users["coordinator_a"].refresh_from_db()
    assert users["coordinator_a"].last_login is not None  # a token login is a login


def test_same_token_is_returned_on_a_second_login(users):
    first = _login(APIClient(), "coord_a", PASSWORD).json()["token"]
    assert _login(APIClient(), "coord_a", PASSWORD).json()["token"] == first


@pytest.mark.parametrize(
    ("username", "password"),
    [("coord_a", "wrong-password-1"), ("nobody", PASSWORD)],
)
def test_wrong_credentials_are_refused_in_chinese(users, username, password):
    response = _login(APIClient(), username, password)
    assert response.status_code == 400
    assert response.json() == {"code": "invalid_credentials", "message": "用户名或密码不正确。"}
    assert not Token.objects.exists()


def test_inactive_user_gets_no_token(users):
    user = users["coordinator_a"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert _login(APIClient(), "coord_a", PASSWORD).json()["code"] == "invalid_credentials"
    assert not Token.objects.exists()


def test_missing_fields_are_field_errors():
    response = APIClient().post(TOKEN_URL, {"username": "coord_a"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_failed"
    assert body["fields"] == {"password": ["该字段是必填项。"]}


def test_token_endpoint_locks_the_username_after_the_failure_limit(users, settings):
    client = APIClient()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "coord_a", "wrong-password-1").json()["code"] == "invalid_credentials"
    locked = _login(client, "coord_a", "wrong-password-1")
    assert locked.status_code in (403, 429)
    assert locked.json()["code"] == "locked_out"
    # Now even the right password is refused, with a Chinese message and no token.
    refused = _login(APIClient(), "coord_a", PASSWORD)
    assert refused.status_code in (403, 429)
    assert refused.json()["code"] == "locked_out"
    assert "锁定" in refused.json()["message"]
    assert refused["Content-Type"] == "application/json"
    assert not Token.objects.filter(user=users["coordinator_a"]).exists()
    # The lockout is per username: a colleague in the same office still logs in.
    assert _login(APIClient(), "coord_b", PASSWORD).status_code == 200


def test_a_successful_login_resets_the_failure_count(users, settings):
    client = APIClient()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "coord_a", "wrong-password-1")
    assert _login(client, "coord_a", PASSWORD).status_code == 200
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "coord_a", "wrong-password-1").json()["code"] == "invalid_credentials"
    assert _login(client, "coord_a", PASSWORD).status_code == 200


def test_bad_token_is_401_in_chinese(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get(HOUSEHOLDS_URL)
    assert response.status_code == 401
    assert response.json() == {"code": "authentication_failed", "message": "用户名、密码或令牌不正确。"}


def test_no_credentials_is_401_in_chinese(db):
    response = APIClient().get(HOUSEHOLDS_URL)
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": "未登录或登录已过期，请先登录。"}


def test_session_authentication_works_and_writes_need_the_csrf_token(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.users["coordinator_a"])
    listed = client.get(HOUSEHOLDS_URL)
    assert listed.status_code == 200
    assert [h["id"] for h in listed.json()["results"]] == [world.household_a.pk]
    url = reverse("api:household-detail", kwargs={"pk": world.household_a.pk})
    refused = client.patch(url, {"expected_version": world.household_a.version, "phone": "13900000000"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    world.household_a.refresh_from_db()
    assert world.household_a.phone == ""


@pytest.mark.django_db
def test_expired_tokens_are_refused_and_a_new_login_issues_a_fresh_one(users, settings):
    client = APIClient()
    credentials = {"username": "coord_a", "password": PASSWORD}
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        token = client.post("/api/v1/auth/token/", credentials, format="json").json()["token"]
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert client.get("/api/v1/households/").status_code == 200
        clock.move_to(start + datetime.timedelta(seconds=settings.JIUZHU_API_TOKEN_SECONDS + 60))
        expired = client.get("/api/v1/households/")
        assert expired.status_code == 401
        assert expired.json()["code"] == "token_expired"
        client.credentials()
        fresh = client.post("/api/v1/auth/token/", credentials, format="json").json()["token"]
        assert fresh != token
        client.credentials(HTTP_AUTHORIZATION=f"Token {fresh}")
        assert client.get("/api/v1/households/").status_code == 200
