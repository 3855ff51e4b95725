"""The RDF projection: papers, entities and relations (records) in, one ``rdflib.Graph`` out.

Every node gets a minted IRI from :mod:`kg.ids` (no blank nodes, so output is deterministic), literals
carry the exact input strings (rdflib does the escaping), and each supported link keeps its evidence as a
``kg:Evidence`` node (RDF reification). Terms come from :mod:`kg.namespace` (mirror of ``ontology/kg.ttl``).

Referential integrity is checked here (a relation naming an unknown paper or entity key raises ``ValueError``:
that is a bug upstream, not bad input); domain/range typing is left to ``ontology/shapes.ttl``.

>>> from kg.records import Entity, EntityType, Paper, Relation
>>> g = build_rdf(
...     [Paper("arxiv-2101.00001", "Tiny BERT")],
...     [Entity("model:bert", EntityType.MODEL, "BERT", papers=("arxiv-2101.00001",))],
...     [Relation("arxiv-2101.00001", "uses", "model:bert", paper="arxiv-2101.00001", rule="vocab")],
... )
>>> len(g.query("SELECT ?p WHERE { ?p schema:mentions ?e }"))
1
"""

from __future__ import annotations

import math
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

import pyoxigraph as ox
import rdflib
from rdflib import Literal, URIRef
from rdflib.term import Node

from kg import atomic
from kg.ids import (
    DEFAULT_BASE,
    check_base,
    check_iri,
    entity_iri,
    evaluation_iri,
    evidence_iri,
    merge_iri,
    paper_iri,
    source_iri,
)
from kg.namespace import DCTERMS, FABIO, KG, MLS, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from kg.records import Entity, EntityType, Evaluation, Merge, Paper, Relation, Source

__all__ = [
    "CODE_HOSTS",
    "ENTITY_CLASSES",
    "ENTITY_RELATIONS",
    "PAPER_RELATIONS",
    "VOCABULARY",
    "Evaluation",
    "Merge",
    "build_rdf",
    "build_triples",
    "TripleSet",
    "parse_parameter_count",
    "serialize_turtle",
    "to_oxigraph",
    "write_turtle",
]


#: Relation names whose source is a paper and target an entity; each also yields ``schema:mentions``.
PAPER_RELATIONS: dict[str, URIRef] = {
    "mentions": KG.mentions,
    "proposes": KG.proposes,
    "uses": KG.uses,
    "evaluatesOn": KG.evaluatesOn,
    "addresses": KG.addresses,
    "reportsMetric": KG.reportsMetric,
}

#: Relation names between two entities.
ENTITY_RELATIONS: dict[str, URIRef] = {
    "basedOn": KG.basedOn,
    "variantOf": KG.variantOf,
    "outperforms": KG.outperforms,
    "appliedTo": KG.appliedTo,
    "evaluatedOn": KG.evaluatedOn,
    "subtaskOf": KG.subtaskOf,
    "broader": SKOS.broader,
}

#: rdf:type values of each entity type: the kg class first, then its ML-Schema (and schema.org) alignments.
ENTITY_CLASSES: dict[EntityType, tuple[URIRef, ...]] = {
    EntityType.MODEL: (KG.Model, KG.Entity, MLS.Model),
    EntityType.METHOD: (KG.Method, KG.Entity, MLS.Algorithm),
    EntityType.DATASET: (KG.Dataset, KG.Entity, MLS.Dataset, SCHEMA.Dataset),
    EntityType.TASK: (KG.Task, KG.Entity, MLS.Task),
    EntityType.METRIC: (KG.Metric, KG.Entity, MLS.EvaluationMeasure),
}

#: The property hierarchy from ``ontology/kg.ttl`` that plain SPARQL (no reasoner) needs, written into every
#: graph so ``?p ?rel ?e . ?rel rdfs:subPropertyOf kg:mentions`` works on an export alone (tested vs kg.ttl).
VOCABULARY: tuple[tuple[URIRef, URIRef, URIRef], ...] = (
    *(
        (prop, RDFS.subPropertyOf, KG.mentions)
        for name, prop in PAPER_RELATIONS.items()
        if name != "mentions"
    ),
    (KG.mentions, RDFS.subPropertyOf, SCHEMA.mentions),
    (KG.subtaskOf, RDFS.subPropertyOf, SKOS.broader),
)

#: Hosts of code or model/data repositories (``schema:codeRepository``); other links are ``rdfs:seeAlso``.
CODE_HOSTS = ("github.com", "gitlab.com", "huggingface.co")

_PARAMS = re.compile(
    r"(\d+(?:\.\d+)?)\s*(k|m|b|t|thousand|million|billion|trillion)?(?:\s*(?:params|parameters))?",
    re.IGNORECASE,
)
_SCALE = {"k": 3, "thousand": 3, "m": 6, "million": 6, "b": 9, "billion": 9, "t": 12, "trillion": 12}
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')
_SURROGATE = re.compile("[\ud800-\udfff]")


class TripleSet:
    """Triples and prefixes: what the projection writes into.

    About 30x cheaper to fill than an ``rdflib.Graph`` (which indexes every triple three ways); exports are
    serialised from it directly, and :func:`build_rdf` turns it into a Graph for SPARQL, SHACL and tests.
    """

    CORE_PREFIXES = {"owl": str(OWL._NS), "rdf": str(RDF._NS), "rdfs": str(RDFS._NS), "xsd": str(XSD._NS),
                     "xml": "http://www.w3.org/XML/1998/namespace"}  # fmt: skip

    def __init__(self) -> None:
        self.triples: set[tuple[Node, Node, Node]] = set()
        self.prefixes: dict[str, str] = dict(self.CORE_PREFIXES)

    def add(self, triple: tuple[Node, Node, Node]) -> None:
        self.triples.add(triple)

    def bind(self, prefix: str, namespace: object, override: bool = True, replace: bool = True) -> None:
        self.prefixes[prefix] = str(namespace)

    def namespaces(self) -> Iterable[tuple[str, str]]:
        return self.prefixes.items()

    def __iter__(self):  # noqa: ANN204
        return iter(self.triples)

    def __len__(self) -> int:
        return len(self.triples)


def build_triples(
    papers: Sequence[Paper],
    entities: Sequence[Entity],
    relations: Sequence[Relation],
    *,
    base: str = DEFAULT_BASE,
    evaluations: Sequence[Evaluation] = (),
    merges: Sequence[Merge] = (),
) -> TripleSet:
    """Project the records onto RDF triples using the ``kg`` ontology; same inputs, same triples.

    The precomputed statistics of :mod:`kg.assemble.stats` are part of the projection, so every export (and
    ``kg export``'s Turtle) answers the named queries the same way.

    Raises ``kg.errors.KGError`` for a bad ``base`` and ``ValueError`` for duplicate keys, unknown relation
    names or relations/evaluations/merges that name keys absent from ``papers``/``entities``.
    """
    check_base(base)
    g = TripleSet()
    _bind(g, base)
    nodes = _Nodes(papers, entities, base)
    for triple in VOCABULARY:
        g.add(triple)
    for paper in papers:
        _add_paper(g, paper, nodes.papers[paper.key], base)
    for entity in entities:
        _add_entity(g, entity, nodes)
    _add_relations(g, relations, nodes, base)
    for ev in evaluations:
        _add_evaluation(g, ev, nodes, base)
    for m in merges:
        node = URIRef(merge_iri(m.form, m.entity_key, m.rule, m.paper, base))
        g.add((node, RDF.type, KG.MergeDecision))
        g.add((node, KG.mergedForm, Literal(m.form)))
        g.add((node, KG.mergedInto, nodes.entity(m.entity_key)))
        if m.rule:
            g.add((node, KG.rule, Literal(m.rule)))
        g.add((node, PROV.used, nodes.paper(m.paper)))
    from kg.assemble.stats import statistics_triples

    for triple in statistics_triples(g.triples, base):  # what the named queries look up (see stats.py)
        g.add(triple)
    return g


def build_rdf(
    papers: Sequence[Paper],
    entities: Sequence[Entity],
    relations: Sequence[Relation],
    *,
    base: str = DEFAULT_BASE,
    evaluations: Sequence[Evaluation] = (),
    merges: Sequence[Merge] = (),
) -> rdflib.Graph:
    """The same projection as :func:`build_triples`, as an ``rdflib.Graph`` (for SPARQL, SHACL and tests)."""
    ts = build_triples(papers, entities, relations, base=base, evaluations=evaluations, merges=merges)
    g = rdflib.Graph(bind_namespaces="core")
    for prefix, ns in ts.namespaces():
        g.bind(prefix, ns, override=True, replace=True)
    g.addN((s, p, o, g) for s, p, o in ts)
    return g


def to_oxigraph(triples: Iterable[tuple[Node, Node, Node]]) -> list[ox.Triple]:
    """rdflib terms -> pyoxigraph triples sorted by subject, predicate and object (byte-stable writers).

    pyoxigraph's ``NamedNode`` is the strict RFC 3987 check. rdflib would silently write a lone surrogate as
    ``?``; such text is refused here instead of being corrupted.
    """
    nodes: dict[Node, ox.NamedNode] = {}

    def iri(term: Node) -> ox.NamedNode:
        n = nodes.get(term)
        if n is None:
            n = nodes[term] = ox.NamedNode(str(term))
        return n

    def obj(term: Node) -> ox.NamedNode | ox.Literal:
        if not isinstance(term, Literal):
            return iri(term)
        if _SURROGATE.search(term):
            raise ValueError(
                "a literal contains a lone surrogate, which RDF text formats cannot carry "
                "(clean input text with kg.text.clean_text before building the graph)"
            )
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and term.datatype != XSD.string:
            return ox.Literal(str(term), datatype=iri(term.datatype))
        return ox.Literal(str(term))

    out = [ox.Triple(iri(s), iri(p), obj(o)) for s, p, o in triples]
    out.sort(key=lambda t: (t.subject.value, t.predicate.value, str(t.object)))
    return out


def serialize_turtle(graph: rdflib.Graph | TripleSet) -> bytes:
    """Turtle bytes of ``graph``, identical for equal graphs.

    Written by pyoxigraph (about 20x faster than rdflib's Turtle writer, which dominated build time) from the
    sorted triples of :func:`to_oxigraph`, with the graph's prefixes in sorted order.
    """
    prefixes = {str(k): str(v) for k, v in sorted(graph.namespaces()) if str(k)}
    return ox.serialize(to_oxigraph(graph), format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def write_turtle(graph: rdflib.Graph | TripleSet, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` as Turtle to ``path`` atomically (a crash leaves the previous file intact)."""
    atomic.write_bytes(path, serialize_turtle(graph))


# --- nodes --------------------------------------------------------------------------------------------------


class _Nodes:
    """Key -> IRI lookup for papers and entities, with the error messages for dangling keys."""

    def __init__(self, papers: Sequence[Paper], entities: Sequence[Entity], base: str) -> None:
        self.papers: dict[str, URIRef] = {}
        self.entities: dict[str, URIRef] = {}
        for p in papers:
            if p.key in self.papers:
                raise ValueError(f"duplicate paper key {p.key!r} (ingest should have merged these records)")
            self.papers[p.key] = URIRef(paper_iri(p.key, base))
        for e in entities:
            if e.key in self.entities:
                raise ValueError(f"duplicate entity key {e.key!r} (resolution should have merged these)")
            prefix = EntityType(e.type).value.lower() + ":"
            if not e.key.startswith(prefix):
                raise ValueError(
                    f"entity key {e.key!r} does not start with {prefix!r} (keys are '<type>:<name>')"
                )
            self.entities[e.key] = URIRef(entity_iri(e.type, e.key[len(prefix) :], base))

    def paper(self, key: str) -> URIRef:
        try:
            return self.papers[key]
        except KeyError:
            raise ValueError(f"unknown paper key {key!r}") from None

    def entity(self, key: str) -> URIRef:
        try:
            return self.entities[key]
        except KeyError:
            raise ValueError(f"unknown entity key {key!r}") from None


def _bind(g: TripleSet, base: str) -> None:
    for prefix, ns in (
        ("kg", KG._NS),
        ("schema", SCHEMA._NS),
        ("mls", MLS._NS),
        ("fabio", FABIO._NS),
        ("prov", PROV._NS),
        ("dcterms", DCTERMS._NS),
        ("skos", SKOS._NS),
        ("xsd", XSD._NS),
        ("ent", base),
        ("paper", base + "paper/"),
        *((t.value.lower(), f"{base}{t.value.lower()}/") for t in EntityType),
        ("evidence", base + "evidence/"),
        ("source", base + "source/"),
        ("evaluation", base + "evaluation/"),
        ("merge", base + "merge/"),
        ("day", base + "day/"),
        ("cooccurrence", base + "cooccurrence/"),
        ("build", base + "build/"),
    ):
        g.bind(prefix, ns, override=True, replace=True)


# --- papers and entities ------------------------------------------------------------------------------------


def _add_paper(g: TripleSet, paper: Paper, node: URIRef, base: str) -> None:
    for cls in (KG.Paper, SCHEMA.ScholarlyArticle, FABIO.ResearchPaper):
        g.add((node, RDF.type, cls))
    g.add((node, DCTERMS.title, Literal(paper.title)))
    if paper.abstract:
        g.add((node, DCTERMS.abstract, Literal(paper.abstract)))
    if paper.arxiv_id:
        g.add((node, KG.arxivId, Literal(paper.arxiv_id)))
    if paper.doi:
        g.add((node, KG.doi, Literal(paper.doi)))
    if paper.url:
        g.add((node, SCHEMA.url, _link(paper.url)))
    for link in paper.links:
        g.add((node, SCHEMA.codeRepository if _is_code_host(link) else RDFS.seeAlso, _link(link)))
    for author in paper.authors:
        g.add((node, DCTERMS.creator, Literal(author)))
    if paper.date:
        g.add((node, DCTERMS.date, _date_literal(paper.date)))
    if paper.venue:
        g.add((node, KG.venue, Literal(paper.venue)))
    listed = sorted(s.listing_date for s in paper.sources if s.listing_date)
    if listed:
        g.add((node, KG.listingDate, _date_literal(listed[0])))
    for source in paper.sources:
        g.add((node, PROV.wasDerivedFrom, _add_source(g, source, base)))


def _add_source(g: TripleSet, source: Source, base: str) -> URIRef:
    node = URIRef(source_iri(source.path, source.line, base))
    g.add((node, RDF.type, KG.SourceRecord))
    g.add((node, KG.sourceFile, Literal(source.path)))
    g.add((node, KG.sourceLine, Literal(source.line)))
    if source.listing_date:
        g.add((node, KG.listingDate, _date_literal(source.listing_date)))
    return node


def _add_entity(g: TripleSet, entity: Entity, nodes: _Nodes) -> None:
    node = nodes.entities[entity.key]
    for cls in ENTITY_CLASSES[EntityType(entity.type)]:
        g.add((node, RDF.type, cls))
    label = Literal(entity.label)
    g.add((node, RDFS.label, label))
    g.add((node, SKOS.prefLabel, label))
    for alias in sorted(set(entity.aliases) - {entity.label}):
        g.add((node, SKOS.altLabel, Literal(alias)))
    g.add((node, KG.paperCount, Literal(len(set(entity.papers)))))
    g.add((node, KG.key, Literal(entity.key)))
    if entity.broader:
        g.add((node, SKOS.broader, nodes.entity(entity.broader)))
    for name, value in entity.attributes:
        if name == "organization":
            g.add((node, KG.organization, Literal(value)))
        elif name == "date":
            g.add((node, KG.publicationDate, _date_literal(value)))
        elif name == "parameters":
            count = parse_parameter_count(value)
            if count is not None:
                g.add((node, KG.parameterCount, _decimal(Decimal(count))))


# --- relations and evidence ---------------------------------------------------------------------------------


def _add_relations(g: TripleSet, relations: Iterable[Relation], nodes: _Nodes, base: str) -> None:
    supporters: dict[tuple[URIRef, URIRef, URIRef], set[str]] = defaultdict(set)
    evidence: dict[URIRef, tuple[tuple[URIRef, URIRef, URIRef], Relation, URIRef | None]] = {}
    for rel in relations:
        if rel.relation in PAPER_RELATIONS:
            s, pred, o = nodes.paper(rel.source), PAPER_RELATIONS[rel.relation], nodes.entity(rel.target)
            g.add((s, SCHEMA.mentions, o))
            paper_key: str | None = rel.paper or rel.source
        elif rel.relation in ENTITY_RELATIONS:
            s, pred, o = nodes.entity(rel.source), ENTITY_RELATIONS[rel.relation], nodes.entity(rel.target)
            paper_key = rel.paper
        else:
            known = ", ".join(sorted(PAPER_RELATIONS) + sorted(ENTITY_RELATIONS))
            raise ValueError(f"unknown relation {rel.relation!r} (known: {known})")
        g.add((s, pred, o))
        paper_node = nodes.paper(paper_key) if paper_key else None
        if paper_key:
            supporters[(s, pred, o)].add(paper_key)
        if rel.sentence or rel.rule:
            ev = URIRef(
                evidence_iri(
                    rel.source, rel.relation, rel.target, rel.paper, rel.start, rel.end, rel.rule, base
                )
            )
            # Same link, place and rule reported twice: keep one, deterministically (highest confidence).
            if ev not in evidence or _rank(rel) > _rank(evidence[ev][1]):
                evidence[ev] = ((s, pred, o), rel, paper_node)
    for ev, (triple, rel, paper_node) in evidence.items():
        s, pred, o = triple
        g.add((ev, RDF.type, KG.Evidence))
        g.add((ev, RDF.subject, s))
        g.add((ev, RDF.predicate, pred))
        g.add((ev, RDF.object, o))
        if rel.sentence:
            g.add((ev, KG.sentence, Literal(rel.sentence)))
        if rel.start or rel.end:
            g.add((ev, KG.charStart, Literal(rel.start)))
            g.add((ev, KG.charEnd, Literal(rel.end)))
        if rel.rule:
            g.add((ev, KG.rule, Literal(rel.rule)))
        if math.isfinite(rel.confidence):
            g.add((ev, KG.confidence, _decimal(rel.confidence)))
        if paper_node is not None:
            g.add((ev, PROV.wasDerivedFrom, paper_node))
        g.add((ev, KG.supportCount, Literal(len(supporters[triple]))))


def _rank(rel: Relation) -> tuple[float, str]:
    return (rel.confidence if math.isfinite(rel.confidence) else -1.0, rel.sentence)


def _add_evaluation(g: TripleSet, ev: Evaluation, nodes: _Nodes, base: str) -> None:
    node = URIRef(
        evaluation_iri(
            ev.paper, ev.model_key, ev.dataset_key, ev.metric_key, ev.value_text, ev.sentence, base
        )
    )
    g.add((nodes.paper(ev.paper), KG.hasEvaluation, node))
    g.add((node, RDF.type, KG.ModelEvaluation))
    g.add((node, RDF.type, MLS.ModelEvaluation))
    g.add((node, KG.evaluatedModel, nodes.entity(ev.model_key)))
    if ev.dataset_key:
        g.add((node, KG.onDataset, nodes.entity(ev.dataset_key)))
    if ev.metric_key:
        g.add((node, KG.withMetric, nodes.entity(ev.metric_key)))
    if math.isfinite(ev.value):
        g.add((node, KG.value, _decimal(ev.value)))
    g.add((node, KG.valueText, Literal(ev.value_text)))
    if ev.sentence:
        g.add((node, KG.sentence, Literal(ev.sentence)))
    g.add((node, PROV.wasDerivedFrom, nodes.paper(ev.paper)))


# --- literal helpers ----------------------------------------------------------------------------------------


def _decimal(x: float | Decimal) -> Literal:
    """An ``xsd:decimal`` in positional notation with a point (``1e-07`` -> ``0.0000001``, ``3`` -> ``3.0``).

    That is the form Turtle writes unquoted, so the lexical form survives a write/read cycle unchanged.
    """
    text = format(x if isinstance(x, Decimal) else Decimal(repr(x)), "f")
    return Literal(text if "." in text else text + ".0", datatype=XSD.decimal)


def _date_literal(text: str) -> Literal:
    """``xsd:date``/``gYearMonth``/``gYear`` when the text is a well-formed ISO date of that kind, else text.

    >>> _date_literal("2021-02").datatype == XSD.gYearMonth, _date_literal("Feb 2021").datatype
    (True, None)
    """
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, flags=re.ASCII):
        try:
            date.fromisoformat(text)
        except ValueError:
            return Literal(text)
        return Literal(text, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text, flags=re.ASCII):
        return Literal(text, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", text, flags=re.ASCII):
        return Literal(text, datatype=XSD.gYear)
    return Literal(text)


def parse_parameter_count(text: str) -> str | None:
    """A parameter count such as ``"175B"``, ``"1.5 billion"`` or ``"340,000,000"`` as a decimal string.

    >>> parse_parameter_count("175B"), parse_parameter_count("1.5 billion params")
    ('175000000000', '1500000000')
    >>> parse_parameter_count("big") is None
    True
    """
    m = _PARAMS.fullmatch(text.strip().replace(",", "").replace("_", ""))
    if not m:
        return None
    try:
        value = Decimal(m.group(1)).scaleb(_SCALE.get((m.group(2) or "").lower(), 0))
    except InvalidOperation:
        return None
    return format(value.normalize() if value == value.to_integral_value() else value, "f")


def _link(url: str) -> Node:
    """A link as an IRI when it is (after percent-encoding spaces, quotes and brackets) a valid http(s) IRI.

    Anything else stays a ``xsd:anyURI`` literal with the original text, so no link is lost or made invalid.
    """
    candidate = _IRI_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url.strip())
    if candidate.lower().startswith(("http://", "https://")):
        try:
            return URIRef(check_iri(candidate))
        except ValueError:
            pass
    return Literal(url, datatype=XSD.anyURI)


def _is_code_host(url: str) -> bool:
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return False
    return any(host == h or host.endswith("." + h) for h in CODE_HOSTS)
