"""Hugging Face datasets: the JSONL loads with the declared features, offline; Parquet reads back."""

import pytest

from annotator.formats import hf
from annotator.formats.exporters import FORMATS, write_export
from annotator.formats.records import ExportArticle
from tests.formats.samples import ARTICLE, GOLD, TEXT, export_text

datasets = pytest.importorskip("datasets")


@pytest.fixture
def offline(tmp_path, monkeypatch):
    """No network and a private cache: the load must come from the file alone."""
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    # datasets read the variables when first imported, possibly before this test: set what they read too.
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", True)
    return tmp_path / "cache"


def test_datasets_loads_the_jsonl_with_the_declared_features(tmp_path, offline):
    path = tmp_path / "train.jsonl"
    path.write_text(export_text("hf", [ARTICLE, GOLD])[0], encoding="utf-8")
    features = datasets.Features.from_dict(hf.FEATURES)

    dataset = datasets.load_dataset("json", data_files=str(path), features=features, cache_dir=str(offline),
                                    split="train")

    assert dataset.num_rows == 2 and dataset.features == features
    spans = dataset[0]["spans"]
    assert [TEXT[s["start"]:s["end"]] for s in spans] == [s.quote for s in ARTICLE.spans]
    assert spans[2]["quote"] == "e\u0301lite units 👩🏽‍💻"
    assert (spans[3]["credibility"], spans[3]["source"]) == (None, None)  # nulls, not -1 or ""
    assert dataset[1]["spans"][0]["support"] == 3 and dataset[1]["assessments"] == [
        {"analyst": None, "credibility": 2, "comment": "verdict"}]


def test_parquet_reads_back_with_the_same_features_through_datasets(tmp_path, offline):
    path = tmp_path / "data.parquet"
    with open(path, "wb") as stream:
        write_export(FORMATS["parquet"], [ARTICLE, GOLD, ARTICLE], stream)

    dataset = datasets.load_dataset("parquet", data_files=str(path), cache_dir=str(offline), split="train")

    assert dataset.num_rows == 3
    assert dataset.features == datasets.Features.from_dict(hf.FEATURES)
    assert dataset[2]["spans"][1]["note"] == '=HYPERLINK("http://evil")'


def test_parquet_writes_one_row_group_per_batch(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "data.parquet"
    articles = (ExportArticle(f"a{n}", "t", "Peskov said.") for n in range(5))

    with open(path, "wb") as stream:
        stats = hf.write_parquet(articles, stream, batch=2)

    assert pq.ParquetFile(path).metadata.num_row_groups == 3 and stats.articles == 5
