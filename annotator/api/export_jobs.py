"""Export jobs: a dataset export written by a background worker, its status, and its file once done
(reviewers and managers, like the streamed export)."""

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.api.exports import ExportQuery, exported_project
from annotator.api.jobs import JobOutput, accepted
from annotator.formats.exporters import FORMATS
from annotator.models import ExportJob, JobStatus
from annotator.selectors import export_jobs as export_job_reads
from annotator.selectors import jobs as job_reads
from annotator.services import export_jobs


class ExportJobOutput(JobOutput):
    url_name = "api-export-job"
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [*JobOutput.Meta.fields, "format", "layer", "min_agreement", "articles_done", "articles_total",
                  "spans", "size", "download_url"]

    def get_download_url(self, job: ExportJob) -> str | None:
        if job.status != JobStatus.DONE:
            return None
        return reverse("api-export-job-download", args=[job.project_id, job.pk])


class ExportJobListView(APIView):
    """Recent export jobs of the project; POST queues a new one (the streamed export's parameters)."""

    @extend_schema(responses=ExportJobOutput(many=True))
    def get(self, request: Request, project_id: int) -> Response:
        project = exported_project(project_id, request)
        return Response(ExportJobOutput(job_reads.list_jobs(ExportJob, project), many=True).data)

    @extend_schema(request=ExportQuery, responses={202: ExportJobOutput})
    def post(self, request: Request, project_id: int) -> Response:
        project = exported_project(project_id, request)
        payload = ExportQuery(data=request.data)
        payload.is_valid(raise_exception=True)
        job = export_jobs.request_export_job(project=project, user=request.user,
                                             export_format=payload.validated_data["format"],
                                             layer=payload.validated_data["layer"],
                                             min_agreement=payload.validated_data["min_agreement"])
        return accepted(ExportJobOutput(job))


class ExportJobDetailView(APIView):
    """A job's status: queued, running (with articles written so far), done or failed."""

    @extend_schema(responses=ExportJobOutput)
    def get(self, request: Request, project_id: int, job_id: int) -> Response:
        project = exported_project(project_id, request)
        return Response(ExportJobOutput(job_reads.get_job(ExportJob, project, job_id)).data)


class ExportJobDownloadView(APIView):
    """The file of a done job, as an attachment; 409 before it is done."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, project_id: int, job_id: int) -> FileResponse:
        project = exported_project(project_id, request)
        job = job_reads.get_job(ExportJob, project, job_id)
        path = export_job_reads.get_export_file(job)
        fmt = FORMATS[job.format]
        content_type = fmt.media_type if fmt.is_binary else f"{fmt.media_type}; charset=utf-8"
        response = FileResponse(path.open("rb"), as_attachment=True, content_type=content_type,
                                filename=f"{project.slug}-{job.layer}-{job.pk}.{fmt.extension}")
        response["X-Content-Type-Options"] = "nosniff"
        return response
