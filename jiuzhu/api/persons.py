"""Persons (家庭成员): list, read, add to a household, correct, reveal the full ID number, record a death."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jiuzhu.api.common import (
    ReasonInput,
    RegistryViewSet,
    RevealedIdNumberOutput,
    expected_version_field,
    no_store,
    reason_field,
)
from jiuzhu.api.review_serializers import ReviewListOutput
from jiuzhu.cases.services.dynamic_events import member_death_record
from jiuzhu.registry.access import access_person_for_edit, access_person_for_view, persons_visible_to
from jiuzhu.registry.choices import (
    ETHNICITIES,
    DisabilityCategory,
    Education,
    Employment,
    MaritalStatus,
    Relation,
    Sex,
    Supporter,
    WorkAbility,
)
from jiuzhu.registry.models import Person
from jiuzhu.registry.selectors import person_list
from jiuzhu.registry.services.households import person_id_number_reveal
from jiuzhu.registry.services.persons import person_add, person_data_from, person_update
from jiuzhu.registry.types import PersonData

TAGS = ["persons"]


class PersonFieldsInput(serializers.Serializer[Any]):
    """A person's facts as sent by a client. Absent keys are left out of `validated_data`, so the
    same shape serves creation (dataclass defaults fill the gaps) and PATCH (current values do)."""

    name = serializers.CharField(label=_("姓名"), max_length=64, required=False)
    id_number = serializers.CharField(
        label=_("身份证号"),
        max_length=18,
        required=False,
        allow_blank=True,
        help_text=_("18位（或15位旧号码）。修改成员时留空表示不变。"),
    )
    relation = serializers.ChoiceField(label=_("与户主关系"), choices=Relation.choices, required=False)
    sex = serializers.ChoiceField(
        label=_("性别"), choices=Sex.choices, required=False, allow_blank=True, help_text=_("有身份证号时由号码推出。")
    )
    birth_date = serializers.DateField(
        label=_("出生日期"), required=False, allow_null=True, help_text=_("有身份证号时由号码推出。")
    )
    ethnicity = serializers.ChoiceField(label=_("民族"), choices=ETHNICITIES, required=False)
    marital_status = serializers.ChoiceField(label=_("婚姻状况"), choices=MaritalStatus.choices, required=False)
    education = serializers.ChoiceField(
        label=_("文化程度"), choices=Education.choices, required=False, allow_blank=True
    )
    is_student = serializers.BooleanField(label=_("在校学生"), required=False)
    employment = serializers.ChoiceField(
        label=_("就业状况"), choices=Employment.choices, required=False, allow_blank=True
    )
    work_ability = serializers.ChoiceField(label=_("劳动能力"), choices=WorkAbility.choices, required=False)
    supporter = serializers.ChoiceField(
        label=_("法定赡养（抚养、扶养）义务人"), choices=Supporter.choices, required=False,
        help_text=_("“三无”人员的认定之一：无劳动能力、无生活来源、无法定义务人或其无履行能力。"),
    )  # fmt: skip
    disability_category = serializers.ChoiceField(
        label=_("残疾类别"), choices=DisabilityCategory.choices, required=False, allow_blank=True
    )
    disability_grade = serializers.IntegerField(label=_("残疾等级"), required=False, allow_null=True)
    has_serious_illness = serializers.BooleanField(label=_("患重特大疾病"), required=False)
    illness_description = serializers.CharField(label=_("疾病情况"), max_length=200, required=False, allow_blank=True)
    is_cadre = serializers.BooleanField(label=_("基层干部"), required=False)
    is_cadre_relative = serializers.BooleanField(label=_("基层干部近亲属"), required=False)
    is_co_resident = serializers.BooleanField(label=_("共同生活"), required=False)
    death_date = serializers.DateField(label=_("死亡日期"), required=False, allow_null=True)
    phone = serializers.CharField(label=_("联系电话"), max_length=32, required=False, allow_blank=True)


class PersonMemberInput(PersonFieldsInput):
    """One member in a new household; exactly one has relation "head"."""

    name = serializers.CharField(label=_("姓名"), max_length=64)
    relation = serializers.ChoiceField(label=_("与户主关系"), choices=Relation.choices)


class PersonCreateInput(PersonMemberInput):
    household_id = serializers.IntegerField(label=_("家庭编号"))
    reason = reason_field()


class PersonUpdateInput(PersonFieldsInput):
    expected_version = expected_version_field()
    reason = reason_field()


class PersonFilterInput(serializers.Serializer[Any]):
    household_id = serializers.IntegerField(label=_("家庭编号"), required=False)


class PersonOutput(serializers.ModelSerializer[Person]):
    household_id = serializers.IntegerField(read_only=True)
    relation_label = serializers.CharField(source="get_relation_display", read_only=True)
    sex_label = serializers.CharField(source="get_sex_display", read_only=True)
    is_deceased = serializers.BooleanField(read_only=True)

    class Meta:
        model = Person
        fields = [
            "id", "household_id", "name", "relation", "relation_label", "id_number_masked", "sex", "sex_label",
            "birth_date", "ethnicity", "marital_status", "education", "is_student", "employment", "work_ability",
            "supporter", "disability_category", "disability_grade", "has_serious_illness", "illness_description",
            "is_cadre", "is_cadre_relative", "is_co_resident", "death_date", "is_deceased", "phone", "version",
        ]  # fmt: skip
        read_only_fields = fields


class PersonDeathInput(serializers.Serializer[Any]):
    death_date = serializers.DateField(label=_("死亡日期"))
    reason = reason_field()


class PersonDeathOutput(serializers.Serializer[Any]):
    person = PersonOutput(label=_("成员"))
    review = ReviewListOutput(
        allow_null=True, label=_("低保复核"),
        help_text=_(
            "家庭在保时：新发起（或并入）的复核，期限为死亡之日起按政策的复核时限；死者是唯一保障对象时为已办结的"
            "停发（自死亡次月起）。家庭不在保时为空。"
        ),
    )  # fmt: skip


def person_data_for_update(person: Person, changes: dict[str, Any]) -> PersonData:
    if changes.get("id_number"):
        # A new ID number brings its own sex and birth date unless the client sent them.
        changes = {"sex": "", "birth_date": None} | changes
    return person_data_from(person, **changes)


class PersonViewSet(RegistryViewSet):
    def get_queryset(self) -> QuerySet[Person]:
        return persons_visible_to(self.request.user)

    @extend_schema(summary="成员列表", parameters=[PersonFilterInput], responses=PersonOutput(many=True), tags=TAGS)
    def list(self, request: Request) -> Response:
        filters = self.validated(PersonFilterInput, request.query_params)
        return self.paginated(person_list(actor=request.user, household_id=filters.get("household_id")), PersonOutput)

    @extend_schema(summary="添加家庭成员", request=PersonCreateInput, responses={201: PersonOutput}, tags=TAGS)
    def create(self, request: Request) -> Response:
        data = self.validated(PersonCreateInput, request.data)
        household_id, reason = data.pop("household_id"), data.pop("reason")
        person = person_add(actor=request.user, household_id=household_id, data=PersonData(**data), reason=reason)
        return Response(PersonOutput(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="成员详情", responses=PersonOutput, tags=TAGS)
    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(PersonOutput(access_person_for_view(request.user, pk)).data)

    @extend_schema(summary="修改成员信息", request=PersonUpdateInput, responses=PersonOutput, tags=TAGS)
    def partial_update(self, request: Request, pk: int) -> Response:
        person = access_person_for_edit(request.user, pk)
        data = self.validated(PersonUpdateInput, request.data)
        expected_version, reason = data.pop("expected_version"), data.pop("reason")
        person = person_update(
            actor=request.user, person_id=person.pk, expected_version=expected_version,
            data=person_data_for_update(person, data), reason=reason,
        )  # fmt: skip
        return Response(PersonOutput(person).data)

    @extend_schema(
        summary="查看完整身份证号", request=ReasonInput, responses=RevealedIdNumberOutput, tags=TAGS,
        description="需要相应权限；每次查看都记入审计记录。",
    )  # fmt: skip
    @action(detail=True, methods=["post"], url_path="reveal-id-number")
    def reveal_id_number(self, request: Request, pk: int) -> Response:
        reason = self.validated(ReasonInput, request.data)["reason"]
        number = person_id_number_reveal(actor=request.user, person_id=pk, reason=reason)
        return no_store(Response(RevealedIdNumberOutput({"id_number": number}).data))

    @extend_schema(
        summary="登记成员死亡", request=PersonDeathInput, responses=PersonDeathOutput, tags=TAGS,
        description="成员标记为已故（仍保留在档案中），配偶改为丧偶。家庭在保时，同时发起（或并入）低保复核；"
        "死者是唯一保障对象时自死亡次月起停发。已登记过死亡的返回 409。",
    )  # fmt: skip
    @action(detail=True, methods=["post"], url_path="death")
    def death(self, request: Request, pk: int) -> Response:
        person = access_person_for_edit(request.user, pk)
        data = self.validated(PersonDeathInput, request.data)
        review = member_death_record(actor=request.user, person_id=person.pk, **data)
        person = access_person_for_view(request.user, person.pk)
        return Response(PersonDeathOutput({"person": person, "review": review}).data)
