"""How alike two statements are, to suggest which claim cluster a quote belongs to. Pure: no Django.

A statement is compared on three things, each a number from 0 to 1:

- its words (case-folded, accents, punctuation and possessive "'s" dropped, a small English stop list
  removed, a final "s" stripped, crudely: "troops" and "troop" meet, and so do "news" and "new"): Dice
  overlap of the two word sets;
- its character trigrams (of the same normalised words, so "troops" and "troop" or a misspelt name still
  meet): cosine of the trigram counts;
- its numbers, read whatever their spelling ("12,000" == "12000" == "12 000" == "twelve thousand",
  "six" == "6", "1.4 million" == 1400000): shared numbers over the smaller set, so a quote stating several
  figures matches the claim of each.

similarity = 0.4 words + 0.35 trigrams + 0.25 numbers when either statement holds a number; when neither
does, the number term drops out and the other two share its weight. When both hold numbers and share
none ("10,000 soldiers" and "12,000 troops" are different claims) the result is halved.
"""

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

WORD_WEIGHT, TRIGRAM_WEIGHT, NUMBER_WEIGHT = 0.4, 0.35, 0.25
NUMBER_CLASH = 0.5
MIN_SCORE = 0.2

_STOP = frozenset(
    "a an the of to in on at by for from with and or but as is are was were be been being has have had it its "
    "that this these those there their they them he she his her we our you your i not no than then so such "
    "will would can could may might also about into over after before up out which who whom what when where "
    "said says say according".split()
)
_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# Digits with thousands separators (comma, point, thin or plain space) or a decimal part, or a word.
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_TOKEN = re.compile(r"\d{1,3}(?:[,.\u2009\u202f ]\d{3})+(?![\d])|\d+(?:[.,]\d+)?|[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Features:
    """What a statement is compared on: its words, their trigram counts and the numbers it states."""

    words: frozenset[str]
    trigrams: Counter[str]
    numbers: frozenset[float]


@dataclass(frozen=True, slots=True)
class Candidate:
    """Something a quote may be linked to (a claim cluster), known by ``key``, described by ``texts``
    (its canonical wording and the quotes already linked to it)."""

    key: int
    texts: Sequence[str]


@dataclass(frozen=True, slots=True)
class Ranked:
    key: int
    score: float
    best_text: str  # the candidate's text the quote resembles most


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _number(token: str) -> float | None:
    if token[0].isdecimal():  # what the pattern's \d matches; isdigit() would take a circled digit too
        if re.fullmatch(r"\d{1,3}(?:[,.\u2009\u202f ]\d{3})+", token):
            return float(re.sub(r"\D", "", token))
        return float(token.replace(",", "."))
    return float(_UNITS[token]) if token in _UNITS else None


def _stem(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def features(text: str) -> Features:
    """The words, trigram counts and numbers of ``text`` (see the module docstring)."""
    words: list[str] = []
    numbers: list[float] = []
    current: float | None = None  # the number being read; word numbers may come in several parts
    spoken = False  # whether it is written in words
    for token in _TOKEN.findall(_POSSESSIVE.sub("", _fold(text))):
        value = _number(token)
        if token in _SCALES and current is not None:
            current *= _SCALES[token]
        elif token in _UNITS and spoken and current is not None and _continues(current, _UNITS[token]):
            current += _UNITS[token]
        elif token == "and" and spoken:
            continue  # "one hundred and twenty"
        elif value is not None:
            if current is not None:
                numbers.append(current)
            current, spoken = value, not token[0].isdigit()
        else:
            if current is not None:
                numbers.append(current)
            current, spoken = None, False
            if token not in _STOP:
                words.append(_stem(token))
    if current is not None:
        numbers.append(current)
    joined = " ".join(words)
    trigrams = Counter(joined[i:i + 3] for i in range(max(len(joined) - 2, 0)))
    return Features(frozenset(words), trigrams, frozenset(numbers))


def _continues(current: float, unit: int) -> bool:
    """Whether a word number adds to the word number being read: "twenty" "five", "a hundred and" "twenty"."""
    rest = current % 100
    if rest == 0:
        return current >= 100 and unit < 100
    return rest >= 20 and rest % 10 == 0 and unit < 10


def _dice(first: frozenset[str], second: frozenset[str]) -> float:
    total = len(first) + len(second)
    return 2 * len(first & second) / total if total else 0.0


def _overlap(first: frozenset[float], second: frozenset[float]) -> float:
    """Shared numbers over the smaller set: a quote that states several figures matches each claim of one."""
    smaller = min(len(first), len(second))
    return len(first & second) / smaller if smaller else 0.0


def _cosine(first: Counter[str], second: Counter[str]) -> float:
    if not first or not second:
        return 0.0
    dot = sum(count * second[gram] for gram, count in first.items())
    norm = math.sqrt(sum(c * c for c in first.values())) * math.sqrt(sum(c * c for c in second.values()))
    return dot / norm


def compare(first: Features, second: Features) -> float:
    """How alike two statements are, from 0 (nothing shared) to 1 (the same words and numbers)."""
    words = _dice(first.words, second.words)
    trigrams = _cosine(first.trigrams, second.trigrams)
    if not first.numbers and not second.numbers:
        return (WORD_WEIGHT * words + TRIGRAM_WEIGHT * trigrams) / (WORD_WEIGHT + TRIGRAM_WEIGHT)
    numbers = _overlap(first.numbers, second.numbers)
    score = WORD_WEIGHT * words + TRIGRAM_WEIGHT * trigrams + NUMBER_WEIGHT * numbers
    if first.numbers and second.numbers and not first.numbers & second.numbers:
        score *= NUMBER_CLASH
    return score


def similarity(first: str, second: str) -> float:
    """compare() of two texts."""
    return compare(features(first), features(second))


def rank(quote: str, candidates: Iterable[Candidate], *, limit: int = 5,
         min_score: float = MIN_SCORE) -> list[Ranked]:
    """The candidates ``quote`` most resembles, best first: each scored by its closest text; those below
    ``min_score`` are left out; ties keep the lower key first."""
    wanted = features(quote)
    ranked: list[Ranked] = []
    for candidate in candidates:
        scored = [(compare(wanted, features(text)), text) for text in candidate.texts if text.strip()]
        if not scored:
            continue
        score, best = max(scored, key=lambda pair: pair[0])
        if score >= min_score:
            ranked.append(Ranked(candidate.key, round(score, 4), best))
    ranked.sort(key=lambda entry: (-entry.score, entry.key))
    return ranked[:limit]
