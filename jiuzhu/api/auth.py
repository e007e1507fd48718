"""Token login for API clients: `POST /api/v1/auth/token/` with username and password.

Goes through `django.contrib.auth.authenticate(request=...)`, so django-axes counts failures and
refuses a locked-out username exactly as on the login page. A successful token login is a login:
it sends `user_logged_in` (last login time, axes failure reset).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiuzhu.api.authentication import token_is_expired
from jiuzhu.api.errors import LoginLockedOut
from jiuzhu.api.schema import ApiSchema, ErrorOutput
from jiuzhu.common.exceptions import ValidationFailed


def api_token_for(user: Any) -> str:
    """The user's API token (one per user). An expired token is replaced by a new one."""
    token, _created = Token.objects.get_or_create(user=user)
    if token_is_expired(token):
        token.delete()
        token = Token.objects.create(user=user)
    return str(token.key)


class TokenObtainApi(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    schema = ApiSchema()

    class InputSerializer(serializers.Serializer[Any]):
        username = serializers.CharField(label=_("用户名"), max_length=150)
        password = serializers.CharField(
            label=_("密码"), max_length=128, trim_whitespace=False, style={"input_type": "password"}
        )

    class OutputSerializer(serializers.Serializer[Any]):
        token = serializers.CharField(label=_("令牌"), help_text=_("请求头中使用：Authorization: Token <令牌>"))

    @extend_schema(
        summary="获取接口令牌",
        request=InputSerializer,
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(ErrorOutput, description="用户名或密码不正确（code=invalid_credentials）"),
            429: OpenApiResponse(ErrorOutput, description="登录失败次数过多，账号已被暂时锁定（code=locked_out）"),
        },
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request=request, **serializer.validated_data)
        if user is None:
            if getattr(request, "axes_locked_out", False):
                raise LoginLockedOut()
            raise ValidationFailed(gettext("用户名或密码不正确。"), code="invalid_credentials")
        user_logged_in.send(sender=type(user), request=request, user=user)
        return Response(self.OutputSerializer({"token": api_token_for(user)}).data)
