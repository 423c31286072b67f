"""Assignments (one analyst, one article) and the analyst's article-level credibility assessment."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from annotator.models.articles import Article
from annotator.models.history import HistoricalRecords


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"


class Assignment(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="assignments")
    analyst = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    status = models.CharField(max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reopen_comment = models.TextField(blank=True, help_text="Why a reviewer reopened it; shown to the analyst.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "analyst"]
        constraints = [
            models.UniqueConstraint(fields=["article", "analyst"], name="assignment_one_per_analyst"),
            models.CheckConstraint(condition=Q(status__in=AssignmentStatus.values), name="assignment_status_known"),
            models.CheckConstraint(
                condition=~Q(status=AssignmentStatus.SUBMITTED) | Q(submitted_at__isnull=False),
                name="assignment_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.analyst} on {self.article}"

    @property
    def is_submitted(self) -> bool:
        return self.status == AssignmentStatus.SUBMITTED


class ArticleAssessment(models.Model):
    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="assessment")
    credibility = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="assessment_version_positive"),
        ]

    def __str__(self) -> str:
        return f"Assessment of {self.assignment}"
