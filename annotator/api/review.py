"""Review and adjudication: an article's aligned work, gold spans, the verdict, the queue, the audit trail.

Reviewers and managers only; analysts get 403 in their project and 404 elsewhere.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.api.idempotency import idempotent
from annotator.api.permissions import require_role
from annotator.api.spans import (
    MAX_ID,
    LabelKeyField,
    ProjectScopedInput,
    SourceIdField,
    expected_version,
    if_match_version,
)
from annotator.models import Article, GoldSpan, Role, Span
from annotator.selectors import access
from annotator.selectors import review as review_reads
from annotator.services import assignments, gold


def reviewed_article(article_id: int, request: Request) -> Article:
    article = access.get_visible_article(article_id, request.user)
    require_role(article.project, request.user, Role.REVIEWER, Role.MANAGER)
    return article


class GoldOutput(serializers.ModelSerializer):
    label = serializers.SlugRelatedField(slug_field="key", read_only=True)
    source_name = serializers.CharField(source="source.name", read_only=True, default=None)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True)

    class Meta:
        model = GoldSpan
        fields = ["id", "article", "start", "end", "quote", "label", "source", "source_name", "credibility", "note",
                  "supporters", "decided_by", "decided_at", "version"]


class GoldInput(ProjectScopedInput):
    start = serializers.IntegerField(min_value=0, max_value=10_000_000)
    end = serializers.IntegerField(min_value=1, max_value=10_000_000)
    label = LabelKeyField()
    source = SourceIdField(required=False, allow_null=True)
    credibility = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=1000)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)
    quote = serializers.CharField(required=False, trim_whitespace=False)
    supporting_spans = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
                                             required=False, default=list, max_length=100)


class GoldUpdateInput(GoldInput):
    start = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False)
    end = serializers.IntegerField(min_value=1, max_value=10_000_000, required=False)
    label = LabelKeyField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    version = serializers.IntegerField(min_value=1, required=False)


class SpanChoiceInput(serializers.Serializer):
    span = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    spans = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False,
                                  max_length=100)


class MajorityInput(serializers.Serializer):
    min_agreeing = serializers.IntegerField(min_value=1, max_value=100)


class ReviewInput(serializers.Serializer):
    credibility = serializers.IntegerField(allow_null=True, min_value=0, max_value=1000)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)
    version = serializers.IntegerField(min_value=0, required=False)


class ReopenAssignmentInput(serializers.Serializer):
    assignment = serializers.IntegerField()
    comment = serializers.CharField(max_length=5000)


def _analyst_spans(article: Article, ids: list[int]) -> list[Span]:
    found = list(Span.objects.filter(pk__in=ids, assignment__article=article).select_related("assignment__analyst"))
    if len(found) != len(set(ids)) or not found:
        raise serializers.ValidationError({"spans": ["Every span must belong to this article."]})
    return found


class ArticleReviewView(APIView):
    """Every analyst's submitted spans aligned unit by unit, with each unit's agreement, gold and verdict."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, article_id: int) -> Response:
        return Response(review_reads.get_article_review(reviewed_article(article_id, request)))

    @extend_schema(request=ReviewInput, responses=OpenApiTypes.OBJECT,
                   parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)])
    @idempotent
    def put(self, request: Request, article_id: int) -> Response:
        """The gold article-level credibility score and comment."""
        article = reviewed_article(article_id, request)
        payload = ReviewInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        version = if_match_version(request)
        if version is not None:
            data["version"] = version
        if data.get("version") == 0:
            data["version"] = None  # nothing saved yet
        review = gold.save_article_review(article=article, reviewer=request.user, **data)
        return Response({"status": review.status, "credibility": review.credibility, "comment": review.comment,
                         "version": review.version}, headers={"ETag": f'"{review.version}"'})


class GoldListView(APIView):
    @extend_schema(responses=GoldOutput(many=True))
    def get(self, request: Request, article_id: int) -> Response:
        article = reviewed_article(article_id, request)
        return Response(GoldOutput(article.gold_spans.select_related("label", "source", "decided_by"), many=True).data)

    @extend_schema(request=GoldInput, responses={201: GoldOutput})
    @idempotent
    def post(self, request: Request, article_id: int) -> Response:
        """A gold span written by the reviewer (e.g. with corrected boundaries)."""
        article = reviewed_article(article_id, request)
        payload = GoldInput(data=request.data, project=article.project)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        support = data.pop("supporting_spans")
        supporting = _analyst_spans(article, support) if support else []
        created = gold.create_gold_span(article=article, reviewer=request.user, supporting_spans=supporting, **data)
        return Response(GoldOutput(created).data, status=status.HTTP_201_CREATED)


class GoldAcceptView(APIView):
    """Accept one analyst's span into gold as it is."""

    @extend_schema(request=SpanChoiceInput, responses={201: GoldOutput})
    @idempotent
    def post(self, request: Request, article_id: int) -> Response:
        article = reviewed_article(article_id, request)
        payload = SpanChoiceInput(data=request.data)
        payload.is_valid(raise_exception=True)
        if "span" not in payload.validated_data:
            raise serializers.ValidationError({"span": ["This field is required."]})
        [span] = _analyst_spans(article, [payload.validated_data["span"]])
        return Response(GoldOutput(gold.accept_span(span=span, reviewer=request.user)).data,
                        status=status.HTTP_201_CREATED)


class GoldMergeView(APIView):
    """Merge several analysts' versions of a unit into one gold span (majority extent, label, source)."""

    @extend_schema(request=SpanChoiceInput, responses={201: GoldOutput})
    @idempotent
    def post(self, request: Request, article_id: int) -> Response:
        article = reviewed_article(article_id, request)
        payload = SpanChoiceInput(data=request.data)
        payload.is_valid(raise_exception=True)
        chosen = _analyst_spans(article, payload.validated_data.get("spans", []))
        return Response(GoldOutput(gold.merge_spans(spans=chosen, reviewer=request.user)).data,
                        status=status.HTTP_201_CREATED)


class GoldMajorityView(APIView):
    """Accept every unit where at least K analysts agree on the label."""

    @extend_schema(request=MajorityInput, responses={201: GoldOutput(many=True)})
    @idempotent
    def post(self, request: Request, article_id: int) -> Response:
        article = reviewed_article(article_id, request)
        payload = MajorityInput(data=request.data)
        payload.is_valid(raise_exception=True)
        created = gold.accept_majority(article=article, reviewer=request.user, **payload.validated_data)
        return Response(GoldOutput(created, many=True).data, status=status.HTTP_201_CREATED)


class GoldDetailView(APIView):
    def _gold(self, request: Request, gold_id: int) -> GoldSpan:
        found = GoldSpan.objects.select_related("article__project", "label", "source").filter(pk=gold_id).first()
        if found is None:
            raise Http404("No such gold span.")
        reviewed_article(found.article_id, request)
        return found

    @extend_schema(request=GoldUpdateInput, responses=GoldOutput,
                   parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)])
    @idempotent
    def patch(self, request: Request, gold_id: int) -> Response:
        current = self._gold(request, gold_id)
        payload = GoldUpdateInput(data=request.data, project=current.article.project)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        data.pop("supporting_spans", None)
        version = expected_version(request, data.pop("version", None))
        updated = gold.update_gold_span(gold=current, version=version, reviewer=request.user, **data)
        return Response(GoldOutput(updated).data, headers={"ETag": f'"{updated.version}"'})

    @extend_schema(responses={204: None}, parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)])
    @idempotent
    def delete(self, request: Request, gold_id: int) -> Response:
        """Reject: take the span out of the gold layer."""
        current = self._gold(request, gold_id)
        version = request.data.get("version") if isinstance(request.data, dict) else None
        gold.delete_gold_span(gold=current, version=expected_version(request, version))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AdjudicateView(APIView):
    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    @idempotent
    def post(self, request: Request, article_id: int) -> Response:
        review = gold.adjudicate_article(article=reviewed_article(article_id, request), reviewer=request.user)
        return Response({"status": review.status, "adjudicated_at": review.adjudicated_at, "version": review.version})


class ReviewReopenView(APIView):
    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    @idempotent
    def post(self, request: Request, article_id: int) -> Response:
        review = gold.reopen_review(article=reviewed_article(article_id, request), reviewer=request.user)
        return Response({"status": review.status, "version": review.version})


class ReviewReopenAssignmentView(APIView):
    """Send an analyst's submitted work back with a comment they see on their pages."""

    @extend_schema(request=ReopenAssignmentInput, responses=OpenApiTypes.OBJECT)
    @idempotent
    def post(self, request: Request, article_id: int) -> Response:
        article = reviewed_article(article_id, request)
        payload = ReopenAssignmentInput(data=request.data)
        payload.is_valid(raise_exception=True)
        assignment = article.assignments.filter(pk=payload.validated_data["assignment"]).first()
        if assignment is None:
            raise serializers.ValidationError({"assignment": ["No such assignment on this article."]})
        reopened = assignments.reopen_assignment(assignment=assignment, comment=payload.validated_data["comment"])
        return Response({"assignment": reopened.pk, "status": reopened.status,
                         "reopen_comment": reopened.reopen_comment})


class AuditView(APIView):
    """The article's audit trail: read-only (other methods answer 405)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, article_id: int) -> Response:
        return Response(review_reads.list_article_audit(reviewed_article(article_id, request)))


class QueueEntryOutput(serializers.Serializer):
    article_id = serializers.IntegerField()
    title = serializers.CharField()
    submitted = serializers.IntegerField()
    assigned = serializers.IntegerField()
    status = serializers.CharField()
    gold_spans = serializers.IntegerField()
    overlap_f1 = serializers.FloatField(allow_null=True)
    label_alpha = serializers.FloatField(allow_null=True)
    analysts = serializers.ListField(child=serializers.CharField())


class ReviewQueueView(APIView):
    """Articles to review, most disagreement first; filter by status, analyst, maximum label alpha."""

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=["open", "adjudicated"]), OpenApiParameter("analyst", str),
                    OpenApiParameter("max_alpha", float)],
        responses=QueueEntryOutput(many=True),
    )
    def get(self, request: Request, project_id: int) -> Response:
        project = access.get_project(project_id, request.user)
        require_role(project, request.user, Role.REVIEWER, Role.MANAGER)
        try:
            max_alpha = float(request.query_params["max_alpha"]) if request.query_params.get("max_alpha") else None
        except ValueError:
            raise serializers.ValidationError({"max_alpha": ["A number, e.g. 0.667."]}) from None
        entries = review_reads.list_review_queue(project, status=request.query_params.get("status", ""),
                                                 analyst=request.query_params.get("analyst", ""), max_alpha=max_alpha)
        return Response(QueueEntryOutput(entries, many=True).data)
