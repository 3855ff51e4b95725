"""Shared pieces of the GraphML and GEXF writers: escaping, attribute typing, sanitised node/edge rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import networkx as nx

from kg.export.sanitize import Scalar, canonical_edges, flatten, xml_text

_ATTR_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
)
# In element text, XML parsers turn CR and CRLF into LF unless CR is a character reference.
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def attr(text: str) -> str:
    """Escape for a double-quoted XML attribute value (whitespace kept exactly via character references)."""
    return text.translate(_ATTR_ESCAPES)


def text(s: str) -> str:
    """Escape for XML element content."""
    return s.translate(_TEXT_ESCAPES)


def scalar_text(value: Scalar) -> str:
    """The lexical form readers parse back to the same value (``repr`` keeps every float digit)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # shortest text that float() reads back to the same value (also nan, inf)
    return str(value)


def value_type(values: list[Scalar]) -> str:
    """One type per attribute key: boolean, long, double or string (the widest that fits every value)."""
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "long"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "double"
    return "string"


Row = tuple[str, dict[str, Scalar]]


class Sanitized:
    """Nodes and edges of ``G`` in sorted order with flat, XML-safe attributes, plus the list of altered fields."""

    def __init__(self, G: nx.MultiDiGraph, clean: Callable[[str], tuple[str, bool]] = xml_text) -> None:
        self.warnings: list[str] = []
        self._clean = clean
        self.nodes: list[Row] = [(self._str(n, f"node {n!r} id"), self._attrs(G.nodes[n], f"node {n!r}"))
                                 for n in sorted(G.nodes, key=str)]  # fmt: skip
        edges = canonical_edges(G)
        self.edges: list[tuple[str, str, str, dict[str, Scalar]]] = []
        for u, v, k, data in edges:
            where = f"edge {u!r} -> {v!r} ({k})"
            self.edges.append((self._str(u, where), self._str(v, where), self._str(k, where),
                               self._attrs(data, where)))  # fmt: skip

    def _str(self, value: Any, where: str) -> str:
        s, changed = self._clean(str(value))
        if changed:
            self.warnings.append(f"{where}: XML-invalid characters replaced by U+FFFD")
        return s

    def _attrs(self, data: dict[str, Any], where: str) -> dict[str, Scalar]:
        out = flatten(data)
        for k, v in out.items():
            if isinstance(v, str):
                out[k] = self._str(v, f"{where} {k}")
        return out

    def keys(self, rows: list[dict[str, Scalar]]) -> dict[str, str]:
        """Attribute name -> type over ``rows``, sorted by name."""
        seen: dict[str, list[Scalar]] = {}
        for data in rows:
            for k, v in data.items():
                seen.setdefault(k, []).append(v)
        return {k: value_type(seen[k]) for k in sorted(seen)}
