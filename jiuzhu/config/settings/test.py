"""Test settings: fast hasher, fixed throwaway keys, files in a temporary folder."""

from __future__ import annotations

import importlib.metadata
import os
import tempfile
from pathlib import Path

from jiuzhu.config.env import env
from jiuzhu.config.settings.base import *  # noqa: F403
from jiuzhu.config.settings.base import AUTH_PASSWORD_VALIDATORS, DATABASES

SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"
JIUZHU_DATA_KEY = "dGVzdC1vbmx5LWRhdGEta2V5LTAxMjM0NTY3ODlhYmM="
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="jiuzhu-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="jiuzhu-test-static-")
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AUTH_PASSWORD_VALIDATORS = AUTH_PASSWORD_VALIDATORS
# The static fonts take ~40 s to build: one cache per user and fontTools version, shared by test runs.
_USER_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
JIUZHU_FONT_CACHE = env.str(
    "JIUZHU_FONT_CACHE", default=str(_USER_CACHE / "jiuzhu" / f"fonts-{importlib.metadata.version('fonttools')}")
)

# Let the test runner flush tables between transactional tests; the audit trigger tests turn
# this off again (jiuzhu.audit.db_guard). Production never sets it.
JIUZHU_AUDIT_MAINTENANCE = True
DATABASES = DATABASES
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jiuzhu.audit_maintenance=on"
