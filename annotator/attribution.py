"""Who says it? Suggest the source of a selected passage from the text around it. Pure: no Django import.

The suggestion looks for the registry's names and aliases near the passage, and weighs each mention by
attribution cues between it and the passage ("said", "according to", "claimed", "told", a colon or a
quotation mark), by distance, and by whether it sits in the same sentence. It is a ranking for a person to
accept with one key, not a decision.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

CUES = (
    "according to", "said", "says", "say", "told", "claimed", "claims", "claim", "stated", "states", "reported",
    "reports", "announced", "added", "warned", "believes", "estimates", "explains", "explained", "assured",
    "insisted", "denied", "denies", "replies", "replied", "declared", "noted", "argued", "predicted", "indicated",
    "admits", "emphasizes", "concludes", "quoted", "cited", "confirmed", "described",
)
_CUE = re.compile(r"\b(?:" + "|".join(re.escape(cue) for cue in CUES) + r")\b|[:“”\"«»]", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z“\"«])|\n")
WINDOW = 300  # characters looked at on each side of the passage


@dataclass(frozen=True, slots=True)
class Candidate:
    """A source known to the registry: its id, canonical name and aliases."""

    source_id: int
    name: str
    aliases: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class Suggestion:
    source_id: int
    name: str
    score: float
    mention: str   # the words in the text that named it
    start: int     # where that mention starts (code points)


def _names(candidate: Candidate) -> list[str]:
    names = [candidate.name, *candidate.aliases]
    return sorted({name.strip() for name in names if len(name.strip()) >= 3}, key=len, reverse=True)


def _mentions(text: str, lo: int, hi: int, candidate: Candidate) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    window = text[lo:hi]
    for name in _names(candidate):
        pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE)
        for match in pattern.finditer(window):
            start, end = lo + match.start(), lo + match.end()
            if not any(s <= start < e or s < end <= e for s, e, _ in found):  # longest name wins
                found.append((start, end, match.group(0)))
    return found


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - WINDOW), start)), default=0)
    right_match = _SENTENCE_END.search(text, end)
    return left, right_match.start() + 1 if right_match else len(text)


def suggest_sources(text: str, start: int, end: int, candidates: Sequence[Candidate], *,
                    limit: int = 3) -> list[Suggestion]:
    """Rank ``candidates`` as the source of ``text[start:end]`` (code points), best first.

    Score of a mention: 1 / (1 + gap / 40) for its distance to the passage, x2 when an attribution cue
    lies between the mention and the passage (or right after the mention), x1.5 in the same sentence;
    a source's score is its best mention's. Mentions inside the passage count too (a quoted speaker).
    """
    lo, hi = max(0, start - WINDOW), min(len(text), end + WINDOW)
    sentence_start, sentence_end = _sentence_bounds(text, start, end)
    ranked: list[Suggestion] = []
    for candidate in candidates:
        best: Suggestion | None = None
        for m_start, m_end, words in _mentions(text, lo, hi, candidate):
            gap = start - m_end if m_end <= start else m_start - end if m_start >= end else 0
            between = text[m_end:start] if m_end <= start else text[end:m_start] if m_start >= end else ""
            after = text[m_end:m_end + 25]
            score = 1.0 / (1.0 + max(gap, 0) / 40.0)
            if _CUE.search(between) or _CUE.search(after):
                score *= 2.0
            if sentence_start <= m_start and m_end <= sentence_end:
                score *= 1.5
            if best is None or score > best.score:
                best = Suggestion(candidate.source_id, candidate.name, round(score, 4), words, m_start)
        if best is not None:
            ranked.append(best)
    ranked.sort(key=lambda s: (-s.score, abs(s.start - start), s.name))
    return ranked[:limit]
