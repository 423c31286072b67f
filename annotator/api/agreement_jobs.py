"""Agreement report jobs (reviewers and managers): a project's agreement report computed by a background
worker, then read as JSON or downloaded as CSV like the synchronous report."""

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiTypes, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.api.agreement import DOWNLOAD, report_download, reported_project
from annotator.api.jobs import JobOutput, accepted
from annotator.models import AgreementJob, JobStatus
from annotator.selectors import jobs as job_reads
from annotator.services import agreement_jobs


class AgreementJobOutput(JobOutput):
    url_name = "api-agreement-job"
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = AgreementJob
        fields = [*JobOutput.Meta.fields, "articles_done", "articles_total", "download_url"]

    def get_download_url(self, job: AgreementJob) -> str | None:
        """The report as CSV, once done."""
        if job.status != JobStatus.DONE:
            return None
        return f"{self.get_url(job)}?download=csv"


@extend_schema_field(OpenApiTypes.OBJECT)
class ReportField(serializers.JSONField):
    pass


class AgreementJobDetailOutput(AgreementJobOutput):
    report = ReportField(read_only=True, help_text="The report of projects/{id}/agreement/, once done.")

    class Meta(AgreementJobOutput.Meta):
        fields = [*AgreementJobOutput.Meta.fields, "report"]


class AgreementJobListView(APIView):
    """Recent agreement jobs of the project (without their reports); POST queues a new one (202)."""

    @extend_schema(responses=AgreementJobOutput(many=True))
    def get(self, request: Request, project_id: int) -> Response:
        project = reported_project(project_id, request)
        jobs = job_reads.list_jobs(AgreementJob, project, without=["report"])
        return Response(AgreementJobOutput(jobs, many=True).data)

    @extend_schema(request=None, responses={202: AgreementJobOutput})
    def post(self, request: Request, project_id: int) -> Response:
        project = reported_project(project_id, request)
        job = agreement_jobs.request_agreement_job(project=project, user=request.user)
        return accepted(AgreementJobOutput(job))


class AgreementJobDetailView(APIView):
    """A job's status, with the report once done; ``download=csv|json`` answers the report as a file (409
    before it is done)."""

    @extend_schema(parameters=[DOWNLOAD], responses={(200, "application/json"): AgreementJobDetailOutput,
                                                     (200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request, project_id: int, job_id: int) -> Response | HttpResponse:
        project = reported_project(project_id, request)
        job = job_reads.get_job(AgreementJob, project, job_id)
        download = request.query_params.get("download", "")
        if download in ("csv", "json"):
            return report_download(job_reads.get_agreement_report(job), project, download)
        return Response(AgreementJobDetailOutput(job).data)
