"""A check that a JSON-LD object uses only schema.org types and properties, each where schema.org defines it,
with values of the expected type. Covers the part of the vocabulary Credence writes (ClaimReview).

Definitions, as published on schema.org (property: expected types):
- https://schema.org/Thing: name (Text), alternateName (Text), description (Text), url (URL), sameAs (URL)
- https://schema.org/CreativeWork (a Thing): author (Organization, Person), datePublished (Date, DateTime),
  headline (Text), publisher (Organization, Person), text (Text)
- https://schema.org/Claim (a CreativeWork): appearance (CreativeWork), firstAppearance (CreativeWork)
- https://schema.org/Review (a CreativeWork): itemReviewed (Thing), reviewRating (Rating), reviewBody (Text)
- https://schema.org/ClaimReview (a Review): claimReviewed (Text)
- https://schema.org/Rating (an Intangible, a Thing): author (Organization, Person), bestRating (Number,
  Text), ratingExplanation (Text), ratingValue (Number, Text), worstRating (Number, Text)
- https://schema.org/Organization (a Thing); https://schema.org/Person (a Thing): affiliation (Organization)
"""

import datetime as dt

PARENT = {"Thing": None, "CreativeWork": "Thing", "Claim": "CreativeWork", "Review": "CreativeWork",
          "ClaimReview": "Review", "Rating": "Thing", "Organization": "Thing", "Person": "Thing"}
PROPERTIES = {
    "Thing": {"name": "Text", "alternateName": "Text", "description": "Text", "url": "URL", "sameAs": "URL"},
    "CreativeWork": {"author": ("Organization", "Person"), "datePublished": "Date", "headline": "Text",
                     "publisher": ("Organization", "Person"), "text": "Text"},
    "Claim": {"appearance": ("CreativeWork",), "firstAppearance": ("CreativeWork",)},
    "Review": {"itemReviewed": ("Thing",), "reviewRating": ("Rating",), "reviewBody": "Text"},
    "ClaimReview": {"claimReviewed": "Text"},
    "Rating": {"author": ("Organization", "Person"), "bestRating": "NumberOrText", "ratingExplanation": "Text",
               "ratingValue": "NumberOrText", "worstRating": "NumberOrText"},
    "Organization": {},
    "Person": {"affiliation": ("Organization",)},
}


def _is_a(kind: str, wanted: str) -> bool:
    while kind is not None:
        if kind == wanted:
            return True
        kind = PARENT[kind]
    return False


def _property(kind: str, name: str):
    while kind is not None:
        if name in PROPERTIES[kind]:
            return PROPERTIES[kind][name]
        kind = PARENT[kind]
    return None


def _check_value(value, expected, where: str) -> list[str]:
    if isinstance(expected, tuple):
        if not isinstance(value, dict):
            return [f"{where}: expected a {' or '.join(expected)} object, got {value!r}"]
        kind = value.get("@type")
        if kind not in PARENT or not any(_is_a(kind, wanted) for wanted in expected):
            return [f"{where}: {kind!r} is not a {' or '.join(expected)}"]
        return schema_org_problems(value, where)
    if expected == "Text":
        return [] if isinstance(value, str) else [f"{where}: expected Text, got {value!r}"]
    if expected == "NumberOrText":
        ok = isinstance(value, int | float | str) and not isinstance(value, bool)
        return [] if ok else [f"{where}: expected a Number or Text, got {value!r}"]
    if expected == "URL":
        ok = isinstance(value, str) and value.startswith(("http://", "https://"))
        return [] if ok else [f"{where}: expected a URL, got {value!r}"]
    if expected == "Date":
        try:
            dt.datetime.fromisoformat(value)
            return []
        except (TypeError, ValueError):
            return [f"{where}: expected an ISO 8601 Date or DateTime, got {value!r}"]
    raise AssertionError(expected)


def schema_org_problems(node: dict, where: str = "$") -> list[str]:
    """Every use of a type or property that schema.org does not define that way; empty when all is well."""
    kind = node.get("@type")
    if kind not in PARENT:
        return [f"{where}: unknown type {kind!r}"]
    problems = []
    for name, value in node.items():
        if name == "@type" or (name == "@context" and value == "https://schema.org"):
            continue
        expected = _property(kind, name)
        if expected is None:
            problems.append(f"{where}.{name}: not a property of {kind}")
            continue
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            problems.extend(_check_value(item, expected, f"{where}.{name}[{index}]"))
    return problems
