"""Dibao policy versions (低保政策参数版本) and the policy in force, over the API.

Who sees what (the same rule as the admin's policy pages): anyone who may view cases reads the
versions of their own region and everything below it, and those of their region's ancestors —
the ones that apply in their area (a village coordinator sees the province's, city's and county's
versions and their village's own, never a neighbouring village's). Creating and correcting versions
needs `POLICY_EDIT` and goes through `programs.services.policy` (audited): a new version only for a
region inside the caller's jurisdiction; a correction only of such a version that has not taken
effect yet (one already in force answers 409 `policy_version_in_force`: make a new version).

`GET /policy-versions/in-force/?region=&program=&on=` answers what the admin's 现行参数查询 shows:
every parameter's value on that day and the region and version it comes from (or the national or
system default), with the problems that keep the policy from being complete.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jiuzhu.accounts.jurisdiction import (
    has_capability,
    jurisdiction_q,
    region_code_in_jurisdiction,
    require_capability,
)
from jiuzhu.accounts.roles import Capability
from jiuzhu.api.case_serializers import DIBAO_PROGRAM_CHOICES
from jiuzhu.api.cases import CasesViewSet
from jiuzhu.api.common import expected_version_field, visible_object
from jiuzhu.api.regions import region_id_for_code
from jiuzhu.common.exceptions import PermissionDeniedError, ValidationFailed
from jiuzhu.programs.access import policy_versions_editable_by, policy_versions_visible_to
from jiuzhu.programs.models import PolicyVersion
from jiuzhu.programs.rules.policy import PARAMETERS_BY_KEY, PolicyError, describe_value
from jiuzhu.programs.rules.resolution import ResolvedPolicy, ancestor_codes
from jiuzhu.programs.selectors import dibao_policy_resolve
from jiuzhu.programs.services.policy import policy_version_create, policy_version_update
from jiuzhu.regions.models import Region

TAGS = ["policy versions"]
SOURCE_VERSION = "version"
SOURCE_NATIONAL = "national_default"
SOURCE_LOCAL_DEFAULT = "local_default"


def policy_regions_visible_to(actor: Any) -> QuerySet[Region]:
    """Regions whose policy the actor may read: their subtree and their region's ancestors."""
    prefix = getattr(actor, "jurisdiction_prefix", "") or ""
    inherited = Q(code__in=ancestor_codes(prefix)) if prefix else Q(pk__in=[])
    return Region.objects.filter(jurisdiction_q(actor, "code") | inherited)


def _params_field(**kwargs: Any) -> serializers.DictField:
    return serializers.DictField(
        child=serializers.JSONField(), label=_("本级设定的参数"),
        help_text=_(
            '只写本区划设定（覆盖上级）的参数，如 {"standard_fen": 17000}。金额单位为分，比例为基点（1% = 100）。'
            "新版本生效后取代本区划此前的版本，须重写本区划保留的全部设定。参数见 in-force 查询。"
        ),
        **kwargs,
    )  # fmt: skip


# --- Inputs -------------------------------------------------------------------------------------------


class PolicyVersionFilterInput(serializers.Serializer[Any]):
    program = serializers.ChoiceField(label=_("救助项目"), choices=DIBAO_PROGRAM_CHOICES, required=False)
    region = serializers.RegexField(
        r"^\d{2,12}$", label=_("区划代码"), required=False, help_text=_("只列出该区划的版本。")
    )


class PolicyVersionCreateInput(serializers.Serializer[Any]):
    region = serializers.RegexField(
        r"^\d{2,12}$", label=_("区划代码"), help_text=_("须在本人辖区内。"), source="region_code"
    )
    program = serializers.ChoiceField(label=_("救助项目"), choices=DIBAO_PROGRAM_CHOICES, source="program_code")
    effective_from = serializers.DateField(label=_("生效日期"))
    params = _params_field()
    note = serializers.CharField(
        label=_("说明（文件依据）"), max_length=2000, required=False, allow_blank=True, default="",
        help_text=_("追溯生效（生效日期早于今天）的版本必填。"),
    )  # fmt: skip


class PolicyVersionUpdateInput(serializers.Serializer[Any]):
    expected_version = expected_version_field()
    effective_from = serializers.DateField(label=_("生效日期"), required=False, help_text=_("须晚于今天；不填为不变。"))
    params = _params_field(required=False)
    note = serializers.CharField(label=_("说明（文件依据）"), max_length=2000, required=False, allow_blank=True)


class InForceInput(serializers.Serializer[Any]):
    region = serializers.RegexField(
        r"^\d{2,12}$", label=_("区划代码"), help_text=_("本人辖区内或本人所在区划的上级区划。")
    )
    program = serializers.ChoiceField(label=_("救助项目"), choices=DIBAO_PROGRAM_CHOICES)
    on = serializers.DateField(label=_("日期"), required=False, help_text=_("不填为今天。"))


# --- Outputs ------------------------------------------------------------------------------------------


class PolicyParamOutput(serializers.Serializer[Any]):
    key = serializers.CharField(label=_("参数"))
    label = serializers.CharField(label=_("参数名称"))  # type: ignore[assignment]  # DRF takes declared fields off
    value = serializers.JSONField(label=_("取值"), help_text=_("JSON 值，单位见参数名称。"))
    text = serializers.CharField(label=_("取值说明"))


def described_params(params: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "key": key,
            "label": gettext(PARAMETERS_BY_KEY[key].label),
            "value": value,
            "text": describe_value(key, value, gettext),
        }
        for key, value in params.items()
        if key in PARAMETERS_BY_KEY
    ]


class PolicyVersionOutput(serializers.ModelSerializer[PolicyVersion]):
    region_code = serializers.CharField(source="region.code", label=_("区划代码"))
    region_name = serializers.CharField(source="region.name", label=_("区划"))
    program = serializers.CharField(source="program.code", label=_("救助项目"))
    program_name = serializers.CharField(source="program.name", label=_("救助项目名称"))
    params = serializers.DictField(child=serializers.JSONField(), label=_("本级设定的参数"))
    params_described = serializers.SerializerMethodField(label=_("参数一览"))
    has_taken_effect = serializers.SerializerMethodField(label=_("已生效"))
    is_editable = serializers.SerializerMethodField(
        label=_("本人可修改"), help_text=_("有政策参数权限、区划在本人辖区内且尚未生效。")
    )
    created_by_name = serializers.SerializerMethodField(label=_("创建人"))

    class Meta:
        model = PolicyVersion
        fields = [
            "id", "region_code", "region_name", "program", "program_name", "effective_from", "has_taken_effect",
            "params", "params_described", "note", "is_editable", "created_by_name", "created_at", "updated_at",
            "version",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(PolicyParamOutput(many=True))
    def get_params_described(self, version: PolicyVersion) -> list[dict[str, Any]]:
        return described_params(version.params)

    def get_has_taken_effect(self, version: PolicyVersion) -> bool:
        return version.effective_from <= timezone.localdate()

    def get_is_editable(self, version: PolicyVersion) -> bool:
        actor = self.context.get("actor")
        return (
            has_capability(actor, Capability.POLICY_EDIT)
            and region_code_in_jurisdiction(actor, version.region.code)
            and version.effective_from > timezone.localdate()
        )

    def get_created_by_name(self, version: PolicyVersion) -> str:
        return version.created_by.display_name if version.created_by else ""


class InForceParameterOutput(serializers.Serializer[Any]):
    key = serializers.CharField(label=_("参数"))
    label = serializers.CharField(label=_("参数名称"))  # type: ignore[assignment]  # DRF takes declared fields off
    value = serializers.JSONField(label=_("取值"), help_text=_("null 表示未设置（低保标准须由地方设定）。"))
    text = serializers.CharField(label=_("取值说明"))
    source = serializers.CharField(  # type: ignore[assignment]  # DRF takes declared fields off the class
        label=_("来源"),
        help_text=_(
            "version：某区划的政策参数版本；national_default：全国默认（国家规定）；"
            "local_default：系统默认（常见地方取值）。"
        ),
    )
    source_label = serializers.CharField(label=_("来源说明"))
    region_code = serializers.CharField(label=_("设定区划代码"), allow_null=True)
    region_name = serializers.CharField(label=_("设定区划"), allow_null=True)
    effective_from = serializers.DateField(label=_("版本生效日期"), allow_null=True)
    version_id = serializers.IntegerField(label=_("政策版本编号"), allow_null=True)
    ref = serializers.CharField(label=_("依据"))


class InForceOutput(serializers.Serializer[Any]):
    region = serializers.CharField(label=_("区划代码"))
    region_name = serializers.CharField(label=_("区划"))
    program = serializers.CharField(label=_("救助项目"))
    on = serializers.DateField(label=_("日期"))
    is_complete = serializers.BooleanField(label=_("参数完整"), help_text=_("false：不能据此审批或试算，见 problems。"))
    problems = serializers.ListField(child=serializers.CharField(), label=_("问题"))
    parameters = InForceParameterOutput(many=True, label=_("全部参数"))


def in_force_json(resolved: ResolvedPolicy, program: str, names: dict[str, str]) -> dict[str, Any]:
    parameters = []
    for value in resolved.values:
        spec = PARAMETERS_BY_KEY[value.key]
        if not value.is_default:
            source, source_label = SOURCE_VERSION, f"{value.region_code} {names.get(value.region_code or '', '')}"
        elif spec.origin == "N":
            source, source_label = SOURCE_NATIONAL, gettext("全国默认（国家规定）")
        else:
            source, source_label = SOURCE_LOCAL_DEFAULT, gettext("系统默认（常见地方取值）")
        parameters.append(
            {
                "key": spec.key,
                "label": gettext(spec.label),
                "value": value.value,
                "text": describe_value(spec.key, value.value, gettext),
                "source": source,
                "source_label": source_label,
                "region_code": value.region_code,
                "region_name": names.get(value.region_code) if value.region_code else None,
                "effective_from": value.effective_from,
                "version_id": value.version_id,
                "ref": spec.ref,
            }
        )
    try:
        resolved.policy()
        problems: list[str] = []
    except PolicyError as error:
        problems = [problem.render(gettext) for problem in error.problems]
    return {
        "region": resolved.region_code,
        "region_name": names.get(resolved.region_code, ""),
        "program": program,
        "on": resolved.on,
        "is_complete": not problems,
        "problems": problems,
        "parameters": parameters,
    }


# --- The view set -------------------------------------------------------------------------------------


class PolicyVersionViewSet(CasesViewSet):
    def get_queryset(self) -> QuerySet[PolicyVersion]:
        return policy_versions_visible_to(self.request.user).select_related("region", "program", "created_by")

    def output(self, version: PolicyVersion, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(PolicyVersionOutput(version, context={"actor": self.request.user}).data, status=status_code)

    @extend_schema(
        summary="政策参数版本列表", parameters=[PolicyVersionFilterInput], responses=PolicyVersionOutput(many=True),
        tags=TAGS, description="本人辖区内各区划的版本，以及本人所在区划各上级的版本（它们也适用于本辖区）。",
    )  # fmt: skip
    def list(self, request: Request) -> Response:
        filters = self.validated(PolicyVersionFilterInput, request.query_params)
        versions = self.get_queryset()
        if filters.get("program"):
            versions = versions.filter(program__code=filters["program"])
        if filters.get("region"):
            versions = versions.filter(region__code=filters["region"])
        page = self.paginate_queryset(versions.order_by("region__code", "program__code", "-effective_from", "id"))
        assert page is not None  # pagination is always on (settings.REST_FRAMEWORK)
        return self.get_paginated_response(PolicyVersionOutput(page, many=True, context={"actor": request.user}).data)

    @extend_schema(
        summary="新建政策参数版本", request=PolicyVersionCreateInput, responses={201: PolicyVersionOutput}, tags=TAGS,
        description="需要政策参数权限；区划须在本人辖区内。每次新建都记入审计记录。",
    )  # fmt: skip
    def create(self, request: Request) -> Response:
        require_capability(request.user, Capability.POLICY_EDIT)
        data = self.validated(PolicyVersionCreateInput, request.data)
        if region_id_for_code(request.user, data["region_code"]) is None:
            raise ValidationFailed(field_errors={"region": [gettext("区划代码不存在或不在您的辖区内。")]})
        return self.output(policy_version_create(actor=request.user, **data), status.HTTP_201_CREATED)

    @extend_schema(summary="政策参数版本详情", responses=PolicyVersionOutput, tags=TAGS)
    def retrieve(self, request: Request, pk: int) -> Response:
        return self.output(visible_object(self.get_queryset(), pk))

    @extend_schema(
        summary="修改尚未生效的政策参数版本", request=PolicyVersionUpdateInput, responses=PolicyVersionOutput,
        tags=TAGS,
        description="已生效的版本不能修改（409，code=policy_version_in_force），请新建版本。"
        "上级区划的版本只能由上级修改（403）。不填的字段保持不变。",
    )  # fmt: skip
    def partial_update(self, request: Request, pk: int) -> Response:
        version = visible_object(self.get_queryset(), pk)
        require_capability(request.user, Capability.POLICY_EDIT)
        if not policy_versions_editable_by(request.user).filter(pk=version.pk).exists():
            raise PermissionDeniedError(gettext("上级区划的政策参数版本只能由上级修改。"))
        data = self.validated(PolicyVersionUpdateInput, request.data)
        version = policy_version_update(
            actor=request.user, version_id=version.pk, expected_version=data["expected_version"],
            params=data.get("params", version.params), note=data.get("note", version.note),
            effective_from=data.get("effective_from"),
        )  # fmt: skip
        return self.output(version)

    @extend_schema(
        summary="现行参数查询", parameters=[InForceInput], responses=InForceOutput, tags=TAGS,
        description="某区划某日适用的全部低保政策参数，以及每个参数来自哪个区划的哪个版本（或全国、系统默认）。",
    )  # fmt: skip
    @action(detail=False, methods=["get"], url_path="in-force", url_name="in-force")
    def in_force(self, request: Request) -> Response:
        data = self.validated(InForceInput, request.query_params)
        code = data["region"]
        names = dict(
            policy_regions_visible_to(request.user).filter(code__in=ancestor_codes(code)).values_list("code", "name")
        )
        if code not in names:
            raise ValidationFailed(field_errors={"region": [gettext("没有这个区划，或它不在您的辖区内。")]})
        on = data.get("on") or timezone.localdate()
        resolved = dibao_policy_resolve(region_code=code, program_code=data["program"], on=on)
        return Response(InForceOutput(in_force_json(resolved, data["program"], names)).data)
