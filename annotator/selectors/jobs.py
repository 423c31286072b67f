"""Reading background jobs of a project, whatever their kind."""

from typing import TypeVar

from django.db.models import QuerySet
from django.http import Http404

from annotator.models import Project
from annotator.models.jobs import BackgroundJob

RECENT = 20

Job = TypeVar("Job", bound=BackgroundJob)


def list_jobs(model: type[Job], project: Project, *, limit: int = RECENT) -> QuerySet[Job]:
    """The project's most recent jobs of that kind, newest first."""
    return model._default_manager.filter(project=project).select_related("requested_by")[:limit]


def get_job(model: type[Job], project: Project, job_id: int) -> Job:
    """A job of ``project`` (the caller has checked the user's access to the project); 404 otherwise."""
    job = model._default_manager.filter(project=project, pk=job_id).select_related("requested_by").first()
    if job is None:
        raise Http404(f"No such {model._meta.verbose_name}.")
    return job
