"""GEXF 1.3 for Gephi: typed attributes, node colour by kind and size by degree, no timestamp inside.

``networkx.write_gexf`` stamps ``lastmodifieddate`` with today's date (so bytes change daily) and writes
control characters that its own reader then rejects; this writer sorts everything, omits the date, escapes
whitespace exactly and replaces XML-invalid characters (reported as warnings).

>>> import io, networkx as nx
>>> G = nx.MultiDiGraph(); G.add_node("a", kind="Paper", label="A"); G.add_node("b", kind="Model", label="B")
>>> _ = G.add_edge("a", "b", key="uses#0", relation="uses")
>>> H = nx.read_gexf(io.BytesIO("".join(generate_gexf(G)[0]).encode()), version="1.3")
>>> H.nodes["b"]["label"], H.nodes["b"]["kind"]
('B', 'Model')
"""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING

import networkx as nx

from kg import atomic
from kg.export.xmlutil import Sanitized, attr, scalar_text

if TYPE_CHECKING:
    from kg.export.bundle import ExportBundle

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
_SCHEMA = "http://gexf.net/1.3/gexf.xsd"

#: Node colour per kind (the palette of the HTML overview: colour-blind-safe Okabe-Ito).
KIND_COLOURS: dict[str, tuple[int, int, int]] = {
    "Paper": (153, 153, 153),
    "Model": (0, 114, 178),
    "Method": (230, 159, 0),
    "Dataset": (0, 158, 115),
    "Task": (204, 121, 167),
    "Metric": (213, 94, 0),
}
_DEFAULT_COLOUR = (86, 180, 233)
_GEXF_TYPES = {"boolean": "boolean", "long": "long", "double": "double", "string": "string"}


def node_size(degree: int) -> float:
    """Size grows with the square root of the degree, so hubs stand out without swamping the layout."""
    return round(4.0 + 3.0 * math.sqrt(degree), 2)


def generate_gexf(G: nx.MultiDiGraph) -> tuple[list[str], list[str]]:
    """GEXF 1.3 lines of ``G`` and the warnings (altered fields). The node label goes in ``label``."""
    s = Sanitized(G)
    node_rows = [{k: v for k, v in d.items() if k != "label"} for _, d in s.nodes]
    edge_rows = [{k: v for k, v in d.items() if k != "label"} for *_, d in s.edges]
    node_keys = s.keys(node_rows)
    edge_keys = s.keys(edge_rows)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{VIZ_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{GEXF_NS} {_SCHEMA}" version="1.3">\n',
        "  <meta>\n    <creator>kg</creator>\n"
        "    <description>knowledge graph of machine-learning papers</description>\n  </meta>\n",
        '  <graph defaultedgetype="directed" mode="static">\n',
    ]
    for cls, keys in (("node", node_keys), ("edge", edge_keys)):
        out.append(f'    <attributes class="{cls}" mode="static">\n')
        for i, (name, ty) in enumerate(keys.items()):
            out.append(f'      <attribute id="{i}" title="{attr(name)}" type="{_GEXF_TYPES[ty]}"/>\n')
        out.append("    </attributes>\n")
    node_ids = {name: str(i) for i, name in enumerate(node_keys)}
    edge_ids = {name: str(i) for i, name in enumerate(edge_keys)}
    degree = dict(G.degree())
    out.append("    <nodes>\n")
    for (n, data), row, key in zip(s.nodes, node_rows, sorted(G.nodes, key=str), strict=True):
        label = data.get("label", n)
        out.append(f'      <node id="{attr(n)}" label="{attr(scalar_text(label))}">\n')
        out.extend(_attvalues(row, node_ids))
        r, g, b = KIND_COLOURS.get(str(data.get("kind", "")), _DEFAULT_COLOUR)
        out.append(f'        <viz:color r="{r}" g="{g}" b="{b}"/>\n')
        out.append(f'        <viz:size value="{node_size(degree[key])}"/>\n')
        out.append("      </node>\n")
    out.append("    </nodes>\n    <edges>\n")
    for (u, v, k, data), row in zip(s.edges, edge_rows, strict=True):
        label = data.get("relation", k)
        out.append(
            f'      <edge id="{attr(f"{u}|{k}|{v}")}" source="{attr(u)}" target="{attr(v)}" '
            f'label="{attr(scalar_text(label))}">\n'
        )
        out.extend(_attvalues(row, edge_ids))
        out.append("      </edge>\n")
    out.append("    </edges>\n  </graph>\n</gexf>\n")
    return out, s.warnings


def _attvalues(row: dict, ids: dict[str, str]) -> list[str]:
    if not row:
        return []
    return [
        "        <attvalues>\n",
        *(f'          <attvalue for="{ids[k]}" value="{attr(scalar_text(v))}"/>\n' for k, v in row.items()),
        "        </attvalues>\n",
    ]


def write_gexf(bundle: ExportBundle | nx.MultiDiGraph, path: str | os.PathLike[str]) -> list[str]:
    """Write ``bundle.graph`` (an ``ExportBundle``) or a bare graph as GEXF 1.3, atomically."""
    G = bundle.graph if hasattr(bundle, "graph") else bundle
    lines, warnings = generate_gexf(G)
    atomic.write_text(path, "".join(lines))
    return warnings
