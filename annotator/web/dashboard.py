"""The agreement dashboard of a project (reviewers and managers): tables and server-side SVG plots."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView

from annotator.formats.exporters import FORMATS
from annotator.models import ExportJob, Role
from annotator.selectors import access
from annotator.selectors import agreement as agreement_reads
from annotator.selectors import jobs as job_reads
from annotator.web import charts


def reviewable_project(project_id: int, user: Any) -> Any:
    """The project if the user reviews or manages it; 404 for outsiders, 403 for its analysts."""
    project = access.get_project(project_id, user)
    if access.role_in(project, user) not in (Role.REVIEWER, Role.MANAGER):
        raise PermissionDenied("Reviewers and managers only.")
    return project


class AgreementDashboardView(LoginRequiredMixin, TemplateView):
    template_name = "annotator/agreement.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        project = reviewable_project(self.kwargs["project_id"], self.request.user)
        report = agreement_reads.get_project_report(project)
        overlap = {tuple(row["analysts"]): row["overlap"]["f1"] for row in report["pairs"]}
        label_rows = [(row["label"], [("overlap F1", row["overlap"]["f1"]), ("exact F1", row["exact"]["f1"]),
                                      ("score alpha", row["credibility_alpha"]["value"])])
                      for row in report["labels"]]
        context.update(
            formats=list(FORMATS.values()),
            export_jobs=job_reads.list_jobs(ExportJob, project, limit=10),
            project=project,
            report=report,
            overall=report["overall"],
            heatmap=charts.heatmap(report["analysts"], overlap, title="Overlap F1 between analysts"),
            label_bars=charts.bars(label_rows, title="Agreement per label"),
            spread_spans=charts.histogram(report["score_disagreement"]["spans"], axis="score range in a unit",
                                          title="Disagreement on span credibility"),
            spread_articles=charts.histogram(report["score_disagreement"]["articles"], axis="score range per article",
                                             title="Disagreement on article credibility"),
        )
        return context
