"""Loading articles: formats, idempotency, all-or-nothing refusal, and the annotated-text lock."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from annotator import text
from annotator.errors import ArticleTextLocked, DomainError, InvalidImport
from annotator.models import Article
from annotator.services import articles
from tests.factories import ArticleFactory, AssignmentFactory, GoldSpanFactory, SpanFactory


def _jsonl(*rows: dict) -> str:
    return "".join(json.dumps(row) + "\n" for row in rows)


# loading


@pytest.mark.django_db
def test_txt_title_is_the_first_line_and_the_body_is_kept_exactly(project, tmp_path):
    path = tmp_path / "kremlin.txt"
    path.write_bytes("\r\nKremlin denies\r\n\r\n“Fake news”, says Peskov.\r\nSecond line é\u0301.\n".encode())

    articles.load_articles(project=project, paths=[path])

    article = Article.objects.get()
    assert (article.external_id, article.title) == ("kremlin", "Kremlin denies")
    assert article.text == "“Fake news”, says Peskov.\nSecond line é\u0301.\n"
    assert article.sha256 == text.text_sha256(article.text)


@pytest.mark.django_db
def test_txt_whose_first_line_is_a_paragraph_keeps_it_in_the_body(project, tmp_path):
    paragraph = "Thousands of North Korean soldiers have entered Russian territory. " * 4
    path = tmp_path / "wire.txt"
    path.write_text(paragraph + "\nMore.", encoding="utf-8")

    articles.load_articles(project=project, paths=[path])

    article = Article.objects.get()
    assert article.text == paragraph + "\nMore."
    assert article.title == "Thousands of North Korean soldiers have entered Russian territory."


@pytest.mark.django_db
def test_jsonl_and_csv_load_with_metadata(project, tmp_path):
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(_jsonl({"id": "x1", "title": "T", "text": "Body", "outlet": "RFI",
                             "url": "https://rfi.fr/a", "published": "2024-10-21"}), encoding="utf-8")
    csv_file = tmp_path / "b.csv"
    csv_file.write_text("id,title,text,outlet\nx2,T2,\"Body, two\",Fakti\n", encoding="utf-8")

    result = articles.load_articles(project=project, paths=[jsonl, csv_file])

    assert [article.external_id for article in result.created] == ["x1", "x2"]
    assert dict(Article.objects.values_list("external_id", "outlet")) == {"x1": "RFI", "x2": "Fakti"}
    assert str(Article.objects.get(external_id="x1").published) == "2024-10-21"


@pytest.mark.django_db
def test_record_without_an_id_is_named_by_its_text_hash(project, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(_jsonl({"text": "Body without id"}), encoding="utf-8")

    articles.load_articles(project=project, paths=[path])

    assert Article.objects.get().external_id == text.text_sha256("Body without id")[:16]


@pytest.mark.django_db
def test_loading_the_same_files_twice_keeps_one_article_each(project, tmp_path):
    (tmp_path / "a.txt").write_text("A\nBody a", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(_jsonl({"id": "b", "text": "Body b"}), encoding="utf-8")
    paths = [tmp_path / "a.txt", tmp_path / "b.jsonl"]
    articles.load_articles(project=project, paths=paths)

    again = articles.load_articles(project=project, paths=paths)

    assert (len(again.created), again.unchanged) == (0, 2)
    assert sorted(Article.objects.values_list("external_id", flat=True)) == ["a", "b"]


@pytest.mark.django_db
def test_the_same_text_under_another_file_name_is_one_article(project, tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("Title\nBody text", encoding="utf-8")
    second.write_text("Title\r\nBody text", encoding="utf-8")
    articles.load_articles(project=project, paths=[first])

    again = articles.load_articles(project=project, paths=[second])

    assert (len(again.created), again.unchanged) == (0, 1)
    assert list(Article.objects.values_list("external_id", flat=True)) == ["a"]


@pytest.mark.django_db
def test_the_same_text_twice_in_one_call_is_one_article(project, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(_jsonl({"id": "x1", "text": "Same"}, {"id": "x2", "text": "Same"}), encoding="utf-8")

    result = articles.load_articles(project=project, paths=[path])

    assert (len(result.created), result.unchanged) == (1, 1)
    assert Article.objects.get().external_id == "x1"


@pytest.mark.django_db
def test_the_same_text_in_another_project_is_another_article(project, other_project, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Title\nBody", encoding="utf-8")
    articles.load_articles(project=project, paths=[path])

    articles.load_articles(project=other_project, paths=[path])

    assert Article.objects.count() == 2


# all-or-nothing refusal


BAD_FILES = [
    pytest.param("bad.jsonl", _jsonl({"text": "one"}, {"text": "two"}).encode() + b'{"text": \n' + b'{"text": "4"}\n',
                 3, None, "not valid JSON", id="jsonl-malformed-line-3"),
    pytest.param("bad.csv", b"title,text\nT1,Body one\nT2,\n", 3, "text", "missing or empty", id="csv-missing-text"),
    pytest.param("bad.txt", "Titre\nCafé crème".encode("latin-1"), 2, None, "not UTF-8 text (byte 9)",
                 id="not-utf8"),
    pytest.param("bad.jsonl", _jsonl({"text": "x", "url": "javascript:alert(1)"}).encode(), 1, "url", "http(s)",
                 id="javascript-url"),
    pytest.param("bad.jsonl", _jsonl({"text": "NUL \x00 byte"}).encode(), 1, "text", "NUL", id="nul-character"),
    pytest.param("bad.jsonl", b'{"text": "lone \\ud800 surrogate"}\n', 1, "text", "surrogate", id="lone-surrogate"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "line", "field", "message"), BAD_FILES)
def test_a_bad_file_refuses_the_whole_load_naming_file_and_line(project, tmp_path, name, content, line, field,
                                                                 message):
    ArticleFactory(project=project)
    good = tmp_path / "good.txt"
    good.write_text("Fine\nA good article", encoding="utf-8")
    bad = tmp_path / name
    bad.write_bytes(content)

    with pytest.raises(InvalidImport) as error:
        articles.load_articles(project=project, paths=[good, bad])

    assert (error.value.code, error.value.file, error.value.line, error.value.field) == (
        "invalid_import", name, line, field)
    assert error.value.message.startswith(f"{name}, line {line}: ")
    assert message in error.value.message
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_an_id_reused_with_a_different_text_is_refused_naming_file_and_line(project, tmp_path):
    ArticleFactory(project=project, external_id="same")
    good = tmp_path / "good.txt"
    good.write_text("Fine\nA good article", encoding="utf-8")
    bad = tmp_path / "b.jsonl"
    bad.write_text(_jsonl({"id": "new", "text": "New text"}, {"id": "same", "text": "A corrected text"}),
                   encoding="utf-8")

    with pytest.raises(InvalidImport, match="a corrected text needs a new id") as error:
        articles.load_articles(project=project, paths=[good, bad])

    assert (error.value.file, error.value.line, error.value.field) == ("b.jsonl", 2, "id")
    assert list(Article.objects.values_list("external_id", flat=True)) == ["same"]


@pytest.mark.django_db
def test_an_id_used_twice_in_one_file_for_different_texts_is_refused(project, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("id,text\nx1,First text\nx1,Second text\n", encoding="utf-8")

    with pytest.raises(InvalidImport) as error:
        articles.load_articles(project=project, paths=[path])

    assert (error.value.file, error.value.line, error.value.field) == ("a.csv", 3, "id")
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_non_utf8_byte_past_the_first_read_chunk_is_located_in_the_file(project, tmp_path):
    path = tmp_path / "big.jsonl"
    first_line, before_bad_byte = _jsonl({"text": "a" * 20_000}).encode(), b'{"text": "caf'
    path.write_bytes(first_line + before_bad_byte + b'\xe9"}\n')

    with pytest.raises(InvalidImport) as error:
        articles.load_articles(project=project, paths=[path])

    # 20,013 + 13 bytes precede the bad one; the stream's own error counts from its last 8 KiB chunk.
    assert error.value.message == "big.jsonl, line 2: not UTF-8 text (byte 20026)"
    assert len(first_line + before_bad_byte) == 20026


@pytest.mark.django_db
def test_a_missing_file_is_refused(project, tmp_path):
    with pytest.raises(InvalidImport) as error:
        articles.load_articles(project=project, paths=[tmp_path / "missing.txt"])

    assert error.value.file.endswith("missing.txt")
    assert not Article.objects.exists()


# the text lock


@pytest.mark.django_db
def test_text_of_an_unannotated_article_can_be_corrected(project):
    article = ArticleFactory(project=project)

    articles.update_article_text(article=article, new_text="Corrected\r\ntext")

    article.refresh_from_db()
    assert (article.text, article.sha256) == ("Corrected\ntext", text.text_sha256("Corrected\ntext"))


@pytest.mark.django_db
def test_text_of_an_article_with_a_span_cannot_change(project):
    article = ArticleFactory(project=project)
    SpanFactory(assignment=AssignmentFactory(article=article), start=0, end=6)
    before = (article.text, article.sha256)

    with pytest.raises(ArticleTextLocked) as error:
        articles.update_article_text(article=article, new_text="Different")

    assert (error.value.code, error.value.field) == ("article_text_locked", "text")
    article.refresh_from_db()
    assert (article.text, article.sha256) == before


@pytest.mark.django_db
def test_text_of_an_article_with_only_a_gold_span_cannot_change(project):
    article = ArticleFactory(project=project)
    GoldSpanFactory(article=article)
    before = article.text

    with pytest.raises(ArticleTextLocked):
        articles.update_article_text(article=article, new_text="Different")

    article.refresh_from_db()
    assert article.text == before


@pytest.mark.django_db
def test_text_cannot_become_empty(project):
    article = ArticleFactory(project=project)
    before = article.text

    with pytest.raises(DomainError) as error:
        articles.update_article_text(article=article, new_text=" \r\n ")

    assert (error.value.code, error.value.field) == ("empty_text", "text")
    article.refresh_from_db()
    assert article.text == before


@pytest.mark.django_db
def test_text_cannot_become_that_of_another_article_of_the_project(project):
    existing = ArticleFactory(project=project)
    article = ArticleFactory(project=project)
    before = article.text

    with pytest.raises(DomainError) as error:
        articles.update_article_text(article=article, new_text=existing.text)

    assert (error.value.code, error.value.field, error.value.status) == ("duplicate_text", "text", 409)
    article.refresh_from_db()
    assert article.text == before


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers itself; the row lock is "
                    "PostgreSQL's, and the in-memory test database is one connection shared by the threads")
@pytest.mark.django_db(transaction=True)
def test_two_loads_of_the_same_files_at_once_keep_one_article_each(project, tmp_path):
    paths = []
    for index in range(20):
        path = tmp_path / f"wire-{index}.txt"
        path.write_text(f"Wire {index}\nBody {index}: Pyongyang sent troops.", encoding="utf-8")
        paths.append(path)

    def load(_: int) -> tuple[int, int]:
        try:
            result = articles.load_articles(project=project, paths=paths)
            return len(result.created), result.unchanged
        finally:
            connection.close()  # each thread has its own connection

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(load, range(2)))

    assert outcomes == [(0, 20), (20, 0)]
    assert Article.objects.filter(project=project).count() == 20
