"""Run a checked query and hold its (capped) result; one table of result formats for the CLI and the server."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from kg.errors import QueryError
from kg.query.safety import check_read_only

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

PREFIXES = {
    "kg": "https://w3id.org/kg-ml/ontology#",
    "schema": "https://schema.org/",
    "mls": "http://www.w3.org/ns/mls#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": "http://www.w3.org/ns/prov#",
    "fabio": "http://purl.org/spar/fabio/",
    "owl": "http://www.w3.org/2002/07/owl#",
}


@dataclass
class Result:
    """What a query returned, at most ``limit`` rows or triples (``truncated`` says if more were cut)."""

    kind: str  # "bindings" | "boolean" | "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Any] = field(default_factory=list)
    truncated: bool = False


def syntax_message(exc: Exception) -> str:
    """pyoxigraph says ``error at 1:26: expected OPTIONAL``; keep it one line."""
    return "SPARQL syntax " + " ".join(str(exc).split())


def execute(store: Any, query: str, *, limit: int | None = None,
            graph_uris: tuple[str, ...] = ()) -> Result:  # fmt: skip
    """Check ``query`` is read-only, evaluate it on ``store`` and collect at most ``limit`` rows.

    >>> import pyoxigraph as ox
    >>> s = ox.Store(); s.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("x")))
    >>> execute(s, "SELECT ?o WHERE { ?s ?p ?o }").rows[0][0].value
    'x'
    """
    import pyoxigraph as ox

    check_read_only(query, graph_uris)
    try:
        answer = store.query(query, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise QueryError(syntax_message(exc)) from exc
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {' '.join(str(exc).split())}") from exc
    cap = limit if limit is not None and limit >= 0 else None

    def take(it: Any) -> tuple[list[Any], bool]:
        out = []
        try:
            for item in it:
                if cap is not None and len(out) >= cap:
                    return out, True
                out.append(item)
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {' '.join(str(exc).split())}") from exc
        return out, False

    if isinstance(answer, ox.QueryBoolean):
        return Result("boolean", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        sols, truncated = take(answer)
        rows = [list(sol) for sol in sols]  # one call per row (indexing was one per cell)
        return Result("bindings", variables=names, rows=rows, truncated=truncated)
    triples, truncated = take(answer)
    return Result("graph", triples=triples, truncated=truncated)


# -- terms -------------------------------------------------------------------------------------------------


def term_json(term: Any) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        d = {"type": "literal", "value": term.value}
        if term.language:
            d["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            d["datatype"] = term.datatype.value
        return d
    return {"type": "triple", "value": str(term)}


def term_plain(term: Any) -> str:
    """CSV form (SPARQL 1.1 CSV): IRIs and literals as bare strings, blank nodes as ``_:x``."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if hasattr(term, "value") else str(term)


def term_short(term: Any) -> str:
    """Table form: IRIs shortened with the usual prefixes."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        for p, ns in PREFIXES.items():
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{p}:{term.value[len(ns) :]}"
        return f"<{term.value}>"
    return term_plain(term)


# -- writers -----------------------------------------------------------------------------------------------


def write_json(r: Result) -> str:
    if r.kind == "boolean":
        doc: dict[str, Any] = {"head": {}, "boolean": r.boolean}
    else:
        bindings = [
            {v: term_json(t) for v, t in zip(r.variables, row, strict=True) if t is not None}
            for row in r.rows
        ]
        doc = {"head": {"vars": r.variables}, "results": {"bindings": bindings}}
    if r.truncated:
        doc["truncated"] = True
    return json.dumps(doc, ensure_ascii=False) + "\n"


def write_xml(r: Result) -> str:
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in r.variables]
    if r.truncated:
        out.append('<link href="urn:kg:truncated"/>')
    out.append("</head>")
    if r.kind == "boolean":
        out.append(f"<boolean>{'true' if r.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in r.rows:
            out.append("<result>")
            for v, t in zip(r.variables, row, strict=True):
                if t is None:
                    continue
                j = term_json(t)
                if j["type"] == "uri":
                    inner = f"<uri>{escape(j['value'])}</uri>"
                elif j["type"] == "bnode":
                    inner = f"<bnode>{escape(j['value'])}</bnode>"
                else:
                    attr = ""
                    if "xml:lang" in j:
                        attr = f" xml:lang={quoteattr(j['xml:lang'])}"
                    elif "datatype" in j:
                        attr = f" datatype={quoteattr(j['datatype'])}"
                    inner = f"<literal{attr}>{escape(j['value'])}</literal>"
                out.append(f"<binding name={quoteattr(v)}>{inner}</binding>")
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def write_csv(r: Result) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if r.kind == "boolean":
        w.writerow(["boolean"])
        w.writerow(["true" if r.boolean else "false"])
    else:
        w.writerow(r.variables)
        for row in r.rows:
            w.writerow([term_plain(t) for t in row])
    return buf.getvalue()


def write_tsv(r: Result) -> str:
    if r.kind == "boolean":
        return "?boolean\n" + ("true" if r.boolean else "false") + "\n"
    lines = ["\t".join("?" + v for v in r.variables)]
    for row in r.rows:
        lines.append("\t".join("" if t is None else str(t) for t in row))
    return "\n".join(lines) + "\n"


def _write_rdf(fmt_name: str) -> Callable[[Result], str]:
    def writer(r: Result) -> str:
        import pyoxigraph as ox

        fmt = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
               "rdfxml": ox.RdfFormat.RDF_XML}[fmt_name]  # fmt: skip
        kwargs = {"prefixes": PREFIXES} if fmt_name != "ntriples" else {}
        data = ox.serialize(r.triples, format=fmt, **kwargs) or b""
        return data.decode("utf-8")

    return writer


def write_table(r: Result, *, plain: bool = False) -> str:
    """An aligned table (rich's box drawing unless ``plain``)."""
    if r.kind == "boolean":
        return ("yes" if r.boolean else "no") + "\n"
    if r.kind == "graph":
        return _write_rdf("turtle")(r)
    cells = [[term_short(t) if t is not None else "" for t in row] for row in r.rows]
    if plain:
        widths = [max([len(v)] + [len(c[i]) for c in cells]) for i, v in enumerate(r.variables)]
        lines = ["  ".join(v.ljust(w) for v, w in zip(r.variables, widths, strict=True)).rstrip()]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
        return "\n".join(lines) + "\n"
    from rich.console import Console
    from rich.table import Table

    table = Table(*r.variables, show_lines=False)
    for row in cells:
        table.add_row(*row)
    console = Console(file=io.StringIO(), width=200, force_terminal=False, color_system=None)
    console.print(table)
    return console.file.getvalue()  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ResultFormat:
    """A result format: its name, media type, file extension, which result kinds it holds, and its writer."""

    name: str
    media_type: str
    extension: str
    kinds: frozenset[str]
    writer: Callable[[Result], str]


_TABULAR = frozenset({"bindings", "boolean"})
FORMATS: dict[str, ResultFormat] = {
    f.name: f
    for f in (
        ResultFormat("json", "application/sparql-results+json", ".srj", _TABULAR, write_json),
        ResultFormat("xml", "application/sparql-results+xml", ".srx", _TABULAR, write_xml),
        ResultFormat("csv", "text/csv", ".csv", _TABULAR, write_csv),
        ResultFormat("tsv", "text/tab-separated-values", ".tsv", _TABULAR, write_tsv),
        ResultFormat("turtle", "text/turtle", ".ttl", frozenset({"graph"}), _write_rdf("turtle")),
        ResultFormat(
            "ntriples", "application/n-triples", ".nt", frozenset({"graph"}), _write_rdf("ntriples")
        ),
        ResultFormat("rdfxml", "application/rdf+xml", ".rdf", frozenset({"graph"}), _write_rdf("rdfxml")),
    )
}


def render(r: Result, fmt: str) -> str:
    """Serialise ``r`` as ``fmt`` (a FORMATS name, or "table"/"plain"); graphs fall back to Turtle."""
    if fmt in ("table", "plain"):
        return write_table(r, plain=fmt == "plain")
    f = FORMATS.get(fmt)
    if f is None:
        raise QueryError(f"unknown format {fmt!r} (one of table, plain, {', '.join(FORMATS)})")
    if r.kind not in f.kinds:
        f = FORMATS["turtle"] if r.kind == "graph" else FORMATS["json"]
    return f.writer(r)
