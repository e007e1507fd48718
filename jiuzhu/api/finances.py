"""Monthly income items (收入) and assets (财产) of a household. Money is integer fen (`_fen`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from jiuzhu.api.common import ReasonInput, RegistryViewSet, expected_version_field, reason_field, visible_object
from jiuzhu.registry.access import (
    access_asset_for_edit,
    access_income_item_for_edit,
    assets_visible_to,
    income_items_visible_to,
)
from jiuzhu.registry.choices import AssetKind, IncomeKind, IncomeSource
from jiuzhu.registry.models import Asset, IncomeItem
from jiuzhu.registry.services.finances import (
    AssetData,
    IncomeData,
    asset_add,
    asset_remove,
    asset_update,
    income_item_add,
    income_item_remove,
    income_item_update,
)

REASON_PARAMETER = OpenApiParameter(
    "reason", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True, description="删除原因（记入审计记录）。"
)


class HouseholdFilterInput(serializers.Serializer[Any]):
    household_id = serializers.IntegerField(label=_("家庭编号"), required=False)


def _removal_reason(request: Request) -> str:
    """DELETE carries its reason in the query string (or, for clients that send one, a JSON body)."""
    body = request.data if isinstance(request.data, dict) else {}
    serializer = ReasonInput(data={"reason": request.query_params.get("reason") or body.get("reason", "")})
    serializer.is_valid(raise_exception=True)
    return str(serializer.validated_data["reason"])


# --- Income items -------------------------------------------------------------------------------


class IncomeFieldsInput(serializers.Serializer[Any]):
    person_id = serializers.IntegerField(
        label=_("成员编号"), required=False, allow_null=True, help_text=_("空表示全家的收入。")
    )
    kind = serializers.ChoiceField(label=_("收入类型"), choices=IncomeKind.choices, required=False)
    monthly_amount_fen = serializers.IntegerField(
        label=_("月收入（分）"), required=False, help_text=_("整数，单位为分（1元=100分），不能为负数。")
    )
    source = serializers.ChoiceField(  # type: ignore[assignment]  # DRF takes declared fields off the class
        label=_("来源"), choices=IncomeSource.choices, required=False
    )
    description = serializers.CharField(label=_("说明"), max_length=200, required=False, allow_blank=True)
    recorded_on = serializers.DateField(label=_("登记日期"), required=False, allow_null=True)


class IncomeCreateInput(IncomeFieldsInput):
    household_id = serializers.IntegerField(label=_("家庭编号"))
    kind = serializers.ChoiceField(label=_("收入类型"), choices=IncomeKind.choices)
    monthly_amount_fen = serializers.IntegerField(
        label=_("月收入（分）"), help_text=_("整数，单位为分（1元=100分），不能为负数。")
    )
    reason = reason_field()


class IncomeUpdateInput(IncomeFieldsInput):
    expected_version = expected_version_field()
    reason = reason_field()


class IncomeItemOutput(serializers.ModelSerializer[IncomeItem]):
    household_id = serializers.IntegerField(read_only=True)
    person_id = serializers.IntegerField(read_only=True, allow_null=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)

    class Meta:
        model = IncomeItem
        fields = [
            "id", "household_id", "person_id", "kind", "kind_label", "monthly_amount_fen", "source", "source_label",
            "description", "recorded_on", "version",
        ]  # fmt: skip
        read_only_fields = fields


def income_data_for_update(item: IncomeItem, changes: dict[str, Any]) -> IncomeData:
    current: dict[str, Any] = {
        "kind": item.kind, "monthly_amount_fen": item.monthly_amount_fen, "person_id": item.person_id,
        "source": item.source, "description": item.description, "recorded_on": item.recorded_on,
    }  # fmt: skip
    return IncomeData(**(current | changes))


class IncomeItemViewSet(RegistryViewSet):
    service_field_names = {"monthly_amount": "monthly_amount_fen", "person": "person_id"}

    def get_queryset(self) -> QuerySet[IncomeItem]:
        return income_items_visible_to(self.request.user)

    @extend_schema(
        summary="收入列表", parameters=[HouseholdFilterInput], responses=IncomeItemOutput(many=True), tags=["income"]
    )
    def list(self, request: Request) -> Response:
        filters = self.validated(HouseholdFilterInput, request.query_params)
        items = self.get_queryset()
        if "household_id" in filters:
            items = items.filter(household_id=filters["household_id"])
        return self.paginated(items.order_by("household_id", "kind", "id"), IncomeItemOutput)

    @extend_schema(summary="添加收入", request=IncomeCreateInput, responses={201: IncomeItemOutput}, tags=["income"])
    def create(self, request: Request) -> Response:
        data = self.validated(IncomeCreateInput, request.data)
        household_id, reason = data.pop("household_id"), data.pop("reason")
        item = income_item_add(actor=request.user, household_id=household_id, data=IncomeData(**data), reason=reason)
        return Response(IncomeItemOutput(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="收入详情", responses=IncomeItemOutput, tags=["income"])
    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(IncomeItemOutput(visible_object(self.get_queryset(), pk)).data)

    @extend_schema(summary="修改收入", request=IncomeUpdateInput, responses=IncomeItemOutput, tags=["income"])
    def partial_update(self, request: Request, pk: int) -> Response:
        item = access_income_item_for_edit(request.user, pk)
        data = self.validated(IncomeUpdateInput, request.data)
        expected_version, reason = data.pop("expected_version"), data.pop("reason")
        item = income_item_update(
            actor=request.user, item_id=item.pk, expected_version=expected_version,
            data=income_data_for_update(item, data), reason=reason,
        )  # fmt: skip
        return Response(IncomeItemOutput(item).data)

    @extend_schema(summary="删除收入", parameters=[REASON_PARAMETER], responses={204: None}, tags=["income"])
    def destroy(self, request: Request, pk: int) -> Response:
        income_item_remove(actor=request.user, item_id=pk, reason=_removal_reason(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Assets ---------------------------------------------------------------------------------------


class AssetFieldsInput(serializers.Serializer[Any]):
    person_id = serializers.IntegerField(
        label=_("成员编号"), required=False, allow_null=True, help_text=_("空表示全家的财产。")
    )
    kind = serializers.ChoiceField(label=_("财产类型"), choices=AssetKind.choices, required=False)
    description = serializers.CharField(label=_("说明"), max_length=200, required=False, allow_blank=True)
    value_fen = serializers.IntegerField(
        label=_("价值（分）"), required=False, help_text=_("整数，单位为分（1元=100分），不能为负数。")
    )
    quantity = serializers.IntegerField(label=_("数量"), required=False)
    floor_area_sqm = serializers.DecimalField(
        label=_("建筑面积（平方米）"), max_digits=9, decimal_places=2, required=False, allow_null=True
    )
    registration_number = serializers.CharField(
        label=_("登记号/车牌号"), max_length=64, required=False, allow_blank=True
    )
    recorded_on = serializers.DateField(label=_("登记日期"), required=False, allow_null=True)


class AssetCreateInput(AssetFieldsInput):
    household_id = serializers.IntegerField(label=_("家庭编号"))
    kind = serializers.ChoiceField(label=_("财产类型"), choices=AssetKind.choices)
    reason = reason_field()


class AssetUpdateInput(AssetFieldsInput):
    expected_version = expected_version_field()
    reason = reason_field()


class AssetOutput(serializers.ModelSerializer[Asset]):
    household_id = serializers.IntegerField(read_only=True)
    person_id = serializers.IntegerField(read_only=True, allow_null=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Asset
        fields = [
            "id", "household_id", "person_id", "kind", "kind_label", "description", "value_fen", "quantity",
            "floor_area_sqm", "registration_number", "recorded_on", "version",
        ]  # fmt: skip
        read_only_fields = fields


def asset_data_for_update(asset: Asset, changes: dict[str, Any]) -> AssetData:
    current: dict[str, Any] = {
        "kind": asset.kind, "value_fen": asset.value_fen, "person_id": asset.person_id,
        "description": asset.description, "quantity": asset.quantity, "floor_area_sqm": asset.floor_area_sqm,
        "registration_number": asset.registration_number, "recorded_on": asset.recorded_on,
    }  # fmt: skip
    return AssetData(**(current | changes))


class AssetViewSet(RegistryViewSet):
    service_field_names = {"value": "value_fen", "person": "person_id"}

    def get_queryset(self) -> QuerySet[Asset]:
        return assets_visible_to(self.request.user)

    @extend_schema(
        summary="财产列表", parameters=[HouseholdFilterInput], responses=AssetOutput(many=True), tags=["assets"]
    )
    def list(self, request: Request) -> Response:
        filters = self.validated(HouseholdFilterInput, request.query_params)
        assets = self.get_queryset()
        if "household_id" in filters:
            assets = assets.filter(household_id=filters["household_id"])
        return self.paginated(assets.order_by("household_id", "kind", "id"), AssetOutput)

    @extend_schema(summary="添加财产", request=AssetCreateInput, responses={201: AssetOutput}, tags=["assets"])
    def create(self, request: Request) -> Response:
        data = self.validated(AssetCreateInput, request.data)
        household_id, reason = data.pop("household_id"), data.pop("reason")
        asset = asset_add(actor=request.user, household_id=household_id, data=AssetData(**data), reason=reason)
        return Response(AssetOutput(asset).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="财产详情", responses=AssetOutput, tags=["assets"])
    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(AssetOutput(visible_object(self.get_queryset(), pk)).data)

    @extend_schema(summary="修改财产", request=AssetUpdateInput, responses=AssetOutput, tags=["assets"])
    def partial_update(self, request: Request, pk: int) -> Response:
        asset = access_asset_for_edit(request.user, pk)
        data = self.validated(AssetUpdateInput, request.data)
        expected_version, reason = data.pop("expected_version"), data.pop("reason")
        asset = asset_update(
            actor=request.user, asset_id=asset.pk, expected_version=expected_version,
            data=asset_data_for_update(asset, data), reason=reason,
        )  # fmt: skip
        return Response(AssetOutput(asset).data)

    @extend_schema(summary="删除财产", parameters=[REASON_PARAMETER], responses={204: None}, tags=["assets"])
    def destroy(self, request: Request, pk: int) -> Response:
        asset_remove(actor=request.user, asset_id=pk, reason=_removal_reason(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
