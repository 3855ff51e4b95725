"""IRI minting: every node of the RDF graph gets a deterministic IRI built from its content.

Keys are untrusted text (titles, entity names, DOIs such as ``10.1002/(SICI)1097-4636(199706)35:4<…>``), so
each key becomes one path segment by :func:`safe_segment`: unreserved ASCII is kept, everything else is
percent-encoded, and over-long or dot-leading results are shortened with a hash. The output always passes the
strict RFC 3987 check of ``pyoxigraph.NamedNode`` (rdflib's own check is too loose to rely on).

>>> paper_iri("arxiv-2101.00001")
'https://w3id.org/kg-ml/id/paper/arxiv-2101.00001'
>>> entity_iri(EntityType.TASK, "image classification")
'https://w3id.org/kg-ml/id/task/image%20classification'
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath, PureWindowsPath

import pyoxigraph

from kg.errors import KGError
from kg.records import EntityType
from kg.text import short_hash

__all__ = [
    "DEFAULT_BASE",
    "MAX_SEGMENT",
    "check_base",
    "check_iri",
    "entity_iri",
    "evaluation_iri",
    "evidence_iri",
    "merge_iri",
    "paper_iri",
    "safe_segment",
    "source_iri",
]

DEFAULT_BASE = "https://w3id.org/kg-ml/id/"
MAX_SEGMENT = 120
_READABLE = 80  # length of the readable prefix kept before the hash when a segment is shortened
# "~" is unreserved in IRIs but must be escaped in a Turtle prefixed name, which rdflib's parser cannot read
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")
_PCT_TAIL = re.compile(r"%[0-9A-F]?$")


def safe_segment(text: str) -> str:
    """Turn any string into one IRI path segment, injectively for ordinary keys.

    Unreserved ASCII but ``~`` (``A-Z a-z 0-9 . _ -``) is kept; every other UTF-8 byte becomes ``%XX``, and so
    do a trailing ``.`` and a leading ``-``, so that every IRI can be written as a Turtle prefixed name without
    backslash escapes (which rdflib's parser does not read). A result that is empty, longer than
    ``MAX_SEGMENT`` characters or starts with ``.`` (``.``/``..`` would be resolved away) is replaced by a
    readable prefix, ``-`` and a hash of the original text.

    >>> safe_segment("gpt-4")
    'gpt-4'
    >>> safe_segment('a b<"c">')
    'a%20b%3C%22c%22%3E'
    >>> safe_segment("..")
    '_-5ec1f7e700f37c3d'
    >>> safe_segment("-v0.")
    '%2Dv0%2E'
    """
    data = text.encode("utf-8", "surrogatepass")
    encoded = "".join(chr(b) if b in _UNRESERVED else f"%{b:02X}" for b in data)
    if encoded and len(encoded) <= MAX_SEGMENT and not encoded.startswith("."):
        return _turtle_safe(encoded)
    readable = _PCT_TAIL.sub("", encoded.lstrip(".")[:_READABLE])
    return _turtle_safe(f"{readable or '_'}-{short_hash(text)}")


def _turtle_safe(segment: str) -> str:
    if segment.endswith("."):
        segment = segment[:-1] + "%2E"
    if segment.startswith("-"):
        segment = "%2D" + segment[1:]
    return segment


def check_iri(iri: str) -> str:
    """Return ``iri`` if it is a valid absolute IRI under RFC 3987 (pyoxigraph's strict parser), else raise.

    >>> check_iri("https://example.org/a b")
    Traceback (most recent call last):
    ...
    ValueError: not a valid IRI: 'https://example.org/a b'
    """
    try:
        pyoxigraph.NamedNode(iri)
    except ValueError:
        raise ValueError(f"not a valid IRI: {iri!r}") from None
    return iri


def check_base(base: str) -> str:
    """Validate a user-given base IRI: absolute ``http(s)``, ending with ``/`` or ``#``, valid under RFC 3987.

    >>> check_base("https://example.org/kg/")
    'https://example.org/kg/'
    >>> check_base("example.org/kg")
    Traceback (most recent call last):
    ...
    kg.errors.KGError: base IRI 'example.org/kg' is not an absolute http(s) IRI (use e.g. --base https://example.org/kg/)
    """
    hint = "(use e.g. --base https://example.org/kg/)"
    if not re.match(r"https?://[^/?#\s]+", base, flags=re.ASCII):
        raise KGError(f"base IRI {base!r} is not an absolute http(s) IRI {hint}")
    if not base.endswith(("/", "#")):
        raise KGError(f"base IRI {base!r} must end with '/' or '#' so identifiers can be appended {hint}")
    try:
        check_iri(base + "x")
    except ValueError:
        raise KGError(
            f"base IRI {base!r} is not a valid IRI (percent-encode spaces and brackets) {hint}"
        ) from None
    return base


def _digest(*parts: object) -> str:
    """Hash of a tuple of parts, unambiguous whatever characters the parts contain."""
    return short_hash(json.dumps(parts, ensure_ascii=False, separators=(",", ":")))


def paper_iri(key: str, base: str = DEFAULT_BASE) -> str:
    """IRI of a paper from its key (``arxiv-…``, ``doi-…`` or ``title-<hash>``).

    >>> paper_iri("doi-10.1002/(SICI)1097-4636(199706)35:4<x>")
    'https://w3id.org/kg-ml/id/paper/doi-10.1002%2F%28SICI%291097-4636%28199706%2935%3A4%3Cx%3E'
    """
    return f"{base}paper/{safe_segment(key)}"


def entity_iri(type: EntityType | str, key: str, base: str = DEFAULT_BASE) -> str:
    """IRI of an entity from its type and canonical name (the part of ``Entity.key`` after ``<type>:``).

    >>> entity_iri("Model", "gpt-4", "https://example.org/")
    'https://example.org/model/gpt-4'
    """
    return f"{base}{EntityType(type).value.lower()}/{safe_segment(key)}"


def evidence_iri(
    source: str,
    relation: str,
    target: str,
    paper: str | None = None,
    start: int = 0,
    end: int = 0,
    rule: str = "",
    base: str = DEFAULT_BASE,
) -> str:
    """IRI of one piece of evidence for a link: the same link found at the same place by the same rule.

    >>> evidence_iri("arxiv-1", "uses", "model:bert", "arxiv-1", 10, 14, "vocab")
    'https://w3id.org/kg-ml/id/evidence/692ddad29818a394'
    """
    return f"{base}evidence/{_digest(source, relation, target, paper, start, end, rule)}"


def source_iri(path: str, line: int, base: str = DEFAULT_BASE) -> str:
    """IRI of an input record: the file's name (readable), a hash of its full path, and the line.

    >>> source_iri("seeds/000.txt", 12)
    'https://w3id.org/kg-ml/id/source/000.txt-081ceefa-L12'
    """
    name = PureWindowsPath(path).name if "\\" in path else PurePosixPath(path).name
    return f"{base}source/{safe_segment(f'{name}-{short_hash(path, 8)}-L{line}')}"


def evaluation_iri(
    paper: str,
    model_key: str,
    dataset_key: str | None,
    metric_key: str | None,
    value_text: str,
    sentence: str = "",
    base: str = DEFAULT_BASE,
) -> str:
    """IRI of a numeric result stated in a paper.

    >>> evaluation_iri("arxiv-1", "model:bert", "dataset:squad", "metric:f1", "93.2")
    'https://w3id.org/kg-ml/id/evaluation/cfb53c3c6d771988'
    """
    return f"{base}evaluation/{_digest(paper, model_key, dataset_key, metric_key, value_text, sentence)}"


def merge_iri(form: str, entity_key: str, rule: str, paper: str, base: str = DEFAULT_BASE) -> str:
    """IRI of an entity-resolution decision (surface form merged into an entity by a rule, in a paper).

    >>> merge_iri("GPT4", "model:gpt-4", "alias", "arxiv-1")
    'https://w3id.org/kg-ml/id/merge/3621a23d6b632235'
    """
    return f"{base}merge/{_digest(form, entity_key, rule, paper)}"
