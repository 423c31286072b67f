"""Claim clusters: spans of different articles that assert the same claim, under one canonical wording,
with the reviewer's verdict on it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from annotator.models.gold import GoldSpan
from annotator.models.history import HistoricalRecords
from annotator.models.projects import Project
from annotator.models.spans import Span


class ClaimCluster(models.Model):
    """One claim as it appears across articles. ``verdict`` lies on the project's credibility scale."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="claim_clusters")
    wording = models.CharField(max_length=500, help_text="Short canonical wording of the claim.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claim_clusters")
    created_at = models.DateTimeField(auto_now_add=True)
    verdict = models.PositiveSmallIntegerField(null=True, blank=True,
                                               help_text="The adjudicated credibility, on the project's scale.")
    verdict_note = models.TextField(blank=True, help_text="Why: the evidence behind the verdict.")
    adjudicated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="claim_verdicts")
    adjudicated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "wording", "id"]
        constraints = [
            models.UniqueConstraint("project", Lower("wording"), name="claimcluster_wording_unique_ignoring_case"),
            models.CheckConstraint(condition=~Q(wording=""), name="claimcluster_wording_not_empty"),
            models.CheckConstraint(
                condition=Q(adjudicated_at__isnull=True)
                | Q(verdict__isnull=False, adjudicated_by__isnull=False),
                name="claimcluster_adjudicated_has_verdict",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="claimcluster_version_positive"),
        ]

    def __str__(self) -> str:
        return self.wording

    @property
    def is_adjudicated(self) -> bool:
        return self.adjudicated_at is not None


class ClaimLink(models.Model):
    """One appearance of a claim: an analyst's span or a gold span (exactly one), in the cluster's project.

    The database cannot compare the span's project with the cluster's (another table);
    services.claims checks it on every write.
    """

    cluster = models.ForeignKey(ClaimCluster, on_delete=models.CASCADE, related_name="links")
    span = models.ForeignKey(Span, on_delete=models.CASCADE, null=True, blank=True, related_name="claim_links")
    gold_span = models.ForeignKey(GoldSpan, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="claim_links")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claim_links")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(span__isnull=False, gold_span__isnull=True) | Q(span__isnull=True, gold_span__isnull=False),
                name="claimlink_one_target",
            ),
            models.UniqueConstraint(fields=["cluster", "span"], condition=Q(span__isnull=False),
                                    name="claimlink_span_once_per_cluster"),
            models.UniqueConstraint(fields=["cluster", "gold_span"], condition=Q(gold_span__isnull=False),
                                    name="claimlink_gold_span_once_per_cluster"),
        ]

    def __str__(self) -> str:
        target = f"span {self.span_id}" if self.span_id else f"gold span {self.gold_span_id}"
        return f"{target} in claim {self.cluster_id}"
