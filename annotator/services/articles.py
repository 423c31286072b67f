"""Loading articles into a project from files, and the rule that annotated text never changes."""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from annotator import text
from annotator.errors import ArticleTextLocked, DomainError, InvalidImport
from annotator.formats import articles as article_files
from annotator.formats.errors import FormatError
from annotator.models import Article, GoldSpan, Project, Span


@dataclass(frozen=True, slots=True)
class LoadResult:
    created: list[Article]
    unchanged: int


def read_article_files(paths: Sequence[Path]) -> list[tuple[str, article_files.ArticleRecord]]:
    """Read every file first, so that one bad file refuses the whole load before anything is written.

    Raises InvalidImport naming the file, the line and the reason.
    """
    records: list[tuple[str, article_files.ArticleRecord]] = []
    for path in paths:
        try:
            with open(path, encoding="utf-8", newline="") as stream:
                records.extend((path.name, record) for record in article_files.read_articles(path.name, stream))
        except FormatError as error:
            raise InvalidImport(error.message, file=path.name, line=error.line, field=error.field) from None
        except UnicodeDecodeError:
            byte, line = _first_undecodable(path)
            raise InvalidImport(f"not UTF-8 text (byte {byte})", file=path.name, line=line) from None
        except OSError as error:
            raise InvalidImport(error.strerror or "cannot be read", file=str(path)) from None
    return records


def _first_undecodable(path: Path) -> tuple[int, int]:
    """Byte offset and line of the first byte that is not UTF-8.

    The decoding error of a text stream counts from the start of the chunk it was decoding, not of the
    file, so the file is decoded again whole (only on this error path).
    """
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = text.normalise_newlines(raw[: error.start].decode("utf-8"))
        return error.start, before.count("\n") + 1
    return 0, 1  # unreachable in practice: the stream failed to decode this same file


@transaction.atomic
def load_articles(*, project: Project, paths: Sequence[Path]) -> LoadResult:
    """Load .txt, .jsonl and .csv files into ``project``, all or nothing.

    Idempotent: an article whose text the project already holds is left as it is. An id that is
    already used by a different text is refused (a corrected text is a new article with a new id).
    """
    records = read_article_files(paths)
    # Two loads into one project wait for each other, so the second sees the first's articles and skips
    # the same texts instead of colliding with them on the unique constraint.
    list(Project.objects.select_for_update().filter(pk=project.pk).values_list("pk", flat=True))
    known = dict(Article.objects.filter(project=project).values_list("sha256", "external_id"))
    taken = set(known.values())
    created: list[Article] = []
    unchanged = 0
    for file_name, record in records:
        sha = text.text_sha256(record.text)
        if sha in known:
            unchanged += 1
            continue
        external_id = record.external_id or sha[:16]
        if external_id in taken:
            raise InvalidImport(
                f"id {external_id!r} is already used by another text in this project; "
                "a corrected text needs a new id.",
                file=file_name, line=record.line, field="id",
            )
        article = Article.objects.create(
            project=project, external_id=external_id, title=record.title, text=record.text,
            outlet=record.outlet, url=record.url, published=record.published, sha256=sha,
        )
        created.append(article)
        known[sha] = external_id
        taken.add(external_id)
    return LoadResult(created=created, unchanged=unchanged)


@transaction.atomic
def update_article_text(*, article: Article, new_text: str) -> Article:
    """Replace the text of an article that nobody has annotated yet.

    Raises ArticleTextLocked once a span (an analyst's or a gold one) exists: offsets must keep pointing at
    the same characters. Raises DomainError (409) if another article of the project has that text.
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    if (
        Span.objects.filter(assignment__article=article).exists()
        or GoldSpan.objects.filter(article=article).exists()
    ):
        raise ArticleTextLocked(
            "the article has spans, so its text cannot change; load the corrected text as a new article.",
            field="text",
        )
    normalised = text.normalise_newlines(new_text)
    if not normalised.strip():
        raise DomainError("the text must not be empty.", field="text", code="empty_text")
    sha = text.text_sha256(normalised)
    if Article.objects.filter(project=article.project_id, sha256=sha).exclude(pk=article.pk).exists():
        raise DomainError("another article of the project has this text already.", field="text",
                          code="duplicate_text", status=409)
    article.text = normalised
    article.sha256 = sha
    article.save(update_fields=["text", "sha256"])
    return article
