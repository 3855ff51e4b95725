"""What format parsers hand to the reader: raw field dicts with a line number, or a rejected record.

Parsers stay pure (no ``Report``, no paths): they yield :class:`RawRecord` / :class:`Rejected` and raise
:class:`ParseError` with a line and column; :mod:`kg.ingest.reader` turns these into ``Paper`` records,
report entries and one-line :class:`kg.errors.InputError` messages that name the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

#: ``(1-based line number, decoded line including its line ending)``
Lines = Iterable[tuple[int, str]]


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One input record before cleaning: field name -> value as found in the file."""

    line: int
    fields: Mapping[str, Any] = field(default_factory=dict)
    listing_date: str | None = None


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input record the parser could not use (kept for the report, never dropped silently)."""

    line: int
    kind: str
    message: str


Item = RawRecord | Rejected
Items = Iterator[Item]


class ParseError(Exception):
    """A malformed file. Carries the position so the reader can say ``path:line:col: what (how to fix)``."""

    def __init__(self, message: str, line: int = 0, col: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col

    def location(self, path: str) -> str:
        """``path:line:col`` as far as known.

        >>> ParseError("x", 3, 7).location("a.json"), ParseError("x", 3).location("a.json")
        ('a.json:3:7', 'a.json:3')
        """
        if not self.line:
            return path
        return f"{path}:{self.line}:{self.col}" if self.col else f"{path}:{self.line}"
