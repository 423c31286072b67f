"""Background jobs: what every job run by the task worker records (status, times, error), and the import and
agreement report jobs. Export jobs, with their file, are in models/exports.py."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

from annotator.models.projects import Project


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


class ImportJob(BackgroundJob):
    """An uploaded annotated dataset imported in the background, all or nothing, with the synchronous import's
    parameters. The upload waits in ``settings.IMPORTS_DIR`` and is deleted when the job ends; a refused file
    fails the job with every bad record in ``errors``."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="import_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="import_jobs")
    format = models.CharField(max_length=20)
    label_map = models.JSONField(default=dict, blank=True)
    dry_run = models.BooleanField(default=False)
    upload_name = models.CharField(max_length=200, help_text="The name of the uploaded file, as sent.")
    size = models.BigIntegerField(help_text="Bytes.")
    file_name = models.CharField(max_length=200, help_text="The upload's name in IMPORTS_DIR until the job ends.")
    result = models.JSONField(null=True, blank=True, help_text="What was imported (or would be, on a dry run).")
    errors = models.JSONField(default=list, blank=True, help_text="The refused records: line, field, message.")

    class Meta(BackgroundJob.Meta):
        constraints = [
            *BackgroundJob.Meta.constraints,
            models.CheckConstraint(condition=~Q(status=JobStatus.DONE) | Q(result__isnull=False),
                                   name="importjob_done_has_result"),
        ]

    def __str__(self) -> str:
        return f"import {self.format} into {self.project} ({self.status})"


class AgreementJob(BackgroundJob):
    """A project's agreement report computed in the background (for projects too big to wait for in a request),
    stored as the JSON the synchronous report answers."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="agreement_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="agreement_jobs")
    articles_total = models.PositiveIntegerField(null=True, blank=True)
    articles_done = models.PositiveIntegerField(default=0)
    report = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)

    class Meta(BackgroundJob.Meta):
        constraints = [
            *BackgroundJob.Meta.constraints,
            models.CheckConstraint(condition=~Q(status=JobStatus.DONE) | Q(report__isnull=False),
                                   name="agreementjob_done_has_report"),
        ]

    def __str__(self) -> str:
        return f"agreement report of {self.project} ({self.status})"
