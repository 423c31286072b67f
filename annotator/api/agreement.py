"""The agreement report of a project, as JSON or CSV (reviewers and managers)."""

import io
from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.agreement.report import REPORT_COLUMNS, report_rows
from annotator.api.permissions import require_role
from annotator.formats.spreadsheet import write_csv
from annotator.models import Project, Role
from annotator.selectors import access
from annotator.selectors import agreement as agreement_reads

DOWNLOAD = OpenApiParameter("download", str, enum=["json", "csv"],
                            description="Answer as a file to download in this format.")


def reported_project(project_id: int, request: Request) -> Project:
    project = access.get_project(project_id, request.user)
    require_role(project, request.user, Role.REVIEWER, Role.MANAGER)
    return project


def report_download(report: dict[str, Any], project: Project, download: str) -> Response | HttpResponse:
    """The report as the JSON answer, or as a file to download (``download`` "csv" or "json")."""
    if download == "csv":
        buffer = io.StringIO()
        write_csv(REPORT_COLUMNS, report_rows(report), buffer)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="agreement-{project.slug}.csv"'
        return response
    response = Response(report)
    if download == "json":
        response["Content-Disposition"] = f'attachment; filename="agreement-{project.slug}.json"'
    return response


class AgreementReportView(APIView):
    @extend_schema(parameters=[DOWNLOAD],
                   responses={(200, "application/json"): OpenApiTypes.OBJECT, (200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request, project_id: int) -> Response | HttpResponse:
        project = reported_project(project_id, request)
        report = agreement_reads.get_project_report(project)
        return report_download(report, project, request.query_params.get("download", ""))
