"""Local / demo settings: embedded SQLite, DEBUG on, secrets generated once into the data folder.

The generated secrets file is the local equivalent of the environment; production never uses it.
"""

from __future__ import annotations

import base64
import secrets

from jiuzhu.config.env import DATA_DIR, env
from jiuzhu.config.settings.base import *  # noqa: F403

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_secrets_file = DATA_DIR / "secrets.env"
if not _secrets_file.exists():
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    _secrets_file.write_text(
        f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}\n"
        f"JIUZHU_DATA_KEY={base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}\n",
        encoding="utf-8",
    )
    _secrets_file.chmod(0o600)
env.read_env(str(_secrets_file))  # does not override variables already set
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
JIUZHU_DATA_KEY = env.str("JIUZHU_DATA_KEY")
