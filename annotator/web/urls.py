"""URLs of the server-rendered pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from annotator.web import claims, dashboard, health, home, review, sources, two_factor, workspace

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("login/", two_factor.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/two-factor/", two_factor.TwoFactorEnrolView.as_view(), name="two-factor"),
    path("account/two-factor/verify/", two_factor.TwoFactorVerifyView.as_view(), name="two-factor-verify"),
    path("assignments/<int:assignment_id>/annotate/", workspace.AnnotateView.as_view(), name="annotate"),
    path("projects/<int:project_id>/agreement/", dashboard.AgreementDashboardView.as_view(), name="agreement"),
    path("projects/<int:project_id>/review/", review.ReviewQueueView.as_view(), name="review-queue"),
    path("projects/<int:project_id>/review/articles/<int:article_id>/", review.ReviewArticleView.as_view(),
         name="review-article"),
    path("projects/<int:project_id>/claims/", claims.ClaimListView.as_view(), name="claims"),
    path("claims/<int:claim_id>/", claims.ClaimDetailView.as_view(), name="claim"),
    path("claims/<int:claim_id>/adjudicate/", claims.ClaimAdjudicateFormView.as_view(), name="claim-adjudicate"),
    path("claims/<int:claim_id>/rename/", claims.ClaimRenameFormView.as_view(), name="claim-rename"),
    path("projects/<int:project_id>/sources/", sources.SourceRankingView.as_view(), name="source-ranking"),
    path("projects/<int:project_id>/sources/<int:source_id>/", sources.SourceProfileView.as_view(),
         name="source-profile"),
    path("articles/<int:article_id>/credibility/", sources.ArticleCredibilityView.as_view(),
         name="article-credibility"),
]
