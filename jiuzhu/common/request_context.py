"""The current request's id, for audit events written deep inside services."""

from __future__ import annotations

import contextvars

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("current_request_id", default="")
