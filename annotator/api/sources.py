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


class SuggestionOutput(serializers.Serializer):
    source_id = serializers.IntegerField()
    name = serializers.CharField()
    score = serializers.FloatField(help_text="Higher is likelier; only the order matters.")
    mention = serializers.CharField(help_text="The words in the text that named the source.")
    start = serializers.IntegerField(help_text="Where the mention starts (code points).")


class SuggestionQuery(serializers.Serializer):
    start = serializers.IntegerField(min_value=0, max_value=10_000_000)
    end = serializers.IntegerField(min_value=1, max_value=10_000_000)


class SourceSuggestionView(APIView):
    """Likely sources of a passage of the assignment's article, from names, aliases and cues around it."""

    @extend_schema(parameters=[SuggestionQuery], responses=SuggestionOutput(many=True))
    def get(self, request: Request, assignment_id: int) -> Response:
        assignment = access.get_visible_assignment(assignment_id, request.user)
        query = SuggestionQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        article = assignment.article
        start, end = query.validated_data["start"], min(query.validated_data["end"], len(article.text))
        found = source_reads.suggest_sources_for(article.project, article.text, start, max(start, end))
        return Response(SuggestionOutput(found, many=True).data)


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
