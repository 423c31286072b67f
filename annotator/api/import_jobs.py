"""Import jobs (managers): an annotated dataset uploaded now and imported by a background worker, all or
nothing, with the synchronous import's parameters and limits; its status, counts and refused records."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.api.imports import ImportInput, ImportProblemOutput, ImportResultOutput, checked_import, imported_project
from annotator.api.jobs import JobOutput, accepted
from annotator.models import ImportJob
from annotator.selectors import jobs as job_reads
from annotator.services import import_jobs


class ImportJobOutput(JobOutput):
    url_name = "api-import-job"
    label_map = serializers.DictField(child=serializers.CharField(), read_only=True)
    result = ImportResultOutput(read_only=True, allow_null=True,
                                help_text="What was imported (or would be, on a dry run), once done.")
    # DRF's metaclass takes declared fields off the class, so this field leaves Serializer.errors alone.
    errors = ImportProblemOutput(many=True, read_only=True,  # type: ignore[assignment]
                                 help_text="Every refused record when the file was refused (nothing was imported).")

    class Meta:
        model = ImportJob
        fields = [*JobOutput.Meta.fields, "format", "label_map", "dry_run", "upload_name", "size", "result", "errors"]


class ImportJobListView(APIView):
    """Recent import jobs of the project; POST uploads a file and queues its import (202)."""

    parser_classes = [MultiPartParser]

    @extend_schema(responses=ImportJobOutput(many=True))
    def get(self, request: Request, project_id: int) -> Response:
        project = imported_project(project_id, request)
        return Response(ImportJobOutput(job_reads.list_jobs(ImportJob, project), many=True).data)

    @extend_schema(request={"multipart/form-data": ImportInput}, responses={202: ImportJobOutput})
    def post(self, request: Request, project_id: int) -> Response:
        project = imported_project(project_id, request)
        params = checked_import(request)
        job = import_jobs.request_import_job(project=project, user=request.user, chunks=params["file"].chunks(),
                                             upload_name=params["file"].name, fmt=params["format"],
                                             label_map=params["label_map"], dry_run=params["dry_run"])
        return accepted(ImportJobOutput(job))


class ImportJobDetailView(APIView):
    """A job's status: queued, running, done (with what was imported) or failed (with every refused record)."""

    @extend_schema(responses=ImportJobOutput)
    def get(self, request: Request, project_id: int, job_id: int) -> Response:
        project = imported_project(project_id, request)
        return Response(ImportJobOutput(job_reads.get_job(ImportJob, project, job_id)).data)
