"""Creating projects (with the default label set) and managing who belongs to them."""

import json
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction

from annotator.errors import InvalidProjectSettings
from annotator.models import ArticleAssessment, Label, Membership, Project, Role, Span


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


@transaction.atomic
def update_project(
    *,
    project: Project,
    name: str | None = None,
    guidelines: str | None = None,
    scale_min: int | None = None,
    scale_max: int | None = None,
    overlap: int | None = None,
    is_blind: bool | None = None,
) -> Project:
    """Change a project's settings (None keeps a value). A new scale must still hold every score given."""
    low = project.scale_min if scale_min is None else scale_min
    high = project.scale_max if scale_max is None else scale_max
    if low >= high:
        raise InvalidProjectSettings(
            f"the scale needs at least two levels: min {low} must be below max {high}.", field="scale_max"
        )
    outside = models.Q(credibility__isnull=False) & ~models.Q(credibility__range=(low, high))
    if (
        Span.objects.filter(outside, assignment__article__project=project).exists()
        or ArticleAssessment.objects.filter(outside, assignment__article__project=project).exists()
    ):
        raise InvalidProjectSettings(
            f"scores outside {low} to {high} exist already; the scale cannot leave them out.", field="scale_min"
        )
    if overlap is not None and overlap < 1:
        raise InvalidProjectSettings("overlap (analysts per article) must be 1 or more.", field="overlap")
    changes = {"name": name, "guidelines": guidelines, "scale_min": scale_min, "scale_max": scale_max,
               "overlap": overlap, "is_blind": is_blind}
    for field, value in changes.items():
        if value is not None:
            setattr(project, field, value)
    project.save()
    return project


@transaction.atomic
def remove_member(*, project: Project, user: AbstractBaseUser) -> None:
    """Take ``user`` out of the project; their assignments stay (and count) but they lose access."""
    membership = Membership.objects.filter(project=project, user=user).first()
    if membership is None:
        raise InvalidProjectSettings(f"{user} is not a member of {project}.", field="user")
    others = Membership.objects.filter(project=project, role=Role.MANAGER).exclude(pk=membership.pk)
    if membership.role == Role.MANAGER and not others.exists():
        raise InvalidProjectSettings("a project keeps at least one manager.", field="user")
    membership.delete()


@transaction.atomic
def create_label(*, project: Project, key: str, name: str, color: str = "#888888", hotkey: str = "") -> Label:
    """Add a label to the project's set. Raises InvalidProjectSettings for a key or hotkey in use."""
    if Label.objects.filter(project=project, key=key).exists():
        raise InvalidProjectSettings(f"the label key {key!r} is in use.", field="key")
    if hotkey and Label.objects.filter(project=project, hotkey=hotkey).exists():
        raise InvalidProjectSettings(f"the hotkey {hotkey!r} is in use.", field="hotkey")
    position = Label.objects.filter(project=project).count()
    return Label.objects.create(project=project, key=key, name=name, color=color, hotkey=hotkey, position=position)
