"""Import jobs: keep an uploaded annotated dataset in a private folder and import it in the background
(`manage.py db_worker`) through services.imports, all or nothing; the upload is deleted when the job ends."""

import dataclasses
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django_tasks import task

from annotator.models import ImportJob, JobStatus, Project, Role
from annotator.selectors import access
from annotator.services import imports, jobs


@transaction.atomic
def request_import_job(*, project: Project, user: AbstractBaseUser, chunks: Iterable[bytes], upload_name: str,
                       fmt: str, label_map: Mapping[str, str] | None = None, dry_run: bool = False) -> ImportJob:
    """Store the upload (``chunks``, already checked for size and type) in IMPORTS_DIR and queue its import
    with the synchronous import's parameters; returns the queued job. Nothing is stored if queueing fails."""
    directory = Path(settings.IMPORTS_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, path = tempfile.mkstemp(dir=directory, suffix=".upload")  # readable by this user only
    try:
        with os.fdopen(descriptor, "wb") as target:
            for chunk in chunks:
                target.write(chunk)
        job = ImportJob.objects.create(project=project, requested_by=user, format=fmt,
                                       label_map=dict(label_map or {}), dry_run=dry_run,
                                       upload_name=Path(upload_name).name[:200], size=Path(path).stat().st_size,
                                       file_name=Path(path).name)
        jobs.enqueue_job(job, run_import_job)
    except BaseException:
        Path(path).unlink(missing_ok=True)
        raise
    return job


@task()
def run_import_job(job_id: int) -> None:
    """The background task: import job ``job_id``'s upload and record what was imported, or every refused
    record (the job fails; the task itself did its work). The upload is deleted either way."""
    jobs.run_job(ImportJob, job_id, _import, what="import")


def _import(job: ImportJob) -> dict[str, object]:
    path = Path(settings.IMPORTS_DIR) / job.file_name
    try:
        importer = job.requested_by
        if importer is None or access.role_in(job.project, importer) != Role.MANAGER:
            return {"status": JobStatus.FAILED,
                    "error": "the user who asked for this import no longer manages the project; nothing was imported."}
        with path.open(encoding="utf-8", newline="") as stream:
            result = imports.import_annotations(project=job.project, stream=stream, fmt=job.format, importer=importer,
                                                label_map=job.label_map, dry_run=job.dry_run)
    except imports.ImportRefused as refused:
        return {"status": JobStatus.FAILED, "error": refused.message, "errors": refused.records()}
    finally:
        path.unlink(missing_ok=True)
    return {"result": dataclasses.asdict(result)}
