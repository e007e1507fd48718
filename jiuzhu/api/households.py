"""Households (家庭): search, read (logged), open with members, correct, reveal the account number."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jiuzhu.api.common import (
    ReasonInput,
    RegistryViewSet,
    RevealedAccountNumberOutput,
    expected_version_field,
    no_store,
    reason_field,
)
from jiuzhu.api.persons import PersonMemberInput, PersonOutput
from jiuzhu.api.regions import region_id_for_code
from jiuzhu.common.exceptions import ValidationFailed
from jiuzhu.registry.access import access_household_for_edit, access_household_for_view, households_visible_to
from jiuzhu.registry.choices import HouseholdStatus, HukouType
from jiuzhu.registry.models import Household
from jiuzhu.registry.selectors import household_search
from jiuzhu.registry.services.households import (
    household_account_number_reveal,
    household_create,
    household_file_viewed,
    household_update,
)
from jiuzhu.registry.types import HouseholdData, PersonData

TAGS = ["households"]


class HouseholdFieldsInput(serializers.Serializer[Any]):
    region_code = serializers.RegexField(
        r"^\d{12}$", label=_("所属村（社区）区划代码"), required=False, help_text=_("12位村级区划代码。")
    )
    hukou_type = serializers.ChoiceField(label=_("户籍类型"), choices=HukouType.choices, required=False)
    address = serializers.CharField(label=_("家庭住址"), max_length=200, required=False)
    phone = serializers.CharField(label=_("联系电话"), max_length=32, required=False, allow_blank=True)
    bank_name = serializers.CharField(label=_("开户机构"), max_length=64, required=False, allow_blank=True)
    account_holder = serializers.CharField(label=_("账户户名"), max_length=64, required=False, allow_blank=True)
    account_number = serializers.CharField(
        label=_("银行账号"),
        max_length=40,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=_("只写：响应中只返回掩码。修改时留空表示不变。"),
    )
    notes = serializers.CharField(label=_("备注"), required=False, allow_blank=True)


class HouseholdCreateInput(HouseholdFieldsInput):
    region_code = serializers.RegexField(r"^\d{12}$", label=_("所属村（社区）区划代码"))
    hukou_type = serializers.ChoiceField(label=_("户籍类型"), choices=HukouType.choices)
    address = serializers.CharField(label=_("家庭住址"), max_length=200)
    members = PersonMemberInput(many=True, label=_("家庭成员"), help_text=_("第一名为户主（relation=head）。"))
    reason = reason_field()


class HouseholdUpdateInput(HouseholdFieldsInput):
    expected_version = expected_version_field()
    reason = reason_field()


class HouseholdFilterInput(serializers.Serializer[Any]):
    q = serializers.CharField(
        label=_("查询"), required=False, allow_blank=True, max_length=64,
        help_text=_("成员姓名、姓名拼音首字母（如 zs）或完整身份证号。"),
    )  # fmt: skip
    region = serializers.RegexField(
        r"^\d{2,12}$", label=_("区划代码"), required=False, help_text=_("该区划及其下级（须在本人辖区内）。")
    )
    status = serializers.ChoiceField(label=_("状态"), choices=HouseholdStatus.choices, required=False)
    hukou_type = serializers.ChoiceField(label=_("户籍类型"), choices=HukouType.choices, required=False)


class HouseholdListOutput(serializers.ModelSerializer[Household]):
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    hukou_type_label = serializers.CharField(source="get_hukou_type_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    head_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Household
        fields = [
            "id", "region_code", "region_name", "hukou_type", "hukou_type_label", "address", "phone", "head_id",
            "head_name", "status", "status_label", "account_number_masked", "version",
        ]  # fmt: skip
        read_only_fields = fields


class HouseholdDetailOutput(HouseholdListOutput):
    members = serializers.SerializerMethodField()

    class Meta(HouseholdListOutput.Meta):
        fields = [
            *HouseholdListOutput.Meta.fields, "bank_name", "account_holder", "notes", "created_at", "updated_at",
            "members",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(PersonOutput(many=True))
    def get_members(self, household: Household) -> Any:
        return PersonOutput(household.members.order_by("id"), many=True).data


def _region_id(actor: Any, code: str) -> int:
    region_id = region_id_for_code(actor, code)
    if region_id is None:
        raise ValidationFailed(field_errors={"region_code": [gettext("区划代码不存在或不在您的辖区内。")]})
    return region_id


def household_data_for_update(household: Household, changes: dict[str, Any]) -> HouseholdData:
    """Current values with the client's changes; an empty account number keeps the stored one."""
    current: dict[str, Any] = {
        "region_id": household.region_id, "hukou_type": household.hukou_type, "address": household.address,
        "phone": household.phone, "bank_name": household.bank_name, "account_holder": household.account_holder,
        "account_number": "", "notes": household.notes,
    }  # fmt: skip
    return HouseholdData(**(current | changes))


class HouseholdViewSet(RegistryViewSet):
    service_field_names = {"region": "region_code"}

    def get_queryset(self) -> QuerySet[Household]:
        return households_visible_to(self.request.user)

    @extend_schema(
        summary="家庭查询", parameters=[HouseholdFilterInput], responses=HouseholdListOutput(many=True), tags=TAGS
    )
    def list(self, request: Request) -> Response:
        filters = self.validated(HouseholdFilterInput, request.query_params)
        households = household_search(
            actor=request.user, query=filters.get("q", ""), region_code=filters.get("region", ""),
            status=filters.get("status", ""),
        )  # fmt: skip
        if "hukou_type" in filters:
            households = households.filter(hukou_type=filters["hukou_type"])
        return self.paginated(households, HouseholdListOutput)

    @extend_schema(
        summary="建立家庭档案", request=HouseholdCreateInput, responses={201: HouseholdDetailOutput}, tags=TAGS
    )
    def create(self, request: Request) -> Response:
        data = self.validated(HouseholdCreateInput, request.data)
        members = tuple(PersonData(**member) for member in data.pop("members"))
        reason = data.pop("reason")
        region_id = _region_id(request.user, data.pop("region_code"))
        household = household_create(
            actor=request.user, data=HouseholdData(region_id=region_id, members=members, **data), reason=reason
        )
        return Response(HouseholdDetailOutput(household).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="家庭详情", responses=HouseholdDetailOutput, tags=TAGS, description="每次读取都记入审计记录。"
    )
    def retrieve(self, request: Request, pk: int) -> Response:
        household = access_household_for_view(request.user, pk)
        household_file_viewed(actor=request.user, household=household)
        return Response(HouseholdDetailOutput(household).data)

    @extend_schema(summary="修改家庭信息", request=HouseholdUpdateInput, responses=HouseholdDetailOutput, tags=TAGS)
    def partial_update(self, request: Request, pk: int) -> Response:
        household = access_household_for_edit(request.user, pk)
        data = self.validated(HouseholdUpdateInput, request.data)
        expected_version, reason = data.pop("expected_version"), data.pop("reason")
        if "region_code" in data:
            data["region_id"] = _region_id(request.user, data.pop("region_code"))
        household = household_update(
            actor=request.user, household_id=household.pk, expected_version=expected_version,
            data=household_data_for_update(household, data), reason=reason,
        )  # fmt: skip
        return Response(HouseholdDetailOutput(household).data)

    @extend_schema(
        summary="查看完整银行账号", request=ReasonInput, responses=RevealedAccountNumberOutput, tags=TAGS,
        description="需要相应权限；每次查看都记入审计记录。",
    )  # fmt: skip
    @action(detail=True, methods=["post"], url_path="reveal-account-number")
    def reveal_account_number(self, request: Request, pk: int) -> Response:
        reason = self.validated(ReasonInput, request.data)["reason"]
        number = household_account_number_reveal(actor=request.user, household_id=pk, reason=reason)
        return no_store(Response(RevealedAccountNumberOutput({"account_number": number}).data))
