"""An analyst's article-level credibility assessment of an assignment: read and write."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.api.idempotency import idempotent
from annotator.api.spans import if_match_version
from annotator.models import ArticleAssessment
from annotator.selectors import access
from annotator.services import assessments


class AssessmentOutput(serializers.ModelSerializer):
    class Meta:
        model = ArticleAssessment
        fields = ["id", "assignment", "credibility", "comment", "version", "updated_at"]


class AssessmentInput(serializers.Serializer):
    credibility = serializers.IntegerField(allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)
    version = serializers.IntegerField(min_value=1, required=False)


class AssessmentView(APIView):
    @extend_schema(responses=AssessmentOutput)
    def get(self, request: Request, assignment_id: int) -> Response:
        assignment = access.get_visible_assignment(assignment_id, request.user)
        assessment = ArticleAssessment.objects.filter(assignment=assignment).first()
        if assessment is None:  # nothing scored yet: an empty assessment, version 0
            empty = {"id": None, "assignment": assignment.pk, "credibility": None, "comment": "", "version": 0,
                     "updated_at": None}
            return Response(empty, headers={"ETag": '"0"'})
        return Response(AssessmentOutput(assessment).data, headers={"ETag": f'"{assessment.version}"'})

    @extend_schema(
        request=AssessmentInput, responses=AssessmentOutput,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, description='ETag, e.g. "3"')],
    )
    @idempotent
    def put(self, request: Request, assignment_id: int) -> Response:
        assignment = access.get_own_assignment(assignment_id, request.user)
        payload = AssessmentInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        version = if_match_version(request)
        if version is not None:
            data["version"] = version
        assessment = assessments.save_assessment(assignment=assignment, **data)
        return Response(AssessmentOutput(assessment).data, headers={"ETag": f'"{assessment.version}"'})
