"""Exports run as background jobs: queued by the API, written by a real `db_worker` run, downloaded when done."""

import json

import pytest
from django_tasks_db.models import DBTaskResult

from annotator.models import ExportJob, Role
from annotator.selectors import exports
from annotator.services import demo, export_jobs
from tests.factories import MembershipFactory, ProjectFactory, UserFactory


@pytest.fixture
def exports_dir(settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path / "exports"
    return settings.EXPORTS_DIR


@pytest.fixture
def demo_project():
    return demo.seed_demo().project


def _user(project, username):
    return project.memberships.get(user__username=username).user


def _files(directory):
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


@pytest.mark.django_db(transaction=True)
def test_an_export_runs_as_a_background_job_and_its_file_equals_the_streamed_export(
        api_client, demo_project, exports_dir, monkeypatch, run_task_worker):
    monkeypatch.setattr(export_jobs, "PROGRESS_EVERY", 2)
    api_client.force_authenticate(_user(demo_project, "reviewer"))
    params = {"format": "jsonl", "layer": "analyst"}
    base = f"/api/v1/projects/{demo_project.id}/export-jobs/"

    queued = api_client.post(base, params, format="json")
    before = api_client.get(f"{base}{queued.json()['id']}/")
    run_task_worker()
    after = api_client.get(f"{base}{queued.json()['id']}/").json()
    download = api_client.get(after["download_url"])
    streamed = api_client.get(f"/api/v1/projects/{demo_project.id}/export/", params)

    assert queued.status_code == 202 and queued["Location"] == queued.json()["url"]
    assert before.json()["status"] == "queued" and before.json()["download_url"] is None
    assert after["status"] == "done", after
    assert after["articles_done"] == after["articles_total"] == exports.count_export_articles(demo_project, "analyst")
    content = b"".join(download.streaming_content)
    assert content == b"".join(streamed.streaming_content)
    assert after["size"] == len(content) and after["spans"] == sum(len(json.loads(x)["spans"])
                                                                   for x in content.splitlines())
    assert download["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert _files(exports_dir) == [ExportJob.objects.get().file_name]  # no temporary file left beside it


@pytest.mark.django_db(transaction=True)
def test_a_failed_export_is_recorded_and_leaves_no_file(api_client, demo_project, exports_dir, monkeypatch,
                                                       run_task_worker):
    original = exports.iter_export_articles

    def broken(project, layer, **kwargs):
        yield from list(original(project, layer, **kwargs))[:1]
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_jobs.exports, "iter_export_articles", broken)
    api_client.force_authenticate(_user(demo_project, "reviewer"))
    job_id = api_client.post(f"/api/v1/projects/{demo_project.id}/export-jobs/", {"layer": "analyst"},
                             format="json").json()["id"]

    run_task_worker()
    job = api_client.get(f"/api/v1/projects/{demo_project.id}/export-jobs/{job_id}/").json()
    download = api_client.get(f"/api/v1/projects/{demo_project.id}/export-jobs/{job_id}/download/")

    assert job["status"] == "failed" and "RuntimeError" in job["error"] and job["download_url"] is None
    assert (download.status_code, download.json()["code"]) == (409, "export_not_ready")
    assert _files(exports_dir) == []  # the half-written temporary file was removed
    assert DBTaskResult.objects.get().status == "FAILED"  # the task engine recorded the failure too


@pytest.mark.django_db
def test_a_queued_job_has_no_file_yet(api_client, reviewer, project, exports_dir):
    api_client.force_authenticate(reviewer)
    job_id = api_client.post(f"/api/v1/projects/{project.id}/export-jobs/", {"format": "csv"}, format="json").json()["id"]

    response = api_client.get(f"/api/v1/projects/{project.id}/export-jobs/{job_id}/download/")

    assert (response.status_code, response.json()["code"]) == (409, "export_not_ready")
    assert DBTaskResult.objects.filter(id=ExportJob.objects.get().task_id).exists()


@pytest.mark.django_db
def test_the_job_list_shows_the_projects_recent_jobs(api_client, reviewer, manager, project):
    api_client.force_authenticate(manager)
    api_client.post(f"/api/v1/projects/{project.id}/export-jobs/", {"format": "csv"}, format="json")
    api_client.force_authenticate(reviewer)
    api_client.post(f"/api/v1/projects/{project.id}/export-jobs/", {"format": "conll", "layer": "majority"},
                    format="json")

    rows = api_client.get(f"/api/v1/projects/{project.id}/export-jobs/").json()

    assert [(r["format"], r["layer"], r["requested_by"], r["status"]) for r in rows] == [
        ("conll", "majority", "r1", "queued"), ("csv", "gold", "adm", "queued")]


@pytest.mark.django_db
def test_bad_parameters_name_the_field_and_queue_nothing(api_client, reviewer, project):
    api_client.force_authenticate(reviewer)

    response = api_client.post(f"/api/v1/projects/{project.id}/export-jobs/", {"format": "xlsx"}, format="json")

    assert (response.status_code, response.json()["field"]) == (400, "format")
    assert not ExportJob.objects.exists() and not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_another_projects_reviewer_gets_404_and_no_job(api_client, reviewer, project, other_project):
    # Security case T09: R1 of P1 asks for an export of P2, and for a job of P2 through P1's URL.
    own_job = export_jobs.request_export_job(project=project, user=reviewer, export_format="jsonl", layer="gold")
    other_reviewer = UserFactory(username="r-p2")
    MembershipFactory(project=other_project, user=other_reviewer, role=Role.REVIEWER)
    other_job = export_jobs.request_export_job(project=other_project, user=other_reviewer, export_format="jsonl",
                                               layer="gold")
    api_client.force_authenticate(reviewer)

    post = api_client.post(f"/api/v1/projects/{other_project.id}/export-jobs/", {}, format="json")
    listing = api_client.get(f"/api/v1/projects/{other_project.id}/export-jobs/")
    detail = api_client.get(f"/api/v1/projects/{other_project.id}/export-jobs/{other_job.id}/")
    crossed = api_client.get(f"/api/v1/projects/{project.id}/export-jobs/{other_job.id}/download/")

    assert [r.status_code for r in (post, listing, detail, crossed)] == [404, 404, 404, 404]
    assert set(ExportJob.objects.values_list("id", flat=True)) == {own_job.id, other_job.id}
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db
def test_analysts_may_not_run_export_jobs(api_client, analyst, project):
    api_client.force_authenticate(analyst)

    response = api_client.post(f"/api/v1/projects/{project.id}/export-jobs/", {}, format="json")

    assert response.status_code == 403 and not ExportJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_binary_export_job_writes_the_format_the_streamed_export_writes(api_client, exports_dir, run_task_worker):
    project = ProjectFactory()
    manager = UserFactory(username="m")
    MembershipFactory(project=project, user=manager, role=Role.MANAGER)
    api_client.force_authenticate(manager)
    job_id = api_client.post(f"/api/v1/projects/{project.id}/export-jobs/", {"format": "parquet"},
                             format="json").json()["id"]

    run_task_worker()
    download = api_client.get(f"/api/v1/projects/{project.id}/export-jobs/{job_id}/download/")

    assert download.status_code == 200
    assert download["Content-Type"] == "application/vnd.apache.parquet"
    assert b"".join(download.streaming_content)[:4] == b"PAR1"
