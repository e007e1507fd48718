"""Statistics over the API: `GET /api/v1/work-summary/?region=CODE&year=YYYY` — the drafted figures of an
area's yearly work summary, section by section, each figure with the number of the note that says where
it came from."""

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

from jiuzhu.accounts.jurisdiction import region_code_in_jurisdiction
from jiuzhu.api.schema import ApiSchema
from jiuzhu.common.exceptions import ValidationFailed
from jiuzhu.regions.models import Region
from jiuzhu.regions.validators import region_code
from jiuzhu.reports.summary import WorkSummary, work_summary


class SummaryQuery(serializers.Serializer[Any]):
    region = serializers.CharField(label=_("区划代码"), validators=[region_code])
    year = serializers.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class PieceOutput(serializers.Serializer[Any]):
    text = serializers.CharField()
    note = serializers.IntegerField(allow_null=True)


class SectionOutput(serializers.Serializer[Any]):
    title = serializers.CharField()
    built = serializers.BooleanField(help_text=_("本节项目已在系统中建立（否则没有数字）"))
    paragraphs = serializers.ListField(child=PieceOutput(many=True))


class NoteOutput(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    text = serializers.CharField()


class SummaryOutput(serializers.Serializer[Any]):
    title = serializers.CharField()
    region = serializers.CharField()
    year = serializers.IntegerField()
    sections = SectionOutput(many=True)
    notes = NoteOutput(many=True)


def summary_json(summary: WorkSummary) -> dict[str, Any]:
    return {
        "title": summary.title,
        "region": summary.region.code,
        "year": summary.year,
        "sections": [
            {
                "title": section.title,
                "built": section.built,
                "paragraphs": [
                    [{"text": p.text, "note": p.note} for p in paragraph] for paragraph in section.paragraphs
                ],
            }
            for section in summary.sections
        ],
        "notes": [{"number": note.number, "text": note.text} for note in summary.notes],
    }


class WorkSummaryApi(APIView):
    permission_classes = [IsAuthenticated]
    schema = ApiSchema()

    @extend_schema(
        summary="年度工作总结（统计数字）",
        description="按月末快照起草一个地区某年工作总结中的统计数字，每个数字注明来源；尚未建立的项目只列节名。",
        parameters=[SummaryQuery],
        responses={200: SummaryOutput},
        tags=["statistics"],
    )
    def get(self, request: Request) -> Response:
        query = SummaryQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        if not Region.objects.filter(code=data["region"]).exists() or not region_code_in_jurisdiction(
            request.user, data["region"]
        ):
            raise ValidationFailed(field_errors={"region": [gettext("没有这个区划，或它不在您的辖区内。")]})
        return Response(summary_json(work_summary(actor=request.user, region_code=data["region"], year=data["year"])))
