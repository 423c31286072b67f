"""Reading background jobs of a project, whatever their kind."""

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import Http404

from annotator.errors import JobNotReady
from annotator.models import AgreementJob, JobStatus, Project
from annotator.models.jobs import BackgroundJob

RECENT = 20

Job = TypeVar("Job", bound=BackgroundJob)


def list_jobs(model: type[Job], project: Project, *, limit: int = RECENT, without: Sequence[str] = ()) -> QuerySet[Job]:
    """The project's most recent jobs of that kind, newest first; ``without`` names large fields not to load."""
    return model._default_manager.filter(project=project).select_related("requested_by").defer(*without)[:limit]


def get_job(model: type[Job], project: Project, job_id: int) -> Job:
    """A job of ``project`` (the caller has checked the user's access to the project); 404 otherwise."""
    job = model._default_manager.filter(project=project, pk=job_id).select_related("requested_by").first()
    if job is None:
        raise Http404(f"No such {model._meta.verbose_name}.")
    return job


def get_agreement_report(job: AgreementJob) -> dict[str, Any]:
    """The report a done agreement job computed. Raises JobNotReady until it is done."""
    if job.status != JobStatus.DONE or job.report is None:
        raise JobNotReady(f"the agreement job is {job.status}; its report can be read once it is done.")
    return job.report
