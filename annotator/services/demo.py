"""The demo: a project with the seed corpus, demo users and their assignments, loaded idempotently."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from annotator.models import Project, Source
from annotator.services import articles, assignments, projects, sources


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


def _fixture(name: str) -> dict[str, Any]:
    with open(settings.CREDENCE_FIXTURES_DIR / name, encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@transaction.atomic
def seed_demo(*, seeds_dir: Path | None = None) -> DemoResult:
    """Create (or complete) the demo project, its users, sources, seed articles and assignments.

    Running it again changes nothing: every step looks for what exists before it writes.
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
    return DemoResult(
        project=project, logins=logins, articles_created=len(loaded.created),
        assignments_created=len(new_assignments),
    )
