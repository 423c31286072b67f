"""Creating projects (with the default label set) and managing who belongs to them."""

import json
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from annotator.errors import InvalidProjectSettings
from annotator.models import Label, Membership, Project, Role


def default_labels() -> list[dict[str, str]]:
    """The label set every new project starts with (fixtures/labels.json)."""
    with open(settings.CREDENCE_FIXTURES_DIR / "labels.json", encoding="utf-8") as handle:
        labels: list[dict[str, str]] = json.load(handle)["labels"]
    return labels


@transaction.atomic
def create_project(
    *,
    name: str,
    slug: str,
    guidelines: str = "",
    scale_min: int = 1,
    scale_max: int = 5,
    overlap: int = 3,
    is_blind: bool = True,
    labels: Sequence[Mapping[str, str]] | None = None,
) -> Project:
    """Create a project with its labels (the default claim, denial, expert_opinion unless given).

    Raises InvalidProjectSettings for an empty scale, an overlap below 1 or a slug in use.
    """
    if scale_min >= scale_max:
        raise InvalidProjectSettings(
            f"the scale needs at least two levels: min {scale_min} must be below max {scale_max}.",
            field="scale_max",
        )
    if overlap < 1:
        raise InvalidProjectSettings("overlap (analysts per article) must be 1 or more.", field="overlap")
    if Project.objects.filter(slug=slug).exists():
        raise InvalidProjectSettings(f"a project with slug {slug!r} exists already.", field="slug")
    project = Project.objects.create(
        name=name, slug=slug, guidelines=guidelines, scale_min=scale_min, scale_max=scale_max,
        overlap=overlap, is_blind=is_blind,
    )
    for position, label in enumerate(labels if labels is not None else default_labels()):
        Label.objects.create(
            project=project, key=label["key"], name=label["name"], color=label.get("color", "#888888"),
            hotkey=label.get("hotkey", ""), position=position,
        )
    return project


@transaction.atomic
def add_member(*, project: Project, user: AbstractBaseUser, role: Role | str) -> Membership:
    """Give ``user`` the ``role`` in ``project`` (replacing any role they had there)."""
    if role not in Role.values:
        raise InvalidProjectSettings(f"unknown role {role!r}; use one of {', '.join(Role.values)}.", field="role")
    membership, _ = Membership.objects.update_or_create(project=project, user=user, defaults={"role": role})
    return membership
