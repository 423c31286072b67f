"""Importing annotated articles (Credence JSONL, Label Studio JSON, doccano JSONL): validate every record
first, report every bad one with its line, then write all of it in one transaction, or nothing."""

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from annotator import text
from annotator.errors import DomainError
from annotator.formats import doccano, jsonl, labelstudio
from annotator.formats.errors import FormatError
from annotator.formats.records import ExportArticle
from annotator.models import (
    Article,
    ArticleAssessment,
    Assignment,
    AssignmentStatus,
    GoldSpan,
    Membership,
    Project,
    Role,
    Source,
    Span,
)

READERS: dict[str, Callable[..., Iterator[ExportArticle]]] = {
    "jsonl": lambda stream, label_map: jsonl.read_jsonl(stream),
    "labelstudio": labelstudio.read_labelstudio,
    "doccano": doccano.read_doccano,
}
MAX_RECORDS = 100_000


class ImportRefused(DomainError):
    """Nothing was written: ``problems`` lists every bad record as (line, field, message)."""

    code = "import_refused"

    def __init__(self, problems: list[tuple[int | None, str | None, str]]) -> None:
        first = problems[0]
        super().__init__(f"line {first[0]}: {first[2]}" if first[0] else first[2], field=first[1])
        self.problems = problems


@dataclass(slots=True)
class ImportResult:
    articles: int = 0
    articles_created: int = 0
    spans: int = 0
    gold_spans: int = 0
    assessments: int = 0
    sources_created: list[str] = field(default_factory=list)
    dry_run: bool = False


def _read_all(fmt: str, stream: TextIO, label_map: Mapping[str, str]) -> list[ExportArticle]:
    if fmt not in READERS:
        raise DomainError(f"unknown import format {fmt!r}; use one of {', '.join(READERS)}.", field="format")
    records: list[ExportArticle] = []
    try:
        for record in READERS[fmt](stream, label_map=label_map):
            records.append(record)
            if len(records) > MAX_RECORDS:
                raise ImportRefused([(None, None, f"more than {MAX_RECORDS} articles in one file")])
    except FormatError as error:
        raise ImportRefused([(error.line, error.field, error.message)]) from None
    except UnicodeDecodeError as error:
        raise ImportRefused([(None, None, f"not UTF-8 text (byte {error.start})")]) from None
    return records


def _check(project: Project, records: list[ExportArticle]) -> None:
    labels = set(project.labels.values_list("key", flat=True))
    users = {u.get_username() for u in get_user_model().objects.filter(
        username__in={s.analyst for r in records for s in r.spans if s.analyst})}
    problems: list[tuple[int | None, str | None, str]] = []
    for line, record in enumerate(records, start=1):
        if record.published:
            try:
                dt.date.fromisoformat(record.published[:10])
            except ValueError:
                problems.append((line, "published", f"'published' must be an ISO date, got {record.published!r}"))
        for span in record.spans:
            if span.label not in labels:
                problems.append((line, "label", f"unknown label {span.label!r}; map it to one of {sorted(labels)}"))
            if span.credibility is not None and not project.scale_min <= span.credibility <= project.scale_max:
                problems.append((line, "credibility", f"score {span.credibility} is outside the project's scale"))
            if span.analyst and span.analyst not in users:
                problems.append((line, "analyst", f"no user called {span.analyst!r}"))
        for assessment in record.assessments:
            score = assessment.credibility
            if score is not None and not project.scale_min <= score <= project.scale_max:
                problems.append((line, "credibility", f"article score {score} is outside the project's scale"))
    if problems:
        raise ImportRefused(problems)


@transaction.atomic
def import_annotations(*, project: Project, stream: TextIO, fmt: str, importer: AbstractBaseUser,
                       label_map: Mapping[str, str] | None = None, dry_run: bool = False) -> ImportResult:
    """Articles and their annotations into ``project``. Analysts' spans go to their (submitted) assignments;
    spans without an analyst (gold or majority exports, doccano) go to the gold layer, decided by
    ``importer``. Unknown sources are added to the registry. Raises ImportRefused listing every problem.
    """
    records = _read_all(fmt, stream, dict(label_map or {}))
    _check(project, records)
    result = ImportResult(dry_run=dry_run)
    if dry_run:
        result.articles = len(records)
        result.spans = sum(len(r.spans) for r in records)
        return result
    labels = {label.key: label for label in project.labels.all()}
    sources = {source.name: source for source in project.sources.all()}
    users = {u.get_username(): u for u in get_user_model().objects.filter(
        username__in={s.analyst for r in records for s in r.spans if s.analyst}
        | {a.analyst for r in records for a in r.assessments if a.analyst})}
    for record in records:
        article, created = _article(project, record)
        result.articles += 1
        result.articles_created += created
        by_analyst: dict[str, list] = {}
        for span in record.spans:
            by_analyst.setdefault(span.analyst or "", []).append(span)
        for analyst_name in sorted({*by_analyst, *(a.analyst for a in record.assessments if a.analyst)}):
            if not analyst_name:
                continue
            user = users[analyst_name]
            Membership.objects.get_or_create(project=project, user=user, defaults={"role": Role.ANALYST})
            assignment, _ = Assignment.objects.get_or_create(article=article, analyst=user)
            have = set(assignment.spans.values_list("start", "end", "label_id"))
            new = [Span(assignment=assignment, start=span.start, end=span.end, quote=span.quote,
                        label=labels[span.label], source=_source(project, sources, span.source, result),
                        credibility=span.credibility, note=span.note)
                   for span in by_analyst.get(analyst_name, [])
                   if (span.start, span.end, labels[span.label].pk) not in have]
            bulk_create_with_history(new, Span, batch_size=1000)
            result.spans += len(new)
            assessment = next((a for a in record.assessments if a.analyst == analyst_name), None)
            if assessment is not None:
                ArticleAssessment.objects.update_or_create(
                    assignment=assignment, defaults={"credibility": assessment.credibility,
                                                     "comment": assessment.comment})
                result.assessments += 1
            if not assignment.is_submitted:
                assignment.status = AssignmentStatus.SUBMITTED
                assignment.submitted_at = assignment.started_at = timezone.now()
                assignment.save()
        have_gold = set(GoldSpan.objects.filter(article=article).values_list("start", "end", "label_id"))
        new_gold = [GoldSpan(article=article, start=span.start, end=span.end, quote=span.quote,
                             label=labels[span.label], source=_source(project, sources, span.source, result),
                             credibility=span.credibility, note=span.note, decided_by=importer)
                    for span in by_analyst.get("", [])
                    if (span.start, span.end, labels[span.label].pk) not in have_gold]
        bulk_create_with_history(new_gold, GoldSpan, batch_size=1000)
        result.gold_spans += len(new_gold)
    return result


def _article(project: Project, record: ExportArticle) -> tuple[Article, bool]:
    sha = text.text_sha256(record.text)
    existing = Article.objects.filter(project=project, sha256=sha).first()
    if existing is not None:
        return existing, False
    external_id = record.external_id or sha[:16]
    if Article.objects.filter(project=project, external_id=external_id).exists():
        raise ImportRefused([(None, "id", f"id {external_id!r} is used by a different text in this project")])
    published = dt.date.fromisoformat(record.published[:10]) if record.published else None
    return Article.objects.create(project=project, external_id=external_id, title=record.title[:500] or external_id,
                                  text=record.text, outlet=record.outlet[:200], url=record.url[:2000],
                                  published=published, sha256=sha), True


def _source(project: Project, sources: dict[str, Source], name: str | None, result: ImportResult) -> Source | None:
    if not name:
        return None
    if name not in sources:
        sources[name] = Source.objects.create(project=project, name=name[:200])
        result.sources_created.append(name)
    return sources[name]
