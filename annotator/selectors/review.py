"""Reads for reviewers: an article's work aligned unit by unit, the review queue, the audit trail."""

from dataclasses import dataclass
from statistics import pstdev
from typing import Any

from django.db.models import Count, Q, QuerySet

from annotator.agreement.alignment import Match, align_spans
from annotator.agreement.records import AnnotatedSpan
from annotator.agreement.report import ArticleAnnotations, build_report
from annotator.models import (
    Article,
    ArticleAssessment,
    ArticleReview,
    Assignment,
    AssignmentStatus,
    GoldSpan,
    Project,
    ReviewStatus,
    Span,
)
from annotator.selectors.agreement import iter_article_annotations


def _span_row(span: Span) -> dict[str, Any]:
    return {"id": span.pk, "start": span.start, "end": span.end, "quote": span.quote, "label": span.label.key,
            "source": span.source_id, "source_name": span.source.name if span.source else None,
            "credibility": span.credibility, "note": span.note}


def _unit_agreement(members: list[Span], analysts: int) -> dict[str, Any]:
    labels = {span.label_id for span in members}
    extents = {(span.start, span.end) for span in members}
    sources = {span.source_id for span in members}
    scores = [span.credibility for span in members if span.credibility is not None]
    issues = []
    if len(members) < analysts:
        issues.append(f"marked by {len(members)} of {analysts}")
    if len(labels) > 1:
        issues.append("labels differ")
    if len(extents) > 1:
        issues.append("boundaries differ")
    if len(sources) > 1:
        issues.append("sources differ")
    if len(scores) >= 2 and max(scores) - min(scores) > 0:
        issues.append(f"scores {min(scores)}–{max(scores)}")
    return {
        "marked_by": len(members),
        "of": analysts,
        "labels_agree": len(labels) == 1,
        "boundaries_agree": len(extents) == 1,
        "sources_agree": len(sources) == 1,
        "score_spread": (max(scores) - min(scores)) if len(scores) >= 2 else None,
        "score_stdev": round(pstdev(scores), 3) if len(scores) >= 2 else None,
        "is_unanimous": not issues,
        "issues": issues,
    }


def get_article_review(article: Article) -> dict[str, Any]:
    """Everything the review page shows for one article: analysts, aligned units, gold, verdict."""
    assignments = list(
        Assignment.objects.filter(article=article).select_related("analyst").order_by("analyst__username")
    )
    assessments = {a.assignment_id: a for a in ArticleAssessment.objects.filter(assignment__article=article)}
    spans = list(
        Span.objects.filter(assignment__article=article, assignment__status=AssignmentStatus.SUBMITTED)
        .select_related("assignment__analyst", "label", "source")
    )
    records = {AnnotatedSpan(s.assignment.analyst.get_username(), s.start, s.end, s.label.key): s for s in spans}
    submitted = [a for a in assignments if a.is_submitted]
    gold = list(GoldSpan.objects.filter(article=article).select_related("label", "source", "decided_by"))
    units = []
    for unit in align_spans(list(records), match=Match.OVERLAP):
        members = [records[record] for record in unit.spans.values()]
        covering = [g.pk for g in gold if g.start < unit.end and unit.start < g.end]
        units.append({
            "start": unit.start, "end": unit.end, "quote": article.text[unit.start:unit.end],
            "majority_label": unit.majority_label(),
            "spans": {analyst: _span_row(records[record]) for analyst, record in unit.spans.items()},
            "agreement": _unit_agreement(members, len(submitted)),
            "gold": covering,
        })
    review = ArticleReview.objects.filter(article=article).select_related("decided_by").first()
    return {
        "article": {"id": article.pk, "title": article.title, "text": article.text, "outlet": article.outlet,
                    "url": article.url, "published": article.published},
        "analysts": [
            {"assignment": a.pk, "analyst": a.analyst.get_username(), "status": a.status,
             "reopen_comment": a.reopen_comment,
             "credibility": assessments[a.pk].credibility if a.pk in assessments else None,
             "comment": assessments[a.pk].comment if a.pk in assessments else ""}
            for a in assignments
        ],
        "units": units,
        "gold": [
            {"id": g.pk, "start": g.start, "end": g.end, "quote": g.quote, "label": g.label.key, "source": g.source_id,
             "source_name": g.source.name if g.source else None, "credibility": g.credibility, "note": g.note,
             "supporters": g.supporters, "decided_by": g.decided_by.get_username(), "decided_at": g.decided_at,
             "version": g.version}
            for g in gold
        ],
        "review": {
            "status": review.status if review else ReviewStatus.OPEN,
            "credibility": review.credibility if review else None,
            "comment": review.comment if review else "",
            "version": review.version if review else 0,
            "decided_by": review.decided_by.get_username() if review and review.decided_by else None,
            "adjudicated_at": review.adjudicated_at if review else None,
        },
    }


@dataclass(frozen=True, slots=True)
class QueueEntry:
    article_id: int
    title: str
    submitted: int
    assigned: int
    status: str
    gold_spans: int
    overlap_f1: float | None
    label_alpha: float | None
    analysts: list[str]


def list_review_queue(project: Project, *, status: str = "", analyst: str = "",
                      max_alpha: float | None = None) -> list[QueueEntry]:
    """Articles with two or more submissions, most disagreement first (lowest label alpha, then F1)."""
    articles: QuerySet[Article] = project.articles.annotate(
        submitted=Count("assignments", filter=Q(assignments__status=AssignmentStatus.SUBMITTED), distinct=True),
        assigned=Count("assignments", distinct=True),
        gold_total=Count("gold_spans", distinct=True),
    ).filter(submitted__gte=2)
    if analyst:
        articles = articles.filter(assignments__analyst__username=analyst)
    status_of = dict(ArticleReview.objects.filter(article__project=project).values_list("article_id", "status"))
    wanted = {a.pk: a for a in articles}
    if not wanted:
        return []
    records: list[ArticleAnnotations] = list(iter_article_annotations(project, article_ids=list(wanted)))
    report = build_report(records, scale=(project.scale_min, project.scale_max),
                          labels=list(project.labels.values_list("key", flat=True)))
    entries = []
    for row in report["articles_detail"]:
        article = wanted[row["article_id"]]
        entry = QueueEntry(
            article_id=article.pk, title=article.title, submitted=article.submitted, assigned=article.assigned,
            status=status_of.get(article.pk, ReviewStatus.OPEN), gold_spans=article.gold_total,
            overlap_f1=row["overlap"]["f1"], label_alpha=row["label_alpha"]["value"], analysts=row["analysts"],
        )
        if status and entry.status != status:
            continue
        if max_alpha is not None and entry.label_alpha is not None and entry.label_alpha > max_alpha:
            continue
        entries.append(entry)
    return sorted(entries, key=lambda e: (e.label_alpha if e.label_alpha is not None else -1.0,
                                          e.overlap_f1 if e.overlap_f1 is not None else -1.0, e.article_id))


def list_article_audit(article: Article) -> list[dict[str, Any]]:
    """Every recorded change to the article's spans, gold spans, assessments, assignments and review, newest
    first: who, when, what (+ created, ~ changed, - deleted) and the values after the change."""
    entries: list[dict[str, Any]] = []
    sources = [
        ("span", Span.history.filter(assignment_id__in=Assignment.objects.filter(article=article).values("pk")),
         ("start", "end", "quote", "label_id", "source_id", "credibility", "note", "version")),
        ("gold span", GoldSpan.history.filter(article_id=article.pk),
         ("start", "end", "quote", "label_id", "source_id", "credibility", "note", "version")),
        ("assessment", ArticleAssessment.history.filter(
            assignment_id__in=Assignment.objects.filter(article=article).values("pk")), ("credibility", "comment")),
        ("assignment", Assignment.history.filter(article_id=article.pk), ("status", "reopen_comment")),
        ("review", ArticleReview.history.filter(article_id=article.pk), ("status", "credibility", "comment")),
    ]
    for kind, history, fields in sources:
        for row in history.select_related("history_user").order_by("-history_date")[:500]:
            entries.append({
                "kind": kind, "object_id": row.id, "action": row.history_type, "at": row.history_date,
                "by": row.history_user.get_username() if row.history_user else None,
                "values": {field: getattr(row, field) for field in fields},
            })
    return sorted(entries, key=lambda e: e["at"], reverse=True)


def agreement_by_article(articles: QuerySet[Article]) -> dict[int, dict[str, Any]]:
    """Label alpha, overlap F1 and submissions of each article (two or more submissions), one report per
    project involved, so a page of articles costs a few queries."""
    figures: dict[int, dict[str, Any]] = {}
    by_project: dict[int, list[int]] = {}
    for article_id, project_id in articles.values_list("id", "project_id"):
        by_project.setdefault(project_id, []).append(article_id)
    for project in Project.objects.filter(pk__in=by_project):
        records = list(iter_article_annotations(project, article_ids=by_project[project.pk]))
        report = build_report(records, scale=(project.scale_min, project.scale_max),
                              labels=list(project.labels.values_list("key", flat=True)))
        for row in report["articles_detail"]:
            figures[row["article_id"]] = {"label_alpha": row["label_alpha"]["value"],
                                          "overlap_f1": row["overlap"]["f1"], "analysts": len(row["analysts"])}
    return figures


def low_agreement_article_ids(projects: QuerySet[Project], threshold: float = 0.667) -> list[int]:
    """Articles whose label alpha is below ``threshold`` (or undefined) among those with two submissions."""
    ids: list[int] = []
    for project in projects:
        ids.extend(entry.article_id for entry in list_review_queue(project)
                   if entry.label_alpha is None or entry.label_alpha < threshold)
    return ids
