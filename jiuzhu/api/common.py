"""Pieces every API resource shares: the base view set, permissions, small input shapes.

How a resource view set works (HackSoft's "thin API" with DRF view sets for REST paths):
- reads come only from the registry's jurisdiction-scoped `*_visible_to` querysets, selectors
  and `access_*` functions, so an object outside the caller's area is a 404 like a missing one;
- every write validates the request with an input serializer and calls **one** service; a
  serializer never saves a model;
- object writes check access first (404, then 403 for read-only roles), then validate input,
  then call the service, so a caller of another village learns nothing from validation errors;
- domain errors are turned into JSON in one place (`jiuzhu.api.errors`).
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from jiuzhu.accounts.jurisdiction import has_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.api.schema import ApiSchema
from jiuzhu.common.exceptions import NotFoundOrNoAccess

M = TypeVar("M", bound=Model)


class CanViewRegistry(BasePermission):
    """The caller's role may read the registry (jurisdiction is checked per object)."""

    message = _("您的角色无权查看家庭档案。")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return has_capability(request.user, Capability.REGISTRY_VIEW)


class RegistryViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, CanViewRegistry]
    schema = ApiSchema()
    lookup_value_converter = "int"
    # Service field names that differ from the API's (see jiuzhu.api.errors).
    service_field_names: ClassVar[dict[str, str]] = {}

    def validated(self, serializer_class: type[BaseSerializer[Any]], data: Any) -> dict[str, Any]:
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def paginated(self, queryset: QuerySet[Any], serializer_class: type[BaseSerializer[Any]]) -> Response:
        page = self.paginate_queryset(queryset)
        assert page is not None  # pagination is always on (settings.REST_FRAMEWORK)
        return self.get_paginated_response(serializer_class(page, many=True).data)


def visible_object(queryset: QuerySet[M], pk: Any) -> M:
    """One object of an already scoped queryset, or the same 404 as a missing one."""
    try:
        return queryset.get(pk=int(pk))
    except (ValueError, TypeError, ObjectDoesNotExist):
        raise NotFoundOrNoAccess() from None


def reason_field() -> serializers.CharField:
    return serializers.CharField(
        label=_("原因"), max_length=500, required=False, allow_blank=True, default="", help_text=_("记入审计记录。")
    )


def expected_version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        label=_("版本号"), min_value=1, help_text=_("读取时的 version；他人已修改时返回 409（code=conflict）。")
    )


class ReasonInput(serializers.Serializer[Any]):
    reason = reason_field()


class RevealedIdNumberOutput(serializers.Serializer[Any]):
    id_number = serializers.CharField(label=_("身份证号"))


class RevealedAccountNumberOutput(serializers.Serializer[Any]):
    account_number = serializers.CharField(label=_("银行账号"))


def no_store(response: Response) -> Response:
    """Full identifiers must not be kept by browsers or proxies."""
    response["Cache-Control"] = "no-store"
    return response
