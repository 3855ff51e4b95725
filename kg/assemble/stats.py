"""Precomputed statistics written into the graph, so the named queries are index lookups, not aggregations.

SPARQL engines answer "which methods co-occur with GPT-4" or "how many papers per listing date" by joining and
grouping over the whole graph on every call (100-1,000 ms at 1M triples, seconds in rdflib). The build already
knows these numbers, so it writes them once:

- ``kg:nameKey``: every label and alias of an entity in a normal form (:func:`name_key`: Unicode NFC, case
  folded, spaces collapsed), so a case-insensitive lookup by name is one index hit instead of an
  ``LCASE`` filter over every label. ``kg query`` folds a ``(label)`` parameter with the same function.
- ``kg:aliasCount``: the number of ``skos:altLabel`` of an entity that has any.
- ``kg:familyRoot``: for an entity with ``skos:broader``, the top of its chain (the model family).
- ``kg:CoOccurrence`` (untyped node, 3 triples): for each model and each method mentioned in the same paper,
  ``?model kg:hasCoOccurrence ?c . ?c kg:coEntity ?method ; kg:sharedPapers n``; likewise from a task to each
  dataset that papers addressing the task evaluate on.
- ``kg:ListingDay``: for each listing date, ``?d kg:listingDate "Mar 11" ; kg:listedPapers n``.

Everything is computed from the triples themselves (:func:`statistics_triples`), by the build and by
``bench/bench_query.py``'s synthetic graph alike, so the benchmark measures the graph the build writes. Output
is a set of triples with minted IRIs (no blank nodes): same graph, same statistics.

>>> from rdflib import Literal, URIRef
>>> from kg.namespace import KG, RDF, RDFS, SCHEMA
>>> m, x, p = URIRef("urn:m"), URIRef("urn:x"), URIRef("urn:p")
>>> base = [(m, RDF.type, KG.Model), (m, RDF.type, KG.Entity), (x, RDF.type, KG.Method), (m, RDFS.label, Literal("GPT-4")),
...         (p, SCHEMA.mentions, m), (p, SCHEMA.mentions, x)]
>>> out = statistics_triples(base, "urn:id/")
>>> (m, KG.nameKey, Literal("gpt-4")) in out, sorted(int(o) for _, pr, o in out if pr == KG.sharedPapers)
(True, [1])
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.ids import safe_segment
from kg.namespace import KG, RDF, RDFS, SCHEMA, SKOS
from kg.text import short_hash

__all__ = ["COOCCURRENCE_TYPES", "name_key", "statistics_triples"]

#: Co-occurrences that are precomputed, as (paper -> source link, source class, paper -> target link, target
#: class): what ``co-occurring-methods`` (methods mentioned with a model) and ``datasets-for-task`` (datasets
#: the papers addressing a task evaluate on) ask.
COOCCURRENCE_TYPES: tuple[tuple[URIRef, URIRef, URIRef, URIRef], ...] = (
    (SCHEMA.mentions, KG.Model, SCHEMA.mentions, KG.Method),
    (KG.addresses, KG.Task, KG.evaluatesOn, KG.Dataset),
)
_LINKS = frozenset(p for src, _, dst, _ in COOCCURRENCE_TYPES for p in (src, dst))

Triple = tuple[Node, Node, Node]


def name_key(text: str) -> str:
    """The lookup form of a name: NFC, case folded, runs of white space as one space, trimmed.

    >>> name_key("  Image   CLASSIFICATION "), name_key("Straße")
    ('image classification', 'strasse')
    """
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def statistics_triples(triples: Iterable[Triple], base: str) -> set[Triple]:
    """The statistics triples of a graph (see the module docstring); ``triples`` is read once."""
    types: dict[Node, set[Node]] = defaultdict(set)
    links: dict[tuple[Node, Node], set[Node]] = defaultdict(set)  # (paper, link) -> entities
    names: dict[Node, set[str]] = defaultdict(set)
    aliases: Counter[Node] = Counter()
    broader: dict[Node, Node] = {}
    dates: dict[Node, Node] = {}
    # one dict look-up per triple (URIRef hashes like str); comparing with == and namespace attributes in the
    # loop cost 10 µs per triple (15 s on a 1.7M-triple build)
    kind = {RDF.type: 0, RDFS.label: 1, SKOS.altLabel: 2, SKOS.broader: 3, KG.listingDate: 4}
    kind.update(dict.fromkeys(_LINKS, 5))
    for s, p, o in triples:
        k = kind.get(p)
        if k is None:
            continue
        if k == 0:
            types[s].add(o)
        elif k == 5:
            links[(s, p)].add(o)
        elif k == 1:
            names[s].add(str(o))
        elif k == 2:
            names[s].add(str(o))
            aliases[s] += 1
        elif k == 3:
            broader[s] = o
        else:
            dates[s] = o
    out: set[Triple] = set()
    for e, spellings in names.items():
        if KG.Entity not in types.get(e, ()):
            continue
        for spelling in spellings:
            out.add((e, KG.nameKey, Literal(name_key(spelling))))
        if aliases[e]:
            out.add((e, KG.aliasCount, Literal(aliases[e])))
    for e in broader:
        out.add((e, KG.familyRoot, _root(e, broader)))
    _add_cooccurrences(out, links, types, base)
    listed = Counter(d for s, d in dates.items() if KG.Paper in types.get(s, ()))
    for day, n in listed.items():
        node = URIRef(f"{base}day/{safe_segment(str(day))}")
        out.add((node, RDF.type, KG.ListingDay))
        out.add((node, KG.listingDate, day))
        out.add((node, KG.listedPapers, Literal(n)))
    return out


def _root(e: Node, broader: dict[Node, Node]) -> Node:
    """The top of ``e``'s broader chain; a cycle (not written by kg, but possible in input) stops where it closes."""
    seen = {e}
    while e in broader and broader[e] not in seen:
        e = broader[e]
        seen.add(e)
    return e


def _add_cooccurrences(
    out: set[Triple], links: dict[tuple[Node, Node], set[Node]], types: dict[Node, set[Node]], base: str
) -> None:
    papers = {paper for paper, _ in links}
    shared: Counter[tuple[Node, Node]] = Counter()
    for paper in papers:
        for src, src_cls, dst, dst_cls in COOCCURRENCE_TYPES:
            sources = [e for e in links.get((paper, src), ()) if src_cls in types.get(e, ())]
            targets = [e for e in links.get((paper, dst), ()) if dst_cls in types.get(e, ())]
            for a in sources:
                for b in targets:
                    if a != b:
                        shared[(a, b)] += 1
    for (a, b), n in shared.items():
        node = URIRef(f"{base}cooccurrence/{short_hash(str(a) + ' ' + str(b))}")
        out.add((a, KG.hasCoOccurrence, node))  # typed kg:CoOccurrence by the range; no rdf:type (size)
        out.add((node, KG.coEntity, b))
        out.add((node, KG.sharedPapers, Literal(n)))
