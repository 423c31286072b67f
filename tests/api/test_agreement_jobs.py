"""Agreement reports run as background jobs: queued by the API, computed by a real `db_worker` run, then read
as the same JSON and CSV as the synchronous report."""

import pytest
from django_tasks_db.models import DBTaskResult

from annotator.models import AgreementJob, Role
from annotator.services import agreement_jobs, demo
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def demo_project():
    return demo.seed_demo().project


def _user(project, username):
    return project.memberships.get(user__username=username).user


@pytest.mark.django_db(transaction=True)
def test_an_agreement_job_stores_the_report_the_synchronous_endpoint_answers(api_client, demo_project, monkeypatch,
                                                                             run_task_worker):
    monkeypatch.setattr(agreement_jobs, "PROGRESS_EVERY", 2)
    api_client.force_authenticate(_user(demo_project, "reviewer"))
    base = f"/api/v1/projects/{demo_project.id}/agreement-jobs/"

    queued = api_client.post(base)
    before = api_client.get(queued["Location"]).json()
    run_task_worker()
    after = api_client.get(queued["Location"]).json()
    synchronous = api_client.get(f"/api/v1/projects/{demo_project.id}/agreement/")
    csv = api_client.get(after["download_url"])
    synchronous_csv = api_client.get(f"/api/v1/projects/{demo_project.id}/agreement/", {"download": "csv"})
    as_file = api_client.get(queued["Location"], {"download": "json"})

    assert queued.status_code == 202 and queued.json()["status"] == "queued"
    assert (before["status"], before["report"], before["download_url"]) == ("queued", None, None)
    assert after["status"] == "done", after
    assert after["articles_done"] == after["articles_total"] == demo_project.articles.count()
    assert after["report"] == synchronous.json()
    assert csv.content == synchronous_csv.content and csv["Content-Type"] == "text/csv; charset=utf-8"
    assert csv["Content-Disposition"] == f'attachment; filename="agreement-{demo_project.slug}.csv"'
    assert as_file.json() == synchronous.json() and as_file["Content-Disposition"].startswith("attachment;")


@pytest.mark.django_db(transaction=True)
def test_a_failed_agreement_job_is_recorded_and_has_no_report(api_client, demo_project, monkeypatch, run_task_worker):
    def broken(project, **kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(agreement_jobs.agreement_reads, "get_project_report", broken)
    api_client.force_authenticate(_user(demo_project, "admin"))
    url = api_client.post(f"/api/v1/projects/{demo_project.id}/agreement-jobs/")["Location"]

    run_task_worker()
    job = api_client.get(url).json()
    download = api_client.get(url, {"download": "csv"})

    assert job["status"] == "failed" and "RuntimeError" in job["error"]
    assert job["report"] is None and job["download_url"] is None
    assert (download.status_code, download.json()["code"]) == (409, "job_not_ready")
    assert DBTaskResult.objects.get().status == "FAILED"  # the task engine recorded the failure too


@pytest.mark.django_db
def test_the_job_list_shows_recent_jobs_without_their_reports(api_client, reviewer, manager, project):
    api_client.force_authenticate(manager)
    api_client.post(f"/api/v1/projects/{project.id}/agreement-jobs/")
    api_client.force_authenticate(reviewer)
    api_client.post(f"/api/v1/projects/{project.id}/agreement-jobs/")

    rows = api_client.get(f"/api/v1/projects/{project.id}/agreement-jobs/").json()

    assert [(r["requested_by"], r["status"]) for r in rows] == [("r1", "queued"), ("adm", "queued")]
    assert all("report" not in r for r in rows)
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db
def test_another_projects_reviewer_gets_404_and_no_job(api_client, reviewer, project, other_project):
    # Security case T09, for agreement reports: R1 of P1 asks for P2's, and reads a job of P2 through P1's URL.
    other_reviewer = UserFactory(username="r-p2")
    MembershipFactory(project=other_project, user=other_reviewer, role=Role.REVIEWER)
    other_job = agreement_jobs.request_agreement_job(project=other_project, user=other_reviewer)
    api_client.force_authenticate(reviewer)

    post = api_client.post(f"/api/v1/projects/{other_project.id}/agreement-jobs/")
    listing = api_client.get(f"/api/v1/projects/{other_project.id}/agreement-jobs/")
    detail = api_client.get(f"/api/v1/projects/{other_project.id}/agreement-jobs/{other_job.id}/")
    crossed = api_client.get(f"/api/v1/projects/{project.id}/agreement-jobs/{other_job.id}/", {"download": "csv"})

    assert [r.status_code for r in (post, listing, detail, crossed)] == [404, 404, 404, 404]
    assert list(AgreementJob.objects.values_list("id", flat=True)) == [other_job.id]


@pytest.mark.django_db
def test_analysts_may_not_run_agreement_jobs(api_client, analyst, reviewer, project):
    job = agreement_jobs.request_agreement_job(project=project, user=reviewer)
    api_client.force_authenticate(analyst)

    post = api_client.post(f"/api/v1/projects/{project.id}/agreement-jobs/")
    detail = api_client.get(f"/api/v1/projects/{project.id}/agreement-jobs/{job.id}/")

    assert (post.status_code, detail.status_code) == (403, 403)
    assert AgreementJob.objects.count() == 1
