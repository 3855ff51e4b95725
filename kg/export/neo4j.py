"""Neo4j: CSVs for ``neo4j-admin database import`` (typed headers) and a ``LOAD CSV`` Cypher script.

Files in the output folder: ``nodes.csv`` (``id:ID``, ``:LABEL``, typed properties), ``relationships.csv``
(``:START_ID``, ``:END_ID``, ``:TYPE``, evidence properties) and ``import.cypher``. Every node has the label
``Node`` plus its kind (and ``Entity`` for non-papers); relationship types are the relation names in
UPPER_SNAKE_CASE (``evaluatesOn`` -> ``EVALUATES_ON``). Arrays use ``|`` (``--array-delimiter='|'``); text is
kept exactly (no spreadsheet prefixing), cells may span lines (``--multiline-fields=true``).

>>> rel_type("evaluatesOn")
'EVALUATES_ON'
"""

from __future__ import annotations

import csv as _csv
import io
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from kg import atomic
from kg.export.sanitize import LIST_SEPARATOR, canonical_edges

if TYPE_CHECKING:
    from kg.export.bundle import ExportBundle

NODE_HEADER = (
    "id:ID",
    ":LABEL",
    "kind",
    "label",
    "aliases:string[]",
    "paper_count:int",
    "title",
    "url",
    "date",
)
REL_HEADER = (":START_ID", ":END_ID", ":TYPE", "key", "paper", "sentence", "start:int", "end:int",
              "confidence:double", "rule")  # fmt: skip
IMPORT_COMMAND = (
    "neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv "
    "--array-delimiter='|' --multiline-fields=true neo4j"
)


def rel_type(relation: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", relation).upper()


def _labels(kind: str) -> str:
    return ";".join(["Node", kind] if kind == "Paper" else ["Node", "Entity", kind])


def _csv_lines(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    buf = io.StringIO()
    w = _csv.writer(buf, lineterminator="\r\n")  # RFC 4180; also makes the writer quote a lone CR
    for row in rows:
        buf.seek(0)
        buf.truncate()
        w.writerow(["" if c is None else c for c in row])
        yield buf.getvalue()


def _array(items: Iterable[str]) -> str:
    # Neo4j has no escape for the array delimiter: an alias containing "|" is split there (reported).
    return LIST_SEPARATOR.join(items)


def generate_nodes(G: nx.MultiDiGraph, warnings: list[str] | None = None) -> Iterator[str]:
    def rows() -> Iterator[list[object]]:
        yield list(NODE_HEADER)
        for n in sorted(G.nodes, key=str):
            d = G.nodes[n]
            aliases = [str(a) for a in d.get("aliases") or ()]
            if warnings is not None and any(LIST_SEPARATOR in a for a in aliases):
                warnings.append(f"node {n!r} aliases: an alias contains '|', the Neo4j array delimiter")
            kind = str(d.get("kind", ""))
            yield [n, _labels(kind), kind, d.get("label"), _array(aliases), d.get("paper_count"),
                   d.get("title"), d.get("url"), d.get("date")]  # fmt: skip

    return _csv_lines(rows())


def generate_relationships(G: nx.MultiDiGraph) -> Iterator[str]:
    def rows() -> Iterator[list[object]]:
        yield list(REL_HEADER)
        for u, v, k, d in canonical_edges(G):
            yield [u, v, rel_type(str(d.get("relation", k))), k, d.get("paper"), d.get("sentence"),
                   d.get("start"), d.get("end"), d.get("confidence"), d.get("rule")]  # fmt: skip

    return _csv_lines(rows())


def generate_cypher(G: nx.MultiDiGraph) -> Iterator[str]:
    """``LOAD CSV`` statements for the two files (put them in Neo4j's ``import`` folder), one per kind/type."""
    yield f"// kg graph for Neo4j. Bulk alternative (empty database):\n//   {IMPORT_COMMAND}\n"
    yield "CREATE CONSTRAINT kg_node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE;\n"
    kinds = sorted({str(d.get("kind", "")) for _, d in G.nodes(data=True)})
    for kind in kinds:
        labels = ":".join(_labels(kind).split(";")[1:])
        yield (
            "\nLOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row\n"
            f"WITH row WHERE row.kind = '{kind}'\n"
            f"MERGE (n:Node {{id: row.`id:ID`}})\nSET n:{labels}, n.kind = row.kind, n.label = row.label,\n"
            "    n.aliases = CASE row.`aliases:string[]` WHEN '' THEN [] ELSE split(row.`aliases:string[]`, '|') END,\n"
            "    n.paper_count = toInteger(row.`paper_count:int`), n.title = row.title, n.url = row.url,\n"
            "    n.date = row.date;\n"
        )
    types = sorted({rel_type(str(d.get("relation", k))) for _, _, k, d in G.edges(keys=True, data=True)})
    for ty in types:
        yield (
            "\nLOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row\n"
            f"WITH row WHERE row.`:TYPE` = '{ty}'\n"
            "MATCH (a:Node {id: row.`:START_ID`}), (b:Node {id: row.`:END_ID`})\n"
            f"CREATE (a)-[r:{ty}]->(b)\n"
            "SET r.key = row.key, r.paper = row.paper, r.sentence = row.sentence,\n"
            "    r.start = toInteger(row.`start:int`), r.end = toInteger(row.`end:int`),\n"
            "    r.confidence = toFloat(row.`confidence:double`), r.rule = row.rule;\n"
        )


def write_neo4j(bundle: ExportBundle | nx.MultiDiGraph, path: str | os.PathLike[str]) -> list[str]:
    """Write ``nodes.csv``, ``relationships.csv`` and ``import.cypher`` into the folder ``path``."""
    G = bundle.graph if hasattr(bundle, "graph") else bundle
    out = Path(path)
    warnings: list[str] = []
    atomic.write_text(out / "nodes.csv", "".join(generate_nodes(G, warnings)))
    atomic.write_text(out / "relationships.csv", "".join(generate_relationships(G)))
    atomic.write_text(out / "import.cypher", "".join(generate_cypher(G)))
    return warnings
