"""The export picker on the agreement dashboard, in Chromium: a reviewer picks a format and a layer and gets
a file that parses and holds the demo project's spans."""

import csv
import io
import json

import pytest

from annotator.models import Span
from annotator.services import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_project():
    project = demo.seed_demo().project
    # Demo users carry the production password hash; give the browser users a fast test password.
    for user in [m.user for m in project.memberships.all()]:
        user.set_password("correct-horse-battery")
        user.save()
    return project


def _download(page, live_server, project, fmt, layer):
    page.goto(f"{live_server.url}/projects/{project.id}/agreement/")
    form = page.locator("#export-form")
    form.locator("select[name=format]").select_option(fmt)
    form.locator("select[name=layer]").select_option(layer)
    with page.expect_download() as download:
        form.locator("button[type=submit]").click()
    path = download.value.path()
    return download.value.suggested_filename, path.read_text(encoding="utf-8")


def _demo_spans(project):
    return sorted(Span.objects.filter(assignment__article__project=project).values_list(
        "assignment__article__external_id", "assignment__analyst__username", "start", "end", "label__key"))


def test_reviewer_downloads_every_analysts_spans_as_jsonl(open_page, live_server, demo_project):
    page = open_page(demo_project.memberships.get(user__username="reviewer").user)

    name, content = _download(page, live_server, demo_project, "jsonl", "analyst")

    rows = [json.loads(line) for line in content.splitlines()]
    assert name == f"{demo_project.slug}-analyst.jsonl" and len(rows) == 5
    assert sorted((r["id"], s["analyst"], s["start"], s["end"], s["label"]) for r in rows for s in r["spans"]) == \
        _demo_spans(demo_project)
    assert page.errors == []


def test_reviewer_downloads_every_analysts_spans_as_csv(open_page, live_server, demo_project):
    page = open_page(demo_project.memberships.get(user__username="reviewer").user)

    name, content = _download(page, live_server, demo_project, "csv", "analyst")

    rows = list(csv.DictReader(io.StringIO(content, newline="")))
    assert name == f"{demo_project.slug}-analyst.csv"
    assert sorted((r["article_id"], r["analyst"], int(r["start"]), int(r["end"]), r["label"]) for r in rows) == \
        _demo_spans(demo_project)
