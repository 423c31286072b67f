"""The reviewer's pages: the queue of articles to adjudicate and the review page of one article."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView

from annotator.models import Role
from annotator.selectors import access
from annotator.selectors import review as review_reads
from annotator.web.dashboard import reviewable_project


class ReviewQueueView(LoginRequiredMixin, TemplateView):
    template_name = "annotator/review_queue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        project = reviewable_project(self.kwargs["project_id"], self.request.user)
        status = self.request.GET.get("status", "open")
        analyst = self.request.GET.get("analyst", "")
        low_only = self.request.GET.get("low") == "1"
        context.update(
            project=project, status=status, analyst=analyst, low_only=low_only,
            analysts=list(project.memberships.filter(role=Role.ANALYST).values_list("user__username", flat=True)),
            entries=review_reads.list_review_queue(project, status=status if status in {"open", "adjudicated"} else "",
                                                   analyst=analyst, max_alpha=0.667 if low_only else None),
        )
        return context


class ReviewArticleView(LoginRequiredMixin, TemplateView):
    template_name = "annotator/review.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        project = reviewable_project(self.kwargs["project_id"], self.request.user)
        article = access.get_visible_article(self.kwargs["article_id"], self.request.user)
        if article.project_id != project.pk:
            raise PermissionDenied("The article belongs to another project.")
        labels = list(project.labels.values("key", "name", "color", "hotkey"))
        context.update(project=project, article=article, labels=labels,
                       review_config={"articleId": article.pk, "projectId": project.pk, "labels": labels,
                                      "scaleMin": project.scale_min, "scaleMax": project.scale_max})
        return context
