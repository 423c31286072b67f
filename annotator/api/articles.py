"""Articles of a project: a filtered, paginated list and a detail with the text.

Analysts see the articles assigned to them; reviewers and managers see every article of the project.
"""

import django_filters
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Length
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.models import Article, AssignmentStatus
from annotator.selectors import access


class ArticlePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class ArticleListOutput(serializers.ModelSerializer):
    length = serializers.IntegerField(source="text_length", read_only=True)
    assignment_count = serializers.IntegerField(read_only=True)
    submitted_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Article
        fields = ["id", "project", "external_id", "title", "outlet", "url", "published", "length",
                  "assignment_count", "submitted_count"]


class ArticleDetailOutput(serializers.ModelSerializer):
    class Meta:
        model = Article
        fields = ["id", "project", "external_id", "title", "outlet", "url", "published", "text", "sha256"]


def article_detail_output(article: Article) -> dict[str, object]:
    """ArticleDetailOutput's representation, field for field, without building a serializer: the annotate
    page and scripts read an article on every load."""
    return {"id": article.pk, "project": article.project_id, "external_id": article.external_id,
            "title": article.title, "outlet": article.outlet, "url": article.url,
            "published": article.published.isoformat() if article.published else None, "text": article.text,
            "sha256": article.sha256}


class ArticleFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", help_text="Words in the title, outlet or text.")
    outlet = django_filters.CharFilter(lookup_expr="iexact")
    published_after = django_filters.DateFilter(field_name="published", lookup_expr="gte")
    published_before = django_filters.DateFilter(field_name="published", lookup_expr="lte")
    external_id = django_filters.CharFilter()

    class Meta:
        model = Article
        fields = ["outlet", "external_id"]

    def filter_search(self, queryset: QuerySet[Article], name: str, value: str) -> QuerySet[Article]:
        return queryset.filter(Q(title__icontains=value) | Q(outlet__icontains=value) | Q(text__icontains=value))


class ArticleListView(ListAPIView):
    serializer_class = ArticleListOutput
    pagination_class = ArticlePagination
    filterset_class = ArticleFilter



    def get_queryset(self) -> QuerySet[Article]:
        if getattr(self, "swagger_fake_view", False):
            return Article.objects.none()
        project = access.get_project(self.kwargs["project_id"], self.request.user)
        articles = access.visible_articles(self.request.user).filter(project=project)
        return (
            Article.objects.filter(pk__in=articles.values("pk"))
            .defer("text")
            .annotate(
                assignment_count=Count("assignments", distinct=True),
                submitted_count=Count(
                    "assignments", filter=Q(assignments__status=AssignmentStatus.SUBMITTED), distinct=True
                ),
                text_length=Length("text"),
            )
            .order_by("external_id")
        )


class ArticleDetailView(APIView):
    @extend_schema(responses=ArticleDetailOutput)
    def get(self, request: Request, article_id: int) -> Response:
        return Response(article_detail_output(access.get_visible_article(article_id, request.user)))


def can_see_all_work(article: Article, user: object) -> bool:
    """Reviewers and managers always; analysts only in a non-blind project (never in a blind one)."""
    return access.sees_all_work(article.project, access.role_in(article.project, user))  # type: ignore[arg-type]  # request.user
