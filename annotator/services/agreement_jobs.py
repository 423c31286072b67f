"""Agreement report jobs: compute a project's agreement report in the background (`manage.py db_worker`) and
keep it on the job, for projects too big to wait for the report in a request."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django_tasks import task

from annotator.models import AgreementJob, Project
from annotator.selectors import agreement as agreement_reads
from annotator.services import jobs

PROGRESS_EVERY = 100  # articles between two progress writes


@transaction.atomic
def request_agreement_job(*, project: Project, user: AbstractBaseUser) -> AgreementJob:
    """Queue the computation of ``project``'s agreement report; returns the queued job."""
    job = AgreementJob.objects.create(project=project, requested_by=user)
    jobs.enqueue_job(job, compute_agreement_job)
    return job


@task()
def compute_agreement_job(job_id: int) -> None:
    """The background task: compute job ``job_id``'s report (the one `projects/{id}/agreement/` answers, over
    the submitted work at the time it runs) and store it on the job."""
    jobs.run_job(AgreementJob, job_id, _compute, what="agreement report")


def _compute(job: AgreementJob) -> dict[str, object]:
    rows = AgreementJob.objects.filter(pk=job.pk)
    rows.update(articles_total=job.project.articles.count())
    done = 0

    def progress(articles: int) -> None:
        nonlocal done
        done += articles
        if done % PROGRESS_EVERY == 0:
            rows.update(articles_done=done)

    report = agreement_reads.get_project_report(job.project, progress=progress)
    return {"report": report, "articles_done": done}
