"""The plain values the agreement functions take and return."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AnnotatedSpan:
    """One analyst's span: ``text[start:end]`` in code points, end exclusive."""

    analyst: str
    start: int
    end: int
    label: str
    source: str | None = None
    credibility: int | None = None

    def overlaps(self, other: "AnnotatedSpan") -> bool:
        """True when the spans share at least one character (touching ends do not)."""
        return self.start < other.end and other.start < self.end

    def overlap(self, other: "AnnotatedSpan") -> int:
        return max(0, min(self.end, other.end) - max(self.start, other.start))


@dataclass(frozen=True, slots=True)
class Estimate:
    """An agreement figure, or why there is none: ``value`` is None exactly when it is undefined."""

    value: float | None
    reason: str | None = None

    @property
    def is_defined(self) -> bool:
        return self.value is not None

    @classmethod
    def undefined(cls, reason: str) -> "Estimate":
        return cls(None, reason)


def reading(value: float | None) -> str:
    """Krippendorff's reading guide for alpha: >= 0.8 reliable, >= 0.667 tentative, else unreliable."""
    if value is None:
        return "undefined"
    if value >= 0.8:
        return "reliable"
    if value >= 0.667:
        return "tentative"
    return "unreliable"
