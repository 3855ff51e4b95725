"""arXiv API Atom feeds (``.xml``, ``.atom``), streamed through defusedxml's SAX parser.

A DOCTYPE is refused as soon as the parser sees it ("DTD not allowed"): no entity is expanded and no
external resource is read, so a billion-laughs file fails in milliseconds. The XML declaration, not
``--encoding``, decides how the bytes are decoded (that is how XML works).
"""

from __future__ import annotations

import io
import itertools
import xml.sax
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from kg.ingest.base import Items, ParseError, RawRecord, Rejected

ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
_TEXT = {
    (ATOM, "id"): "id",
    (ATOM, "title"): "title",
    (ATOM, "summary"): "abstract",
    (ATOM, "published"): "date",
    (ARXIV, "doi"): "doi",
    (ARXIV, "journal_ref"): "venue",
}
_CHUNK = 1 << 16


class _AtomHandler(xml.sax.ContentHandler):
    """Collects one dict per ``<entry>``; text outside entries (the feed title) is ignored."""

    def __init__(self) -> None:
        super().__init__()
        self.done: list[RawRecord] = []
        self.entry: dict[str, Any] | None = None
        self.line = 0
        self.field: str | None = None
        self.text: list[str] = []
        self.in_author = False

    def _line(self) -> int:
        return self._locator.getLineNumber() if self._locator else 0

    def startElementNS(self, name: tuple[str | None, str], qname: str | None, attrs: Any) -> None:
        if name == (ATOM, "entry"):
            self.entry, self.line = {"authors": []}, self._line()
        elif self.entry is None:
            return
        elif name == (ATOM, "author"):
            self.in_author = True
        elif name == (ATOM, "name") and self.in_author:
            self.field, self.text = "author", []
        elif name == (ATOM, "link"):
            href = attrs.get((None, "href"))
            if attrs.get((None, "title")) == "doi":
                self.entry.setdefault("doi_link", href)
            elif attrs.get((None, "rel"), "alternate") == "alternate":
                self.entry.setdefault("url", href)
        elif name in _TEXT:
            self.field, self.text = _TEXT[name], []

    def characters(self, content: str) -> None:
        if self.field is not None:
            self.text.append(content)

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        if self.entry is None:
            return
        if name == (ATOM, "entry"):
            if "doi_link" in self.entry:
                self.entry.setdefault("doi", self.entry.pop("doi_link"))
            self.done.append(RawRecord(self.line, self.entry))
            self.entry = None
        elif name == (ATOM, "author"):
            self.in_author = False
        elif self.field is not None:
            text = "".join(self.text).strip()
            if self.field == "abstract":  # arXiv hard-wraps summaries at ~80 columns
                text = " ".join(text.split())
            if self.field == "author":
                self.entry["authors"].append(text)
            else:
                self.entry.setdefault(self.field, text)
            self.field = None


def _as_item(record: RawRecord) -> RawRecord | Rejected:
    """arXiv reports API errors as an entry whose id is ``…/api/errors#…``: report it, do not import it."""
    if "/api/errors" in str(record.fields.get("id", "")):
        return Rejected(
            record.line, "atom-error-entry", f"arXiv API error entry: {record.fields.get('abstract')}"
        )
    return record


def parse_atom(chunks: Iterable[bytes]) -> Items:
    """Records from Atom XML bytes (an iterable of chunks, so large feeds are streamed).

    >>> feed = b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2101.00001v2</id>'
    >>> [dict(r.fields) for r in parse_atom([feed, b"<title>T</title></entry></feed>"])]
    [{'authors': [], 'id': 'http://arxiv.org/abs/2101.00001v2', 'title': 'T'}]
    """
    from defusedxml.common import DefusedXmlException, DTDForbidden
    from defusedxml.expatreader import create_parser

    parser = create_parser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    handler = _AtomHandler()
    parser.setContentHandler(handler)
    handler.setDocumentLocator(parser)  # feed() does not set one (only parse() does); the parser is a Locator

    def position() -> tuple[int, int]:
        return parser.getLineNumber(), parser.getColumnNumber() + 1

    blank: (
        list[bytes] | None
    ) = []  # leading whitespace, held back so an empty file is "0 papers", not an XML error
    try:
        for chunk in itertools.chain(chunks, [None]):
            if chunk is None:
                if blank is not None:
                    return
                parser.close()
            elif blank is not None and not chunk.strip():
                blank.append(chunk)
                continue
            else:
                parser.feed(b"".join([*blank, chunk]) if blank else chunk)
                blank = None
            yield from (_as_item(r) for r in handler.done)
            handler.done.clear()
    except DTDForbidden:
        raise ParseError("DTD not allowed (remove the <!DOCTYPE …> declaration)", *position()) from None
    except DefusedXmlException as e:
        raise ParseError(f"unsafe XML refused: {e} (remove entity declarations)", *position()) from None
    except xml.sax.SAXParseException as e:
        raise ParseError(
            f"malformed XML: {e.getMessage()}", e.getLineNumber(), e.getColumnNumber() + 1
        ) from None


def _chunks(f: BinaryIO) -> Iterator[bytes]:
    yield from iter(lambda: f.read(_CHUNK), b"")


def read_atom(path: Path, encoding: str = "utf-8", display: str | None = None) -> Items:
    """``encoding`` is ignored: the XML declaration decides (see module docstring)."""
    with path.open("rb") as f:
        yield from parse_atom(_chunks(f))


def parse_atom_bytes(data: bytes) -> Items:
    """Convenience for tests and callers holding the whole feed in memory."""
    return parse_atom(_chunks(io.BytesIO(data)))
