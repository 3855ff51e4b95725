"""BibTeX (``.bib``) via bibtexparser v2; the file is parsed whole (bibtexparser has no streaming API).

BibTeX in the wild is messy, so one bad entry must not cost the rest: entries with unbalanced braces,
duplicate keys, duplicate fields or an unknown ``@type`` are rejected (reported with ``file:line``) and the
others are imported. ``@string`` macros are resolved by bibtexparser's default middleware. LaTeX markup in
titles, abstracts and names is reduced to plain text (``{BERT}`` -> ``BERT``, ``{\\"o}`` -> ``ö``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kg.ingest.base import Items, ParseError, RawRecord, Rejected
from kg.ingest.textio import read_text

# fmt: off
ENTRY_TYPES = frozenset([
    # BibTeX
    "article", "book", "booklet", "conference", "inbook", "incollection", "inproceedings", "manual",
    "mastersthesis", "misc", "phdthesis", "proceedings", "techreport", "unpublished",
    # biblatex and common extensions
    "online", "electronic", "www", "report", "thesis", "software", "dataset", "preprint", "collection",
    "mvbook", "periodical", "patent",
])
# fmt: on
_TEXT_FIELDS = ("title", "abstract", "journal", "booktitle")
_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")


@contextmanager
def _quiet_bibtexparser() -> Iterator[None]:
    """bibtexparser logs each bad block; we report them with file:line ourselves, so silence its copies."""
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def delatex(text: str) -> str:
    """Plain text from simple LaTeX: braces dropped, accents and escapes converted, ``%`` kept literally.

    >>> delatex("{BERT}: Pre-training"), delatex('Sch{\\\\"o}lkopf'), delatex("95\\\\% of 100%")
    ('BERT: Pre-training', 'Schölkopf', '95% of 100%')
    """
    if "\\" not in text:
        return text.replace("{", "").replace("}", "")
    from pylatexenc.latex2text import LatexNodes2Text

    try:  # '%' starts a LaTeX comment, which would silently cut the text: escape bare ones first
        return LatexNodes2Text(math_mode="verbatim").latex_to_text(_UNESCAPED_PERCENT.sub(r"\\%", text))
    except Exception:  # pylatexenc is tolerant, but never let markup cost the record
        return text.replace("{", "").replace("}", "")


def split_names(value: str) -> list[str]:
    """Split a BibTeX author list on top-level ``and``; ``Last, First`` becomes ``First Last``.

    >>> split_names("Devlin, Jacob and {Barnes and Noble} and Ming-Wei Chang")
    ['Jacob Devlin', 'Barnes and Noble', 'Ming-Wei Chang']
    """
    names, depth, start = [], 0, 0
    for m in re.finditer(r"[{}]|\s+and\s+", value, re.IGNORECASE):
        tok = m.group(0)
        if tok == "{":
            depth += 1
        elif tok == "}":
            depth = max(0, depth - 1)
        elif depth == 0:
            names.append(value[start : m.start()])
            start = m.end()
    names.append(value[start:])
    out = []
    for name in names:
        parts = [p.strip() for p in delatex(name).split(",")]
        if len(parts) >= 2 and all(parts):
            name = f"{parts[1]} {parts[0]}" if len(parts) == 2 else f"{parts[2]} {parts[0]} {parts[1]}"
        else:
            name = delatex(name)
        if name.strip():
            out.append(name.strip())
    return out


def _fields(entry: Any) -> dict[str, Any]:
    raw = {f.key.lower(): f.value for f in entry.fields}
    out: dict[str, Any] = {k: delatex(str(raw[k])) for k in _TEXT_FIELDS if k in raw}
    for key in ("doi", "url", "year"):
        if key in raw:
            out[key] = str(raw[key]).strip("{} ")
    eprint = str(raw.get("eprint", "")).strip("{} ")
    prefix = str(raw.get("archiveprefix", raw.get("eprinttype", "arxiv"))).strip("{} ").lower()
    if eprint and prefix == "arxiv":
        out["arxiv_id"] = eprint
    if "author" in raw:
        out["authors"] = split_names(str(raw["author"]))
    return out


def _reason(block: Any) -> str:
    error = getattr(block, "error", None)
    text = getattr(error, "abort_reason", None) or str(error or "") or type(block).__name__
    return " ".join(text.split())


def parse_bibtex(text: str) -> Items:
    """Records from BibTeX text; each record's line is the line of its ``@type{``.

    >>> rs = list(parse_bibtex("@article{k,\\n title={{BERT} rocks},\\n abstract={A}}\\n@oops{x, title={T}}"))
    >>> [(type(r).__name__, r.line) for r in rs], rs[0].fields["title"]
    ([('RawRecord', 1), ('Rejected', 4)], 'BERT rocks')
    """
    import bibtexparser
    from bibtexparser import model

    try:
        with _quiet_bibtexparser():
            library = bibtexparser.parse_string(text)
    except Exception as e:  # the splitter can raise on states it does not expect; one clean line instead
        raise ParseError(f"BibTeX could not be parsed: {e} (check the file's braces and @-lines)") from None
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, model.DuplicateBlockKeyBlock):
            yield Rejected(line, "bibtex-duplicate-key", f"duplicate entry key {block.key!r}; entry skipped")
        elif isinstance(block, model.ParsingFailedBlock):
            yield Rejected(line, "bibtex-bad-entry", f"bad BibTeX entry: {_reason(block)}; entry skipped")
        elif isinstance(block, model.Entry):
            if block.entry_type.lower() not in ENTRY_TYPES:
                yield Rejected(
                    line, "bibtex-unknown-type", f"unknown entry type @{block.entry_type}; skipped"
                )
            else:
                yield RawRecord(line, _fields(block))


def read_bibtex(path: Path, encoding: str = "utf-8", display: str | None = None) -> Items:
    return parse_bibtex(read_text(path, encoding, display))
