"""Regions (行政区划): read-only, limited to the caller's jurisdiction."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from jiuzhu.accounts.jurisdiction import scope_to_jurisdiction
from jiuzhu.api.schema import ApiSchema
from jiuzhu.common.exceptions import NotFoundOrNoAccess
from jiuzhu.regions.models import Region, RegionLevel


def regions_visible_to(actor: Any) -> QuerySet[Region]:
    """The caller's own region and everything below it."""
    return scope_to_jurisdiction(Region.objects.select_related("parent"), actor, "code")


def region_id_for_code(actor: Any, code: str) -> int | None:
    """Id of a region inside the caller's jurisdiction, or None (missing and off-limits alike)."""
    return regions_visible_to(actor).filter(code=code).values_list("pk", flat=True).first()


class RegionFilterInput(serializers.Serializer[Any]):
    parent_code = serializers.RegexField(
        r"^\d{2,12}$", label=_("上级区划代码"), required=False, help_text=_("只列出该区划的直接下级。")
    )
    level = serializers.ChoiceField(label=_("级别"), choices=RegionLevel.choices, required=False)


class RegionOutput(serializers.ModelSerializer[Region]):
    level_label = serializers.CharField(source="get_level_display", label=_("级别名称"))
    parent_code = serializers.SerializerMethodField(label=_("上级区划代码"))

    class Meta:
        model = Region
        fields = ["code", "name", "level", "level_label", "parent_code", "is_urban", "is_active"]

    def get_parent_code(self, region: Region) -> str | None:
        return region.parent.code if region.parent else None


class RegionViewSet(viewsets.GenericViewSet):
    lookup_field = "code"
    lookup_value_converter = "str"
    schema = ApiSchema()

    def get_queryset(self) -> QuerySet[Region]:
        return regions_visible_to(self.request.user)

    @extend_schema(
        summary="区划列表", parameters=[RegionFilterInput], responses=RegionOutput(many=True), tags=["regions"]
    )
    def list(self, request: Request) -> Response:
        filters = RegionFilterInput(data=request.query_params)
        filters.is_valid(raise_exception=True)
        regions = self.get_queryset()
        if "parent_code" in filters.validated_data:
            regions = regions.filter(parent__code=filters.validated_data["parent_code"])
        if "level" in filters.validated_data:
            regions = regions.filter(level=filters.validated_data["level"])
        page = self.paginate_queryset(regions.order_by("code"))
        return self.get_paginated_response(RegionOutput(page, many=True).data)

    @extend_schema(summary="区划详情", responses=RegionOutput, tags=["regions"])
    def retrieve(self, request: Request, code: str) -> Response:
        region = self.get_queryset().filter(code=code).first() if code.isdigit() else None
        if region is None:
            raise NotFoundOrNoAccess()
        return Response(RegionOutput(region).data)
