"""The project's source registry: list, search by name or alias, create (any member)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.models import Source, SourceKind
from annotator.selectors import access
from annotator.selectors import sources as source_reads
from annotator.services import sources


class SourceOutput(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "name", "kind", "description", "aliases", "affiliation", "country"]


class SourceInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=SourceKind.choices, default=SourceKind.OTHER)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list, max_length=50
    )
    affiliation = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    country = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class SourceListView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("search", str, description="Part of the name or an alias, any case."),
            OpenApiParameter("kind", str, enum=SourceKind.values),
        ],
        responses=SourceOutput(many=True),
    )
    def get(self, request: Request, project_id: int) -> Response:
        project = access.get_project(project_id, request.user)
        found = source_reads.list_sources(
            project, search=request.query_params.get("search", ""), kind=request.query_params.get("kind", "")
        )
        return Response(SourceOutput(found, many=True).data)

    @extend_schema(request=SourceInput, responses={201: SourceOutput})
    def post(self, request: Request, project_id: int) -> Response:
        project = access.get_project(project_id, request.user)
        payload = SourceInput(data=request.data)
        payload.is_valid(raise_exception=True)
        source = sources.create_source(project=project, **payload.validated_data)
        return Response(SourceOutput(source).data, status=status.HTTP_201_CREATED)


class SourceDetailView(APIView):
    @extend_schema(responses=SourceOutput)
    def get(self, request: Request, source_id: int) -> Response:
        return Response(SourceOutput(access.get_source(source_id, request.user)).data)
