"""GraphML with typed attribute keys (Gephi, yEd, Cytoscape, NetworkX, igraph read it).

Written here rather than with ``networkx.write_graphml`` so the bytes are stable (sorted nodes, edges and keys),
text survives exactly (CR and TAB as character references) and XML-invalid characters are replaced and reported
instead of producing a file no parser reads. Lists are joined with ``|``; ``None`` attributes are left out.

>>> import io, networkx as nx
>>> G = nx.MultiDiGraph(); _ = G.add_edge("a", "b", key="uses#0", relation="uses", confidence=0.9)
>>> H = nx.read_graphml(io.BytesIO("".join(generate_graphml(G)[0]).encode()))
>>> list(H.edges(data="confidence"))
[('a', 'b', 0.9)]
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import networkx as nx

from kg import atomic
from kg.export.xmlutil import Sanitized, attr, scalar_text, text

if TYPE_CHECKING:
    from kg.export.bundle import ExportBundle

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_SCHEMA = "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
_TYPES = {"boolean": "boolean", "long": "long", "double": "double", "string": "string"}


def generate_graphml(G: nx.MultiDiGraph) -> tuple[list[str], list[str]]:
    """GraphML lines of ``G`` and the warnings (altered fields)."""
    s = Sanitized(G)
    node_keys = s.keys([d for _, d in s.nodes])
    edge_keys = s.keys([d for *_, d in s.edges])
    ids = {("node", k): f"n_{i}" for i, k in enumerate(node_keys)}
    ids.update({("edge", k): f"e_{i}" for i, k in enumerate(edge_keys)})
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{GRAPHML_NS} {_SCHEMA}">\n',
    ]
    for scope, keys in (("node", node_keys), ("edge", edge_keys)):
        for name, ty in keys.items():
            out.append(
                f'  <key id="{ids[(scope, name)]}" for="{scope}" attr.name="{attr(name)}" '
                f'attr.type="{_TYPES[ty]}"/>\n'
            )
    out.append('  <graph id="kg" edgedefault="directed">\n')
    for n, data in s.nodes:
        out.append(f'    <node id="{attr(n)}">\n')
        out.extend(_data(data, "node", ids))
        out.append("    </node>\n")
    for u, v, k, data in s.edges:
        out.append(f'    <edge id="{attr(f"{u}|{k}|{v}")}" source="{attr(u)}" target="{attr(v)}">\n')
        out.extend(_data(data, "edge", ids))
        out.append("    </edge>\n")
    out.append("  </graph>\n</graphml>\n")
    return out, s.warnings


def _data(data: dict, scope: str, ids: dict) -> list[str]:
    return [f'      <data key="{ids[(scope, k)]}">{text(scalar_text(v))}</data>\n' for k, v in data.items()]


def write_graphml(bundle: ExportBundle | nx.MultiDiGraph, path: str | os.PathLike[str]) -> list[str]:
    """Write ``bundle.graph`` (an ``ExportBundle``) or a bare graph as GraphML, atomically."""
    G = bundle.graph if hasattr(bundle, "graph") else bundle
    lines, warnings = generate_graphml(G)
    atomic.write_text(path, "".join(lines))
    return warnings
