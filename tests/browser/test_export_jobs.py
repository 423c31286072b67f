"""Background exports from the agreement dashboard in Chromium: queue one, a worker runs it, download it."""

import pytest

from annotator.models import ExportJob, JobStatus
from annotator.services import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_runs_an_export_in_the_background_and_downloads_it_when_done(
        open_page, live_server, settings, tmp_path, run_task_worker):
    settings.EXPORTS_DIR = tmp_path
    project = demo.seed_demo().project
    reviewer = project.memberships.get(user__username="reviewer").user
    reviewer.set_password("correct-horse-battery")
    reviewer.save()
    page = open_page(reviewer)
    page.goto(f"{live_server.url}/projects/{project.id}/agreement/")

    page.select_option("#export-form select[name=format]", "csv")
    page.select_option("#export-form select[name=layer]", "analyst")
    page.click("#export-background")
    page.wait_for_selector("#export-jobs tbody tr[data-status=queued]")
    run_task_worker()
    page.wait_for_selector("#export-jobs tbody tr[data-status=done] a")
    with page.expect_download() as download:
        page.click("#export-jobs tbody tr[data-status=done] a")

    job = ExportJob.objects.get()
    assert (job.format, job.layer, job.status) == ("csv", "analyst", JobStatus.DONE)
    assert download.value.suggested_filename == f"{project.slug}-analyst-{job.id}.csv"
    assert open(download.value.path(), "rb").read() == (tmp_path / job.file_name).read_bytes()
    assert page.errors == []
