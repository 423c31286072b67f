"""Credibility by source: the ranking of a project's sources (reviewers and managers), a source's profile
and an article's credibility profile (members, within what the project's blindness lets them see)."""

from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import TemplateView

from annotator.models import SourceKind
from annotator.selectors import access
from annotator.selectors import source_profiles as profile_reads
from annotator.web import charts
from annotator.web.dashboard import reviewable_project


class SourceFilterForm(forms.Form):
    kind = forms.ChoiceField(required=False, choices=[("", "Any"), *SourceKind.choices])
    country = forms.CharField(required=False, max_length=100)
    min_spans = forms.IntegerField(required=False, min_value=0, max_value=10_000_000, label="At least")
    order = forms.ChoiceField(required=False, choices=[(profile_reads.SourceOrder.MEAN, "Mean score"),
                                                       (profile_reads.SourceOrder.SPANS, "Spans"),
                                                       (profile_reads.SourceOrder.ALPHA, "Agreement (alpha)"),
                                                       (profile_reads.SourceOrder.NAME, "Name")])

    def filters(self) -> dict[str, Any]:
        """The valid filters; a field with a bad value is left out (its error is shown on the form)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {"kind": cleaned.get("kind") or "", "country": cleaned.get("country") or "",
                "min_spans": cleaned.get("min_spans") or 0,
                "order": cleaned.get("order") or profile_reads.SourceOrder.MEAN}


def _plot_rows(rows: list[profile_reads.SourceStats]) -> list[charts.IntervalRow]:
    return [charts.IntervalRow(row.source.name, row.mean, row.mean_interval.low, row.mean_interval.high,
                               row.scored, row.alpha["value"]) for row in rows]


class SourceRankingView(LoginRequiredMixin, TemplateView):
    template_name = "annotator/sources.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        project = reviewable_project(self.kwargs["project_id"], self.request.user)
        form = SourceFilterForm(self.request.GET or None)
        rows = profile_reads.list_source_stats(project, **form.filters())
        labels = list(project.labels.values_list("key", "name"))
        context.update(
            project=project, form=form, labels=[name for _, name in labels],
            rows=[(row, [row.statements.get(key, 0) for key, _ in labels]) for row in rows],
            countries=profile_reads.list_countries(project),
            confidence=round(profile_reads.CONFIDENCE * 100), samples=profile_reads.BOOTSTRAP_SAMPLES,
            seed=profile_reads.BOOTSTRAP_SEED,
            plot=charts.interval_plot(_plot_rows(rows), low=project.scale_min, high=project.scale_max,
                                      title="Mean credibility score per source, with its bootstrap interval"),
        )
        return context


class SourceProfileView(LoginRequiredMixin, TemplateView):
    template_name = "annotator/source_profile.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        source = access.get_source(self.kwargs["source_id"], user)
        if source.project_id != self.kwargs["project_id"]:
            raise Http404("No such source.")
        project = source.project
        reviews = access.role_in(project, user) in access.REVIEW_ROLES
        stats = profile_reads.get_source_stats(source) if reviews else None
        labels = list(project.labels.values_list("key", "name"))
        context.update(
            project=project, source=source, stats=stats, reviews=reviews,
            label_counts=[(name, stats.statements[key]) for key, name in labels if key in stats.statements]
            if stats else [],
            gold_counts=[(name, stats.gold[key]) for key, name in labels if key in stats.gold] if stats else [],
            statements=profile_reads.list_statements(source, user),
            histogram=charts.histogram({str(level): count for level, count in stats.histogram.items()},
                                       title=f"Scores given to {source.name}", axis="credibility score")
            if stats else None,
            confidence=round(profile_reads.CONFIDENCE * 100),
        )
        return context


class ArticleCredibilityView(LoginRequiredMixin, TemplateView):
    template_name = "annotator/article_credibility.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        article = access.get_visible_article(self.kwargs["article_id"], self.request.user)
        profile = profile_reads.get_article_credibility(article, self.request.user)
        context.update(project=article.project, article=article, profile=profile,
                       reviews=access.role_in(article.project, self.request.user) in access.REVIEW_ROLES)
        return context
