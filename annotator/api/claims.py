"""Claim clusters: list, create, rename, delete; link and unlink spans; suggestions; the verdict; ClaimReview.

Members of the project only (404 for anyone else). What each role may change is decided in
services.claims (403 otherwise); what each user sees in selectors.claims (blind projects: analysts see
only their own links).
"""

import json

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, OpenApiTypes, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.api.spans import MAX_ID, if_match_version
from annotator.models import ClaimCluster, GoldSpan, Project, Span
from annotator.selectors import access
from annotator.selectors import claims as claim_reads
from annotator.services import claims

LD_JSON = "application/ld+json"


class ClaimOutput(serializers.Serializer):
    id = serializers.IntegerField()
    wording = serializers.CharField()
    created_by = serializers.CharField()
    appearances = serializers.IntegerField(help_text="Links the user sees.")
    articles = serializers.IntegerField(help_text="Articles of the links the user sees.")
    is_adjudicated = serializers.BooleanField(allow_null=True, help_text="Null when the user may not see it.")
    verdict = serializers.IntegerField(allow_null=True)
    version = serializers.IntegerField()
    link = serializers.IntegerField(allow_null=True, help_text="With ?span= or ?gold_span=: that span's link.")


class ClaimQuery(serializers.Serializer):
    search = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    span = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    gold_span = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class TargetInput(serializers.Serializer):
    span = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID,
                                    help_text="An analyst's span (analysts: their own).")
    gold_span = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID,
                                         help_text="A gold span (reviewers and managers).")

    def validate(self, data: dict) -> dict:
        if "span" in data and "gold_span" in data:
            raise serializers.ValidationError({"span": ["Send a span or a gold span, not both."]})
        return data


class ClaimInput(TargetInput):
    wording = serializers.CharField(max_length=500)


class RenameInput(serializers.Serializer):
    wording = serializers.CharField(max_length=500)
    version = serializers.IntegerField(required=False, min_value=1)


class AdjudicateInput(serializers.Serializer):
    verdict = serializers.IntegerField(min_value=0, max_value=1000, help_text="On the project's scale.")
    verdict_note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)
    version = serializers.IntegerField(required=False, min_value=1)


class ClaimSuggestionQuery(TargetInput):
    quote = serializers.CharField(required=False, max_length=10_000)


class ClaimSuggestionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    wording = serializers.CharField()
    score = serializers.FloatField(help_text="0 to 1; only the order matters.")
    matched = serializers.CharField(help_text="The wording or quote of the claim the text resembles most.")


class LinkOutput(serializers.Serializer):
    id = serializers.IntegerField()
    cluster = serializers.IntegerField(source="cluster_id")
    span = serializers.IntegerField(source="span_id", allow_null=True)
    gold_span = serializers.IntegerField(source="gold_span_id", allow_null=True)


def _target(project: Project, request: Request, data: dict) -> tuple[Span | None, GoldSpan | None]:
    """The span or gold span named in ``data``, looked up among what the user may read in ``project``."""
    span = gold_span = None
    if data.get("span") is not None:
        span = (Span.objects.filter(pk=data["span"], assignment__in=access.visible_assignments(request.user),
                                    assignment__article__project=project).first())
        if span is None:
            raise serializers.ValidationError({"span": ["No such span in this project."]})
    if data.get("gold_span") is not None:
        gold_span = GoldSpan.objects.filter(pk=data["gold_span"], article__project=project).first()
        if gold_span is None:
            raise serializers.ValidationError({"gold_span": ["No such gold span in this project."]})
    return span, gold_span


def _version(request: Request, body: int | None) -> int | None:
    return if_match_version(request) or body


def _detail(cluster: ClaimCluster, request: Request, code: int = status.HTTP_200_OK) -> Response:
    return Response(claim_reads.get_claim_detail(cluster, request.user), status=code,
                    headers={"ETag": f'"{cluster.version}"'})


class ClaimListView(APIView):
    @extend_schema(parameters=[ClaimQuery], responses=ClaimOutput(many=True))
    def get(self, request: Request, project_id: int) -> Response:
        """The project's claims by wording (search: part of the wording; span/gold_span: the claims it states)."""
        project = access.get_project(project_id, request.user)
        query = ClaimQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = claim_reads.list_clusters(project, request.user, search=query.validated_data["search"],
                                          span_id=query.validated_data.get("span"),
                                          gold_span_id=query.validated_data.get("gold_span"))
        return Response(ClaimOutput(found, many=True).data)

    @extend_schema(request=ClaimInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, project_id: int) -> Response:
        """A new claim with its canonical wording, optionally linking a first span."""
        project = access.get_project(project_id, request.user)
        payload = ClaimInput(data=request.data)
        payload.is_valid(raise_exception=True)
        span, gold_span = _target(project, request, payload.validated_data)
        cluster = claims.create_cluster(project=project, user=request.user, wording=payload.validated_data["wording"],
                                        span=span, gold_span=gold_span)
        return _detail(cluster, request, status.HTTP_201_CREATED)


class ClaimSuggestionView(APIView):
    """Claims a span (or a text) most resembles, by words, character trigrams and numbers."""

    @extend_schema(parameters=[ClaimSuggestionQuery], responses=ClaimSuggestionOutput(many=True))
    def get(self, request: Request, project_id: int) -> Response:
        project = access.get_project(project_id, request.user)
        query = ClaimSuggestionQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        span, gold_span = _target(project, request, query.validated_data)
        target = span or gold_span
        text = target.quote if target is not None else query.validated_data.get("quote", "")
        if not text.strip():
            raise serializers.ValidationError({"quote": ["Send a span, a gold span or a quote."]})
        linked: list[int] = []
        if target is not None:
            linked = list(target.claim_links.values_list("cluster_id", flat=True))
        found = claim_reads.suggest_clusters(project, request.user, text, exclude=linked)
        return Response(ClaimSuggestionOutput(found, many=True).data)


class ClaimDetailView(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, claim_id: int) -> Response:
        """The claim page's data: appearances, who asserts and denies it, scores and agreement, verdict."""
        return _detail(access.get_claim_cluster(claim_id, request.user), request)

    @extend_schema(request=RenameInput, responses=OpenApiTypes.OBJECT,
                   parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)])
    def patch(self, request: Request, claim_id: int) -> Response:
        """Change the canonical wording (its creator while no one else links to it; reviewers, managers)."""
        cluster = access.get_claim_cluster(claim_id, request.user)
        payload = RenameInput(data=request.data)
        payload.is_valid(raise_exception=True)
        renamed = claims.rename_cluster(cluster=cluster, user=request.user, wording=payload.validated_data["wording"],
                                        version=_version(request, payload.validated_data.get("version")))
        return _detail(renamed, request)

    @extend_schema(responses={204: None}, parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)])
    def delete(self, request: Request, claim_id: int) -> Response:
        """Delete the claim and its links; the spans stay."""
        cluster = access.get_claim_cluster(claim_id, request.user)
        claims.delete_cluster(cluster=cluster, user=request.user, version=if_match_version(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClaimLinkListView(APIView):
    @extend_schema(request=TargetInput, responses={201: LinkOutput})
    def post(self, request: Request, claim_id: int) -> Response:
        """Link a span ("same claim as …"): analysts their own spans, reviewers and managers any."""
        cluster = access.get_claim_cluster(claim_id, request.user)
        payload = TargetInput(data=request.data)
        payload.is_valid(raise_exception=True)
        span, gold_span = _target(cluster.project, request, payload.validated_data)
        link = claims.link_span(cluster=cluster, user=request.user, span=span, gold_span=gold_span)
        return Response(LinkOutput(link).data, status=status.HTTP_201_CREATED)


class ClaimLinkDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, claim_id: int, link_id: int) -> Response:
        cluster = access.get_claim_cluster(claim_id, request.user)
        claims.unlink(link=claim_reads.get_visible_link(cluster, link_id, request.user), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClaimAdjudicateView(APIView):
    """The verdict: a credibility on the project's scale and why (reviewers and managers; analysts 403)."""

    @extend_schema(request=AdjudicateInput, responses=OpenApiTypes.OBJECT,
                   parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)])
    def post(self, request: Request, claim_id: int) -> Response:
        cluster = access.get_claim_cluster(claim_id, request.user)
        payload = AdjudicateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        version = _version(request, data.pop("version", None))
        decided = claims.adjudicate_cluster(cluster=cluster, reviewer=request.user, version=version, **data)
        return _detail(decided, request)


class ClaimReopenView(APIView):
    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, claim_id: int) -> Response:
        """Withdraw the verdict (reviewers and managers)."""
        cluster = access.get_claim_cluster(claim_id, request.user)
        return _detail(claims.reopen_cluster(cluster=cluster, reviewer=request.user,
                                             version=if_match_version(request)), request)


def _claim_review_response(document: object) -> HttpResponse:
    return HttpResponse(json.dumps(document, ensure_ascii=False, indent=2), content_type=f"{LD_JSON}; charset=utf-8")


def _check_sees_verdict(project: Project, request: Request) -> None:
    if not claim_reads.sees_verdict(project, access.role_in(project, request.user)):
        raise PermissionDenied("Verdicts are for reviewers and managers in a blind project.")


class ClaimReviewView(APIView):
    """schema.org ClaimReview (JSON-LD) of an adjudicated claim."""

    @extend_schema(responses={(200, LD_JSON): OpenApiTypes.OBJECT,
                              409: OpenApiResponse(description="The claim has no verdict yet.")})
    def get(self, request: Request, claim_id: int) -> HttpResponse:
        cluster = access.get_claim_cluster(claim_id, request.user)
        _check_sees_verdict(cluster.project, request)
        document = claim_reads.get_claim_review(cluster, request.user,
                                                url=request.build_absolute_uri(f"/claims/{cluster.pk}/"))
        if document is None:
            return Response({"code": "not_adjudicated", "message": "The claim has no verdict yet.",
                             "field": None, "errors": {}}, status=status.HTTP_409_CONFLICT)
        return _claim_review_response(document)


class ProjectClaimReviewView(APIView):
    """Every adjudicated claim of the project as one JSON-LD list of ClaimReview objects."""

    @extend_schema(responses={(200, LD_JSON): OpenApiTypes.OBJECT})
    def get(self, request: Request, project_id: int) -> HttpResponse:
        project = access.get_project(project_id, request.user)
        _check_sees_verdict(project, request)
        reviews = [claim_reads.get_claim_review(cluster, request.user,
                                                url=request.build_absolute_uri(f"/claims/{cluster.pk}/"))
                   for cluster in project.claim_clusters.filter(adjudicated_at__isnull=False)
                   .select_related("project").order_by("id")]
        return _claim_review_response([review for review in reviews if review is not None])
