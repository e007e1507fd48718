"""Production settings: everything secret or site-specific comes from the environment."""

from __future__ import annotations

from jiuzhu.config.env import env
from jiuzhu.config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
JIUZHU_DATA_KEY = env.str("JIUZHU_DATA_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

SESSION_COOKIE_SECURE = env.bool("JIUZHU_HTTPS", default=True)
CSRF_COOKIE_SECURE = env.bool("JIUZHU_HTTPS", default=True)
SECURE_SSL_REDIRECT = env.bool("JIUZHU_HTTPS", default=True)
SECURE_HSTS_SECONDS = env.int("JIUZHU_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("JIUZHU_HSTS_PRELOAD", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
