"""Export jobs: request a dataset export that a background worker writes to a private file, and the task
that writes it (run by `manage.py db_worker`)."""

import os
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django_tasks import task

from annotator.formats.exporters import FORMATS, write_export
from annotator.formats.handoff import write_in_child
from annotator.formats.records import ExportArticle, ExportStats, pack_article, unpack_article
from annotator.models import ExportJob, Project
from annotator.selectors import exports
from annotator.services import jobs

PROGRESS_EVERY = 100  # articles between two progress writes


@transaction.atomic
def request_export_job(*, project: Project, user: AbstractBaseUser, export_format: str, layer: str,
                       min_agreement: int = 2) -> ExportJob:
    """Queue an export of ``project`` with the streamed export's parameters; returns the queued job.

    The job row and the task row commit together, so a worker never picks up a task without its job.
    """
    job = ExportJob.objects.create(project=project, requested_by=user, format=FORMATS[export_format].name,
                                   layer=exports.Layer(layer).value, min_agreement=min_agreement)
    jobs.enqueue_job(job, write_export_job)
    return job


def _counted(job: ExportJob, articles: Iterable[ExportArticle]) -> Iterator[ExportArticle]:
    for done, article in enumerate(articles, start=1):
        yield article
        if done % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job.pk).update(articles_done=done)


def _write_file(job: ExportJob) -> tuple[Path, ExportStats]:
    """Write the job's export under a temporary name in EXPORTS_DIR, then rename it into place: a crash or a
    killed worker leaves at most a ``.partial`` file, never a half file under the job's name."""
    fmt = FORMATS[job.format]
    directory = Path(settings.EXPORTS_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{job.pk}-{secrets.token_hex(8)}.{fmt.extension}"
    descriptor, partial = tempfile.mkstemp(dir=directory, prefix=f".{job.pk}-", suffix=".partial")
    records = _counted(job, exports.iter_export_articles(job.project, job.layer, min_agreement=job.min_agreement))
    try:
        with os.fdopen(descriptor, "wb" if fmt.is_binary else "w", encoding=None if fmt.is_binary else "utf-8",
                       newline=None if fmt.is_binary else "") as stream:

            def write(articles: Iterator[ExportArticle]) -> ExportStats:
                written = write_export(fmt, articles, stream)
                stream.flush()  # in the writer process, whose buffers are dropped as it ends
                return written

            # Encoded by a process of its own while this one reads the next articles.
            stats = write_in_child(records, write, pack=pack_article, unpack=unpack_article, name="export-writer")
            os.fsync(stream.fileno())  # on disk before the rename makes it the job's file
        os.replace(partial, directory / name)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return directory / name, stats


@task()
def write_export_job(job_id: int) -> None:
    """The background task: write job ``job_id``'s file and record the outcome on the job (services.jobs.run_job:
    a failure marks the job failed and fails the task)."""
    jobs.run_job(ExportJob, job_id, _export, what="export")


def _export(job: ExportJob) -> dict[str, object]:
    ExportJob.objects.filter(pk=job.pk).update(articles_total=exports.count_export_articles(job.project, job.layer))
    path, stats = _write_file(job)
    return {"file_name": path.name, "articles_done": stats.articles, "spans": stats.spans,
            "size": path.stat().st_size}
