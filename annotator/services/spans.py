"""Creating, updating and deleting an analyst's spans, with every check the data model promises."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction

from annotator import text
from annotator.errors import (
    DomainError,
    DuplicateSpan,
    InvalidSpan,
    ScoreOutOfScale,
    WrongProject,
    check_version,
)
from annotator.models import Assignment, Label, Project, Source, Span
from annotator.services import assignments

_UNSET = object()


def check_credibility(project: Project, credibility: int | None, *, field: str = "credibility") -> None:
    """Raise ScoreOutOfScale unless ``credibility`` is None or on the project's scale."""
    if credibility is not None and not project.scale_min <= credibility <= project.scale_max:
        raise ScoreOutOfScale(
            f"credibility must be between {project.scale_min} and {project.scale_max}, got {credibility}.",
            field=field,
        )


def _check_belongs(project: Project, label: Label, source: Source | None) -> None:
    if label.project_id != project.pk:
        raise WrongProject("the label belongs to another project.", field="label")
    if source is not None and source.project_id != project.pk:
        raise WrongProject("the source belongs to another project.", field="source")


def _quote(article_text: str, start: int, end: int, quote: str | None) -> str:
    try:
        return text.extract_quote(article_text, start, end, expected=quote)
    except text.OffsetError as error:
        raise InvalidSpan(str(error), field=error.field) from None


def _check_not_duplicate(assignment: Assignment, start: int, end: int, label: Label, exclude: int | None) -> None:
    same = Span.objects.filter(assignment=assignment, start=start, end=end, label=label)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise DuplicateSpan(f"a {label.key} span at [{start}, {end}) exists already.", field="start")


@transaction.atomic
def create_span(
    *,
    assignment: Assignment,
    start: int,
    end: int,
    label: Label,
    source: Source | None = None,
    credibility: int | None = None,
    note: str = "",
    quote: str | None = None,
) -> Span:
    """Add a span to an analyst's open assignment. Offsets: code points, end exclusive.

    ``quote``, when the client sends it, must equal the text between the offsets.
    Raises InvalidSpan, WrongProject, ScoreOutOfScale, DuplicateSpan or AssignmentLocked.
    """
    assignment = assignments.lock_open(assignment)
    project = assignment.article.project
    _check_belongs(project, label, source)
    check_credibility(project, credibility)
    checked_quote = _quote(assignment.article.text, start, end, quote)
    try:
        # The unique constraint is the duplicate check: one round trip instead of a look-up before the insert.
        # No savepoint: the error leaves this function's atomic block, which rolls the write back.
        span = Span.objects.create(
            assignment=assignment, start=start, end=end, quote=checked_quote, label=label,
            source=source, credibility=credibility, note=note,
        )
    except IntegrityError:
        raise DuplicateSpan(f"a {label.key} span at [{start}, {end}) exists already.", field="start") from None
    assignments.start_assignment(assignment=assignment)
    return span


@transaction.atomic
def create_spans(*, assignment: Assignment, items: Sequence[Mapping[str, Any]]) -> list[Span]:
    """Create several spans at once, all or nothing; an error names the item, e.g. field "spans[3].end"."""
    created: list[Span] = []
    for index, item in enumerate(items):
        try:
            created.append(create_span(assignment=assignment, **item))
        except DomainError as error:
            error.field = f"spans[{index}].{error.field}" if error.field else f"spans[{index}]"
            error.message = f"span {index}: {error.message}"
            raise
    return created


@transaction.atomic
def update_span(
    *,
    span: Span,
    version: int,
    start: int | None = None,
    end: int | None = None,
    label: Label | None = None,
    source: Source | None | object = _UNSET,
    credibility: int | None | object = _UNSET,
    note: str | None = None,
    quote: str | None = None,
) -> Span:
    """Change a span if the client saw its current ``version``; the version goes up by one.

    Omitted arguments keep their value; ``source=None`` or ``credibility=None`` clears it.
    Raises StaleVersion when someone saved in between, and every error create_span raises.
    """
    current = (
        Span.objects.select_for_update(of=("self",))
        .select_related("assignment__article__project", "label", "source")
        .annotate(is_adjudicated=assignments.adjudicated("assignment__article_id"))
        .get(pk=span.pk)
    )
    assignments.check_open(current.assignment, is_adjudicated=current.is_adjudicated)
    check_version("span", version, current.version)
    project = current.assignment.article.project
    new_start = current.start if start is None else start
    new_end = current.end if end is None else end
    new_label = current.label if label is None else label
    new_source = current.source if source is _UNSET else source
    _check_belongs(project, new_label, new_source)  # type: ignore[arg-type]  # _UNSET resolved above
    if credibility is not _UNSET:
        check_credibility(project, credibility)  # type: ignore[arg-type]  # _UNSET resolved above
        current.credibility = credibility  # type: ignore[assignment]  # _UNSET resolved above
    current.quote = _quote(current.assignment.article.text, new_start, new_end, quote)
    if (new_start, new_end, new_label) != (current.start, current.end, current.label):
        _check_not_duplicate(current.assignment, new_start, new_end, new_label, exclude=current.pk)
    current.start, current.end, current.label, current.source = new_start, new_end, new_label, new_source
    if note is not None:
        current.note = note
    current.version += 1  # the row is locked (select_for_update), so no one else can raise it meanwhile
    current.save()
    return current


@transaction.atomic
def delete_span(*, span: Span, version: int | None = None) -> None:
    """Delete a span of an open assignment; with ``version``, only if nobody changed it meanwhile."""
    current = (
        Span.objects.select_for_update(of=("self",)).select_related("assignment")
        .annotate(is_adjudicated=assignments.adjudicated("assignment__article_id"))
        .get(pk=span.pk)
    )
    assignments.check_open(current.assignment, is_adjudicated=current.is_adjudicated)
    check_version("span", version, current.version)
    current.delete()
