"""The one table of export formats: name, file extension, media type and writer, read by the CLI, by filename
guessing and (later) by the HTTP server. Adding a format is one entry in :data:`FORMATS`.

Every writer has the signature ``write(bundle, path, **options) -> list[str]``: it writes atomically and returns warnings
(fields whose text had to be altered for the format, e.g. XML-invalid characters in GraphML), never raising for
hostile text.

>>> guess_format("out/graph.nt").name, guess_format("graph.GEXF").name
('ntriples', 'gexf')
>>> FORMATS["turtle"].media_type
'text/turtle'
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KGError
from kg.export.bundle import ExportBundle, bundle_from_records

__all__ = ["FORMATS", "ExportBundle", "Format", "bundle_from_records", "export", "get_format", "guess_format"]

Writer = Callable[..., list[str]]  # write(bundle, path, **options) -> warnings


@dataclass(frozen=True)
class Format:
    """An export format. ``extension`` includes the dot; a ``directory`` format writes several files into
    ``path`` (``default_name`` is then a folder name)."""

    name: str
    extension: str
    media_type: str
    write: Writer
    default_name: str
    tools: str
    directory: bool = False


def _w(module: str, func: str) -> Writer:
    """Import the writer on first use, so ``kg --help`` does not load rdflib or networkx."""

    def write(bundle: ExportBundle, path: Path, **options: object) -> list[str]:
        import importlib

        return getattr(importlib.import_module(f"kg.export.{module}"), func)(bundle, path, **options)

    write.__name__ = func
    return write


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("turtle", ".ttl", "text/turtle", _w("rdf", "write_turtle"), "graph.ttl",
               "rdflib, pyoxigraph, Apache Jena, GraphDB, Protégé"),
        Format("ntriples", ".nt", "application/n-triples", _w("rdf", "write_ntriples"), "graph.nt",
               "any triple store (bulk loaders), grep/sort"),
        Format("jsonld", ".jsonld", "application/ld+json", _w("rdf", "write_jsonld"), "graph.jsonld",
               "JSON-LD processors (pyld, jsonld.js), rdflib, pyoxigraph"),
        Format("graphml", ".graphml", "application/graphml+xml", _w("graphml", "write_graphml"),
               "graph.graphml", "Gephi, yEd, Cytoscape, NetworkX, igraph"),
        Format("gexf", ".gexf", "application/gexf+xml", _w("gexf", "write_gexf"), "graph.gexf",
               "Gephi, NetworkX, Sigma.js"),
        Format("cytoscape", ".cyjs", "application/json", _w("cytoscape", "write_cytoscape"), "graph.cyjs",
               "Cytoscape.js, Cytoscape desktop (File > Import > Network)"),
        Format("csv", "", "text/csv", _w("csv", "write_csv"), "csv",
               "spreadsheets, pandas, R", directory=True),
        Format("neo4j", "", "text/csv", _w("neo4j", "write_neo4j"), "neo4j",
               "neo4j-admin database import, or LOAD CSV via the Cypher script", directory=True),
    )
}  # fmt: skip

#: Extra extensions recognised by :func:`guess_format`.
_ALIASES = {".turtle": "turtle", ".json-ld": "jsonld", ".xml": "graphml", ".json": "cytoscape"}


def guess_format(path: str | os.PathLike[str]) -> Format:
    """The format for ``path`` by its extension; raises ``KGError`` naming the known ones."""
    suffix = Path(path).suffix.lower()
    for f in FORMATS.values():
        if f.extension and f.extension == suffix:
            return f
    if suffix in _ALIASES:
        return FORMATS[_ALIASES[suffix]]
    known = ", ".join(f"{f.extension} ({f.name})" for f in FORMATS.values() if f.extension)
    raise KGError(
        f"cannot tell the export format of {path} from its extension (use --format; known: {known})"
    )


def get_format(name: str) -> Format:
    """The format called ``name``; raises ``KGError`` listing the choices."""
    try:
        return FORMATS[name]
    except KeyError:
        raise KGError(f"unknown export format {name!r} (choose from {', '.join(FORMATS)})") from None


def export(
    bundle: ExportBundle, fmt: str | Format, out: str | os.PathLike[str] | None = None, **options: object
) -> tuple[Path, list[str]]:
    """Write ``bundle`` as ``fmt`` to ``out`` (default: the format's file name in ``exports/``).

    ``options`` go to the writer (e.g. ``formula_prefix=None`` for csv). Returns the path written and the
    warnings.

    >>> import tempfile, pathlib
    >>> from kg.records import Paper
    >>> b = bundle_from_records([Paper("arxiv-2101.00001", "T")], [], [])
    >>> path, warnings = export(b, "ntriples", pathlib.Path(tempfile.mkdtemp()) / "g.nt")
    >>> path.name, warnings
    ('g.nt', [])
    """
    f = get_format(fmt) if isinstance(fmt, str) else fmt
    path = Path(out) if out is not None else Path("exports") / f.default_name
    return path, f.write(bundle, path, **options)
