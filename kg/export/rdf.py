"""RDF exports: Turtle, sorted N-Triples and compact JSON-LD, all byte-stable and keeping the exact text.

rdflib's N-Triples and JSON-LD writers change between runs (hash seed) and crash on lone surrogates, so the
N-Triples lines come from pyoxigraph (strict IRIs, correct escaping) and are sorted, and the JSON-LD is built here:
one node object per subject sorted by ``@id``, with an inline copy of the published ``@context``
(``ontology/context.jsonld``) so no processor ever fetches a context over the network.

>>> from kg.export.formats import bundle_from_records
>>> from kg.records import Paper
>>> b = bundle_from_records([Paper("arxiv-2101.00001", "Tiny")], [], [])
>>> lines = list(generate_ntriples(b.triples))
>>> lines == sorted(lines), any("Tiny" in x for x in lines)
(True, True)
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg import atomic

if TYPE_CHECKING:
    from kg.assemble.rdf import TripleSet
    from kg.export.formats import ExportBundle

_SURROGATE = re.compile("[\ud800-\udfff]")
_CANONICAL_INT = re.compile(r"0|-?[1-9][0-9]*")

#: Human-readable keys of the JSON-LD context beyond the kg: terms (which keep their local names).
READABLE_TERMS = {
    "title": "dcterms:title",
    "abstract": "dcterms:abstract",
    "creator": "dcterms:creator",
    "date": "dcterms:date",
    "label": "rdfs:label",
    "seeAlso": "rdfs:seeAlso",
    "subPropertyOf": "rdfs:subPropertyOf",
    "prefLabel": "skos:prefLabel",
    "altLabel": "skos:altLabel",
    "broader": "skos:broader",
    "url": "schema:url",
    "codeRepository": "schema:codeRepository",
    "wasDerivedFrom": "prov:wasDerivedFrom",
    "used": "prov:used",
    "statementSubject": "rdf:subject",
    "statementPredicate": "rdf:predicate",
    "statementObject": "rdf:object",
}


# --- Turtle -------------------------------------------------------------------------------------------------


def write_turtle(bundle: ExportBundle, path: str | os.PathLike[str]) -> list[str]:
    """The same Turtle as ``kg build`` writes (``kg.assemble.rdf.serialize_turtle``)."""
    from kg.assemble.rdf import serialize_turtle

    atomic.write_bytes(path, serialize_turtle(bundle.triples))
    return []


# --- N-Triples ----------------------------------------------------------------------------------------------


def generate_ntriples(triples: TripleSet | Iterable) -> Iterator[str]:
    """Sorted N-Triples lines (each ending in ``\\n``): equal graphs give equal bytes, ready for ``diff``."""
    import pyoxigraph as ox

    from kg.assemble.rdf import to_oxigraph

    data = ox.serialize(to_oxigraph(triples), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    # split on "\n" only: str.splitlines would also cut at U+2028 and other separators inside literals
    yield from sorted(line + "\n" for line in data.split("\n") if line)


def write_ntriples(bundle: ExportBundle, path: str | os.PathLike[str]) -> list[str]:
    atomic.write_text(path, "".join(generate_ntriples(bundle.triples)))
    return []


# --- JSON-LD ------------------------------------------------------------------------------------------------


def jsonld_context(prefixes: Iterable[tuple[str, str]] | None = None) -> dict[str, Any]:
    """The ``@context``: the prefixes of the graph, every ``kg:`` term by its local name, and readable keys.

    With the default base this is exactly ``ontology/context.jsonld`` (a test keeps them equal).
    """
    from kg.assemble.rdf import TripleSet, _bind
    from kg.ids import DEFAULT_BASE
    from kg.namespace import KG

    if prefixes is None:
        ts = TripleSet()
        _bind(ts, DEFAULT_BASE)
        prefixes = ts.namespaces()
    ctx: dict[str, Any] = {k: v for k, v in sorted(prefixes) if k and k != "xml"}
    for name in sorted(KG.__annotations__):
        ctx.setdefault(name, f"kg:{name}")
    for name, curie in READABLE_TERMS.items():
        ctx.setdefault(name, curie)
    return ctx


def _compactor(ctx: dict[str, Any]) -> Callable[[str, bool], str]:
    """IRI -> shortest form: a term, else ``prefix:local``, else the IRI itself."""
    terms = {_expand(v, ctx): k for k, v in ctx.items() if ":" in v and not v.endswith(("/", "#"))}
    namespaces = sorted(((v, k) for k, v in ctx.items() if v.endswith(("/", "#"))), key=lambda x: -len(x[0]))
    cache: dict[tuple[str, bool], str] = {}

    def compact(iri: str, vocab: bool) -> str:
        key = (iri, vocab)
        hit = cache.get(key)
        if hit is not None:
            return hit
        out = iri
        if vocab and iri in terms:
            out = terms[iri]
        else:
            for ns, prefix in namespaces:
                local = iri[len(ns) :]
                if iri.startswith(ns) and local and not local.startswith("//"):
                    out = f"{prefix}:{local}"
                    break
        cache[key] = out
        return out

    return compact


def _expand(curie: str, ctx: dict[str, Any]) -> str:
    prefix, _, local = curie.partition(":")
    ns = ctx.get(prefix)
    return ns + local if isinstance(ns, str) and ns.endswith(("/", "#")) else curie


def generate_jsonld(triples: TripleSet, *, indent: int | None = 1) -> Iterator[str]:
    """Compact JSON-LD text of ``triples`` with the context inline; sorted, so equal graphs give equal bytes."""
    from rdflib import Literal

    from kg.namespace import RDF, XSD

    ctx = jsonld_context(triples.namespaces())
    compact = _compactor(ctx)
    subjects: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        if _SURROGATE.search(str(o)):
            raise ValueError("a literal contains a lone surrogate (clean text with kg.text.clean_text first)")
        node = subjects[str(s)]
        if p == RDF.type:
            node["@type"].append(compact(str(o), True))
        elif isinstance(o, Literal):
            if o.language:
                node[compact(str(p), True)].append({"@value": str(o), "@language": o.language})
            elif o.datatype is None or o.datatype == XSD.string:
                node[compact(str(p), True)].append(str(o))
            elif o.datatype == XSD.integer and _CANONICAL_INT.fullmatch(str(o)) and len(str(o)) < 21:
                node[compact(str(p), True)].append(int(str(o)))  # a JSON number is read back as xsd:integer
            else:
                node[compact(str(p), True)].append(
                    {"@type": compact(str(o.datatype), True), "@value": str(o)}
                )
        else:
            node[compact(str(p), True)].append({"@id": compact(str(o), False)})
    graph = []
    for s in sorted(subjects):
        obj: dict[str, Any] = {"@id": compact(s, False)}
        for key in sorted(subjects[s]):
            values = sorted(subjects[s][key], key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
            obj[key] = values[0] if len(values) == 1 else values
        graph.append(obj)
    doc = {"@context": ctx, "@graph": graph}
    yield json.dumps(doc, ensure_ascii=False, indent=indent, sort_keys=False) + "\n"


def write_jsonld(bundle: ExportBundle, path: str | os.PathLike[str]) -> list[str]:
    atomic.write_text(path, "".join(generate_jsonld(bundle.triples)))
    return []


def write_context(path: str | os.PathLike[str] = Path("ontology") / "context.jsonld") -> None:
    """(Re)write the published context file from :func:`jsonld_context` (the default base)."""
    atomic.write_text(path, json.dumps({"@context": jsonld_context()}, indent=2, ensure_ascii=False) + "\n")
