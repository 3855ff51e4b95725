"""``nodes.csv`` and ``edges.csv`` for spreadsheets and pandas, safe against formula injection (matrix row 12).

Cells starting with ``=``, ``+``, ``-``, ``@``, TAB or CR get a ``'`` prefix (``formula_prefix=None`` turns it off;
``kg.export.sanitize.unprefix`` undoes it exactly). Lists are joined with ``|``; text is otherwise exact (UTF-8,
RFC 4180 quoting, ``\\n`` inside quoted cells).

>>> import networkx as nx
>>> G = nx.MultiDiGraph(); G.add_node("a", kind="Paper", label="=SUM(A1)", paper_count=1)
>>> next(iter(generate_nodes_csv(G)))
'id,kind,label,aliases,paper_count,title,url,date\\r\\n'
"""

from __future__ import annotations

import csv as _csv
import io
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from kg import atomic
from kg.export.sanitize import FORMULA_PREFIX, canonical_edges, flat_value

if TYPE_CHECKING:
    from kg.export.bundle import ExportBundle

NODE_COLUMNS = ("id", "kind", "label", "aliases", "paper_count", "title", "url", "date")
EDGE_COLUMNS = (
    "source",
    "target",
    "relation",
    "key",
    "paper",
    "sentence",
    "start",
    "end",
    "confidence",
    "rule",
)


def _rows(header: Iterable[str], rows: Iterable[Iterable[object]], prefix: str | None) -> Iterator[str]:
    from kg.export.sanitize import csv_cell

    buf = io.StringIO()
    w = _csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    yield buf.getvalue()
    for row in rows:
        buf.seek(0)
        buf.truncate()
        w.writerow([csv_cell(flat_value(c), prefix) for c in row])
        yield buf.getvalue()


def generate_nodes_csv(G: nx.MultiDiGraph, formula_prefix: str | None = FORMULA_PREFIX) -> Iterator[str]:
    """One row per node, sorted by id."""
    rows = ([n, *(G.nodes[n].get(c) for c in NODE_COLUMNS[1:])] for n in sorted(G.nodes, key=str))
    return _rows(NODE_COLUMNS, rows, formula_prefix)


def generate_edges_csv(G: nx.MultiDiGraph, formula_prefix: str | None = FORMULA_PREFIX) -> Iterator[str]:
    """One row per edge (every piece of evidence), sorted by source, target, relation and evidence."""
    rows = (
        [u, v, d.get("relation"), k, *(d.get(c) for c in EDGE_COLUMNS[4:])]
        for u, v, k, d in canonical_edges(G)
    )
    return _rows(EDGE_COLUMNS, rows, formula_prefix)


def write_csv(
    bundle: ExportBundle | nx.MultiDiGraph,
    path: str | os.PathLike[str],
    formula_prefix: str | None = FORMULA_PREFIX,
) -> list[str]:
    """Write ``nodes.csv`` and ``edges.csv`` into the folder ``path``, each atomically."""
    G = bundle.graph if hasattr(bundle, "graph") else bundle
    out = Path(path)
    atomic.write_text(out / "nodes.csv", "".join(generate_nodes_csv(G, formula_prefix)))
    atomic.write_text(out / "edges.csv", "".join(generate_edges_csv(G, formula_prefix)))
    return []
