"""The demo: a project with the seed corpus, demo users and their assignments, loaded idempotently."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from annotator.models import Assignment, Project, Source
from annotator.services import articles, assessments, assignments, projects, sources, spans


@dataclass(frozen=True, slots=True)
class DemoLogin:
    username: str
    password: str
    role: str


@dataclass(frozen=True, slots=True)
class DemoResult:
    project: Project
    logins: list[DemoLogin]
    articles_created: int
    assignments_created: int
    assignments_submitted: int


def _fixture(name: str) -> dict[str, Any]:
    with open(settings.CREDENCE_FIXTURES_DIR / name, encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@transaction.atomic
def seed_demo(*, seeds_dir: Path | None = None) -> DemoResult:
    """Create (or complete) the demo project, its users, sources, seed articles and assignments.

    The three demo analysts' example annotations (fixtures/demo_annotations.json) are written and
    submitted, so agreement, review and exports have content at once. Running it again changes nothing:
    every step looks for what exists before it writes.
    """
    spec = _fixture("demo_project.json")
    users_spec = _fixture("demo_users.json")
    project = Project.objects.filter(slug=spec["project"]["slug"]).first()
    if project is None:
        project = projects.create_project(**spec["project"])
    User = get_user_model()
    logins: list[DemoLogin] = []
    for entry in users_spec["users"]:
        user = User.objects.filter(username=entry["username"]).first()
        if user is None:
            user = User(
                username=entry["username"], first_name=entry["first_name"], last_name=entry["last_name"],
                email=entry["email"], is_staff=entry.get("is_staff", False),
                is_superuser=entry.get("is_superuser", False), password=entry["password_hash"],
            )
            user.save()
        if not project.memberships.filter(user=user, role=entry["role"]).exists():
            projects.add_member(project=project, user=user, role=entry["role"])
        logins.append(DemoLogin(entry["username"], users_spec["demo_password"], entry["role"]))
    known = set(Source.objects.filter(project=project).values_list("name", flat=True))
    for source in spec["sources"]:
        if source["name"] not in known:
            sources.create_source(project=project, **source)
    seed_files = sorted((seeds_dir or settings.CREDENCE_SEEDS_DIR).glob("*.txt"))
    loaded = articles.load_articles(project=project, paths=seed_files)
    new_assignments = assignments.assign_articles(project=project)
    submitted = load_demo_annotations(project=project, spec=_fixture("demo_annotations.json"))
    return DemoResult(
        project=project, logins=logins, articles_created=len(loaded.created),
        assignments_created=len(new_assignments), assignments_submitted=submitted,
    )


def _offsets(text: str, quote: str, occurrence: int) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = text.find(quote, start + 1)
        if start < 0:
            raise ValueError(f"{quote!r} does not occur {occurrence} time(s) in the article")
    return start, start + len(quote)


@transaction.atomic
def load_demo_annotations(*, project: Project, spec: dict[str, Any]) -> int:
    """Write the demo analysts' example spans and scores and submit them; returns how many were submitted.

    Only untouched assignments (no span, not submitted) are filled, so a second run changes nothing and
    work a demo user did by hand is kept.
    """
    labels = {label.key: label for label in project.labels.all()}
    registry = {source.name: source for source in project.sources.all()}
    submitted = 0
    for entry in spec["articles"]:
        article = project.articles.filter(external_id=entry["external_id"]).first()
        if article is None:
            continue
        for username, work in entry["analysts"].items():
            assignment = Assignment.objects.filter(article=article, analyst__username=username).first()
            if assignment is None or assignment.is_submitted or assignment.spans.exists():
                continue
            for span in work["spans"]:
                start, end = _offsets(article.text, span["quote"], span.get("occurrence", 1))
                spans.create_span(
                    assignment=assignment, start=start, end=end, quote=span["quote"], label=labels[span["label"]],
                    source=registry.get(span["source"]) if span["source"] else None,
                    credibility=span["credibility"], note=span.get("note", ""),
                )
            assessments.save_assessment(assignment=assignment, credibility=work["assessment"]["credibility"],
                                        comment=work["assessment"]["comment"])
            assignments.submit_assignment(assignment=assignment)
            submitted += 1
    return submitted
