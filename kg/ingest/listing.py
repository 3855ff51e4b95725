"""Plain-text paper listings (copied from daily-paper pages): a title paragraph, then an abstract paragraph.

Page boilerplate ("Subscribe", "Daily Papers", …) is skipped; a date line such as ``Mar 19`` sets the listing
date of the records that follow (kept as written). Paragraphs are separated by blank lines.

The format has no markup, so titles and abstracts are told apart by shape: an abstract is several lines,
long (> 300 characters) or several sentences ending in a full stop; after a title, a short single line not
ending in a full stop is the next title, so the first one is kept with an empty abstract (as is a title at the
end of the file). An abstract with no title before it is rejected (reported, never silently dropped). A short
abstract without a full stop therefore reads as a title: an ambiguity of the format, not of the parser.
Lines are streamed, never read all at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from kg.ingest.base import Items, Lines, RawRecord, Rejected
from kg.ingest.textio import iter_lines

BOILERPLATE = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "byak and the research community",
        "daily papers",
        "trending papers",
        "submit a paper",
        "submit paper",
    }
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    rf"^(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}})$", re.I
)
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z(]")
MAX_TITLE_CHARS = 300


def _paragraphs(lines: Lines) -> Iterator[tuple[int, int, str]]:
    """``(first line, number of lines, text)`` per blank-line separated paragraph, lines joined by spaces."""
    start, parts = 0, []
    for number, line in lines:
        text = line.strip(
            " \t\r\n"
        )  # not str.strip(): a control character at a line end must reach clean_text
        if text.strip():
            if not parts:
                start = number
            parts.append(text)
        elif parts:
            yield start, len(parts), " ".join(parts)
            parts = []
    if parts:
        yield start, len(parts), " ".join(parts)


def is_boilerplate(text: str) -> bool:
    return text.casefold() in BOILERPLATE


def is_date(text: str) -> bool:
    """``Mar 19``, ``March 19``, ``Mar 19, 2024``, ``2024-03-19``."""
    return bool(_DATE.match(text))


def _reads_as_abstract(nlines: int, text: str) -> bool:
    """Running text: wrapped, long, or several sentences ending in a full stop (``Who? Why`` is a title)."""
    if nlines > 1 or len(text) > MAX_TITLE_CHARS:
        return True
    return text.endswith(".") and bool(_SENTENCE_BREAK.search(text))


def _reads_as_title(nlines: int, text: str) -> bool:
    return not _reads_as_abstract(nlines, text) and not text.endswith(".")


def parse_listing(lines: Lines) -> Items:
    """Records from a listing; see the module docstring for how titles and abstracts are recognised.

    >>> rs = list(parse_listing(enumerate(["Mar 19", "", "A Title", "", "An abstract. It has text.", ""], 1)))
    >>> [(r.line, r.fields["title"], r.fields["abstract"], r.listing_date) for r in rs]
    [(3, 'A Title', 'An abstract. It has text.', 'Mar 19')]
    """
    date: str | None = None
    pending: tuple[int, str] | None = None  # (line, title) waiting for its abstract
    for start, nlines, text in _paragraphs(lines):
        if pending is None:
            if nlines == 1 and is_boilerplate(text):
                continue
            if nlines == 1 and is_date(text):
                date = text
            elif _reads_as_abstract(nlines, text):
                yield Rejected(
                    start, "no-title", f"paragraph reads like an abstract with no title: {text[:60]!r}"
                )
            else:
                pending = (start, text)
            continue
        if nlines == 1 and (is_boilerplate(text) or is_date(text) or _reads_as_title(nlines, text)):
            yield RawRecord(pending[0], {"title": pending[1], "abstract": ""}, date)
            pending = None
            if is_date(text):
                date = text
            elif not is_boilerplate(text):
                pending = (start, text)
            continue
        yield RawRecord(pending[0], {"title": pending[1], "abstract": text}, date)
        pending = None
    if pending is not None:  # file ends after a title: keep it without an abstract
        yield RawRecord(pending[0], {"title": pending[1], "abstract": ""}, date)


def read_listing(path: Path, encoding: str = "utf-8", display: str | None = None) -> Items:
    return parse_listing(iter_lines(path, encoding, display))
