"""One-time submission tokens: a form posted twice (double click, browser back + resend) must not
create two records.

Each "create" form carries a random hidden token. The first post claims it atomically in the
cache (`cache.add`), so two posts racing each other cannot both pass; a post whose service call
fails gives the token back, so the corrected form can be sent again. A token that led to a saved
record is also kept in the session, which outlives a cache restart for that user.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

from jiuzhu.common.exceptions import ValidationFailed

SESSION_KEY = "jiuzhu_used_form_tokens"
_KEEP_IN_SESSION = 100
_CACHE_SECONDS = 24 * 3600
_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


def new_submission_token() -> str:
    return secrets.token_hex(16)


def _cache_key(token: str) -> str:
    return f"jiuzhu:form-token:{token}"


def _duplicate() -> ValidationFailed:
    return ValidationFailed(field_errors={"__all__": [_("该表单已提交，请勿重复提交。")]}, code="duplicate_submission")


@contextmanager
def one_time_submission(request: HttpRequest, token: str) -> Iterator[None]:
    """Run the block at most once per token; a second post raises ValidationFailed."""
    if not _TOKEN_RE.match(token or ""):
        raise ValidationFailed(field_errors={"__all__": [_("表单已失效，请重新打开页面后填写。")]})
    used: list[str] = request.session.get(SESSION_KEY, [])
    if token in used or not cache.add(_cache_key(token), 1, _CACHE_SECONDS):
        raise _duplicate()
    try:
        yield
    except BaseException:
        cache.delete(_cache_key(token))
        raise
    request.session[SESSION_KEY] = [*used, token][-_KEEP_IN_SESSION:]
