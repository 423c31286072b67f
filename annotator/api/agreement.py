"""The agreement report of a project, as JSON or CSV (reviewers and managers)."""

import io

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.agreement.report import REPORT_COLUMNS, report_rows
from annotator.api.permissions import require_role
from annotator.formats.spreadsheet import write_csv
from annotator.models import Role
from annotator.selectors import access
from annotator.selectors import agreement as agreement_reads


class AgreementReportView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("download", str, enum=["json", "csv"],
                                     description="Answer as a file to download in this format.")],
        responses={(200, "application/json"): OpenApiTypes.OBJECT, (200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request: Request, project_id: int) -> Response | HttpResponse:
        project = access.get_project(project_id, request.user)
        require_role(project, request.user, Role.REVIEWER, Role.MANAGER)
        report = agreement_reads.get_project_report(project)
        download = request.query_params.get("download", "")
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
