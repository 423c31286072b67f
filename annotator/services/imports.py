"""Importing annotated articles (Credence JSONL, Label Studio JSON, doccano JSONL): every record is
validated, every bad one reported with its line, and all of the file is written in one transaction, or nothing.

A file is read twice: a first pass checks every record and keeps only the problems; the second reads it again
and writes batch by batch, so memory stays flat whatever the file's size. A large file of one record per line
(LARGE_FILE_BYTES) is read once: its records are checked in a forked process as they are read, and written
while the rest is checked; a bad record anywhere stops the writing, the rest of the file is still checked, and
the transaction is rolled back with every problem listed. A dry run of such a file is checked on two cores,
half its lines in a forked process.
Writes go in batches of articles with bulk inserts (and their history rows, the audit trail), so a large file
imports in a few queries per batch rather than several per span; past one batch, the next batch is read in a
forked process while the database stores one.
"""

import datetime as dt
import io
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Container, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from annotator import text
from annotator.errors import DomainError
from annotator.formats import doccano, jsonl, labelstudio
from annotator.formats.errors import FormatError
from annotator.formats.handoff import forks_beside, read_in_child, write_in_child
from annotator.formats.records import ExportArticle, ExportAssessment, pack_article, unpack_article
from annotator.formats.validation import Parsed, raise_first
from annotator.models import (
    Article,
    ArticleAssessment,
    Assignment,
    AssignmentStatus,
    GoldSpan,
    Label,
    Membership,
    Project,
    Role,
    Source,
    Span,
)
from annotator.services.bulk import insert_with_history

READERS: dict[str, Callable[..., Iterator[Parsed]]] = {
    "jsonl": jsonl.parse_jsonl,
    "labelstudio": labelstudio.parse_labelstudio,
    "doccano": doccano.parse_doccano,
}
SCORED = {"jsonl", "labelstudio"}  # doccano files carry no credibility scores
MAX_RECORDS = 100_000
MAX_PROBLEMS = 100  # past a hundred bad records the file is the wrong one; the first hundred say why
BATCH = 1000  # articles written per round of bulk inserts
LINE_FORMATS = {"jsonl", "doccano"}  # one record per line: a file the check can share between two processes
LARGE_FILE_BYTES = 8_000_000  # a smaller file is checked whole first, in one process: forking would cost more
CHECK_CHUNK = 500  # lines handed to the other process at a time
CHANGE_REASON = "imported"


Problem = tuple[int | None, str | None, str]  # (line, field, message)


class ImportRefused(DomainError):
    """Nothing was written: ``problems`` lists every bad record as (line, field, message)."""

    code = "import_refused"

    def __init__(self, problems: list[tuple[int | None, str | None, str]]) -> None:
        first = problems[0]
        super().__init__(f"line {first[0]}: {first[2]}" if first[0] else first[2], field=first[1])
        self.problems = problems

    def __reduce__(self) -> tuple[type["ImportRefused"], tuple[list[Problem]], dict[str, Any]]:
        return type(self), (self.problems,), self.__dict__  # crosses a pipe from the reader's process whole

    def records(self) -> list[dict[str, int | str | None]]:
        """The problems as the API lists them: ``{"line", "field", "message"}`` each."""
        return [{"line": line, "field": field, "message": message} for line, field, message in self.problems]


@dataclass(slots=True)
class ImportResult:
    articles: int = 0
    articles_created: int = 0
    spans: int = 0
    gold_spans: int = 0
    assessments: int = 0
    sources_created: list[str] = field(default_factory=list)
    dry_run: bool = False


class _Users:
    """Users by username, each looked up once: the reader asks whether an analyst exists (``in``), the
    writer takes the user. A file names a handful of analysts."""

    def __init__(self) -> None:
        self.found: dict[str, Any] = {}

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self[name] is not None

    def __getitem__(self, name: str) -> Any:
        if name not in self.found:
            self.found[name] = get_user_model().objects.filter(username=name).first()
        return self.found[name]

    def known(self) -> frozenset[str]:
        """The names looked up so far that are users."""
        return frozenset(name for name, user in self.found.items() if user is not None)


def _reader(fmt: str, *, project: Project, label_map: Mapping[str, str],
            users: Container[str]) -> Callable[..., Iterator[Parsed]]:
    """The reader of ``fmt`` with the project's rules (labels after ``label_map``, scale, analysts): it gives
    each record of a stream, or the FormatError naming what is wrong with it. The project is read now; the
    records as they are asked for, with no query (``users`` answers without one once it has seen a name)."""
    if fmt not in READERS:
        raise DomainError(f"unknown import format {fmt!r}; use one of {', '.join(READERS)}.", field="format")
    rules: dict[str, object] = {"label_map": label_map, "analysts": users,
                                "labels": set(project.labels.values_list("key", flat=True))}
    if fmt in SCORED:
        rules["scale"] = (project.scale_min, project.scale_max)
    return partial(READERS[fmt], **rules)


def _parse(fmt: str, stream: TextIO, *, project: Project, label_map: Mapping[str, str],
           users: Container[str]) -> Iterator[Parsed]:
    """Each record of the file, checked (``_reader``), up to MAX_RECORDS."""
    return _at_most_max_records(_reader(fmt, project=project, label_map=label_map, users=users)(stream))


def _at_most_max_records(records: Iterable[Parsed]) -> Iterator[Parsed]:
    for count, item in enumerate(records, start=1):
        if count > MAX_RECORDS:
            raise _too_many()
        yield item


def _check_all(records: Iterable[Parsed], result: ImportResult) -> None:
    """Read every record, counting the good ones in ``result``; raises ImportRefused listing every bad
    record (up to MAX_PROBLEMS). Nothing is kept but the problems."""
    _tally(_good_until_a_bad_one(records), [], result)  # the bad ones: raised at the end, all of them


def _tally(records: Iterable[Parsed], problems: list[Problem], result: ImportResult) -> None:
    """Count the good records in ``result`` and add the bad ones to ``problems``, up to MAX_PROBLEMS."""
    for record in _sorted_out(records, problems):
        result.articles += 1
        result.spans += len(record.spans)


def _sorted_out(records: Iterable[Parsed], problems: list[Problem]) -> Iterator[ExportArticle]:
    """The good records; the bad ones are added to ``problems``, and reading stops once it holds MAX_PROBLEMS."""
    for item in records:
        if len(problems) >= MAX_PROBLEMS:
            return
        if isinstance(item, FormatError):
            problems.append((item.line, item.field, item.message))
        else:
            yield item


def _check_in_two(fmt: str, source: TextIO, *, project: Project, label_map: Mapping[str, str],
                  result: ImportResult) -> None:
    """``_check_all`` of a file of one record per line, on two cores: every other chunk of lines is checked
    in a forked process while this one checks the rest."""
    reader = _reader(fmt, project=project, label_map=label_map, users=_usernames())
    problems: list[Problem] = []

    def chunks() -> Iterator[tuple[int, list[str]]]:
        """Every other chunk of lines, with its first line's number, for the other process; the others
        checked here meanwhile."""
        number = 1
        for index, lines in enumerate(iter(lambda: list(islice(source, CHECK_CHUNK)), [])):
            if index % 2:
                yield number, lines
            else:
                _tally(reader(lines, first_line=number), problems, result)
            number += len(lines)

    try:
        theirs, counted = write_in_child(chunks(), partial(_check_chunks, reader), pack=tuple, unpack=tuple,
                                         chunk=1, depth=2, name="import-checker")
    except UnicodeDecodeError as error:
        raise _not_utf8(error) from None
    result.articles += counted.articles
    result.spans += counted.spans
    if result.articles + len(problems) + len(theirs) > MAX_RECORDS:
        raise _too_many()
    if problems or theirs:
        raise ImportRefused(sorted(problems + theirs, key=lambda problem: problem[0] or 0)[:MAX_PROBLEMS])


def _check_chunks(reader: Callable[..., Iterator[Parsed]],
                  chunks: Iterator[tuple[int, list[str]]]) -> tuple[list[Problem], ImportResult]:
    """The other process's side of ``_check_in_two``: its chunks' problems and counts."""
    problems: list[Problem] = []
    counted = ImportResult()
    for number, lines in chunks:
        _tally(reader(lines, first_line=number), problems, counted)
    return problems, counted


def _large_file_of_lines(fmt: str, source: TextIO) -> bool:
    """Whether ``source`` is a large file of one record per line, with a file descriptor of its own, on a
    machine that can fork and has two cores: one that is checked as it is written (a dry run: on two cores),
    where forking pays."""
    try:
        size = os.fstat(source.fileno()).st_size
    except (OSError, AttributeError, io.UnsupportedOperation):
        return False
    return fmt in LINE_FORMATS and size >= LARGE_FILE_BYTES and forks_beside()


def _too_many() -> ImportRefused:
    return ImportRefused([(None, None, f"more than {MAX_RECORDS} articles in one file")])


def _not_utf8(error: UnicodeDecodeError) -> ImportRefused:
    return ImportRefused([(None, None, f"not UTF-8 text (byte {error.start})")])


def _rereadable(stream: TextIO) -> TextIO:
    """``stream`` itself if it can seek back, else a temporary file holding its text."""
    if stream.seekable():
        return stream
    copy = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115  # the caller closes it
    try:
        shutil.copyfileobj(stream, copy)
    except UnicodeDecodeError as error:
        copy.close()
        raise _not_utf8(error) from None
    copy.seek(0)
    return copy


@transaction.atomic
def import_annotations(*, project: Project, stream: TextIO, fmt: str, importer: AbstractBaseUser,
                       label_map: Mapping[str, str] | None = None, dry_run: bool = False) -> ImportResult:
    """Articles and their annotations into ``project``. Analysts' spans go to their (submitted) assignments;
    spans without an analyst (gold or majority exports, doccano) go to the gold layer, decided by
    ``importer``. Unknown sources are added to the registry. Every row written gets its history row, by
    ``importer``. Raises ImportRefused listing every problem, and then writes nothing.
    """
    users = _Users()
    rules = {"project": project, "label_map": dict(label_map or {}), "users": users}
    source = _rereadable(stream)
    try:
        begin = source.tell()
        checked = ImportResult(dry_run=dry_run)
        large = _large_file_of_lines(fmt, source)
        if not large:
            _check_all(_parse(fmt, source, **rules), checked)
        elif dry_run:  # a large file is otherwise checked as it is written
            _check_in_two(fmt, source, project=project, label_map=rules["label_map"], result=checked)
        if dry_run:
            return checked
        source.seek(begin)
        result = ImportResult()
        writer = _Writer(project, importer, users, result)
        if large:
            # Checked as it is read, in the reader's process: the writing stops at the first bad record, and
            # the reader raises ImportRefused with every one once it has read the rest.
            records = _good_until_a_bad_one(_parse(fmt, source, **{**rules, "users": _usernames()}))
        else:
            # Checked above: a change since is an error. The reader (past one batch, a process of its own) must not
            # query: the users a record may name are those the check found.
            records = raise_first(_parse(fmt, source, **{**rules, "users": users.known()}))
        batches: Generator[list[ExportArticle], None, None] = (
            batch for batch in iter(lambda: list(islice(records, BATCH)), []))
        if large or checked.articles > BATCH:
            # Each batch is parsed and checked in a forked process while the one before is stored: a reader
            # thread would take turns at the GIL with the writing, and the database would wait for both.
            batches = read_in_child(batches, pack=_pack, unpack=_unpack, name="import-reader")
        with closing(batches), _foreign_keys_checked_by_index() as check_foreign_keys:
            for batch in batches:
                writer.write(batch)
                check_foreign_keys()
        return result
    finally:
        if source is not stream:
            source.close()


def _good_until_a_bad_one(records: Iterable[Parsed]) -> Iterator[ExportArticle]:
    """Each good record until the first bad one; past it, the rest is only checked, and ImportRefused lists
    every bad record (up to MAX_PROBLEMS) at the end."""
    problems: list[Problem] = []
    try:
        for record in _sorted_out(records, problems):
            if not problems:
                yield record
    except UnicodeDecodeError as error:
        raise _not_utf8(error) from None
    if problems:
        raise ImportRefused(problems)


def _usernames() -> frozenset[str]:
    """Every username, in one query: a forked reader cannot query."""
    return frozenset(get_user_model().objects.values_list("username", flat=True))


@contextmanager
def _foreign_keys_checked_by_index() -> Iterator[Callable[[], None]]:
    """PostgreSQL, while the batches are written: a function that checks the foreign keys of the rows written
    so far, called after each batch rather than leaving every check to the commit (the same work, done while the
    reader reads the next batch instead of at the end with nothing to overlap it); each check looks its row up by
    the primary key's index.

    The checks run in a statement of their own (SET CONSTRAINTS ... IMMEDIATE fires the queued ones), not at the
    end of each COPY. At the end of a COPY, its buffer of up to a thousand rows still holds a reference to the
    table's row type each, and every check's own references are hashed into the same list: a sixth of the
    database's work per span went to searching it.

    A check is a query planned once per connection. For a table of one page, such as the labels or the sources of
    a few projects, the planner scans the page: every span inserted then reads every label of every project, a
    fifth of the database's work per span with a hundred labels (41 µs instead of 32). So plans are made afresh
    (DISCARD PLANS) with sequential scans discouraged; the setting is put back afterwards, and the checks' new
    plans stay good ones. (Django declares every foreign key DEFERRABLE INITIALLY DEFERRED.)"""
    if connection.vendor != "postgresql":
        yield lambda: None
        return

    def check() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED")

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan')")
        seqscan = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('enable_seqscan', 'off', true)")
        cursor.execute("DISCARD PLANS")
    yield check  # on an error the import's transaction (or savepoint) is rolled back, and the settings with it
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [seqscan])


class _Writer:
    """Writes batches of checked records into one project, remembering what earlier batches added."""

    def __init__(self, project: Project, importer: AbstractBaseUser, users: _Users, result: ImportResult) -> None:
        self.project, self.importer, self.users, self.result = project, importer, users, result
        self.now = timezone.now()
        self.labels: dict[str, Label] = {label.key: label for label in project.labels.all()}
        # Source names are unique ignoring case (the database's lower()).
        self.sources: dict[str, Source] = {source.name.lower(): source for source in project.sources.all()}
        self.members: set[int] = set(Membership.objects.filter(project=project).values_list("user_id", flat=True))
        self.history: dict[str, Any] = {"default_user": importer, "default_change_reason": CHANGE_REASON}
        self.audit: dict[str, Any] = {"user": importer, "reason": CHANGE_REASON}
        self.new_assignments: set[int] = set()  # created by the batch being written

    def write(self, records: Sequence[ExportArticle]) -> None:
        articles = self._articles(records)
        assignments = self._assignments(records, articles)
        self._spans(records, articles, assignments)
        self._assessments(records, articles, assignments)
        self._gold(records, articles)

    def _articles(self, records: Sequence[ExportArticle]) -> list[int]:
        """The id of each record's article: the project's article with the same text, or a new one."""
        shas = [text.text_sha256(record.text) for record in records]
        found = dict(Article.objects.filter(project=self.project, sha256__in=set(shas)).values_list("sha256", "pk"))
        new: dict[str, tuple[Any, ...]] = {}
        for record, sha in zip(records, shas, strict=True):
            if sha in found or sha in new:
                continue
            external_id = record.external_id or sha[:16]
            published = dt.date.fromisoformat(record.published[:10]) if record.published else None
            new[sha] = (external_id, record.title[:500] or external_id, record.text, record.outlet[:200],
                        record.url[:2000], sha, connection.ops.adapt_datefield_value(published))
        names = [row[0] for row in new.values()]
        taken = set(Article.objects.filter(project=self.project, external_id__in=names)
                    .values_list("external_id", flat=True))
        taken.update(name for name, count in Counter(names).items() if count > 1)  # two new texts, one id
        if taken:
            raise ImportRefused([(None, "id", f"id {name!r} is used by a different text in this project")
                                 for name in sorted(taken)])
        created = insert_with_history(
            Article, ["external_id", "title", "text", "outlet", "url", "sha256", "published"], list(new.values()),
            shared={"project_id": self.project.pk}, **self.audit)
        found.update(zip(new, created, strict=True))
        self.result.articles += len(records)
        self.result.articles_created += len(created)
        return [found[sha] for sha in shas]

    def _assignments(self, records: Sequence[ExportArticle], articles: Sequence[int]) -> dict[tuple[int, str], int]:
        """The id of the submitted assignment of every (article, analyst) the records name."""
        wanted = {(article, name) for record, article in zip(records, articles, strict=True)
                  for name in _analysts(record)}
        users = {name: self.users[name] for name in {name for _, name in wanted}}
        joining = [Membership(project=self.project, user=user, role=Role.ANALYST)
                   for user in users.values() if user.pk not in self.members]
        Membership.objects.bulk_create(joining)
        self.members.update(user.pk for user in users.values())
        found = {(a.article_id, a.analyst.get_username()): a for a in Assignment.objects.filter(
            article__in=articles, analyst__in=list(users.values())).select_related("analyst")}
        reopened = [a for key, a in found.items() if key in wanted and not a.is_submitted]
        for assignment in reopened:
            assignment.status = AssignmentStatus.SUBMITTED
            assignment.submitted_at = self.now
            assignment.started_at = assignment.started_at or self.now
        bulk_update_with_history(reopened, Assignment, ["status", "submitted_at", "started_at"], **self.history)
        ids = {key: assignment.pk for key, assignment in found.items()}
        new = sorted(wanted - found.keys())
        created = insert_with_history(
            Assignment, ["article_id", "analyst_id"], [(article_id, users[name].pk) for article_id, name in new],
            shared={"status": AssignmentStatus.SUBMITTED, "started_at": self.now, "submitted_at": self.now},
            **self.audit)
        ids.update(zip(new, created, strict=True))
        self.new_assignments = set(created)
        return ids

    def _spans(self, records: Sequence[ExportArticle], articles: Sequence[int],
               assignments: Mapping[tuple[int, str], int]) -> None:
        earlier = [pk for pk in assignments.values() if pk not in self.new_assignments]  # new ones have no spans
        have = set(Span.objects.filter(assignment__in=earlier).values_list("assignment_id", "start", "end", "label_id"))
        rows = []
        for record, article in zip(records, articles, strict=True):
            for span in record.spans:
                if not span.analyst:
                    continue
                row = (assignments[(article, span.analyst)], span.start, span.end, self.labels[span.label].pk)
                if row in have:
                    continue
                have.add(row)
                rows.append((*row, span.quote, self._source_id(span.source), span.credibility, span.note))
        insert_with_history(Span, ["assignment_id", "start", "end", "label_id", "quote", "source_id", "credibility",
                                   "note"], rows, **self.audit)
        self.result.spans += len(rows)

    def _assessments(self, records: Sequence[ExportArticle], articles: Sequence[int],
                     assignments: Mapping[tuple[int, str], int]) -> None:
        given: dict[int, ExportAssessment] = {}
        for record, article in zip(records, articles, strict=True):
            for assessment in record.assessments:
                if assessment.analyst:
                    given.setdefault(assignments[(article, assessment.analyst)], assessment)
        found = {a.assignment_id: a for a in ArticleAssessment.objects.filter(assignment__in=list(given))}
        for assignment_id, assessment in given.items():
            if assignment_id in found:
                found[assignment_id].credibility = assessment.credibility
                found[assignment_id].comment = assessment.comment
        bulk_update_with_history(list(found.values()), ArticleAssessment, ["credibility", "comment"], **self.history)
        insert_with_history(ArticleAssessment, ["assignment_id", "credibility", "comment"],
                            [(assignment_id, a.credibility, a.comment) for assignment_id, a in given.items()
                             if assignment_id not in found], **self.audit)
        self.result.assessments += len(given)

    def _gold(self, records: Sequence[ExportArticle], articles: Sequence[int]) -> None:
        """Spans without an analyst: the gold layer, decided by the importer."""
        have = set(GoldSpan.objects.filter(article__in=articles)
                   .values_list("article_id", "start", "end", "label_id"))
        rows = []
        for record, article in zip(records, articles, strict=True):
            for span in record.spans:
                if span.analyst:
                    continue
                row = (article, span.start, span.end, self.labels[span.label].pk)
                if row in have:
                    continue
                have.add(row)
                rows.append((*row, span.quote, self._source_id(span.source), span.credibility, span.note))
        insert_with_history(GoldSpan, ["article_id", "start", "end", "label_id", "quote", "source_id", "credibility",
                                       "note"], rows, shared={"decided_by_id": self.importer.pk}, **self.audit)
        self.result.gold_spans += len(rows)

    def _source_id(self, name: str | None) -> int | None:
        """The id of the registry's source of that name (ignoring case), added when it is new."""
        if not name:
            return None
        name = name[:200]
        if name.lower() not in self.sources:
            self.sources[name.lower()] = Source.objects.create(project=self.project, name=name)
            self.result.sources_created.append(name)
        return self.sources[name.lower()].pk


def _pack(batch: list[ExportArticle]) -> list[tuple[object, ...]]:
    return [pack_article(record) for record in batch]


def _unpack(packed: list[tuple[object, ...]]) -> list[ExportArticle]:
    return [unpack_article(record) for record in packed]


def _analysts(record: ExportArticle) -> set[str]:
    """The analysts of a record: those named by a span or an assessment."""
    return {s.analyst for s in record.spans if s.analyst} | {a.analyst for a in record.assessments if a.analyst}
