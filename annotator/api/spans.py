"""Spans of an assignment: list, create, bulk create (all or nothing), update, delete.

Updates and deletes carry the version the client edited, in If-Match (ETag "<version>") or a
"version" field; a stale one answers 412 and changes nothing, a missing one 428.
"""

from datetime import datetime, tzinfo
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.api.errors import PreconditionRequired
from annotator.api.idempotency import idempotent
from annotator.models import Label, Project, Source, Span
from annotator.selectors import access
from annotator.selectors import labels as label_reads
from annotator.selectors import sources as source_reads
from annotator.selectors.assignments import span_rows
from annotator.services import spans

MAX_BULK = 1000
MAX_ID = 2**63 - 1  # the largest bigint key: a larger id overflows SQLite's integers (a 500 otherwise)


class SpanOutput(serializers.ModelSerializer):
    label = serializers.SlugRelatedField(slug_field="key", read_only=True)
    source_name = serializers.CharField(source="source.name", read_only=True, default=None)

    class Meta:
        model = Span
        fields = ["id", "assignment", "start", "end", "quote", "label", "source", "source_name", "credibility",
                  "note", "version", "created_at", "updated_at"]


class ProjectScopedInput(serializers.Serializer):
    """Label keys and source ids resolve inside the project given to it, never outside it."""

    def __init__(self, *args, project: Project | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if project is not None:  # the schema generator instantiates it without a project
            self.fields["label"].project_id = project.pk
            self.fields["source"].project_id = project.pk


class LabelKeyField(serializers.SlugRelatedField):
    """A label of the project by its key (ProjectScopedInput gives the project)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="key", queryset=Label.objects.none(), **kwargs)
        self.project_id: int | None = None

    def to_internal_value(self, data: object) -> Label:
        # A number names no key but is looked up as its text, as DRF does; anything else is no key at all.
        key = str(data) if isinstance(data, int | float) and not isinstance(data, bool) else data
        # PostgreSQL refuses a NUL character even in a comparison: without this the lookup answers 500.
        if not isinstance(key, str) or "\x00" in key or self.project_id is None:
            self.fail("invalid")
        label = label_reads.get_label_in(self.project_id, key)
        if label is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=key)
        return label


class SourceIdField(serializers.PrimaryKeyRelatedField):
    """A source of the project by its id (ProjectScopedInput gives the project)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Source.objects.none(), **kwargs)
        self.project_id: int | None = None

    def to_internal_value(self, data: object) -> Source:
        if isinstance(data, bool) or self.project_id is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            source_id = int(data)  # type: ignore[call-overload]  # what the ORM's pk lookup accepts
        except (TypeError, ValueError, OverflowError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        source = source_reads.get_source_in(self.project_id, source_id)
        if source is None:
            self.fail("does_not_exist", pk_value=data)
        return source


class SpanInput(ProjectScopedInput):
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=1)
    label = LabelKeyField()
    source = SourceIdField(required=False, allow_null=True)
    credibility = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)
    quote = serializers.CharField(required=False, trim_whitespace=False, allow_blank=False)


class SpanUpdateInput(SpanInput):
    start = serializers.IntegerField(min_value=0, required=False)
    end = serializers.IntegerField(min_value=1, required=False)
    label = LabelKeyField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    version = serializers.IntegerField(min_value=1, required=False)


class BulkSpanInput(serializers.Serializer):
    spans = serializers.ListField(child=serializers.DictField(), min_length=1, max_length=MAX_BULK)


def _timestamp(value: datetime, zone: tzinfo) -> datetime:
    """The time DRF's DateTimeField shows, in the current time zone; the renderer writes it as the field
    would (ISO 8601, "Z" for UTC), in C."""
    return value.astimezone(zone)


def _span_output(row: tuple[object, ...], zone: tzinfo) -> dict[str, object]:
    (span_id, assignment, start, end, quote, label, source, source_name, credibility, note, version, created_at,
     updated_at) = row
    return {"id": span_id, "assignment": assignment, "start": start, "end": end, "quote": quote, "label": label,
            "source": source, "source_name": source_name, "credibility": credibility, "note": note,
            "version": version, "created_at": _timestamp(created_at, zone),  # type: ignore[arg-type]
            "updated_at": _timestamp(updated_at, zone)}  # type: ignore[arg-type]


def span_rows_output(rows: list[tuple[object, ...]]) -> list[dict[str, object]]:
    """SpanOutput's representation of ``span_rows``, field for field, built without a serializer per span
    (the list of an assignment's spans is the most frequent read)."""
    zone = timezone.get_current_timezone()
    return [_span_output(row, zone) for row in rows]


def span_output(span: Span) -> dict[str, object]:
    """SpanOutput's representation of one span (its label and source loaded), without building a serializer."""
    source_name = span.source.name if span.source_id is not None else None  # type: ignore[union-attr]
    row = (span.pk, span.assignment_id, span.start, span.end, span.quote, span.label.key, span.source_id, source_name,
           span.credibility, span.note, span.version, span.created_at, span.updated_at)
    return _span_output(row, timezone.get_current_timezone())


def span_response(span: Span, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(span_output(span), status=status_code, headers={"ETag": f'"{span.version}"'})


def if_match_version(request: Request) -> int | None:
    """The version in an If-Match header ("3" or W/"3"); None without one or when it is not a version."""
    header = request.headers.get("If-Match", "").strip().removeprefix("W/").strip('"')
    # str.isdigit() accepts "²", which int() refuses, and int() refuses more than 4300 digits: both were a 500.
    if header.isascii() and header.isdigit() and len(header) <= 18:
        return int(header)
    return None


def expected_version(request: Request, body_version: int | None) -> int:
    """The version the client edited: If-Match wins over the body; neither is a 428."""
    header = request.headers.get("If-Match", "").strip()
    if header:
        try:
            return int(header.removeprefix("W/").strip('"'))
        except ValueError:
            raise serializers.ValidationError({"If-Match": ["must be the ETag of the span, e.g. \"3\"."]}) from None
    if body_version is None:
        raise PreconditionRequired()
    return body_version


class SpanListView(APIView):
    @extend_schema(responses=SpanOutput(many=True))
    def get(self, request: Request, assignment_id: int) -> Response:
        assignment = access.get_visible_assignment(assignment_id, request.user)
        return Response(span_rows_output(span_rows(assignment.pk)))

    @extend_schema(request=SpanInput, responses={201: SpanOutput})
    @idempotent
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = access.get_own_assignment(assignment_id, request.user)
        payload = SpanInput(data=request.data, project=assignment.article.project)
        payload.is_valid(raise_exception=True)
        span = spans.create_span(assignment=assignment, **payload.validated_data)
        return span_response(span, status.HTTP_201_CREATED)


class SpanBulkCreateView(APIView):
    @extend_schema(request=BulkSpanInput, responses={201: SpanOutput(many=True)})
    @idempotent
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = access.get_own_assignment(assignment_id, request.user)
        envelope = BulkSpanInput(data=request.data)
        envelope.is_valid(raise_exception=True)
        items = []
        for index, item in enumerate(envelope.validated_data["spans"]):
            payload = SpanInput(data=item, project=assignment.article.project)
            if not payload.is_valid():
                raise serializers.ValidationError({"spans": {index: payload.errors}})
            items.append(payload.validated_data)
        created = spans.create_spans(assignment=assignment, items=items)
        return Response([span_output(span) for span in created], status=status.HTTP_201_CREATED)


class SpanDetailView(APIView):
    @extend_schema(responses=SpanOutput)
    def get(self, request: Request, span_id: int) -> Response:
        return span_response(access.get_visible_span(span_id, request.user))

    @extend_schema(
        request=SpanUpdateInput, responses=SpanOutput,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, description='ETag, e.g. "3"')],
    )
    @idempotent
    def patch(self, request: Request, span_id: int) -> Response:
        span = access.get_own_span(span_id, request.user)
        payload = SpanUpdateInput(data=request.data, project=span.assignment.article.project)
        payload.is_valid(raise_exception=True)
        changes = dict(payload.validated_data)
        version = expected_version(request, changes.pop("version", None))
        updated = spans.update_span(span=span, version=version, **changes)
        return span_response(updated)

    @extend_schema(parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)], responses={204: None})
    @idempotent
    def delete(self, request: Request, span_id: int) -> Response:
        span = access.get_own_span(span_id, request.user)
        version = request.data.get("version") if isinstance(request.data, dict) else None
        spans.delete_span(span=span, version=expected_version(request, version))
        return Response(status=status.HTTP_204_NO_CONTENT)
