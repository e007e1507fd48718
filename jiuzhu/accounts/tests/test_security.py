"""Password policy, login lockout, production deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from jiuzhu.accounts.models import User
from jiuzhu.accounts.roles import Role
from jiuzhu.accounts.services import user_create
from jiuzhu.common.exceptions import ValidationFailed
from jiuzhu.testing.builders import PASSWORD

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1a", "太短"),
        ("abcdefghijkl", "字母和数字"),
        ("38271640592", "只包含数字"),
        ("password123", "太常见"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(password, message):
    with pytest.raises(ValidationError) as caught:
        validate_password(password)
    assert any(message in m for m in caught.value.messages), caught.value.messages


def test_a_strong_password_passes():
    validate_password("Kaijiang-2026-mz")


@pytest.mark.django_db
def test_user_create_refuses_a_weak_password_and_creates_nothing(regions):
    with pytest.raises(ValidationFailed) as caught:
        user_create(actor=None, username="weak", password="123", role=Role.COORDINATOR, region=regions["511723105201"])
    assert caught.value.field_errors["password"]
    assert not User.objects.filter(username="weak").exists()


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account(users, settings):
    request_factory = RequestFactory()

    def attempt(password: str):  # type: ignore[no-untyped-def]
        request = request_factory.post("/login/")
        return authenticate(request=request, username="coord_a", password=password)

    assert attempt(PASSWORD) is not None
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert attempt("wrong-password-1") is None
    assert AccessAttempt.objects.filter(username="coord_a").exists()
    # Locked: even the right password is refused now.
    assert attempt(PASSWORD) is None
    # Another account is not affected.
    assert authenticate(request=request_factory.post("/login/"), username="coord_b", password=PASSWORD) is not None


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jiuzhu.config.settings.production",
        "DJANGO_SECRET_KEY": "p" * 20 + "-Zq8#r!x2@LmN4$vB7&kT9*wE1^yU6%iO3(aS5)dF0-gH",
        "JIUZHU_DATA_KEY": "dGVzdC1vbmx5LWRhdGEta2V5LTAxMjM0NTY3ODlhYmM=",
        "DJANGO_ALLOWED_HOSTS": "jiuzhu.example.gov.cn",
        "JIUZHU_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "jiuzhu", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_secrets(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SECRET_KEY", "JIUZHU_DATA_KEY", "DATABASE_URL"}}
    env.update({"DJANGO_SETTINGS_MODULE": "jiuzhu.config.settings.production", "JIUZHU_DATA_DIR": str(tmp_path)})
    result = subprocess.run(
        [sys.executable, "-m", "jiuzhu", "check"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
