"""Reading export jobs of a project and the file of a finished one."""

from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from annotator.errors import DomainError, ExportNotReady
from annotator.models import ExportJob, ExportJobStatus, Project

RECENT = 20


def list_export_jobs(project: Project, *, limit: int = RECENT) -> QuerySet[ExportJob]:
    """The project's most recent export jobs, newest first."""
    return ExportJob.objects.filter(project=project).select_related("requested_by")[:limit]


def get_export_job(project: Project, job_id: int) -> ExportJob:
    """A job of ``project`` (the caller has checked the user's access to the project); 404 otherwise."""
    job = ExportJob.objects.filter(project=project, pk=job_id).select_related("requested_by").first()
    if job is None:
        raise Http404("No such export job.")
    return job


def get_export_file(job: ExportJob) -> Path:
    """The finished file of ``job``. Raises ExportNotReady until the job is done, and a 410 error if the
    file was removed from EXPORTS_DIR since."""
    if job.status != ExportJobStatus.DONE:
        raise ExportNotReady(f"the export job is {job.status}; its file can be downloaded once it is done.")
    path = Path(settings.EXPORTS_DIR) / job.file_name
    if not path.is_file():
        raise DomainError("the export file is no longer kept; run the export again.", code="export_file_gone",
                          status=410)
    return path
