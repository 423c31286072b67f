"""The dataset card of an export: counts come from the export itself, agreement from the project report."""

from typing import Any

from django.utils import timezone

from annotator.formats.card import DatasetCard
from annotator.formats.records import ExportStats
from annotator.models import Project
from annotator.selectors import agreement as agreement_reads
from annotator.selectors import claims as claim_reads


def agreement_summary(project: Project) -> dict[str, Any]:
    """The headline agreement figures a dataset card quotes."""
    overall = agreement_reads.get_project_report(project)["overall"]
    return {
        "span F1 (overlap)": overall["overlap"]["f1"],
        "span F1 (exact)": overall["exact"]["f1"],
        "label alpha (nominal)": overall["label_alpha"]["value"],
        "unitized alpha": overall["unitized_alpha"]["value"],
        "span credibility alpha (ordinal)": overall["span_credibility_alpha"]["ordinal"]["value"],
        "article credibility alpha (ordinal)": overall["article_credibility_alpha"]["ordinal"]["value"],
    }


def build_card(project: Project, stats: ExportStats, *, layer: str, export_format: str,
               filters: dict[str, Any]) -> DatasetCard:
    return DatasetCard.from_stats(
        stats, project=project.name, slug=project.slug, layer=layer, export_format=export_format,
        exported_at=timezone.now().isoformat(timespec="seconds"),
        labels=list(project.labels.values_list("key", flat=True)), scale=(project.scale_min, project.scale_max),
        filters=filters, agreement=agreement_summary(project),
        sources=[{"name": name, "kind": kind, "aliases": list(aliases or []), "spans": stats.sources.get(name, 0)}
                 for name, kind, aliases in project.sources.order_by("name").values_list("name", "kind", "aliases")],
        claims=claim_reads.summarise_for_card(project),
    )
