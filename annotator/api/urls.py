"""API routes: /api/v1/ resources, the OpenAPI schema and its offline docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from annotator.api import agreement, articles, assessments, assignments, projects, review, sources, spans, users

v1 = [
    path("auth/token/", users.TokenView.as_view(), name="api-token"),
    path("users/me/", users.MeView.as_view(), name="api-me"),
    path("projects/", projects.ProjectListView.as_view(), name="api-projects"),
    path("projects/<int:project_id>/", projects.ProjectDetailView.as_view(), name="api-project"),
    path("projects/<int:project_id>/labels/", projects.LabelListView.as_view(), name="api-labels"),
    path("projects/<int:project_id>/members/", projects.MemberListView.as_view(), name="api-members"),
    path("projects/<int:project_id>/members/<int:user_id>/", projects.MemberDetailView.as_view(), name="api-member"),
    path("projects/<int:project_id>/assign/", projects.AssignView.as_view(), name="api-assign"),
    path("projects/<int:project_id>/agreement/", agreement.AgreementReportView.as_view(), name="api-agreement"),
    path("projects/<int:project_id>/sources/", sources.SourceListView.as_view(), name="api-sources"),
    path("projects/<int:project_id>/articles/", articles.ArticleListView.as_view(), name="api-articles"),
    path("sources/<int:source_id>/", sources.SourceDetailView.as_view(), name="api-source"),
    path("sources/<int:source_id>/merge/", sources.SourceMergeView.as_view(), name="api-source-merge"),
    path("sources/<int:source_id>/split/", sources.SourceSplitView.as_view(), name="api-source-split"),
    path("sources/<int:source_id>/history/", sources.SourceHistoryView.as_view(), name="api-source-history"),
    path("articles/<int:article_id>/", articles.ArticleDetailView.as_view(), name="api-article"),
    path("articles/<int:article_id>/assignments/", assignments.ArticleAssignmentListView.as_view(),
         name="api-article-assignments"),
    path("assignments/", assignments.AssignmentListView.as_view(), name="api-assignments"),
    path("assignments/<int:assignment_id>/", assignments.AssignmentDetailView.as_view(), name="api-assignment"),
    path("assignments/<int:assignment_id>/submit/", assignments.AssignmentSubmitView.as_view(),
         name="api-assignment-submit"),
    path("assignments/<int:assignment_id>/reopen/", assignments.AssignmentReopenView.as_view(),
         name="api-assignment-reopen"),
    path("assignments/<int:assignment_id>/spans/", spans.SpanListView.as_view(), name="api-spans"),
    path("assignments/<int:assignment_id>/spans/bulk/", spans.SpanBulkCreateView.as_view(), name="api-spans-bulk"),
    path("assignments/<int:assignment_id>/assessment/", assessments.AssessmentView.as_view(), name="api-assessment"),
    path("assignments/<int:assignment_id>/source-suggestions/", sources.SourceSuggestionView.as_view(),
         name="api-source-suggestions"),
    path("spans/<int:span_id>/", spans.SpanDetailView.as_view(), name="api-span"),
    path("projects/<int:project_id>/review-queue/", review.ReviewQueueView.as_view(), name="api-review-queue"),
    path("articles/<int:article_id>/review/", review.ArticleReviewView.as_view(), name="api-article-review"),
    path("articles/<int:article_id>/gold/", review.GoldListView.as_view(), name="api-gold"),
    path("articles/<int:article_id>/gold/accept/", review.GoldAcceptView.as_view(), name="api-gold-accept"),
    path("articles/<int:article_id>/gold/merge/", review.GoldMergeView.as_view(), name="api-gold-merge"),
    path("articles/<int:article_id>/gold/majority/", review.GoldMajorityView.as_view(), name="api-gold-majority"),
    path("articles/<int:article_id>/adjudicate/", review.AdjudicateView.as_view(), name="api-adjudicate"),
    path("articles/<int:article_id>/review/reopen/", review.ReviewReopenView.as_view(), name="api-review-reopen"),
    path("articles/<int:article_id>/reopen-assignment/", review.ReviewReopenAssignmentView.as_view(),
         name="api-review-reopen-assignment"),
    path("articles/<int:article_id>/audit/", review.AuditView.as_view(), name="api-audit"),
    path("gold/<int:gold_id>/", review.GoldDetailView.as_view(), name="api-gold-span"),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
