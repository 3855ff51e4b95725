"""Turn one raw record (field dict from any format) into a clean ``Paper``, reporting every change.

All untrusted text is cleaned here, once: control characters, lone surrogates and non-characters become
U+FFFD (counted per field in the report), titles are whitespace-collapsed, and identifiers are normalised so
the key does not depend on which format or spelling a source used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kg.ingest.base import RawRecord
from kg.ingest.dedup import paper_key
from kg.ingest.ids import normalize_arxiv, normalize_doi
from kg.ingest.links import find_links
from kg.records import Paper, Report, Source
from kg.text import clean_text, collapse_ws

_WEB_URL = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)

#: accepted spellings of each field (after lower-casing); the first present non-empty one wins
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "abstract": ("abstract", "summary"),
    "id": ("id",),
    "arxiv_id": ("arxiv_id", "arxiv", "arxivid", "eprint"),
    "doi": ("doi",),
    "url": ("url", "link"),
    "authors": ("authors", "author"),
    "date": ("date", "published", "year"),
    "venue": ("venue", "journal", "booktitle"),
}


def _pick(fields: Mapping[str, Any], name: str) -> Any:
    for alias in ALIASES[name]:
        value = fields.get(alias)
        if value not in (None, "", [], ()):
            return value
    return None


def _as_text(value: Any) -> str | None:
    """Scalars become strings (a numeric year is fine); containers are not text."""
    if value is None or isinstance(value, dict | list | tuple):
        return None
    return value if isinstance(value, str) else str(value)


def _split_authors(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        names = []
        for item in value:
            if isinstance(item, dict):  # {"name": "..."} as in some JSON exports
                item = item.get("name")
            text = _as_text(item)
            if text:
                names.append(text)
        return names
    text = _as_text(value) or ""
    for sep in (";", " and ", ","):
        if sep in text:
            return [part for part in text.split(sep) if part.strip()]
    return [text] if text.strip() else []


class _Fields:
    """One record's fields: picks aliases, cleans text, and reports what was changed or ignored."""

    def __init__(self, raw: RawRecord, report: Report, location: str) -> None:
        self.fields = {str(k).lower(): v for k, v in raw.fields.items()}
        self.report = report
        self.location = location
        self.replaced: dict[str, int] = {}

    def clean(self, name: str, text: str | None) -> str | None:
        if text is None:
            return None
        cleaned, n = clean_text(text)
        if n:
            self.replaced[name] = self.replaced.get(name, 0) + n
        return cleaned

    def raw_text(self, name: str) -> str | None:
        value = _pick(self.fields, name)
        if isinstance(value, dict | list | tuple):
            kind = type(value).__name__
            self.report.warn("bad-field", f"{name}: expected text, found a {kind}; ignored", self.location)
            return None
        return _as_text(value)

    def text(self, name: str) -> str | None:
        return self.clean(name, self.raw_text(name))

    def flush(self) -> None:
        for name, n in self.replaced.items():
            self.report.warn(
                "replaced-characters", f"{name}: {n} characters replaced by U+FFFD", self.location
            )


def _identifiers(f: _Fields) -> tuple[str | None, str | None]:
    """(arXiv id, DOI) from whichever fields carry them; a malformed DOI is reported, not guessed at."""
    id_text, url, doi_text = _as_text(f.fields.get("id")), f.raw_text("url"), f.raw_text("doi")
    candidates = (f.raw_text("arxiv_id"), id_text, url, doi_text)
    arxiv_id = next((a for v in candidates if (a := normalize_arxiv(v))), None)
    doi = next((d for v in (doi_text, id_text, url) if (d := normalize_doi(v))), None)
    if doi_text and not normalize_doi(doi_text):
        msg = f"doi {doi_text[:80]!r} is not a DOI (10.<prefix>/<suffix>); ignored"
        f.report.warn("invalid-doi", msg, f.location)
    return arxiv_id, doi


def make_paper(raw: RawRecord, path: str, report: Report) -> Paper | None:
    """A clean ``Paper`` with one ``Source``, or None (reported as skipped ``no-title``) if it has no title.

    >>> r = Report()
    >>> p = make_paper(RawRecord(3, {"title": " A\\n B ", "id": "arXiv:2101.00001v2"}), "x.jsonl", r)
    >>> p.key, p.title, p.sources[0].line
    ('arxiv-2101.00001', 'A B', 3)
    """
    location = f"{path}:{raw.line}"
    f = _Fields(raw, report, location)
    title = collapse_ws(f.text("title") or "")
    if not title:
        f.flush()
        report.skip("no-title", "record has no title; skipped", location)
        return None
    abstract = (f.text("abstract") or "").strip()
    names = (collapse_ws(f.clean("authors", a) or "") for a in _split_authors(_pick(f.fields, "authors")))
    arxiv_id, doi = _identifiers(f)
    url = (f.text("url") or "").strip() or None
    if url and not _WEB_URL.match(url):  # javascript:, file:, data: ... must not become a clickable link
        report.warn("invalid-url", f"url {url[:80]!r} is not http(s); ignored", location)
        url = None
    date, venue = f.text("date"), f.text("venue")
    f.flush()
    return Paper(
        key=paper_key(arxiv_id, doi, title),
        title=title,
        abstract=abstract,
        arxiv_id=arxiv_id,
        doi=doi,
        url=url,
        authors=tuple(n for n in names if n),
        date=collapse_ws(date or "") or None,
        venue=collapse_ws(venue or "") or None,
        links=find_links(abstract),
        sources=(Source(path, raw.line, raw.listing_date),),
    )
