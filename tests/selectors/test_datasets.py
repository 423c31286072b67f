"""Dataset cards: agreement figures gathered while the analyst layer streams equal a separate read of them."""

import pytest

from annotator.formats.records import ExportStats
from annotator.selectors import datasets, exports
from annotator.services import demo


@pytest.mark.django_db
def test_figures_gathered_from_the_analyst_layer_equal_those_read_from_the_project():
    project = demo.seed_demo().project
    tally = datasets.new_tally(project)
    stats = ExportStats()

    for article in datasets.iter_tallied(exports.iter_export_articles(project, "analyst"), tally):
        stats.add(article)

    streamed, read = tally.figures(), datasets.get_headline(project)
    assert streamed == read
    assert streamed.compared == 5 and streamed.overlap_f1 is not None


@pytest.mark.django_db
def test_every_layers_card_quotes_the_analysts_agreement():
    project = demo.seed_demo().project
    headline = datasets.get_headline(project)

    card = datasets.build_card(project, ExportStats(), layer="gold", export_format="jsonl", filters={})

    assert card.agreement == datasets.agreement_summary(headline)
