"""The records an export reads: spans named by label key, source name and analyst."""

import pytest

from annotator.formats.records import ExportSpan
from annotator.selectors import exports
from tests.factories import ArticleFactory, AssignmentFactory, SourceFactory, submit_work


@pytest.mark.django_db
def test_spans_are_named_by_label_key_and_source_name_even_from_another_project(project, other_project, analyst):
    article = ArticleFactory(project=project)
    submit_work(AssignmentFactory(article=article, analyst=analyst), [(0, 14, None, 2)])
    span = article.assignments.get().spans.get()
    # Services keep a span's label and source in its project; a row written around them is still named.
    span.label = other_project.labels.get(key="denial")
    span.source = SourceFactory(project=other_project, name="Elsewhere")
    span.save()

    [analysts] = exports.iter_export_articles(project, "analyst")

    assert analysts.spans == (ExportSpan(0, 14, article.text[:14], "denial", "Elsewhere", 2, "", "a1"),)
