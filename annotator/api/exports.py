"""Exports of a project's labeled dataset, streamed, and the dataset card (reviewers and managers)."""

import tempfile
from collections.abc import Iterator

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.api.permissions import require_role
from annotator.formats.exporters import FORMATS, write_export
from annotator.formats.records import ExportStats
from annotator.models import Project, Role
from annotator.selectors import access, datasets, exports


class ExportQuery(serializers.Serializer):
    format = serializers.ChoiceField(choices=sorted(FORMATS), default="jsonl")
    layer = serializers.ChoiceField(choices=[layer.value for layer in exports.Layer], default="gold")
    min_agreement = serializers.IntegerField(min_value=1, max_value=100, default=2)


def exported_project(project_id: int, request: Request) -> Project:
    project = access.get_project(project_id, request.user)
    require_role(project, request.user, Role.REVIEWER, Role.MANAGER)
    return project


def _query(request: Request) -> dict:
    query = ExportQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


def _chunks(chunks: Iterator[str]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode("utf-8")


class ExportView(APIView):
    """The dataset as a file download, written while it is read (memory stays flat for text formats)."""

    @extend_schema(parameters=[ExportQuery], responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, project_id: int) -> HttpResponse:
        project = exported_project(project_id, request)
        query = _query(request)
        fmt = FORMATS[query["format"]]
        records = exports.iter_export_articles(project, query["layer"], min_agreement=query["min_agreement"])
        filename = f"{project.slug}-{query['layer']}.{fmt.extension}"
        if fmt.is_binary:
            spool = tempfile.TemporaryFile()
            write_export(fmt, records, spool)
            spool.seek(0)
            response: HttpResponse = FileResponse(spool, as_attachment=True, filename=filename,
                                                  content_type=fmt.media_type)
        else:
            response = StreamingHttpResponse(_chunks(fmt.chunks(records, ExportStats())),  # type: ignore[misc]
                                             content_type=f"{fmt.media_type}; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ExportCardView(APIView):
    """The dataset card of the same export (counts, labels, agreement, layer, filters, schema version)."""

    @extend_schema(parameters=[ExportQuery, OpenApiParameter("as", str, enum=["json", "md"])],
                   responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, project_id: int) -> Response | HttpResponse:
        project = exported_project(project_id, request)
        query = _query(request)
        stats = ExportStats()
        records = exports.iter_export_articles(project, query["layer"], min_agreement=query["min_agreement"])
        tally = datasets.new_tally(project) if query["layer"] == exports.Layer.ANALYST else None
        for article in records if tally is None else datasets.iter_tallied(records, tally):
            stats.add(article)
        card = datasets.build_card(project, stats, layer=query["layer"], export_format=query["format"],
                                   filters={"min_agreement": query["min_agreement"]},
                                   headline=tally.figures() if tally is not None else None)
        if request.query_params.get("as") == "md":
            response = HttpResponse(card.to_markdown(), content_type="text/markdown; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{project.slug}-{query["layer"]}-README.md"'
            return response
        return Response(card.to_dict())
