"""The project's source registry: adding sources and their aliases."""

from collections.abc import Sequence

from django.db import transaction

from annotator.errors import DomainError
from annotator.models import Project, Source, SourceKind


def _clean_aliases(name: str, aliases: Sequence[str]) -> list[str]:
    seen = {name.casefold()}
    cleaned: list[str] = []
    for alias in aliases:
        alias = alias.strip()
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            cleaned.append(alias)
    return cleaned


@transaction.atomic
def create_source(
    *,
    project: Project,
    name: str,
    kind: str = SourceKind.OTHER,
    description: str = "",
    aliases: Sequence[str] = (),
    affiliation: str = "",
    country: str = "",
) -> Source:
    """Add a source to the registry. Raises DomainError (409) if the name, ignoring case, exists."""
    name = name.strip()
    if not name:
        raise DomainError("a source needs a name.", field="name", code="required")
    if kind not in SourceKind.values:
        raise DomainError(f"unknown kind {kind!r}; use one of {', '.join(SourceKind.values)}.", field="kind")
    if Source.objects.filter(project=project, name__iexact=name).exists():
        raise DomainError(f"the source {name!r} exists already.", field="name", code="duplicate_source", status=409)
    return Source.objects.create(
        project=project, name=name, kind=kind, description=description,
        aliases=_clean_aliases(name, aliases), affiliation=affiliation, country=country,
    )
