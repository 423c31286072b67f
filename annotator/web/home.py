"""The home page: the user's projects with the team's progress, and their own assignments."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from annotator.selectors import access
from annotator.selectors import assignments as assignment_reads


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "annotator/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        reviewable = set(access.reviewable_projects_for(user).values_list("pk", flat=True))
        context["progress"] = [
            (assignment_reads.get_project_progress(project), project.pk in reviewable)
            for project in access.projects_for(user)
        ]
        context["assignments"] = assignment_reads.list_assignments_for_analyst(user)
        return context
