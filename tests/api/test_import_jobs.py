"""Imports run as background jobs: the upload is kept privately, a real `db_worker` run imports it all or nothing
through the synchronous import's service, and the upload is deleted when the job ends."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from annotator.api import imports as imports_api
from annotator.models import Article, ImportJob, Role, Span
from annotator.services import demo, import_jobs
from tests.factories import MembershipFactory, ProjectFactory, UserFactory


@pytest.fixture
def demo_project():
    return demo.seed_demo().project


def _files(directory):
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


def _upload(content, name="data.jsonl"):
    return SimpleUploadedFile(name, content)


def _work(project):
    return sorted(Span.objects.filter(assignment__article__project=project).values_list(
        "assignment__article__external_id", "assignment__analyst__username", "start", "end", "quote", "label__key",
        "source__name", "credibility"))


def _managed_project(manager):
    project = ProjectFactory()
    MembershipFactory(project=project, user=manager, role=Role.MANAGER)
    return project


def _bad_file():
    # Security case T33: 1,000 articles, record 731 with offsets past its text, and record 900 with an unknown label.
    lines = [json.dumps({"id": f"doc{i}", "title": "t", "text": f"Peskov said {i}",
                         "spans": [{"start": 0, "end": 6, "label": "claim"}]}) for i in range(1, 1001)]
    lines[730] = json.dumps({"id": "doc731", "text": "short", "spans": [{"start": 2, "end": 60, "label": "claim"}]})
    lines[899] = json.dumps({"id": "doc900", "text": "Kremlin denies", "spans": [{"start": 0, "end": 7, "label": "rumour"}]})
    return "\n".join(lines).encode()


@pytest.mark.django_db(transaction=True)
def test_an_import_job_imports_what_the_synchronous_import_imports(api_client, demo_project, imports_dir, tmp_path,
                                                                   run_task_worker):
    path = tmp_path / "analyst.jsonl"
    call_command("export", project=demo_project.slug, format="jsonl", layer="analyst", output=path)
    manager = UserFactory(username="importer")
    by_request, by_job = _managed_project(manager), _managed_project(manager)
    api_client.force_authenticate(manager)
    base = f"/api/v1/projects/{by_job.id}/import-jobs/"

    synchronous = api_client.post(f"/api/v1/projects/{by_request.id}/imports/",
                                  {"file": _upload(path.read_bytes()), "format": "jsonl"}, format="multipart")
    queued = api_client.post(base, {"file": _upload(path.read_bytes(), "analyst.jsonl"), "format": "jsonl"},
                             format="multipart")
    before = api_client.get(f"{base}{queued.json()['id']}/").json()
    kept = _files(imports_dir)
    run_task_worker()
    after = api_client.get(f"{base}{queued.json()['id']}/").json()

    assert queued.status_code == 202 and queued["Location"] == queued.json()["url"]
    assert (before["status"], before["result"], before["upload_name"]) == ("queued", None, "analyst.jsonl")
    assert kept == [ImportJob.objects.get().file_name] and before["size"] == path.stat().st_size
    assert after["status"] == "done", after
    assert after["result"] == synchronous.json() and after["result"]["spans"] == Span.objects.filter(
        assignment__article__project=demo_project).count()
    assert after["errors"] == [] and after["requested_by"] == "importer"
    assert _work(by_job) == _work(by_request) == _work(demo_project)
    assert _files(imports_dir) == []  # the upload is deleted once imported


@pytest.mark.django_db(transaction=True)
def test_a_refused_file_fails_the_job_with_the_synchronous_imports_errors_and_writes_nothing(
        api_client, project, manager, imports_dir, run_task_worker):
    api_client.force_authenticate(manager)

    synchronous = api_client.post(f"/api/v1/projects/{project.id}/imports/",
                                  {"file": _upload(_bad_file()), "format": "jsonl"}, format="multipart")
    job_id = api_client.post(f"/api/v1/projects/{project.id}/import-jobs/",
                             {"file": _upload(_bad_file()), "format": "jsonl"}, format="multipart").json()["id"]
    run_task_worker()
    job = api_client.get(f"/api/v1/projects/{project.id}/import-jobs/{job_id}/").json()

    assert synchronous.status_code == 400
    assert job["status"] == "failed" and job["result"] is None
    assert [error["line"] for error in job["errors"]] == [731, 900]
    assert job["errors"] == synchronous.json()["errors"]["records"]
    assert job["error"] == synchronous.json()["message"]
    assert not Article.objects.filter(project=project).exists()
    assert _files(imports_dir) == []
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"  # the worker did its work: the file was refused


@pytest.mark.django_db(transaction=True)
def test_a_file_that_is_not_utf8_fails_the_job_and_writes_nothing(api_client, project, manager, imports_dir,
                                                                  run_task_worker):
    api_client.force_authenticate(manager)
    job_id = api_client.post(f"/api/v1/projects/{project.id}/import-jobs/",
                             {"file": _upload(b'{"text": "caf\xe9"}\n'), "format": "jsonl"},
                             format="multipart").json()["id"]

    run_task_worker()
    job = api_client.get(f"/api/v1/projects/{project.id}/import-jobs/{job_id}/").json()

    assert job["status"] == "failed"
    assert job["errors"] == [{"line": None, "field": None, "message": "not UTF-8 text (byte 13)"}]
    assert not Article.objects.filter(project=project).exists() and _files(imports_dir) == []


@pytest.mark.django_db(transaction=True)
def test_a_dry_run_job_counts_the_file_and_writes_nothing(api_client, project, manager, run_task_worker):
    good = "\n".join(json.dumps({"text": f"Kremlin denies {i}", "spans": [{"start": 0, "end": 7, "label": "rumour"}]})
                     for i in range(3))
    api_client.force_authenticate(manager)
    job_id = api_client.post(f"/api/v1/projects/{project.id}/import-jobs/",
                             {"file": _upload(good.encode()), "format": "jsonl", "dry_run": "true",
                              "label_map.rumour": "claim"}, format="multipart").json()["id"]

    run_task_worker()
    job = api_client.get(f"/api/v1/projects/{project.id}/import-jobs/{job_id}/").json()

    assert (job["status"], job["dry_run"], job["label_map"]) == ("done", True, {"rumour": "claim"})
    assert (job["result"]["articles"], job["result"]["spans"], job["result"]["dry_run"]) == (3, 3, True)
    assert not Article.objects.filter(project=project).exists()


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_requester_no_longer_manages_the_project_imports_nothing(api_client, project, manager,
                                                                             imports_dir, run_task_worker):
    good = json.dumps({"text": "Kremlin denies", "spans": [{"start": 0, "end": 7, "label": "claim"}]})
    api_client.force_authenticate(manager)
    job_id = api_client.post(f"/api/v1/projects/{project.id}/import-jobs/",
                             {"file": _upload(good.encode()), "format": "jsonl"}, format="multipart").json()["id"]
    project.memberships.filter(user=manager).update(role=Role.REVIEWER)

    run_task_worker()

    job = ImportJob.objects.get(pk=job_id)
    assert job.status == "failed" and "no longer manages" in job.error
    assert not Article.objects.filter(project=project).exists() and _files(imports_dir) == []


@pytest.mark.django_db
@pytest.mark.parametrize(("upload", "params", "field"), [
    (("page.html", b"<script>alert(1)</script>"), {"format": "jsonl"}, "file"),  # security case T14
    (("data.jsonl", b"{}" * 64), {"format": "jsonl"}, "file"),  # past the size limit set below
    (("data.jsonl", b"{}"), {"format": "xlsx"}, "format"),
    (("data.jsonl", b"{}"), {"format": "jsonl", "dry_run": "maybe"}, "dry_run"),
])
def test_a_refused_upload_names_the_field_and_stores_and_queues_nothing(api_client, project, manager, imports_dir,
                                                                      monkeypatch, upload, params, field):
    monkeypatch.setattr(imports_api, "MAX_UPLOAD", 100)
    api_client.force_authenticate(manager)

    response = api_client.post(f"/api/v1/projects/{project.id}/import-jobs/",
                               {"file": _upload(upload[1], upload[0]), **params}, format="multipart")

    assert (response.status_code, response.json()["field"]) == (400, field)
    assert not ImportJob.objects.exists() and not DBTaskResult.objects.exists()
    assert _files(imports_dir) == []


@pytest.mark.django_db
def test_the_job_list_shows_the_projects_recent_imports(api_client, project, manager):
    api_client.force_authenticate(manager)
    for name in ("first.jsonl", "second.json"):
        api_client.post(f"/api/v1/projects/{project.id}/import-jobs/", {"file": _upload(b"{}", name), "format": "jsonl"},
                        format="multipart")

    rows = api_client.get(f"/api/v1/projects/{project.id}/import-jobs/").json()

    assert [(r["upload_name"], r["status"], r["requested_by"]) for r in rows] == [
        ("second.json", "queued", "adm"), ("first.jsonl", "queued", "adm")]


@pytest.mark.django_db
def test_another_projects_manager_gets_404_and_no_job(api_client, project, manager, other_project, imports_dir):
    # Security case T09, for imports: ADM of P1 uploads into P2, and reads a job of P2 through P1's URL.
    other_manager = UserFactory(username="adm-p2")
    MembershipFactory(project=other_project, user=other_manager, role=Role.MANAGER)
    other_job = import_jobs.request_import_job(project=other_project, user=other_manager, chunks=[b"{}"],
                                               upload_name="p2.jsonl", fmt="jsonl")
    api_client.force_authenticate(manager)

    post = api_client.post(f"/api/v1/projects/{other_project.id}/import-jobs/",
                           {"file": _upload(b"{}"), "format": "jsonl"}, format="multipart")
    listing = api_client.get(f"/api/v1/projects/{other_project.id}/import-jobs/")
    detail = api_client.get(f"/api/v1/projects/{other_project.id}/import-jobs/{other_job.id}/")
    crossed = api_client.get(f"/api/v1/projects/{project.id}/import-jobs/{other_job.id}/")

    assert [r.status_code for r in (post, listing, detail, crossed)] == [404, 404, 404, 404]
    assert list(ImportJob.objects.values_list("id", flat=True)) == [other_job.id]
    assert _files(imports_dir) == [other_job.file_name]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["analyst", "reviewer"])
def test_only_managers_run_import_jobs(api_client, project, analyst, reviewer, imports_dir, role):
    api_client.force_authenticate({"analyst": analyst, "reviewer": reviewer}[role])

    post = api_client.post(f"/api/v1/projects/{project.id}/import-jobs/", {"file": _upload(b"{}"), "format": "jsonl"},
                           format="multipart")
    listing = api_client.get(f"/api/v1/projects/{project.id}/import-jobs/")

    assert (post.status_code, listing.status_code) == (403, 403)
    assert not ImportJob.objects.exists() and _files(imports_dir) == []
