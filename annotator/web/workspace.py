"""The annotate page of an assignment: the article, the guidelines and the analyst's own spans."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from annotator.selectors import access
from annotator.web.rendering import render_markdown


class AnnotateView(LoginRequiredMixin, TemplateView):
    template_name = "annotator/annotate.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        assignment = access.get_own_assignment(self.kwargs["assignment_id"], self.request.user)
        article = assignment.article
        project = article.project
        labels = list(project.labels.values("key", "name", "color", "hotkey"))
        context.update(
            assignment=assignment,
            article=article,
            project=project,
            labels=labels,
            scale=list(project.scale),
            guidelines_html=render_markdown(project.guidelines),
            workspace_config={
                "assignmentId": assignment.pk,
                "articleId": article.pk,
                "projectId": project.pk,
                "scaleMin": project.scale_min,
                "scaleMax": project.scale_max,
                "labels": labels,
                "submitted": assignment.is_submitted,
                "text": article.text,
            },
        )
        return context
