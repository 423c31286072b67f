"""Assignments: the user's own with progress; submit; reopen (reviewers, managers); an article's all."""

import django_filters
from django.db.models import Count, Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.api.articles import ArticlePagination, can_see_all_work
from annotator.api.assessments import AssessmentOutput
from annotator.api.idempotency import idempotent
from annotator.api.permissions import require_role
from annotator.api.spans import MAX_ID, SpanOutput
from annotator.models import ArticleAssessment, Assignment, AssignmentStatus, Role, Span
from annotator.selectors import access
from annotator.services import assignments


class AssignmentOutput(serializers.ModelSerializer):
    analyst = serializers.CharField(source="analyst.username", read_only=True)
    project = serializers.IntegerField(source="article.project_id", read_only=True)
    article_title = serializers.CharField(source="article.title", read_only=True)
    span_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "project", "article", "article_title", "analyst", "status", "span_count", "created_at",
                  "started_at", "submitted_at", "reopen_comment"]


class AssignmentWorkOutput(AssignmentOutput):
    spans = SpanOutput(many=True, read_only=True)
    assessment = AssessmentOutput(read_only=True, allow_null=True)

    class Meta(AssignmentOutput.Meta):
        fields = [*AssignmentOutput.Meta.fields, "spans", "assessment"]


class ReopenInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class AssignmentFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="article__project", min_value=1, max_value=MAX_ID)
    status = django_filters.ChoiceFilter(choices=AssignmentStatus.choices)

    class Meta:
        model = Assignment
        fields = ["project", "status", "article"]


def _with_counts(queryset: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return queryset.select_related("analyst", "article").annotate(span_count=Count("spans", distinct=True))


class AssignmentListView(ListAPIView):
    """The requesting user's own assignments, with their progress."""

    serializer_class = AssignmentOutput
    pagination_class = ArticlePagination
    filterset_class = AssignmentFilter



    def get_queryset(self) -> QuerySet[Assignment]:
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        own = Assignment.objects.filter(
            analyst=self.request.user, article__project__memberships__user=self.request.user
        )
        return _with_counts(own).order_by("article__project_id", "article__external_id")


class AssignmentDetailView(APIView):
    @extend_schema(responses=AssignmentOutput)
    def get(self, request: Request, assignment_id: int) -> Response:
        assignment = access.get_visible_assignment(assignment_id, request.user)
        return Response(AssignmentOutput(_with_counts(Assignment.objects.filter(pk=assignment.pk)).get()).data)


class AssignmentSubmitView(APIView):
    @extend_schema(request=None, responses=AssignmentOutput)
    @idempotent
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = assignments.submit_assignment(assignment=access.get_own_assignment(assignment_id, request.user))
        return Response(AssignmentOutput(_with_counts(Assignment.objects.filter(pk=assignment.pk)).get()).data)


class AssignmentReopenView(APIView):
    @extend_schema(request=ReopenInput, responses=AssignmentOutput)
    @idempotent
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = access.get_visible_assignment(assignment_id, request.user)
        require_role(assignment.article.project, request.user, Role.REVIEWER, Role.MANAGER)
        payload = ReopenInput(data=request.data)
        payload.is_valid(raise_exception=True)
        assignment = assignments.reopen_assignment(assignment=assignment, **payload.validated_data)
        return Response(AssignmentOutput(_with_counts(Assignment.objects.filter(pk=assignment.pk)).get()).data)


class ArticleAssignmentListView(APIView):
    """Every analyst's assignment of an article with spans and assessment: reviewers and managers only
    (and analysts of a non-blind project)."""

    @extend_schema(responses=AssignmentWorkOutput(many=True))
    def get(self, request: Request, article_id: int) -> Response:
        article = access.get_visible_article(article_id, request.user)
        if not can_see_all_work(article, request.user):
            raise PermissionDenied("Only reviewers and managers see every analyst's work in a blind project.")
        work = _with_counts(Assignment.objects.filter(article=article)).prefetch_related(
            Prefetch("spans", queryset=Span.objects.select_related("label", "source").order_by("start", "end", "id")),
            Prefetch("assessment", queryset=ArticleAssessment.objects.all()),
        ).order_by("analyst__username")
        return Response(AssignmentWorkOutput(work, many=True).data)
