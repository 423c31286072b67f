"""Reads of the source registry: search by name or alias."""

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from annotator.attribution import Candidate, Suggestion, suggest_sources
from annotator.models import Project, Source
from annotator.selectors.compiled import CompiledQuery, columns, instances

_SOURCE = CompiledQuery(
    lambda project_id, source_id: Source.objects.filter(project_id=project_id, pk=source_id)
    .values_list(*columns(Source))[:1],
    project_id=int, source_id=int,
)


def get_source_in(project_id: int, source_id: int) -> Source | None:
    """The project's source with this id (span writes name one), or None."""
    row = _SOURCE.first(project_id=project_id, source_id=source_id)
    return None if row is None else instances(row, Source)[0]


def list_sources(project: Project, *, search: str = "", kind: str = "") -> QuerySet[Source]:
    """Sources of the project, optionally whose name or any alias contains ``search`` (any case)."""
    sources = Source.objects.filter(project=project)
    if kind:
        sources = sources.filter(kind=kind)
    search = search.strip()
    if search:
        sources = sources.annotate(alias_text=Cast("aliases", TextField())).filter(
            Q(name__icontains=search) | Q(alias_text__icontains=search)
        )
    return sources.order_by("name")


def suggest_sources_for(project: Project, text: str, start: int, end: int, limit: int = 3) -> list[Suggestion]:
    """The project's likeliest sources for ``text[start:end]``, from names and aliases near the passage."""
    candidates = [
        Candidate(source_id=pk, name=name, aliases=aliases or [])
        for pk, name, aliases in Source.objects.filter(project=project).values_list("id", "name", "aliases")
    ]
    return suggest_sources(text, start, end, candidates, limit=limit)
