"""The dataset card of an export: counts come from the export itself, agreement figures from a bounded pass
over the project's submitted work (for the analyst layer, gathered from the exported articles as they
stream past, so the project is read once)."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone

from annotator.agreement.headline import Headline, HeadlineTally
from annotator.agreement.report import ArticleAnnotations
from annotator.formats.card import DatasetCard
from annotator.formats.records import ExportArticle, ExportStats, JsonValue
from annotator.models import Project
from annotator.selectors import agreement as agreement_reads
from annotator.selectors import claims as claim_reads


def new_tally(project: Project) -> HeadlineTally:
    return HeadlineTally(scale=(project.scale_min, project.scale_max),
                         labels=list(project.labels.values_list("key", flat=True)))


def iter_tallied(articles: Iterable[ExportArticle], tally: HeadlineTally) -> Iterator[ExportArticle]:
    """The analyst layer's articles, unchanged, each also counted in ``tally``.

    The analyst layer holds exactly what agreement reads: every submitted assignment (as an assessment,
    scored or not) and its spans, named by analyst.
    """
    for article in articles:
        scores = {a.analyst: a.credibility for a in article.assessments if a.analyst is not None}
        # ExportSpan has every field the agreement tables read (analyst, offsets, label, source, score).
        tally.add(ArticleAnnotations(0, len(article.text), article.spans, scores))  # type: ignore[arg-type]
        yield article


def get_headline(project: Project) -> Headline:
    """The project's headline agreement figures, read a batch of articles at a time."""
    tally = new_tally(project)
    for article in agreement_reads.iter_article_annotations(project):
        tally.add(article)
    return tally.figures()


def agreement_summary(headline: Headline) -> dict[str, JsonValue]:
    """The headline agreement figures as a dataset card quotes them."""
    return {
        "span F1 (overlap)": headline.overlap_f1,
        "span F1 (exact)": headline.exact_f1,
        "label alpha (nominal)": headline.label_alpha,
        "unitized alpha": headline.unitized_alpha,
        "span credibility alpha (ordinal)": headline.span_credibility_alpha,
        "article credibility alpha (ordinal)": headline.article_credibility_alpha,
    }


def build_card(project: Project, stats: ExportStats, *, layer: str, export_format: str,
               filters: dict[str, Any], headline: Headline | None = None) -> DatasetCard:
    """The card of an export whose counts are ``stats``; ``headline`` if the export already gathered it
    (iter_tallied), else read now."""
    return DatasetCard.from_stats(
        stats, project=project.name, slug=project.slug, layer=layer, export_format=export_format,
        exported_at=timezone.now().isoformat(timespec="seconds"),
        labels=list(project.labels.values_list("key", flat=True)), scale=(project.scale_min, project.scale_max),
        filters=filters, agreement=agreement_summary(headline or get_headline(project)),
        sources=[{"name": name, "kind": kind, "aliases": list(aliases or []), "spans": stats.sources.get(name, 0)}
                 for name, kind, aliases in project.sources.order_by("name").values_list("name", "kind", "aliases")],
        claims=claim_reads.summarise_for_card(project),
    )
