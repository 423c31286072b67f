"""Walking several id-ordered query streams side by side without loading them."""

from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import Any


class GroupCursor:
    """Rows grouped by their first column (an ascending id), taken group by group as the ids come."""

    def __init__(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self.groups: Iterator[tuple[Any, Iterator[tuple[Any, ...]]]] = groupby(rows, key=lambda row: row[0])
        self.current = next(self.groups, None)

    def take(self, key: int) -> list[tuple[Any, ...]]:
        """The rows whose first column is ``key`` (empty if none); rows of smaller keys are skipped."""
        while self.current is not None and self.current[0] < key:
            self.current = next(self.groups, None)
        if self.current is None or self.current[0] != key:
            return []
        rows = list(self.current[1])
        self.current = next(self.groups, None)
        return rows
