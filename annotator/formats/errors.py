"""The one error a reader raises: which line of which input is wrong, and why."""


class FormatError(ValueError):
    """A malformed record. ``line`` is 1-based (None for a whole-file problem); ``field`` may name a key."""

    def __init__(self, message: str, *, line: int | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.field = field

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line is not None else self.message
