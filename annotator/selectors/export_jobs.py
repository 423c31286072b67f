"""Reading the file of a finished export job (the jobs themselves: selectors/jobs.py)."""

from pathlib import Path

from django.conf import settings

from annotator.errors import DomainError, ExportNotReady
from annotator.models import ExportJob, JobStatus


def get_export_file(job: ExportJob) -> Path:
    """The finished file of ``job``. Raises ExportNotReady until the job is done, and a 410 error if the
    file was removed from EXPORTS_DIR since."""
    if job.status != JobStatus.DONE:
        raise ExportNotReady(f"the export job is {job.status}; its file can be downloaded once it is done.")
    path = Path(settings.EXPORTS_DIR) / job.file_name
    if not path.is_file():
        raise DomainError("the export file is no longer kept; run the export again.", code="export_file_gone",
                          status=410)
    return path
