"""The dataset card: counts from the export, a JSON form, and a Hugging Face README with YAML front matter."""

import json

import pytest

from annotator.formats import hf
from annotator.formats.card import DatasetCard
from tests.formats.samples import ARTICLE, GOLD, export_text

yaml = pytest.importorskip("yaml")


def _card(export_format="jsonl", **fields):
    _, stats = export_text("conll", [ARTICLE, GOLD])
    values = {"project": "Kursk claims", "slug": "kursk", "layer": "analyst", "export_format": export_format,
              "exported_at": "2024-10-21T09:00:00+00:00", "labels": ["claim", "denial", "expert_opinion"],
              "scale": (1, 5), "filters": {"min_agreement": 2}, "agreement": {"span F1 (overlap)": 0.8125,
                                                                             "unitized alpha": None}}
    return DatasetCard.from_stats(stats, **{**values, **fields})


def _front_matter(markdown):
    _, front, body = markdown.split("---\n", 2)
    return yaml.safe_load(front), body


def test_counts_come_from_the_export_stats():
    card = _card()

    assert (card.articles, card.spans) == (2, 6)
    assert card.label_counts == {"denial": 3, "claim": 2, "expert_opinion": 1}


def test_to_dict_is_plain_json():
    card = json.loads(json.dumps(_card().to_dict()))

    assert card["scale"] == [1, 5] and card["schema_version"] == "1.0" and card["layer"] == "analyst"
    assert card["agreement"] == {"span F1 (overlap)": 0.8125, "unitized alpha": None}


def test_markdown_has_yaml_front_matter_a_label_table_and_the_agreement_figures():
    front, body = _front_matter(_card().to_markdown())

    assert front["pretty_name"] == "Kursk claims" and front["size_categories"] == ["n<1K"]
    assert "token-classification" in front["task_categories"] and "credence-analyst" in front["tags"]
    assert "| denial | 3 | 50.0% |" in body and "| expert\\_opinion | 1 | 16.7% |" in body
    assert "| span F1 (overlap) | 0.812 |" in body and "| unitized alpha | undefined |" in body


def test_hf_cards_declare_the_features_datasets_reads():
    datasets = pytest.importorskip("datasets")

    front, _ = _front_matter(_card(export_format="hf").to_markdown())

    declared = datasets.Features._from_yaml_list(front["dataset_info"]["features"])
    assert declared == datasets.Features.from_dict(hf.FEATURES)


def test_names_chosen_by_users_cannot_break_the_yaml_or_the_markdown():
    # Security case T11: a project name is shown literally.
    card = _card(project='x"\n---\nevil: 1 <script>`', filters={"q": "a`b"})

    front, body = _front_matter(card.to_markdown())

    assert front["pretty_name"] == 'x"\n---\nevil: 1 <script>`' and "evil" not in front
    assert "<script>" not in body and "\\<script\\>" in body
    assert '`{"q": "a\'b"}`' in body


SOURCES = [{"name": "Dmitry Peskov", "kind": "spokesperson", "aliases": ["Peskov", "Kremlin spokesperson"],
            "spans": 2}]
CLAIMS = [{"id": 4, "wording": "North Korea sent 10,000 soldiers", "appearances": 5, "articles": 3, "verdict": 2},
          {"id": 9, "wording": "Six | officers killed", "appearances": 1, "articles": 1, "verdict": None}]


def test_card_lists_the_sources_with_aliases_and_the_claim_clusters():
    card = _card(sources=SOURCES, claims=CLAIMS)

    markdown = card.to_markdown()

    assert card.to_dict()["sources"] == SOURCES and card.to_dict()["claims"] == CLAIMS
    assert "| Dmitry Peskov | spokesperson | Peskov, Kremlin spokesperson | 2 |" in markdown
    assert "| 4 | North Korea sent 10,000 soldiers | 5 | 3 | 2 |" in markdown
    assert "| 9 | Six \\| officers killed | 1 | 1 | open |" in markdown  # a pipe cannot split the row


def test_card_without_sources_or_claims_has_no_such_sections():
    markdown = _card().to_markdown()

    assert "## Sources" not in markdown and "## Claim clusters" not in markdown
