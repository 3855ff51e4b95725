"""Cytoscape.js elements JSON (``.cyjs``): opens in Cytoscape.js (``cy.add(doc.elements)``) and Cytoscape desktop.

Each node is ``{"data": {"id", "label", "kind", …}, "classes": "<kind>"}``, each edge
``{"data": {"id", "source", "target", "relation", …}, "classes": "<relation>"}``. ``None`` attributes are left
out, lists stay JSON arrays, text is exact; keys and elements are sorted so the bytes are stable.

>>> import networkx as nx
>>> G = nx.MultiDiGraph(); G.add_node("a", kind="Model", label="A", broader=None)
>>> json.loads(generate_cytoscape(G))["elements"]["nodes"]
[{'classes': 'model', 'data': {'id': 'a', 'kind': 'Model', 'label': 'A'}}]
"""

from __future__ import annotations

import json
import math
import os
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg import atomic
from kg.export.sanitize import canonical_edges

if TYPE_CHECKING:
    from kg.export.bundle import ExportBundle


def _clean(value: Any) -> Any:
    if isinstance(value, tuple | set | frozenset):
        return [_clean(v) for v in (sorted(value) if isinstance(value, set | frozenset) else value)]
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN/Infinity
    return value


def _data(base: dict[str, Any], attrs: dict[str, Any]) -> dict[str, Any]:
    data = {k: _clean(v) for k, v in attrs.items() if v is not None and k not in base}
    data.update(base)
    return data


def generate_cytoscape(G: nx.MultiDiGraph) -> str:
    nodes = [
        {"data": _data({"id": str(n)}, G.nodes[n]), "classes": str(G.nodes[n].get("kind", "")).lower()}
        for n in sorted(G.nodes, key=str)
    ]
    edges = [
        {
            "data": _data({"id": f"{u}|{k}|{v}", "source": str(u), "target": str(v)}, d),
            "classes": str(d.get("relation", "")),
        }
        for u, v, k, d in canonical_edges(G)
    ]
    doc = {"data": {"name": "kg"}, "elements": {"nodes": nodes, "edges": edges}}
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1, allow_nan=False) + "\n"


def write_cytoscape(bundle: ExportBundle | nx.MultiDiGraph, path: str | os.PathLike[str]) -> list[str]:
    G = bundle.graph if hasattr(bundle, "graph") else bundle
    atomic.write_text(path, generate_cytoscape(G))
    return []
