"""Loading articles: formats, idempotency, all-or-nothing refusal, and the annotated-text lock."""

import json

import pytest

from annotator.errors import ArticleTextLocked, InvalidImport
from annotator.models import Article
from annotator.services import articles
from tests.factories import ArticleFactory, AssignmentFactory, SpanFactory


@pytest.mark.django_db
def test_txt_title_is_the_first_line_and_the_body_is_kept_exactly(project, tmp_path):
    path = tmp_path / "kremlin.txt"
    path.write_bytes("\r\nKremlin denies\r\n\r\n“Fake news”, says Peskov.\r\nSecond line é\u0301.\n".encode())

    articles.load_articles(project=project, paths=[path])

    article = Article.objects.get()
    assert (article.external_id, article.title) == ("kremlin", "Kremlin denies")
    assert article.text == "“Fake news”, says Peskov.\nSecond line é\u0301.\n"


@pytest.mark.django_db
def test_txt_whose_first_line_is_a_paragraph_keeps_it_in_the_body(project, tmp_path):
    paragraph = "Thousands of North Korean soldiers have entered Russian territory. " * 4
    path = tmp_path / "wire.txt"
    path.write_text(paragraph + "\nMore.", encoding="utf-8")

    articles.load_articles(project=project, paths=[path])

    article = Article.objects.get()
    assert article.text.startswith("Thousands of North Korean soldiers")
    assert article.title == "Thousands of North Korean soldiers have entered Russian territory."


@pytest.mark.django_db
def test_loading_is_idempotent_even_under_another_file_name(project, tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("Title\nBody text", encoding="utf-8")
    second.write_text("Title\nBody text", encoding="utf-8")

    articles.load_articles(project=project, paths=[first])
    again = articles.load_articles(project=project, paths=[first, second])

    assert Article.objects.count() == 1
    assert (len(again.created), again.unchanged) == (0, 2)


@pytest.mark.django_db
def test_jsonl_and_csv_load_with_metadata(project, tmp_path):
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(json.dumps({"id": "x1", "title": "T", "text": "Body", "outlet": "RFI",
                                 "url": "https://rfi.fr/a", "published": "2024-10-21"}) + "\n", encoding="utf-8")
    csv_file = tmp_path / "b.csv"
    csv_file.write_text("id,title,text,outlet\nx2,T2,\"Body, two\",Fakti\n", encoding="utf-8")

    articles.load_articles(project=project, paths=[jsonl, csv_file])

    rows = dict(Article.objects.values_list("external_id", "outlet"))
    assert rows == {"x1": "RFI", "x2": "Fakti"}
    assert str(Article.objects.get(external_id="x1").published) == "2024-10-21"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "line", "field"), [
    ("bad.jsonl", '{"text": "ok"}\n{"text": "ok too"}\n{"text": \n', 3, None),
    ("bad.csv", "title,text\nT,\n", 2, "text"),
    ("bad.jsonl", '{"text": "x", "url": "javascript:alert(1)"}\n', 1, "url"),
    ("bad.jsonl", '{"text": "x", "published": "yesterday"}\n', 1, "published"),
])
def test_a_bad_file_is_refused_whole_naming_file_line_and_field(project, tmp_path, name, content, line, field):
    good = tmp_path / "good.txt"
    good.write_text("Fine\nA good article", encoding="utf-8")
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")

    with pytest.raises(InvalidImport) as error:
        articles.load_articles(project=project, paths=[good, bad])

    assert (error.value.file, error.value.line, error.value.field) == (name, line, field)
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_non_utf8_file_is_refused(project, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Titre\nCafé".encode("latin-1"))

    with pytest.raises(InvalidImport, match="not UTF-8"):
        articles.load_articles(project=project, paths=[path])


@pytest.mark.django_db
def test_an_id_reused_for_another_text_is_refused(project, tmp_path):
    ArticleFactory(project=project, external_id="same")
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "same", "text": "A corrected text"}) + "\n", encoding="utf-8")

    with pytest.raises(InvalidImport, match="new id"):
        articles.load_articles(project=project, paths=[path])


@pytest.mark.django_db
def test_text_of_an_annotated_article_cannot_change(project):
    article = ArticleFactory(project=project)
    SpanFactory(assignment=AssignmentFactory(article=article), start=0, end=6)

    with pytest.raises(ArticleTextLocked):
        articles.update_article_text(article=article, new_text="Different")

    article.refresh_from_db()
    assert article.text.startswith("Kyrylo Budanov")


@pytest.mark.django_db
def test_text_of_an_unannotated_article_can_be_corrected(project):
    article = ArticleFactory(project=project)

    articles.update_article_text(article=article, new_text="Corrected\r\ntext")

    article.refresh_from_db()
    assert article.text == "Corrected\ntext"
