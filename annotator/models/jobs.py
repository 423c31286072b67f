"""Background jobs: what every job run by the task worker records (status, times, error)."""

from django.db import models
from django.db.models import Q


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class BackgroundJob(models.Model):
    """A request run later by `manage.py db_worker`: queued, then running, then done or failed. Each kind adds
    its project and requester (with its own reverse name), its parameters and its outcome."""

    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    task_id = models.CharField(max_length=64, blank=True, help_text="The task engine's id for this run.")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="%(class)s_status_known")]
