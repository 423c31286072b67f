"""Reads of claim clusters for a user: which links they see, the claim page, suggestions, ClaimReview.

Every member sees every cluster of the project and its wording. Reviewers and managers see every link and
the verdict. Analysts see the links on their own spans; in a project that is not blind also the links on
other analysts' spans of articles assigned to them, and the verdict; never links on gold spans.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from statistics import median_low
from typing import Any

import numpy as np
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from annotator import claim_similarity
from annotator.agreement import alpha
from annotator.agreement.records import Estimate
from annotator.formats import claimreview
from annotator.formats.records import ExportClaim, ExportSpan, JsonValue
from annotator.models import Article, AssignmentStatus, ClaimCluster, ClaimLink, Project, Role
from annotator.selectors import access

User = AbstractBaseUser | AnonymousUser
STANCES = {"claim": "asserted", "denial": "denied", "expert_opinion": "expert"}


def sees_everything(project: Project, role: str | None) -> bool:
    """Reviewers and managers see every link and the verdict."""
    return role in access.REVIEW_ROLES


def sees_verdict(project: Project, role: str | None) -> bool:
    """Reviewers and managers; analysts only in a project that is not blind."""
    return sees_everything(project, role) or (role == Role.ANALYST and not project.is_blind)


def visible_links(project: Project, user: User) -> QuerySet[ClaimLink]:
    """The links of the project's clusters that ``user`` may see (none for outsiders)."""
    role = access.role_in(project, user)
    links = ClaimLink.objects.filter(cluster__project=project)
    if sees_everything(project, role):
        return links
    if role != Role.ANALYST:
        return links.none()
    if project.is_blind:
        return links.filter(span__assignment__analyst=user)
    assigned = Article.objects.filter(project=project, assignments__analyst=user)
    return links.filter(span__assignment__article__in=assigned)


def get_visible_link(cluster: ClaimCluster, link_id: int, user: User) -> ClaimLink:
    """One link of ``cluster`` the user may see; 404 otherwise."""
    link = visible_links(cluster.project, user).filter(cluster=cluster, pk=link_id).first()
    if link is None:
        raise Http404("No such link.")
    return link


def _link_rows(links: QuerySet[ClaimLink]) -> list[ClaimLink]:
    return list(links.select_related(
        "created_by", "span__label", "span__source", "span__assignment__analyst", "span__assignment__article",
        "gold_span__label", "gold_span__source", "gold_span__article",
    ).order_by("cluster_id", "id"))


def list_clusters(project: Project, user: User, *, search: str = "", span_id: int | None = None,
                  gold_span_id: int | None = None) -> list[dict[str, Any]]:
    """The project's clusters with the number of appearances and articles the user sees, by wording.

    With ``span_id`` or ``gold_span_id``: only the clusters that span is linked to (that the user sees),
    each with the ``link`` id.
    """
    role = access.role_in(project, user)
    clusters = ClaimCluster.objects.filter(project=project).select_related("created_by")
    if search.strip():
        clusters = clusters.filter(wording__icontains=search.strip())
    links = visible_links(project, user)
    linked_here: dict[int, int] = {}
    if span_id is not None or gold_span_id is not None:
        here = links.filter(span_id=span_id) if span_id is not None else links.filter(gold_span_id=gold_span_id)
        linked_here = dict(here.values_list("cluster_id", "id"))
        clusters = clusters.filter(pk__in=linked_here)
    appearances: Counter[int] = Counter()
    articles: dict[int, set[int]] = defaultdict(set)
    for cluster_id, article_id, gold_article_id in links.values_list(
            "cluster_id", "span__assignment__article_id", "gold_span__article_id"):
        appearances[cluster_id] += 1
        articles[cluster_id].add(article_id or gold_article_id)
    verdicts = sees_verdict(project, role)
    return [
        {"id": c.pk, "wording": c.wording, "created_by": c.created_by.get_username(),
         "appearances": appearances[c.pk], "articles": len(articles[c.pk]),
         "is_adjudicated": c.is_adjudicated if verdicts else None,
         "verdict": c.verdict if verdicts else None, "version": c.version,
         "link": linked_here.get(c.pk)}
        for c in clusters.order_by("wording", "id")
    ]


def _appearance(link: ClaimLink) -> dict[str, Any]:
    target = link.span if link.span is not None else link.gold_span
    assert target is not None  # a link has exactly one target (claimlink_one_target)
    article = link.span.assignment.article if link.span is not None else link.gold_span.article  # type: ignore[union-attr]
    source = target.source
    return {
        "link": link.pk,
        "kind": "analyst" if link.span is not None else "gold",
        "span": link.span_id, "gold_span": link.gold_span_id,
        "article": {"id": article.pk, "title": article.title, "outlet": article.outlet, "url": article.url,
                    "published": article.published.isoformat() if article.published else None},
        "quote": target.quote, "label": target.label.key, "label_name": target.label.name,
        "source": {"id": source.pk, "name": source.name, "kind": source.kind,
                   "affiliation": source.affiliation} if source else None,
        "credibility": target.credibility,
        "analyst": link.span.assignment.analyst.get_username() if link.span is not None else None,
        "is_submitted": link.span.assignment.status == AssignmentStatus.SUBMITTED if link.span is not None else None,
        "linked_by": link.created_by.get_username(),
    }


def _stances(appearances: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Who asserts, denies or gives an expert opinion on the claim: sources by how often, most first."""
    counts: dict[str, Counter[str]] = {"asserted": Counter(), "denied": Counter(), "expert": Counter(),
                                       "other": Counter()}
    for row in appearances:
        stance = STANCES.get(row["label"], "other")
        counts[stance][row["source"]["name"] if row["source"] else ""] += 1
    return {stance: [{"source": name or None, "appearances": n}
                     for name, n in sorted(found.items(), key=lambda item: (-item[1], item[0]))]
            for stance, found in counts.items()}


def _scores(project: Project, appearances: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The analysts' credibility scores of the claim's appearances and how far they agree.

    Units are the articles the claim appears in; each analyst's value in an article is the (lower) median
    of the scores on their linked spans there. Submitted assignments only. Ordinal alpha on the project's
    declared scale.
    """
    given: dict[tuple[str, int], list[int]] = defaultdict(list)
    for row in appearances:
        if row["kind"] == "analyst" and row["is_submitted"] and row["credibility"] is not None:
            given[(row["analyst"], row["article"]["id"])].append(row["credibility"])
    analysts = sorted({analyst for analyst, _ in given})
    articles = sorted({article for _, article in given})
    matrix = np.full((len(analysts), len(articles)), np.nan)
    for (analyst, article), scores in given.items():
        matrix[analysts.index(analyst), articles.index(article)] = median_low(scores)
    values = [score for scores in given.values() for score in scores]
    if len(analysts) >= 2:
        estimate = alpha.krippendorff_alpha(matrix, alpha.Level.ORDINAL, values=list(project.scale))
    else:
        estimate = Estimate.undefined("alpha needs scores from two or more analysts")
    figure: dict[str, Any] = {**estimate.to_dict(), "reading": alpha.reading(estimate.value)}
    return {
        "count": len(values), "analysts": len(analysts), "articles": len(articles),
        "mean": round(sum(values) / len(values), 3) if values else None,
        "min": min(values) if values else None, "max": max(values) if values else None,
        "distribution": {str(level): values.count(level) for level in project.scale},
        "alpha_ordinal": figure,
    }


def get_claim_detail(cluster: ClaimCluster, user: User) -> dict[str, Any]:
    """Everything the claim page shows to ``user``: appearances, stances, scores and their agreement, the
    verdict (when the user may see it) and what the user may do."""
    project = cluster.project
    role = access.role_in(project, user)
    appearances = [_appearance(link) for link in _link_rows(visible_links(project, user).filter(cluster=cluster))]
    appearances.sort(key=lambda row: (row["article"]["published"] or "9999", row["article"]["id"], row["link"]))
    is_reviewer = sees_everything(project, role)
    is_creator = cluster.created_by_id == getattr(user, "pk", None)
    verdict = None
    if sees_verdict(project, role) and cluster.is_adjudicated:
        verdict = {"verdict": cluster.verdict, "verdict_note": cluster.verdict_note,
                   "adjudicated_by": cluster.adjudicated_by.get_username() if cluster.adjudicated_by else None,
                   "adjudicated_at": cluster.adjudicated_at}
    return {
        "id": cluster.pk, "wording": cluster.wording, "version": cluster.version,
        "project": {"id": project.pk, "name": project.name, "slug": project.slug, "is_blind": project.is_blind,
                    "scale_min": project.scale_min, "scale_max": project.scale_max},
        "created_by": cluster.created_by.get_username(), "created_at": cluster.created_at,
        "appearances": appearances,
        "articles": len({row["article"]["id"] for row in appearances}),
        "stances": _stances(appearances),
        "scores": _scores(project, appearances),
        "is_adjudicated": cluster.is_adjudicated if sees_verdict(project, role) else None,
        "verdict": verdict,
        "can": {"adjudicate": is_reviewer, "rename": is_reviewer or (is_creator and not cluster.is_adjudicated),
                "link_gold": is_reviewer},
    }


def suggest_clusters(project: Project, user: User, quote: str, *, exclude: Iterable[int] = (),
                     limit: int = 5) -> list[dict[str, Any]]:
    """The clusters ``quote`` most resembles, by their wording and the linked quotes the user sees (so a
    suggestion never rests on work the user may not see)."""
    texts: dict[int, list[str]] = defaultdict(list)
    for cluster_id, wording in ClaimCluster.objects.filter(project=project).values_list("id", "wording"):
        texts[cluster_id].append(wording)
    for cluster_id, span_quote, gold_quote in visible_links(project, user).values_list(
            "cluster_id", "span__quote", "gold_span__quote"):
        texts[cluster_id].append(span_quote or gold_quote)
    skip = set(exclude)
    candidates = [claim_similarity.Candidate(key, found) for key, found in texts.items() if key not in skip]
    ranked = claim_similarity.rank(quote, candidates, limit=limit)
    wording = {key: found[0] for key, found in texts.items()}
    return [{"id": entry.key, "wording": wording[entry.key], "score": entry.score, "matched": entry.best_text}
            for entry in ranked]


def get_claim_review(cluster: ClaimCluster, user: User, *, url: str) -> dict[str, object] | None:
    """The schema.org ClaimReview of an adjudicated cluster, from the appearances ``user`` sees; None when
    the cluster has no verdict. ``url`` is the claim page's absolute address."""
    if not cluster.is_adjudicated or cluster.verdict is None or cluster.adjudicated_at is None:
        return None
    detail = get_claim_detail(cluster, user)
    seen: dict[int, claimreview.Appearance] = {}
    authors: dict[str, claimreview.ClaimAuthor] = {}
    for row in detail["appearances"]:
        article = row["article"]
        seen.setdefault(article["id"], claimreview.Appearance(article["url"], article["title"], article["outlet"],
                                                              article["published"]))
        if STANCES.get(row["label"]) == "asserted" and row["source"]:
            source = row["source"]
            authors.setdefault(source["name"], claimreview.ClaimAuthor(source["name"], source["kind"],
                                                                       source["affiliation"]))
    project = cluster.project
    verdict = claimreview.Verdict(cluster.verdict, project.scale_min, project.scale_max, cluster.verdict_note,
                                  cluster.adjudicated_at.date().isoformat())
    return claimreview.claim_review(wording=cluster.wording, url=url, reviewer=f"{project.name} (Credence)",
                                    verdict=verdict, authors=list(authors.values()),
                                    appearances=list(seen.values()))


def summarise_for_card(project: Project) -> list[dict[str, JsonValue]]:
    """Every cluster of the project for a dataset card: id, wording, appearances, articles, verdict (or None)."""
    appearances: Counter[int] = Counter()
    articles: dict[int, set[int]] = defaultdict(set)
    for cluster_id, article_id, gold_article_id in ClaimLink.objects.filter(cluster__project=project).values_list(
            "cluster_id", "span__assignment__article_id", "gold_span__article_id"):
        appearances[cluster_id] += 1
        articles[cluster_id].add(article_id or gold_article_id)
    return [{"id": pk, "wording": wording, "appearances": appearances[pk], "articles": len(articles[pk]),
             "verdict": verdict if adjudicated_at is not None else None}
            for pk, wording, verdict, adjudicated_at in ClaimCluster.objects.filter(project=project)
            .order_by("id").values_list("id", "wording", "verdict", "adjudicated_at")]


SpanKey = tuple[int, str | None, int, int, str]  # article id, analyst (None in the gold layer), start, end, label


def claims_by_span(project: Project, layer: str) -> dict[SpanKey, tuple[ExportClaim, ...]]:
    """The claim clusters of each exported span of ``layer``: analyst spans by their links; gold spans by
    theirs and by those of the analysts' spans they rest on. The majority layer has none (its spans are
    computed, not stored)."""
    found: dict[SpanKey, dict[int, ExportClaim]] = defaultdict(dict)
    links = ClaimLink.objects.filter(cluster__project=project)
    if layer == "analyst":
        rows = links.filter(span__isnull=False).values_list(
            "span__assignment__article_id", "span__assignment__analyst__username", "span__start", "span__end",
            "span__label__key", "cluster_id", "cluster__wording")
    elif layer == "gold":
        direct = links.filter(gold_span__isnull=False).values_list(
            "gold_span__article_id", "gold_span__start", "gold_span__end", "gold_span__label__key", "cluster_id",
            "cluster__wording")
        supported = links.filter(span__gold_spans__isnull=False).values_list(
            "span__gold_spans__article_id", "span__gold_spans__start", "span__gold_spans__end",
            "span__gold_spans__label__key", "cluster_id", "cluster__wording")
        rows = [(article, None, start, end, label, pk, wording)  # type: ignore[assignment]  # a list, not a QuerySet
                for article, start, end, label, pk, wording in [*direct, *supported]]
    else:
        return {}
    for article, analyst, start, end, label, pk, wording in rows:
        found[(article, analyst, start, end, label)][pk] = ExportClaim(pk, wording)
    return {key: tuple(claims[pk] for pk in sorted(claims)) for key, claims in found.items()}


def with_claims(article_id: int, spans: tuple[ExportSpan, ...],
                claims: Mapping[SpanKey, tuple[ExportClaim, ...]]) -> tuple[ExportSpan, ...]:
    """``spans`` of the article, each with the claim clusters ``claims`` (from claims_by_span) gives it."""
    if not claims:
        return spans
    return tuple(span._replace(claims=claims.get((article_id, span.analyst, span.start, span.end, span.label), ()))
                 for span in spans)
