"""The dibao trial calculation (试算): `POST /api/v1/dibao/preview/`. Saves nothing.

Stable contract (issue 3, point 6; more optional fields may be added):
request  {"region", "on", "program", "members": [{"birth_date", "categories", …}], "incomes": [{"kind",
          "monthly_fen", "member"?}], "assets": [{"kind", "value_fen", "count"?, "member"?}]}
answer   {"eligible", "reasons": [{"code", "label"}] (empty when eligible), "per_capita_income_fen",
          "lines": [{"code", "label", "amount_fen", …}], "total_fen", plus `standard_fen`, `is_near_poor`,
          `near_poor_line_fen`, `members` (who counts) and `policy` (where the standard comes from)}.
Members are referred to by their position in `members` (0 = the first). Labels are Chinese (or the
caller's language).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiuzhu.api.common import CanViewRegistry
from jiuzhu.api.schema import ApiSchema
from jiuzhu.programs.models import DIBAO_PROGRAMS, ProgramCode
from jiuzhu.programs.rules.codes import ASSET_KINDS, EXCLUSION_CIRCUMSTANCES, INCOME_KINDS, MEMBER_CATEGORIES
from jiuzhu.programs.rules.dibao import Assessment, HouseholdFacts
from jiuzhu.programs.rules.income import IncomeFacts
from jiuzhu.programs.rules.members import MemberFacts
from jiuzhu.programs.rules.property import AssetFacts
from jiuzhu.programs.trial import TrialCalculation, dibao_trial_calculate
from jiuzhu.registry.choices import AssetKind, DisabilityCategory, Relation

MAX_MEMBERS = 30
_NOT_NEGATIVE = _("整数，单位为分（1元=100分），不能为负数。")


def _choices(codes: dict[str, str]) -> list[tuple[str, Any]]:
    return [(code, _(label)) for code, label in codes.items()]


def member_index_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        label=_("成员序号"), min_value=0, required=False, allow_null=True,
        help_text=_("members 中的位置（0 为第一位）；空表示全家。"),
    )  # fmt: skip


class PreviewMemberInput(serializers.Serializer[Any]):
    birth_date = serializers.DateField(label=_("出生日期"))
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=_choices(MEMBER_CATEGORIES)), label=_("分类施保类别"),
        required=False, default=list,
    )  # fmt: skip
    relation = serializers.ChoiceField(
        label=_("与户主关系"), choices=Relation.choices, required=False,
        help_text=_("不填时按共同生活的家庭成员计算。"),
    )  # fmt: skip
    is_co_resident = serializers.BooleanField(label=_("共同生活"), required=False, default=True)
    is_fulltime_student = serializers.BooleanField(label=_("全日制在校学生"), required=False, default=False)
    can_live_independently = serializers.BooleanField(label=_("能独立生活"), required=False, default=True)
    disability_category = serializers.ChoiceField(
        label=_("残疾类别"), choices=DisabilityCategory.choices, required=False, allow_blank=True, default=""
    )
    disability_grade = serializers.IntegerField(
        label=_("残疾等级"), min_value=1, max_value=4, required=False, allow_null=True, default=None
    )
    has_serious_illness = serializers.BooleanField(label=_("患重特大疾病"), required=False, default=False)
    circumstances = serializers.ListField(
        child=serializers.ChoiceField(choices=_choices(EXCLUSION_CIRCUMSTANCES)), label=_("不计入家庭成员的情形"),
        required=False, default=list, help_text=_("如在监狱服刑（imprisoned）；按当地政策决定是否计入。"),
    )  # fmt: skip


class PreviewIncomeInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(label=_("收入类型"), choices=_choices(INCOME_KINDS))
    monthly_fen = serializers.IntegerField(label=_("月收入（分）"), min_value=0, help_text=_NOT_NEGATIVE)
    member = member_index_field()


class PreviewAssetInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        label=_("财产类型"), choices=[(c, label) for c, label in AssetKind.choices if c in ASSET_KINDS]
    )
    value_fen = serializers.IntegerField(
        label=_("价值（分）"), min_value=0, required=False, default=0, help_text=_NOT_NEGATIVE
    )
    count = serializers.IntegerField(label=_("数量"), min_value=1, required=False, default=1)
    member = member_index_field()
    is_exempt = serializers.BooleanField(label=_("豁免（生产生活必需）"), required=False, default=False)


class PreviewInput(serializers.Serializer[Any]):
    region = serializers.RegexField(r"^\d{2,12}$", label=_("区划代码"), help_text=_("须在本人辖区内。"))
    on = serializers.DateField(label=_("计算日期"))
    program = serializers.ChoiceField(
        label=_("项目"), choices=[(c, label) for c, label in ProgramCode.choices if c in DIBAO_PROGRAMS]
    )
    members = PreviewMemberInput(many=True, label=_("家庭成员"), help_text=_("至少一位，至多30位。"))
    incomes = PreviewIncomeInput(many=True, required=False, default=list, label=_("收入"))
    assets = PreviewAssetInput(many=True, required=False, default=list, label=_("财产"))

    def validate_members(self, members: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not members:
            raise serializers.ValidationError(gettext("请至少填写一位家庭成员。"))
        if len(members) > MAX_MEMBERS:
            raise serializers.ValidationError(gettext("家庭成员最多 %(count)s 位。") % {"count": MAX_MEMBERS})
        return members

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        size = len(attrs["members"])
        errors: dict[str, Any] = {}
        for name in ("incomes", "assets"):
            for index, item in enumerate(attrs.get(name, [])):
                if item.get("member") is not None and item["member"] >= size:
                    message = gettext("没有第 %(number)s 位成员。") % {"number": item["member"] + 1}
                    errors.setdefault(name, {})[str(index)] = {"member": [message]}
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def preview_facts(data: dict[str, Any]) -> HouseholdFacts:
    """Validated input as the rules take it: member refs are positions ("0", "1", …)."""

    def ref(index: int | None) -> str | None:
        return None if index is None else str(index)

    return HouseholdFacts(
        members=tuple(
            MemberFacts(
                ref=str(index),
                birth_date=m["birth_date"],
                relation=m.get("relation") or "head",
                is_co_resident=m["is_co_resident"],
                is_fulltime_student=m["is_fulltime_student"],
                can_live_independently=m["can_live_independently"],
                categories=frozenset(m["categories"]),
                circumstances=frozenset(m["circumstances"]),
                disability_category=m["disability_category"],
                disability_grade=m["disability_grade"],
                has_serious_illness=m["has_serious_illness"],
            )
            for index, m in enumerate(data["members"])
        ),
        incomes=tuple(
            IncomeFacts(kind=i["kind"], monthly_fen=i["monthly_fen"], member_ref=ref(i.get("member")))
            for i in data.get("incomes", [])
        ),
        assets=tuple(
            AssetFacts(
                kind=a["kind"],
                value_fen=a["value_fen"],
                quantity=a["count"],
                member_ref=ref(a.get("member")),
                is_exempt=a["is_exempt"],
            )
            for a in data.get("assets", [])
        ),
    )


def _member_index(ref: str | None) -> int | None:
    return None if ref is None else int(ref)


def preview_json(trial: TrialCalculation) -> dict[str, Any]:
    """The answer, labels translated into the caller's language."""
    a: Assessment = trial.assessment
    return {
        "eligible": a.eligible,
        "reasons": [{"code": r.code, "label": gettext(r.label)} for r in a.reasons],
        "per_capita_income_fen": a.per_capita_income_fen,
        "lines": [
            {
                "code": line.code,
                "label": gettext(line.label),
                "amount_fen": line.amount_fen,
                "count": line.count,
                "unit_fen": line.unit_fen,
                "member": _member_index(line.member_ref),
                "category": line.category,
                "basis": line.render_basis(gettext),
            }
            for line in a.lines
        ],
        "total_fen": a.total_fen,
        "standard_fen": a.standard_fen,
        "is_near_poor": a.is_near_poor,
        "near_poor_line_fen": a.near_poor_line_fen,
        "members": [
            {"member": _member_index(m.ref), "counted": m.counted, "code": m.code, "label": gettext(m.label)}
            for m in a.members
        ],
        "policy": trial.policy_source_json(),
    }


class PreviewReasonOutput(serializers.Serializer[Any]):
    code = serializers.CharField(label=_("原因代码"))
    label = serializers.CharField(label=_("原因"))  # type: ignore[assignment]  # DRF takes declared fields off


class PreviewLineOutput(serializers.Serializer[Any]):
    code = serializers.CharField(label=_("项目代码"), help_text=_("gap、band、full_standard、supplement 等。"))
    label = serializers.CharField(label=_("项目"))  # type: ignore[assignment]  # DRF takes declared fields off
    amount_fen = serializers.IntegerField(label=_("金额（分）"))
    count = serializers.IntegerField(label=_("人数"))
    unit_fen = serializers.IntegerField(label=_("每人金额（分）"), allow_null=True)
    member = serializers.IntegerField(label=_("成员序号"), allow_null=True)
    category = serializers.CharField(label=_("分类施保类别"), allow_null=True)
    basis = serializers.CharField(label=_("计算依据"))


class PreviewMemberOutput(serializers.Serializer[Any]):
    member = serializers.IntegerField(label=_("成员序号"))
    counted = serializers.BooleanField(label=_("计入家庭成员"))
    code = serializers.CharField(label=_("认定代码"))
    label = serializers.CharField(label=_("认定依据"))  # type: ignore[assignment]  # DRF takes declared fields off


class PreviewPolicyOutput(serializers.Serializer[Any]):
    region = serializers.CharField(label=_("区划代码"))
    program = serializers.CharField(label=_("项目"))
    on = serializers.DateField(label=_("计算日期"))
    standard_region = serializers.CharField(label=_("标准制定区划"), allow_null=True)
    standard_effective_from = serializers.DateField(label=_("标准生效日期"), allow_null=True)
    version_id = serializers.IntegerField(label=_("政策版本编号"), allow_null=True)


class PreviewOutput(serializers.Serializer[Any]):
    eligible = serializers.BooleanField(label=_("符合低保条件"))
    reasons = PreviewReasonOutput(many=True, label=_("不符合的原因"), help_text=_("符合条件时为空列表。"))
    per_capita_income_fen = serializers.IntegerField(label=_("家庭月人均收入（分）"))
    lines = PreviewLineOutput(many=True, label=_("保障金额明细"), help_text=_("各项之和等于 total_fen。"))
    total_fen = serializers.IntegerField(label=_("月保障金额合计（分）"))
    standard_fen = serializers.IntegerField(label=_("低保标准（分/人·月）"))
    is_near_poor = serializers.BooleanField(label=_("低保边缘家庭"))
    near_poor_line_fen = serializers.IntegerField(label=_("低保边缘家庭收入线（分）"))
    members = PreviewMemberOutput(many=True, label=_("家庭成员认定"))
    policy = PreviewPolicyOutput(label=_("所用政策"))


class DibaoPreviewApi(APIView):
    permission_classes = [IsAuthenticated, CanViewRegistry]
    schema = ApiSchema()
    InputSerializer = PreviewInput
    OutputSerializer = PreviewOutput

    @extend_schema(
        summary="低保试算",
        description="按当地现行政策计算是否符合低保条件及月保障金额明细，不保存任何数据。",
        request=PreviewInput,
        responses={200: PreviewOutput},
        tags=["dibao"],
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        trial = dibao_trial_calculate(
            actor=request.user, region_code=data["region"], program_code=data["program"], on=data["on"],
            facts=preview_facts(data),
        )  # fmt: skip
        return Response(preview_json(trial))
