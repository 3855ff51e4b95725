"""Read a built graph back: ``exports/graph.ttl`` -> the NetworkX projection, without re-extracting.

The Turtle is the persisted build; views and other consumers can start from it. Node ids are entity keys
(``kg:key``) and, for papers, the key in the paper IRI.

>>> import tempfile, pathlib
>>> from kg.assemble.rdf import build_triples, serialize_turtle
>>> from kg.records import Entity, EntityType, Paper, Relation
>>> ts = build_triples([Paper("p1", "T")], [Entity("model:bert", EntityType.MODEL, "BERT", papers=("p1",))],
...                    [Relation("p1", "uses", "model:bert", paper="p1", rule="vocab")])
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
>>> _ = path.write_bytes(serialize_turtle(ts))
>>> G = graph_from_turtle(path)
>>> sorted(G.nodes), G.nodes["model:bert"]["kind"], [d["relation"] for *_, d in G.edges(data=True)]
(['model:bert', 'p1'], 'Model', ['uses'])
"""

from __future__ import annotations

import os
from collections import defaultdict
from urllib.parse import unquote

import networkx as nx

from kg.errors import InputError
from kg.namespace import KG

_PREFIXES = """
PREFIX kg: <https://w3id.org/kg-ml/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
"""
_RELATIONS = {
    str(KG._NS) + name: name
    for name in ("proposes", "uses", "evaluatesOn", "addresses", "reportsMetric", "basedOn", "variantOf",
                 "outperforms", "appliedTo", "evaluatedOn", "subtaskOf")
}  # fmt: skip
_RELATIONS["http://www.w3.org/2004/02/skos/core#broader"] = "broader"


def _v(term: object) -> str | None:
    return None if term is None else term.value  # type: ignore[attr-defined]


def graph_from_turtle(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """The NetworkX graph of a ``graph.ttl`` written by ``kg build`` (same shape as ``build_graph``)."""
    import pyoxigraph as ox

    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    except OSError as exc:
        raise InputError(
            f"cannot read the graph: {exc.strerror or exc} (run `kg build` first)", str(path)
        ) from exc
    except SyntaxError as exc:
        raise InputError(f"not valid Turtle: {exc}", str(path)) from exc

    def q(query: str) -> list:
        return list(store.query(_PREFIXES + query))

    ids: dict[str, str] = {}
    G = nx.MultiDiGraph()
    dates: dict[str, set[str]] = defaultdict(set)
    for r in q("SELECT ?p ?d WHERE { ?p a kg:Paper ; prov:wasDerivedFrom/kg:listingDate ?d }"):
        dates[_v(r["p"])].add(_v(r["d"]))
    links: dict[str, set[str]] = defaultdict(set)
    for r in q("SELECT ?p ?l WHERE { ?p a kg:Paper ; schema:codeRepository|rdfs:seeAlso ?l }"):
        links[_v(r["p"])].add(_v(r["l"]))
    rows = q("SELECT ?p ?t ?a ?u WHERE { ?p a kg:Paper ; dcterms:title ?t "
             "OPTIONAL { ?p dcterms:abstract ?a } OPTIONAL { ?p schema:url ?u } }")  # fmt: skip
    for r in sorted(rows, key=lambda r: _v(r["p"])):
        iri = _v(r["p"])
        key = ids[iri] = unquote(iri.rsplit("/paper/", 1)[-1])
        G.add_node(key, kind="Paper", label=_v(r["t"]), title=_v(r["t"]), abstract=_v(r["a"]) or "",
                   url=_v(r["u"]), listing_dates=sorted(dates.get(iri, ())), links=sorted(links.get(iri, ())),
                   paper_count=1)  # fmt: skip
    aliases: dict[str, list[str]] = defaultdict(list)
    for r in q("SELECT ?e ?a WHERE { ?e a kg:Entity ; skos:altLabel ?a }"):
        aliases[_v(r["e"])].append(_v(r["a"]))
    rows = q("SELECT ?e ?k ?l ?n WHERE { ?e a kg:Entity ; kg:key ?k ; rdfs:label ?l ; kg:paperCount ?n }")
    for r in sorted(rows, key=lambda r: _v(r["k"])):
        iri, key = _v(r["e"]), _v(r["k"])
        ids[iri] = key
        kind = key.split(":", 1)[0].capitalize()
        G.add_node(key, kind=kind, label=_v(r["l"]), aliases=sorted(aliases.get(iri, ())),
                   paper_count=int(_v(r["n"])), broader=None)  # fmt: skip
    evidence: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    rows = q("SELECT ?s ?p ?o ?sent ?c ?rule ?paper WHERE { ?ev a kg:Evidence ; rdf:subject ?s ; "
             "rdf:predicate ?p ; rdf:object ?o OPTIONAL { ?ev kg:sentence ?sent } OPTIONAL { ?ev kg:confidence ?c } "
             "OPTIONAL { ?ev kg:rule ?rule } OPTIONAL { ?ev prov:wasDerivedFrom ?paper } }")  # fmt: skip
    for r in rows:
        evidence[(_v(r["s"]), _v(r["p"]), _v(r["o"]))].append(
            {
                "sentence": _v(r["sent"]) or "",
                "confidence": float(_v(r["c"]) or 0.5),
                "rule": _v(r["rule"]) or "",
                "paper": ids.get(_v(r["paper"])),
            }  # fmt: skip
        )
    values = " ".join(f"<{p}>" for p in sorted(_RELATIONS))
    triples = q(f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}")
    for r in sorted(triples, key=lambda r: (_v(r["s"]), _v(r["p"]), _v(r["o"]))):
        s, p, o = _v(r["s"]), _v(r["p"]), _v(r["o"])
        if s not in ids or o not in ids:
            continue
        rel = _RELATIONS[p]
        if rel == "broader":
            G.nodes[ids[s]]["broader"] = ids[o]
        evs = sorted(
            evidence.get((s, p, o), [{}]), key=lambda d: (d.get("paper") or "", d.get("sentence", ""))
        )
        for n, ev in enumerate(evs):
            G.add_edge(ids[s], ids[o], key=f"{rel}#{n}", relation=rel, paper=ev.get("paper"),
                       sentence=ev.get("sentence", ""), rule=ev.get("rule", ""),
                       confidence=ev.get("confidence", 0.5))  # fmt: skip
    return G
