"""API authentication classes. Kept apart from views: DRF imports this module while it is loading
its own views, so nothing here may import rest_framework.views."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


class TokenExpired(exceptions.AuthenticationFailed):
    default_code = "token_expired"


def token_is_expired(token: Token) -> bool:
    return bool(token.created < timezone.now() - datetime.timedelta(seconds=settings.JIUZHU_API_TOKEN_SECONDS))


class ExpiringTokenAuthentication(TokenAuthentication):
    """Token authentication whose tokens expire like sessions (`JIUZHU_API_TOKEN_SECONDS`)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if token_is_expired(token):
            raise TokenExpired()
        return user, token
