"""Uploads (managers): article files (.txt, .jsonl, .csv) and annotated datasets, all or nothing."""

import io
import tempfile
from pathlib import Path
from typing import Any

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.api.permissions import require_role
from annotator.models import Project, Role
from annotator.selectors import access
from annotator.services import articles, imports

MAX_UPLOAD = 50 * 1024 * 1024
IMPORT_SUFFIXES = {".jsonl", ".json"}


def _checked_upload(upload: object, suffixes: set[str]) -> None:
    name = getattr(upload, "name", "")
    if Path(name).suffix.lower() not in suffixes:
        raise serializers.ValidationError({"file": [f"use a {', '.join(sorted(suffixes))} file."]})
    if getattr(upload, "size", 0) > MAX_UPLOAD:
        raise serializers.ValidationError({"file": [f"the file is larger than {MAX_UPLOAD // 2**20} MB."]})


class ArticleUploadInput(serializers.Serializer):
    file = serializers.FileField()


class ImportInput(serializers.Serializer):
    file = serializers.FileField()
    format = serializers.ChoiceField(choices=sorted(imports.READERS))
    label_map = serializers.DictField(child=serializers.CharField(), required=False, default=dict)
    dry_run = serializers.BooleanField(default=False)


class ImportResultOutput(serializers.Serializer):
    """What an import wrote (or would write, on a dry run)."""

    articles = serializers.IntegerField()
    articles_created = serializers.IntegerField()
    spans = serializers.IntegerField()
    gold_spans = serializers.IntegerField()
    assessments = serializers.IntegerField()
    sources_created = serializers.ListField(child=serializers.CharField())
    dry_run = serializers.BooleanField()


class ImportProblemOutput(serializers.Serializer):
    """One refused record: its line in the file (null for the whole file), the field at fault, why."""

    line = serializers.IntegerField(allow_null=True)
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


def imported_project(project_id: int, request: Request) -> Project:
    project = access.get_project(project_id, request.user)
    require_role(project, request.user, Role.MANAGER)
    return project


def checked_import(request: Request) -> dict[str, Any]:
    """The import's parameters and its upload, checked for shape, type and size (the same for the
    synchronous import and the import job)."""
    payload = ImportInput(data=request.data)
    payload.is_valid(raise_exception=True)
    _checked_upload(payload.validated_data["file"], IMPORT_SUFFIXES)
    return dict(payload.validated_data)


class ArticleUploadView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": ArticleUploadInput}, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, project_id: int) -> Response:
        project = imported_project(project_id, request)
        payload = ArticleUploadInput(data=request.data)
        payload.is_valid(raise_exception=True)
        upload = payload.validated_data["file"]
        _checked_upload(upload, {".txt", ".jsonl", ".csv"})
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(upload.name).name
            with open(path, "wb") as target:
                for chunk in upload.chunks():
                    target.write(chunk)
            result = articles.load_articles(project=project, paths=[path])
        return Response({"created": len(result.created), "unchanged": result.unchanged},
                        status=status.HTTP_201_CREATED)


class ImportView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": ImportInput},
                   responses={200: ImportResultOutput, 201: ImportResultOutput})
    def post(self, request: Request, project_id: int) -> Response:
        project = imported_project(project_id, request)
        params = checked_import(request)
        stream = io.TextIOWrapper(params["file"].file, encoding="utf-8", newline="")
        try:
            result = imports.import_annotations(project=project, stream=stream, fmt=params["format"],
                                                importer=request.user, label_map=params["label_map"],
                                                dry_run=params["dry_run"])
        except imports.ImportRefused as error:
            return Response({"code": error.code, "message": error.message, "field": error.field,
                             "errors": {"records": error.records()}},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response(ImportResultOutput(result).data,
                        status=status.HTTP_200_OK if result.dry_run else status.HTTP_201_CREATED)
