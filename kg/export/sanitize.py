"""Make graph attributes safe for formats with stricter rules than RDF literals (matrix rows 11 and 12).

RDF keeps the exact text. XML 1.0 (GraphML, GEXF) cannot carry most C0 controls, lone surrogates or U+FFFE/U+FFFF:
those are replaced by U+FFFD and the altered field is reported. Attribute values that are ``None`` are dropped,
lists are joined with ``|`` and dicts become JSON. Spreadsheet cells that a spreadsheet would run as a formula
(``=``, ``+``, ``-``, ``@``, TAB, CR first) get a ``'`` prefix.

>>> xml_text("a\\x00b")
('a\\ufffdb', True)
>>> flatten({"a": None, "b": ["x", "y"], "c": 3})
{'b': 'x|y', 'c': 3}
>>> csv_cell("=1+1")
"'=1+1"
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

REPLACEMENT = "\ufffd"
LIST_SEPARATOR = "|"
FORMULA_PREFIX = "'"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Characters XML 1.0 forbids (section 2.2), plus the non-characters U+FFFE/U+FFFF.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

Scalar = str | int | float | bool


def xml_text(text: str) -> tuple[str, bool]:
    """``text`` with XML-invalid characters replaced by U+FFFD, and whether anything changed."""
    cleaned, n = _XML_INVALID.subn(REPLACEMENT, text)
    return cleaned, n > 0


def flat_value(value: Any) -> Scalar | None:
    """One attribute value as a scalar: ``None`` stays ``None`` (caller drops it), lists joined, dicts as JSON."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return LIST_SEPARATOR.join(str(v) for v in items if v is not None)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def flatten(attrs: Mapping[str, Any]) -> dict[str, Scalar]:
    """Attributes with ``None`` dropped and every value a scalar, in sorted key order."""
    out: dict[str, Scalar] = {}
    for k in sorted(attrs):
        v = flat_value(attrs[k])
        if v is not None:
            out[k] = v
    return out


def _formula_like(text: str, prefix: str) -> bool:
    # A cell already starting with prefix + formula is prefixed again, so unprefix() is exact.
    while text.startswith(prefix):
        text = text[len(prefix) :]
    return text.startswith(FORMULA_STARTS)


def csv_cell(value: object, prefix: str | None = FORMULA_PREFIX) -> str:
    """A CSV cell a spreadsheet shows as text: formula-like starts get ``prefix`` (``None`` turns this off)."""
    text = "" if value is None else str(value)
    if prefix and _formula_like(text, prefix):
        return prefix + text
    return text


def unprefix(cell: str, prefix: str = FORMULA_PREFIX) -> str:
    """Undo :func:`csv_cell` on a cell read back: ``unprefix(csv_cell(x)) == x`` for every string.

    >>> all(unprefix(csv_cell(x)) == x for x in ["=1", "'=1", "''+", "a", "'a", "-"])
    True
    """
    if cell.startswith(prefix) and _formula_like(cell[len(prefix) :], prefix):
        return cell[len(prefix) :]
    return cell


def canonical_edges(G: Any) -> list[tuple[str, str, str, dict[str, Any]]]:
    """Edges of a MultiDiGraph in an order and with keys that depend only on the edges themselves.

    ``build_graph`` numbers parallel edges (``uses#0``, ``uses#1``) in input order; exports renumber them after
    sorting by source, target, relation and attributes, so shuffled input gives identical bytes.
    """
    rows = sorted(
        (str(u), str(v), str(d.get("relation", k)), json.dumps(d, sort_keys=True, default=str), d)
        for u, v, k, d in G.edges(keys=True, data=True)
    )
    out: list[tuple[str, str, str, dict[str, Any]]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for u, v, rel, _, d in rows:
        n = seen.get((u, rel, v), 0)
        seen[(u, rel, v)] = n + 1
        out.append((u, v, f"{rel}#{n}", d))
    return out
