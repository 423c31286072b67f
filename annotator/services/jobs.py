"""Background jobs of every kind: queue a job's task, and run it in the worker (claim, work, record the outcome)."""

import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.utils import timezone
from django_tasks.base import Task

from annotator.models import JobStatus
from annotator.models.jobs import BackgroundJob

logger = logging.getLogger(__name__)

Job = TypeVar("Job", bound=BackgroundJob)


def enqueue_job(job: BackgroundJob, task: Task[[int], None]) -> None:
    """Queue ``task`` for the saved ``job`` and remember the task engine's id on it. Call it in the transaction
    that created the job: the job row and the task row commit together, so a worker never picks up a task
    without its job."""
    result = task.enqueue(job.pk)
    job.task_id = str(result.id)
    job.save(update_fields=["task_id"])


def run_job(model: type[Job], job_id: int, work: Callable[[Job], Mapping[str, Any]], *, what: str) -> None:
    """In the worker: claim job ``job_id`` (queued to running), call ``work(job)`` and store the fields it
    returns on the job, done unless they set another ``status`` (a refused input fails the job without
    failing the task).

    An exception marks the job failed (the details go to the worker's log) and is raised again, so the task
    engine records it too. A job that is no longer queued (run already) is left alone.
    """
    jobs = model._default_manager.filter(pk=job_id)
    if not jobs.filter(status=JobStatus.QUEUED).update(status=JobStatus.RUNNING, started_at=timezone.now()):
        return
    job = jobs.select_related("project", "requested_by").get()
    try:
        outcome = work(job)
    except BaseException as error:
        logger.exception("%s job %s failed", what, job_id)
        jobs.update(status=JobStatus.FAILED, finished_at=timezone.now(),
                    error=f"The {what} failed ({type(error).__name__}); the worker's log has the details.")
        raise
    jobs.update(**{"status": JobStatus.DONE, **outcome}, finished_at=timezone.now())
