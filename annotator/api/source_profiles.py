"""Credibility by source: per-source aggregates (reviewers, managers), a source's profile with its statements
across articles, and an article's credibility profile (its sources next to its article-level scores).

Analysts get 403 on the aggregates, as on the agreement report; on profiles they see what the project's
blindness lets them (their own work only in a blind project) and no aggregate.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.api.permissions import require_role
from annotator.api.sources import SourceOutput
from annotator.models import Project, Role, SourceKind
from annotator.selectors import access
from annotator.selectors import source_profiles as profile_reads


class IntervalOutput(serializers.Serializer):
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)
    confidence = serializers.FloatField()
    reason = serializers.CharField(allow_null=True, help_text="Why there is no interval, when there is none.")


class FigureOutput(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    reason = serializers.CharField(allow_null=True, help_text="Why the figure is undefined, when it is.")
    reading = serializers.CharField(help_text="Krippendorff's reading: reliable, tentative, unreliable, undefined.")


class SourceFiguresOutput(serializers.Serializer):
    spans = serializers.IntegerField(help_text="Submitted spans attributed to the source.")
    scored = serializers.IntegerField(help_text="Of those, the spans with a credibility score.")
    articles = serializers.IntegerField()
    analysts = serializers.IntegerField()
    statements = serializers.DictField(child=serializers.IntegerField(), help_text="Spans per label key.")
    histogram = serializers.DictField(child=serializers.IntegerField(),
                                      help_text="Spans per score, every level of the project's scale.")
    mean = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    mean_interval = IntervalOutput(help_text="Seeded bootstrap percentile interval of the mean.")
    median_interval = IntervalOutput(help_text="Seeded bootstrap percentile interval of the median.")
    alpha = FigureOutput(help_text="Krippendorff's alpha (ordinal) of the analysts' scores on the source's "
                                   "aligned spans.")
    interval_alpha = FigureOutput(help_text="The same alpha at the interval level.")
    gold = serializers.DictField(child=serializers.IntegerField(),
                                 help_text="Adjudicated gold spans attributed to the source, per label key.")
    gold_mean = serializers.FloatField(allow_null=True)


class SourceStatsOutput(SourceFiguresOutput):
    source = SourceOutput()  # type: ignore[assignment]  # stubs: Field.source / Field.label


class BootstrapOutput(serializers.Serializer):
    samples = serializers.IntegerField()
    seed = serializers.IntegerField()
    confidence = serializers.FloatField()


class ScaleOutput(serializers.Serializer):
    min = serializers.IntegerField()
    max = serializers.IntegerField()


class SourceStatsListOutput(serializers.Serializer):
    scale = ScaleOutput()
    bootstrap = BootstrapOutput()
    sources = SourceStatsOutput(many=True)


class SourceStatsQuery(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SourceKind.choices, required=False, allow_blank=True, default="")
    country = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    min_spans = serializers.IntegerField(required=False, default=0, min_value=0, max_value=10_000_000)
    order = serializers.ChoiceField(choices=[o.value for o in profile_reads.SourceOrder],
                                    default=profile_reads.SourceOrder.MEAN.value)


def scale_and_bootstrap(project: Project) -> dict[str, dict[str, float]]:
    """The figures' frame: the project's scale and how the intervals were drawn."""
    return {
        "scale": {"min": project.scale_min, "max": project.scale_max},
        "bootstrap": {"samples": profile_reads.BOOTSTRAP_SAMPLES, "seed": profile_reads.BOOTSTRAP_SEED,
                      "confidence": profile_reads.CONFIDENCE},
    }


class SourceStatsView(APIView):
    """Every source of the project with its aggregates, ranked (reviewers and managers)."""

    @extend_schema(parameters=[SourceStatsQuery], responses=SourceStatsListOutput)
    def get(self, request: Request, project_id: int) -> Response:
        project = access.get_project(project_id, request.user)
        require_role(project, request.user, Role.REVIEWER, Role.MANAGER)
        query = SourceStatsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = profile_reads.list_source_stats(project, **query.validated_data)
        return Response(SourceStatsListOutput({**scale_and_bootstrap(project), "sources": rows}).data)


class StatementOutput(serializers.Serializer):
    span_id = serializers.IntegerField()
    article_id = serializers.IntegerField()
    article_title = serializers.CharField()
    outlet = serializers.CharField()
    published = serializers.DateField(allow_null=True)
    analyst = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # stubs: Field.source / Field.label
    credibility = serializers.IntegerField(allow_null=True)
    quote = serializers.CharField()
    start = serializers.IntegerField(help_text="Code points, end exclusive.")
    end = serializers.IntegerField()
    is_submitted = serializers.BooleanField()


class SourceProfileOutput(serializers.Serializer):
    source = SourceOutput()  # type: ignore[assignment]  # stubs: Field.source / Field.label
    stats = SourceFiguresOutput(allow_null=True, help_text="Aggregates; null for analysts.")
    statements = StatementOutput(many=True, help_text="Reviewers and managers: every submitted span; analysts: "
                                                      "their own (and others' submitted in a non-blind project).")


class SourceProfileView(APIView):
    """A source's details, aggregates (reviewers, managers) and its statements across articles."""

    @extend_schema(responses=SourceProfileOutput)
    def get(self, request: Request, source_id: int) -> Response:
        source = access.get_source(source_id, request.user)
        reviews = access.role_in(source.project, request.user) in access.REVIEW_ROLES
        return Response(SourceProfileOutput({
            "source": source,
            "stats": profile_reads.get_source_stats(source) if reviews else None,
            "statements": profile_reads.list_statements(source, request.user),
        }).data)


class ArticleScoreOutput(serializers.Serializer):
    analyst = serializers.CharField()
    credibility = serializers.IntegerField(allow_null=True)
    is_submitted = serializers.BooleanField()


class ReviewVerdictOutput(serializers.Serializer):
    status = serializers.CharField()
    credibility = serializers.IntegerField(allow_null=True)


class ArticleSourceOutput(serializers.Serializer):
    source = SourceOutput(allow_null=True, help_text="null: spans attributed to no source.")  # type: ignore[assignment]  # stubs: Field.source / Field.label
    mean = serializers.FloatField(allow_null=True, help_text="Mean score of its spans in this article.")
    project_mean = serializers.FloatField(allow_null=True,
                                          help_text="Its mean over the project's submitted spans (reviewers).")
    gold_scores = serializers.ListField(child=serializers.IntegerField(),
                                        help_text="Scores of its gold spans in this article (reviewers).")
    statements = StatementOutput(many=True)


class ArticleRefOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    project = serializers.IntegerField(source="project_id")
    title = serializers.CharField()
    outlet = serializers.CharField()
    published = serializers.DateField(allow_null=True)


class ArticleCredibilityOutput(serializers.Serializer):
    article = ArticleRefOutput()
    scale = ScaleOutput()
    assessments = ArticleScoreOutput(many=True, help_text="Article-level scores the user may see.")
    assessment_mean = serializers.FloatField(allow_null=True)
    assessment_median = serializers.FloatField(allow_null=True)
    review = ReviewVerdictOutput(allow_null=True, help_text="The gold verdict (reviewers and managers).")
    sources = ArticleSourceOutput(many=True)
    sees_all_work = serializers.BooleanField(help_text="False: only the user's own work is shown (blind).")


class ArticleCredibilityView(APIView):
    """An article's sources with their span scores, next to the article-level scores."""

    @extend_schema(responses=ArticleCredibilityOutput)
    def get(self, request: Request, article_id: int) -> Response:
        article = access.get_visible_article(article_id, request.user)
        profile = profile_reads.get_article_credibility(article, request.user)
        scale = {"min": article.project.scale_min, "max": article.project.scale_max}
        return Response(ArticleCredibilityOutput({
            "article": article, "scale": scale, "assessments": profile.assessments,
            "assessment_mean": profile.assessment_mean, "assessment_median": profile.assessment_median,
            "review": profile.review, "sources": profile.sources, "sees_all_work": profile.sees_all_work,
        }).data)
