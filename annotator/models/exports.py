"""Export jobs: a dataset export run in the background, its progress and the file it wrote."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from annotator.models.jobs import BackgroundJob, JobStatus
from annotator.models.projects import Project


class ExportJob(BackgroundJob):
    """One requested export (the parameters of the streamed export) and, once done, its file's name in
    ``settings.EXPORTS_DIR``. The file is renamed into place complete, so a job is done only with a whole file."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="export_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="export_jobs")
    format = models.CharField(max_length=20)
    layer = models.CharField(max_length=20)
    min_agreement = models.PositiveSmallIntegerField(default=2)
    articles_total = models.PositiveIntegerField(null=True, blank=True)
    articles_done = models.PositiveIntegerField(default=0)
    spans = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    size = models.BigIntegerField(null=True, blank=True, help_text="Bytes.")

    class Meta(BackgroundJob.Meta):
        constraints = [
            *BackgroundJob.Meta.constraints,
            models.CheckConstraint(condition=~Q(status=JobStatus.DONE) | ~Q(file_name=""),
                                   name="exportjob_done_has_file"),
        ]

    def __str__(self) -> str:
        return f"export {self.format}/{self.layer} of {self.project} ({self.status})"
