"""One table of input formats, format detection (extension, then content), and input discovery.

Adding a format is one :data:`FORMATS` entry. The extension decides when it is specific (``.bib``, ``.csv``);
for ``.txt``, ``.json`` and unknown extensions the first bytes decide, so a ``.txt`` holding JSON Lines is
read as JSON Lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.ingest import atom, bibtex, csvfile, jsonfile, listing
from kg.ingest.base import Items
from kg.ingest.textio import read_head
from kg.records import Report


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    extensions: tuple[str, ...]
    read: Callable[[Path, str, str | None], Items]  # (path, encoding, display name) -> records


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("listing", (".txt",), listing.read_listing),
        Format("jsonl", (".jsonl", ".ndjson"), jsonfile.read_jsonl),
        Format("json", (".json",), jsonfile.read_json),
        Format("csv", (".csv", ".tsv"), csvfile.read_csv),
        Format("bibtex", (".bib",), bibtex.read_bibtex),
        Format("atom", (".xml", ".atom"), atom.read_atom),
    )
}
SUPPORTED_EXTENSIONS = frozenset(ext for f in FORMATS.values() for ext in f.extensions)
_SNIFFED = {".txt", ".json"}
_BIB_ENTRY = re.compile(rb"^\s*@[A-Za-z]+\s*[{(]", re.MULTILINE)
_CSV_HEADER = re.compile(r"^\s*\"?title\"?\s*[,\t;]|[,\t;]\s*\"?title\"?\s*([,\t;]|$)", re.IGNORECASE)


def sniff(head: bytes) -> str | None:
    """Format name suggested by the first bytes of a file, or None if it looks like nothing in particular.

    >>> sniff(b'{"title": "A"}\\n{"title": "B"}\\n'), sniff(b"[{}]"), sniff(b"<?xml ?><feed/>")
    ('jsonl', 'json', 'atom')
    >>> sniff(b"@misc{k, title={T}}"), sniff(b"Title,Abstract\\n"), sniff(b"Mar 19")
    ('bibtex', 'csv', None)
    """
    text = head.lstrip()
    if re.match(rb"\[\s*[{\]]", text):  # not just "[": a listing title may start with "[Re] ..."
        return "json"
    if re.match(rb'\{\s*["}]', text):
        first = text.split(b"\n", 1)[0].strip()
        return "jsonl" if first.endswith(b"}") else "json"
    if re.match(rb"<(\?xml|feed|!DOCTYPE|rdf:RDF)\b", text, re.IGNORECASE):
        return "atom"
    if _BIB_ENTRY.search(head):
        return "bibtex"
    first_line = text.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    if _CSV_HEADER.search(first_line) and re.search(r"abstract|summary", first_line, re.IGNORECASE):
        return "csv"
    return None


def detect_format(path: Path) -> Format:
    """The format of ``path``: by extension when specific, else by content (default: listing)."""
    ext = path.suffix.lower()
    if ext in SUPPORTED_EXTENSIONS and ext not in _SNIFFED:
        return next(f for f in FORMATS.values() if ext in f.extensions)
    head = read_head(path)
    name = sniff(head)
    if ext == ".json" and (name != "jsonl" or len(re.findall(rb"^\s*\{", head, re.MULTILINE)) < 2):
        name = "json"  # a single object in .json is a wrong top-level type: let the JSON parser say so
    return FORMATS[name or "listing"]


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def find_inputs(inputs: Iterable[str | Path], report: Report | None = None) -> list[Path]:
    """Files to read: named files as given, directories expanded (sorted, recursive, supported extensions,
    hidden files and folders skipped). Each file once, in order of first mention.

    >>> find_inputs(["kg/ingest/__init__.py"])
    [PosixPath('kg/ingest/__init__.py')]
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in SUPPORTED_EXTENSIONS and p.is_file() and not _hidden(p, path)
            )
            if not files and report is not None:
                exts = ", ".join(sorted(SUPPORTED_EXTENSIONS))
                report.warn("no-inputs", f"no supported input files in {path} (looked for {exts})", str(path))
        elif path.exists():
            files = [path]
        else:
            raise InputError("no such file or directory (check the path)", str(path))
        for p in files:
            if (resolved := p.resolve()) not in seen:
                seen.add(resolved)
                found.append(p)
    return found
