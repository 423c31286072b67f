"""The project's source registry: adding sources and their aliases."""

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from simple_history.utils import bulk_update_with_history

from annotator.errors import DomainError
from annotator.models import GoldSpan, Project, Source, SourceKind, Span


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
    duplicate = DomainError(f"the source {name!r} exists already.", field="name", code="duplicate_source",
                            status=409)
    if Source.objects.filter(project=project, name__iexact=name).exists():
        raise duplicate
    try:
        with transaction.atomic():
            return Source.objects.create(
                project=project, name=name, kind=kind, description=description,
                aliases=_clean_aliases(name, aliases), affiliation=affiliation, country=country,
            )
    except IntegrityError:  # a concurrent request created the same name (in any case) first
        raise duplicate from None


@transaction.atomic
def update_source(
    *,
    source: Source,
    name: str | None = None,
    kind: str | None = None,
    description: str | None = None,
    aliases: Sequence[str] | None = None,
    affiliation: str | None = None,
    country: str | None = None,
) -> Source:
    """Change a source's details (None keeps a value); the name stays unique in the project."""
    if name is not None:
        name = name.strip()
        if not name:
            raise DomainError("a source needs a name.", field="name", code="required")
        clash = Source.objects.filter(project=source.project, name__iexact=name).exclude(pk=source.pk)
        if clash.exists():
            raise DomainError(f"the source {name!r} exists already.", field="name", code="duplicate_source", status=409)
        source.name = name
    if kind is not None:
        if kind not in SourceKind.values:
            raise DomainError(f"unknown kind {kind!r}; use one of {', '.join(SourceKind.values)}.", field="kind")
        source.kind = kind
    for field, value in (("description", description), ("affiliation", affiliation), ("country", country)):
        if value is not None:
            setattr(source, field, value)
    if aliases is not None:
        source.aliases = _clean_aliases(source.name, aliases)
    source.save()
    return source


@transaction.atomic
def merge_sources(*, keep: Source, absorb: Source) -> Source:
    """Fold ``absorb`` into ``keep``: its spans and gold spans follow, its name and aliases become aliases.

    Every moved span gets a history entry, so the merge can be traced and undone by hand.
    """
    if keep.pk == absorb.pk:
        raise DomainError("a source cannot be merged into itself.", field="absorb", code="same_source")
    if keep.project_id != absorb.project_id:
        raise DomainError("both sources must belong to the same project.", field="absorb", code="wrong_project")
    _move_statements(Span.objects.filter(source=absorb), keep)
    _move_statements(GoldSpan.objects.filter(source=absorb), keep)
    keep.aliases = _clean_aliases(keep.name, [*keep.aliases, absorb.name, *absorb.aliases])
    keep.save()
    absorb.delete()
    return keep


@transaction.atomic
def split_source(*, source: Source, name: str, spans: Sequence[Span], kind: str | None = None) -> Source:
    """Create a new source called ``name`` and move the given spans of ``source`` to it."""
    if any(span.source_id != source.pk for span in spans):
        raise DomainError("every span to move must be attributed to the source being split.", field="spans")
    created = create_source(project=source.project, name=name, kind=kind or source.kind,
                            affiliation=source.affiliation, country=source.country)
    _move_statements(Span.objects.filter(pk__in=[span.pk for span in spans]), created)
    return created


def _move_statements(queryset: QuerySet, target: Source) -> None:  # type: ignore[type-arg]  # Span or GoldSpan
    rows = list(queryset.select_for_update())
    for row in rows:
        row.source = target
        row.version += 1
    if rows:
        bulk_update_with_history(rows, type(rows[0]), ["source", "version"], batch_size=500)
