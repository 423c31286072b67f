"""The plain values the agreement functions take and return: spans, estimates and confidence intervals."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AnnotatedSpan:
    """One analyst's span: ``text[start:end]`` in code points, end exclusive.

    Raises ValueError unless ``0 <= start < end``.
    """

    analyst: str
    start: int
    end: int
    label: str
    source: str | None = None
    credibility: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"a span needs 0 <= start < end, got [{self.start}, {self.end})")

    def overlaps(self, other: "AnnotatedSpan") -> bool:
        """True when the spans share at least one character (touching ends do not)."""
        return self.start < other.end and other.start < self.end

    def overlap(self, other: "AnnotatedSpan") -> int:
        """How many characters the spans share (0 when they only touch or are apart)."""
        return max(0, min(self.end, other.end) - max(self.start, other.start))


@dataclass(frozen=True, slots=True)
class Estimate:
    """An agreement figure, or why there is none: ``value`` is None exactly when it is undefined.

    Undefined figures (one analyst, nothing pairable, no variation) are never reported as 0 or 1.
    """

    value: float | None
    reason: str | None = None

    @property
    def is_defined(self) -> bool:
        return self.value is not None

    @classmethod
    def undefined(cls, reason: str) -> "Estimate":
        """An undefined figure that says why."""
        return cls(None, reason)

    def to_dict(self) -> dict[str, float | str | None]:
        return {"value": self.value, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class ConfidenceInterval:
    """A percentile interval ``[low, high]`` at ``confidence``; both None (with a reason) when undefined."""

    low: float | None
    high: float | None
    confidence: float
    reason: str | None = None

    @property
    def is_defined(self) -> bool:
        return self.low is not None and self.high is not None

    @classmethod
    def undefined(cls, reason: str, confidence: float) -> "ConfidenceInterval":
        """An undefined interval that says why."""
        return cls(None, None, confidence, reason)

    def to_dict(self) -> dict[str, float | str | None]:
        return {"low": self.low, "high": self.high, "confidence": self.confidence, "reason": self.reason}
