"""CSV / TSV with a header row (column names case-insensitive, same fields as JSON), streamed row by row.

The delimiter is taken from the header line (the most frequent of tab, comma, semicolon; ``.tsv`` prefers
tab), which is deterministic where ``csv.Sniffer`` guesses. Quoted fields may span lines; each record's line
is the line its row starts on.
"""

from __future__ import annotations

import csv
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path

from kg.ingest.base import Items, Lines, ParseError, RawRecord, Rejected
from kg.ingest.textio import iter_lines

_DELIMITERS = ("\t", ",", ";")


def _raise_field_limit() -> None:
    """csv refuses fields over 128 KiB by default; long abstracts are legitimate (the file size is capped)."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 2


def guess_delimiter(header: str, prefer_tab: bool = False) -> str:
    """The delimiter used in the header line.

    >>> guess_delimiter("title\\tabstract"), guess_delimiter("Title;Abstract;DOI"), guess_delimiter("title")
    ('\\t', ';', ',')
    """
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    if counts[best] == 0:
        return "\t" if prefer_tab else ","
    if prefer_tab and counts["\t"]:
        return "\t"
    return best


def parse_csv(lines: Lines, prefer_tab: bool = False) -> Items:
    """Records from rows under a header.

    >>> rows = [(1, "Title,Abstract\\n"), (2, 'A,"x, y"\\n'), (3, "B,z\\n")]
    >>> [(r.line, dict(r.fields)) for r in parse_csv(rows)]
    [(2, {'title': 'A', 'abstract': 'x, y'}), (3, {'title': 'B', 'abstract': 'z'})]
    """
    _raise_field_limit()
    numbered = iter(lines)
    first = next(((n, t) for n, t in numbered if t.strip()), None)
    if first is None:
        return
    header_line, header_text = first
    line_of = {"n": header_line}

    def texts() -> Iterator[str]:
        for n, t in itertools.chain([first], numbered):
            line_of["n"] = n
            yield t

    reader = csv.reader(texts(), delimiter=guess_delimiter(header_text, prefer_tab), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
        seen: set[str] = set()
        for h in header:
            if h and h in seen:
                raise ParseError(f"duplicate column {h!r} in the header (keep one)", header_line, 1)
            seen.add(h)
        if "title" not in header:
            raise ParseError(
                f"no 'title' column in the header (found: {', '.join(header)[:200]})", header_line, 1
            )
        while True:
            start = line_of["n"] + 1
            row = next(reader, None)
            if row is None:
                return
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                msg = f"row has {len(row)} cells, the header {len(header)} (quote cells with the delimiter)"
                yield Rejected(start, "bad-row", msg)
                continue
            yield RawRecord(start, {h: v for h, v in zip(header, row, strict=False) if h})
    except csv.Error as e:
        raise ParseError(f"malformed CSV: {e} (check the quoting)", line_of["n"], 1) from None


def read_csv(path: Path, encoding: str = "utf-8", display: str | None = None) -> Items:
    return parse_csv(iter_lines(path, encoding, display), prefer_tab=path.suffix.lower() == ".tsv")
