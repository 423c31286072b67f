"""The project's source registry: list, search by name or alias, create (any member)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.api.idempotency import idempotent
from annotator.api.permissions import require_role
from annotator.api.spans import MAX_ID
from annotator.models import Role, Source, SourceKind, Span
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


class SourceQuery(serializers.Serializer):
    # CharField refuses NUL characters, which PostgreSQL cannot compare (a 500 otherwise).
    search = serializers.CharField(required=False, allow_blank=True, default="")
    kind = serializers.CharField(required=False, allow_blank=True, default="")


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
        query = SourceQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = source_reads.list_sources(project, **query.validated_data)
        return Response(SourceOutput(found, many=True).data)

    @extend_schema(request=SourceInput, responses={201: SourceOutput})
    @idempotent
    def post(self, request: Request, project_id: int) -> Response:
        project = access.get_project(project_id, request.user)
        payload = SourceInput(data=request.data)
        payload.is_valid(raise_exception=True)
        source = sources.create_source(project=project, **payload.validated_data)
        return Response(SourceOutput(source).data, status=status.HTTP_201_CREATED)


class SourceUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=SourceKind.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    aliases = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=50)
    affiliation = serializers.CharField(required=False, allow_blank=True, max_length=200)
    country = serializers.CharField(required=False, allow_blank=True, max_length=100)


class MergeInput(serializers.Serializer):
    absorb = serializers.IntegerField(help_text="Id of the source folded into this one (it disappears).")


class SplitInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=SourceKind.choices, required=False)
    spans = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1,
                                  max_length=10_000)


class SourceHistoryOutput(serializers.Serializer):
    history_id = serializers.IntegerField()
    history_date = serializers.DateTimeField()
    history_type = serializers.CharField(help_text="+ created, ~ changed, - deleted")
    history_user = serializers.CharField(source="history_user.username", default=None)
    name = serializers.CharField()
    kind = serializers.CharField()
    aliases = serializers.JSONField()


def _curated_source(source_id: int, request: Request) -> Source:
    source = access.get_source(source_id, request.user)
    require_role(source.project, request.user, Role.REVIEWER, Role.MANAGER)
    return source


class SourceDetailView(APIView):
    @extend_schema(responses=SourceOutput)
    def get(self, request: Request, source_id: int) -> Response:
        return Response(SourceOutput(access.get_source(source_id, request.user)).data)

    @extend_schema(request=SourceUpdateInput, responses=SourceOutput)
    def patch(self, request: Request, source_id: int) -> Response:
        source = _curated_source(source_id, request)
        payload = SourceUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        return Response(SourceOutput(sources.update_source(source=source, **payload.validated_data)).data)


class SourceMergeView(APIView):
    """Fold another source into this one: spans follow, names become aliases (reviewers, managers)."""

    @extend_schema(request=MergeInput, responses=SourceOutput)
    @idempotent
    def post(self, request: Request, source_id: int) -> Response:
        keep = _curated_source(source_id, request)
        payload = MergeInput(data=request.data)
        payload.is_valid(raise_exception=True)
        absorb = Source.objects.filter(pk=payload.validated_data["absorb"], project=keep.project).first()
        if absorb is None:
            raise serializers.ValidationError({"absorb": ["No such source in this project."]})
        return Response(SourceOutput(sources.merge_sources(keep=keep, absorb=absorb)).data)


class SourceSplitView(APIView):
    """Move some of a source's spans to a new source (reviewers, managers)."""

    @extend_schema(request=SplitInput, responses={201: SourceOutput})
    @idempotent
    def post(self, request: Request, source_id: int) -> Response:
        source = _curated_source(source_id, request)
        payload = SplitInput(data=request.data)
        payload.is_valid(raise_exception=True)
        moved = list(Span.objects.filter(pk__in=payload.validated_data["spans"], source=source))
        if len(moved) != len(set(payload.validated_data["spans"])):
            raise serializers.ValidationError({"spans": ["Every span must be attributed to this source."]})
        created = sources.split_source(source=source, name=payload.validated_data["name"], spans=moved,
                                       kind=payload.validated_data.get("kind"))
        return Response(SourceOutput(created).data, status=status.HTTP_201_CREATED)


class SourceHistoryView(APIView):
    """Every change to a source's details, newest first (read-only)."""

    @extend_schema(responses=SourceHistoryOutput(many=True))
    def get(self, request: Request, source_id: int) -> Response:
        source = access.get_source(source_id, request.user)
        entries = source.history.select_related("history_user").order_by("-history_date", "-history_id")
        return Response(SourceHistoryOutput(entries, many=True).data)
