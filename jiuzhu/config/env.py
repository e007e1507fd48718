"""Environment access for settings (django-environ). Secrets come only from here."""

from __future__ import annotations

from pathlib import Path

import environ

env = environ.Env()

BASE_DIR = Path(__file__).resolve().parent.parent  # the jiuzhu package
DATA_DIR = Path(env.str("JIUZHU_DATA_DIR", default="var")).resolve()
