"""schema.org ClaimReview JSON-LD for an adjudicated claim cluster, from plain records.

The shape follows https://schema.org/ClaimReview: ``claimReviewed`` is the canonical wording,
``itemReviewed`` a https://schema.org/Claim with its ``appearance`` (one CreativeWork per article: url,
headline, publisher, datePublished) and ``author`` (the sources that assert it), and ``reviewRating`` a
https://schema.org/Rating on the project's scale (ratingValue between worstRating and bestRating).
"""

from collections.abc import Sequence
from dataclasses import dataclass

CONTEXT = "https://schema.org"
# Source kinds that name an organisation rather than a person; the registry does not say which one a name is,
# so the other kinds are read as people unless the name says otherwise.
ORGANISATION_KINDS = frozenset({"media", "military_intelligence"})
ORGANISATION_WORDS = frozenset({
    "agency", "army", "committee", "council", "government", "institute", "intelligence", "kremlin", "media",
    "ministry", "office", "press", "service", "state", "university", "center", "centre",
})


@dataclass(frozen=True, slots=True)
class Appearance:
    """An article the claim appears in."""

    url: str
    headline: str
    publisher: str  # the outlet
    published: str | None  # ISO date


@dataclass(frozen=True, slots=True)
class ClaimAuthor:
    """A source that asserts the claim, as the registry describes it."""

    name: str
    kind: str
    affiliation: str = ""


@dataclass(frozen=True, slots=True)
class Verdict:
    """The reviewer's verdict: ``rating`` between ``worst`` and ``best`` (the project's scale)."""

    rating: int
    worst: int
    best: int
    explanation: str
    reviewed_on: str  # ISO date


def is_organisation(author: ClaimAuthor) -> bool:
    """Whether the source is an organisation (an outlet, an agency, a government) rather than a person."""
    if author.kind in ORGANISATION_KINDS:
        return True
    words = {word.strip("()'’,.").casefold() for word in author.name.split()}
    return bool(words & ORGANISATION_WORDS)


def _author(author: ClaimAuthor) -> dict[str, object]:
    if is_organisation(author):
        return {"@type": "Organization", "name": author.name}
    person: dict[str, object] = {"@type": "Person", "name": author.name}
    if author.affiliation:
        person["affiliation"] = {"@type": "Organization", "name": author.affiliation}
    return person


def _appearance(appearance: Appearance) -> dict[str, object]:
    work: dict[str, object] = {"@type": "CreativeWork", "headline": appearance.headline}
    if appearance.url:
        work["url"] = appearance.url
    if appearance.publisher:
        work["publisher"] = {"@type": "Organization", "name": appearance.publisher}
    if appearance.published:
        work["datePublished"] = appearance.published
    return work


def claim_review(*, wording: str, url: str, reviewer: str, verdict: Verdict, authors: Sequence[ClaimAuthor],
                 appearances: Sequence[Appearance]) -> dict[str, object]:
    """The ClaimReview of one claim as a JSON-LD object (``json.dumps`` it as is).

    ``url`` is the claim page; ``reviewer`` the organisation that reviewed it (the project);
    ``appearances`` in the order given, the earliest dated one also as ``firstAppearance``.
    """
    claim: dict[str, object] = {"@type": "Claim", "name": wording,
                                "appearance": [_appearance(a) for a in appearances]}
    if authors:
        claim["author"] = [_author(author) for author in authors]
    dated = sorted((a for a in appearances if a.published), key=lambda a: a.published or "")
    if dated:
        claim["firstAppearance"] = _appearance(dated[0])
        claim["datePublished"] = dated[0].published
    rating: dict[str, object] = {"@type": "Rating", "ratingValue": verdict.rating, "bestRating": verdict.best,
                                 "worstRating": verdict.worst}
    if verdict.explanation:
        rating["ratingExplanation"] = verdict.explanation
    return {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": wording,
        "datePublished": verdict.reviewed_on,
        "author": {"@type": "Organization", "name": reviewer},
        "reviewRating": rating,
        "itemReviewed": claim,
    }
