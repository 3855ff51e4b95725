"""The ontology is the source of truth: it parses everywhere, the Python mirror matches it, and the SHACL
shapes accept what ``build_rdf`` writes and reject concrete breakages."""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph
import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from kg.assemble.rdf import VOCABULARY, build_rdf
from kg.ids import entity_iri, paper_iri
from kg.namespace import DCTERMS, FABIO, KG, KG_ONTOLOGY, MLS, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from kg.records import Entity, EntityType, Evaluation, Merge, Paper, Relation, Source

ONTOLOGY_DIR = Path(__file__).parent.parent / "ontology"
KG_TTL = ONTOLOGY_DIR / "kg.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"
TERM_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(KG_TTL, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_TTL, format="turtle")


def _kg_terms(graph: Graph) -> set[str]:
    """Local names of every kg: IRI appearing anywhere in ``graph``."""
    ns = str(KG._NS)
    return {
        str(t)[len(ns) :]
        for triple in graph
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(ns)
    }


# --- parsing and the mirror ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [KG_TTL, SHAPES_TTL], ids=lambda p: p.name)
def test_parses_in_rdflib_and_pyoxigraph(path: Path) -> None:
    g = Graph().parse(path, format="turtle")
    quads = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(g) == len(quads) > 50


def test_ontology_header(ontology: Graph) -> None:
    assert (KG_ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    for prop in (OWL.versionInfo, DCTERMS.title, DCTERMS.description, DCTERMS.license):
        assert ontology.value(KG_ONTOLOGY, prop) is not None, prop


def test_mirror_matches_ontology_both_ways(ontology: Graph) -> None:
    declared = {
        str(s)[len(str(KG._NS)) :] for s in ontology.subjects() if isinstance(s, URIRef) and s in KG._NS
    }
    mirrored = set(KG.__annotations__)
    assert declared - mirrored == set(), "terms in kg.ttl missing from kg/namespace.py"
    assert mirrored - declared == set(), "terms in kg/namespace.py missing from kg.ttl"
    assert _kg_terms(ontology) <= declared, "kg.ttl refers to kg: terms it does not define"


def test_mirror_is_closed() -> None:
    with pytest.raises(AttributeError):
        _ = KG.evaluateOn  # typo of evaluatesOn
    assert KG.evaluatesOn == URIRef("https://w3id.org/kg-ml/ontology#evaluatesOn")


def test_every_term_is_declared_labelled_and_commented(ontology: Graph) -> None:
    for name in KG.__annotations__:
        term = KG[name]
        types = set(ontology.objects(term, RDF.type)) & TERM_TYPES
        assert len(types) == 1, f"{name}: declared as {types}"
        assert ontology.value(term, RDFS.label) is not None, f"{name} has no rdfs:label"
        assert ontology.value(term, RDFS.comment) is not None, f"{name} has no rdfs:comment"


@pytest.mark.parametrize(
    ("cls", "superclass"),
    [
        (KG.Paper, SCHEMA.ScholarlyArticle),
        (KG.Paper, FABIO.ResearchPaper),
        (KG.Entity, SKOS.Concept),
        (KG.Model, MLS.Model),
        (KG.Method, MLS.Algorithm),
        (KG.Dataset, MLS.Dataset),
        (KG.Dataset, SCHEMA.Dataset),
        (KG.Task, MLS.Task),
        (KG.Metric, MLS.EvaluationMeasure),
        (KG.Evidence, PROV.Entity),
        (KG.Evidence, RDF.Statement),
        (KG.SourceRecord, PROV.Entity),
        (KG.ModelEvaluation, MLS.ModelEvaluation),
        (KG.MergeDecision, PROV.Activity),
        *((KG[t.value], KG.Entity) for t in EntityType),
    ],
)
def test_alignment(ontology: Graph, cls: URIRef, superclass: URIRef) -> None:
    assert (cls, RDFS.subClassOf, superclass) in ontology


@pytest.mark.parametrize(
    ("prop", "superprop"),
    [
        (KG.mentions, SCHEMA.mentions),
        *((KG[p], KG.mentions) for p in ("proposes", "uses", "evaluatesOn", "addresses", "reportsMetric")),
        (KG.subtaskOf, SKOS.broader),
        (KG.value, MLS.hasValue),
    ],
)
def test_subproperties(ontology: Graph, prop: URIRef, superprop: URIRef) -> None:
    assert (prop, RDFS.subPropertyOf, superprop) in ontology


@pytest.mark.parametrize(
    ("prop", "range_"),
    [
        (KG.evaluatesOn, KG.Dataset),
        (KG.addresses, KG.Task),
        (KG.reportsMetric, KG.Metric),
        (KG.hasEvaluation, KG.ModelEvaluation),
        (KG.sourceLine, XSD.integer),
        (KG.paperCount, XSD.integer),
        (KG.confidence, XSD.decimal),
        (KG.charStart, XSD.integer),
    ],
)
def test_ranges(ontology: Graph, prop: URIRef, range_: URIRef) -> None:
    assert (prop, RDFS.range, range_) in ontology


def test_vocabulary_written_into_graphs_is_from_the_ontology(ontology: Graph) -> None:
    for triple in VOCABULARY:
        assert triple in ontology


def test_shapes_only_use_defined_terms(ontology: Graph, shapes: Graph) -> None:
    assert _kg_terms(shapes) <= set(KG.__annotations__)


def test_shapes_are_valid_shacl(shapes: Graph) -> None:
    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True, advanced=True)
    assert conforms, text


# --- SHACL on build_rdf output ------------------------------------------------------------------------------

P1, P2 = "arxiv-2101.00001", "doi-10.1/x(1)"


def _records() -> tuple[list[Paper], list[Entity], list[Relation], list[Evaluation], list[Merge]]:
    papers = [
        Paper(
            P1,
            "BERT for <QA>",
            "We fine-tune BERT on SQuAD and reach 93.2 F1.",
            arxiv_id="2101.00001",
            url="https://arxiv.org/abs/2101.00001",
            authors=("Ada Lovelace", "Alan Turing"),
            date="2021-01-04",
            venue="ACL",
            links=("https://github.com/org/repo", "https://example.org/project page"),
            sources=(Source("seeds/000.txt", 1, "2021-01-05"), Source("seeds/001.txt", 40)),
        ),
        Paper(
            P2, 'A "quoted" title', doi="10.1/x(1)", date="March 2020", sources=(Source("seeds/002.txt", 9),)
        ),
    ]
    entities = [
        Entity(
            "model:bert",
            EntityType.MODEL,
            "BERT",
            aliases=("Bert", "BERT-base"),
            papers=(P1, P2),
            broader="method:transformer",
            attributes=(("organization", "Google"), ("date", "2018-10"), ("parameters", "340M")),
        ),
        Entity("method:transformer", EntityType.METHOD, "Transformer", papers=(P2,)),
        Entity("dataset:squad", EntityType.DATASET, "SQuAD", papers=(P1,)),
        Entity("task:question answering", EntityType.TASK, "question answering", papers=(P1,)),
        Entity("task:qa", EntityType.TASK, "QA"),
        Entity("metric:f1", EntityType.METRIC, "F1", papers=(P1,)),
    ]
    sent = "We fine-tune BERT on SQuAD and reach 93.2 F1."
    relations = [
        Relation(P1, "uses", "model:bert", P1, sent, 13, 17, "vocab", 0.9),
        Relation(P2, "uses", "model:bert", P2, "BERT helps.", 0, 4, "vocab", 0.8),
        Relation(P1, "evaluatesOn", "dataset:squad", P1, sent, 21, 26, "vocab", 1.0),
        Relation(P1, "addresses", "task:question answering", P1, rule="title"),
        Relation(P1, "reportsMetric", "metric:f1", P1, sent, 42, 44, "vocab", 0.7),
        Relation(P2, "proposes", "method:transformer"),
        Relation("model:bert", "evaluatedOn", "dataset:squad", P1, sent, 13, 26, "pattern", 0.6),
        Relation("model:bert", "appliedTo", "task:question answering", P1, rule="pattern"),
        Relation("task:question answering", "subtaskOf", "task:qa", rule="vocab"),
        Relation("model:bert", "basedOn", "method:transformer", rule="vocab"),
    ]
    evaluations = [Evaluation(P1, "model:bert", "dataset:squad", "metric:f1", 93.2, "93.2", sent)]
    merges = [Merge("Bert", "model:bert", "alias", P1)]
    return papers, entities, relations, evaluations, merges


def _graph() -> Graph:
    papers, entities, relations, evaluations, merges = _records()
    return build_rdf(papers, entities, relations, evaluations=evaluations, merges=merges)


def _validate(data: Graph, shapes: Graph, advanced: bool = True) -> tuple[bool, Graph, str]:
    conforms, results, text = pyshacl.validate(data, shacl_graph=shapes, advanced=advanced, inference="none")
    return conforms, results, text


def _violations(results: Graph) -> set[tuple[URIRef, URIRef | None]]:
    """(focus node, result path) of every violation in a pyshacl report."""
    return {
        (results.value(r, SH.focusNode), results.value(r, SH.resultPath))
        for r in results.subjects(RDF.type, SH.ValidationResult)
    }


@pytest.mark.parametrize("advanced", [True, False], ids=["advanced", "core"])
def test_build_rdf_output_conforms(shapes: Graph, advanced: bool) -> None:
    conforms, _, text = _validate(_graph(), shapes, advanced)
    assert conforms, text


def test_build_rdf_output_uses_only_ontology_terms() -> None:
    assert _kg_terms(_graph()) <= set(KG.__annotations__)


BERT = URIRef(entity_iri(EntityType.MODEL, "bert"))
PAPER1 = URIRef(paper_iri(P1))


def _evidence_for(g: Graph, pred: URIRef) -> URIRef:
    return next(iter(g.subjects(RDF.predicate, pred)))


def _drop(g: Graph, s, p) -> None:  # noqa: ANN001
    g.remove((s, p, None))


BREAKAGES = {
    "paper without title": (lambda g: _drop(g, PAPER1, DCTERMS.title), PAPER1, DCTERMS.title),
    "paper with two titles": (lambda g: g.add((PAPER1, DCTERMS.title, Literal("x"))), PAPER1, DCTERMS.title),
    "paper not a ScholarlyArticle": (
        lambda g: g.remove((PAPER1, RDF.type, SCHEMA.ScholarlyArticle)),
        PAPER1,
        RDF.type,
    ),
    "model without mls:Model": (lambda g: g.remove((BERT, RDF.type, MLS.Model)), BERT, RDF.type),
    "entity with two labels": (lambda g: g.add((BERT, RDFS.label, Literal("B"))), BERT, RDFS.label),
    "entity without prefLabel": (lambda g: _drop(g, BERT, SKOS.prefLabel), BERT, SKOS.prefLabel),
    "negative paper count": (
        lambda g: g.set((BERT, KG.paperCount, Literal(-1))),
        BERT,
        KG.paperCount,
    ),
    "paper count as string": (
        lambda g: g.set((BERT, KG.paperCount, Literal("2"))),
        BERT,
        KG.paperCount,
    ),
    "evaluatesOn a model": (lambda g: g.add((PAPER1, KG.evaluatesOn, BERT)), PAPER1, KG.evaluatesOn),
    "addresses a dataset": (
        lambda g: g.add((PAPER1, KG.addresses, URIRef(entity_iri(EntityType.DATASET, "squad")))),
        PAPER1,
        KG.addresses,
    ),
    "mentions a paper": (lambda g: g.add((PAPER1, SCHEMA.mentions, PAPER1)), PAPER1, SCHEMA.mentions),
    "uses an untyped node": (
        lambda g: g.add((PAPER1, KG.uses, URIRef("https://example.org/x"))),
        PAPER1,
        KG.uses,
    ),
    "broader than a paper": (lambda g: g.add((BERT, SKOS.broader, PAPER1)), BERT, SKOS.broader),
    "model not a kg:Entity": (lambda g: g.remove((BERT, RDF.type, KG.Entity)), BERT, RDF.type),
    "entity of two kinds": (lambda g: g.add((BERT, RDF.type, KG.Dataset)), BERT, RDF.type),
    "abstract entity only": (lambda g: g.remove((BERT, RDF.type, KG.Model)), BERT, RDF.type),
}


@pytest.mark.parametrize("advanced", [True, False], ids=["advanced", "core"])
@pytest.mark.parametrize("case", sorted(BREAKAGES))
def test_shapes_reject_broken_graph(shapes: Graph, case: str, advanced: bool) -> None:
    """All but the evidence/link check is SHACL Core, so it holds without pyshacl's advanced mode too."""
    g = _graph()
    mutate, focus, path = BREAKAGES[case]
    mutate(g)
    conforms, results, _ = _validate(g, shapes, advanced)
    assert not conforms
    assert (focus, path) in _violations(results)


@pytest.mark.parametrize(
    ("case", "path"),
    [
        ("confidence above 1", KG.confidence),
        ("start after end", KG.charStart),
        ("missing subject", RDF.subject),
        ("object not an entity", RDF.object),
        ("link not asserted", None),
    ],
)
def test_shapes_reject_broken_evidence(shapes: Graph, case: str, path: URIRef | None) -> None:
    g = _graph()
    ev = _evidence_for(g, KG.evaluatesOn)
    if case == "confidence above 1":
        g.set((ev, KG.confidence, Literal("1.5", datatype=XSD.decimal)))
    elif case == "start after end":
        g.set((ev, KG.charStart, Literal(30)))
    elif case == "missing subject":
        _drop(g, ev, RDF.subject)
    elif case == "object not an entity":
        g.set((ev, RDF.object, PAPER1))
    else:
        g.remove((PAPER1, KG.evaluatesOn, None))
    conforms, results, _ = _validate(g, shapes)
    assert not conforms
    assert (ev, path) in _violations(results)


def test_shapes_reject_evaluation_without_paper(shapes: Graph) -> None:
    g = _graph()
    ev = next(iter(g.subjects(RDF.type, KG.ModelEvaluation)))
    g.remove((None, KG.hasEvaluation, ev))
    conforms, results, _ = _validate(g, shapes)
    assert not conforms
    assert ev in {focus for focus, _ in _violations(results)}


def test_shapes_reject_merge_into_non_entity(shapes: Graph) -> None:
    g = _graph()
    merge = next(iter(g.subjects(RDF.type, KG.MergeDecision)))
    g.set((merge, KG.mergedInto, PAPER1))
    conforms, results, _ = _validate(g, shapes)
    assert not conforms
    assert (merge, KG.mergedInto) in _violations(results)


def _corpus(n_papers: int) -> Graph:
    """A synthetic corpus: each paper links 8 of 400 entities with evidence, plus an entity link, a result."""
    types = list(EntityType)
    role = {
        "Model": "uses",
        "Method": "proposes",
        "Dataset": "evaluatesOn",
        "Task": "addresses",
        "Metric": "reportsMetric",
    }
    entities = [
        Entity(f"{types[i % 5].value.lower()}:e{i}", types[i % 5], f"E{i}", (f"e-{i}",)) for i in range(400)
    ]
    papers, relations, evaluations = [], [], []
    for n in range(n_papers):
        key = f"arxiv-2101.{n:05d}"
        papers.append(
            Paper(
                key,
                f"Title {n}",
                "Abstract. " * 30,
                arxiv_id=key[6:],
                authors=("A", "B"),
                date="2021-01-02",
                links=("https://github.com/a/b",),
                sources=(Source("seeds/x.txt", n + 1, "2021-01-05"),),
            )
        )
        for j in range(8):
            e = entities[(n * 7 + j * 13) % 400]
            relations.append(
                Relation(key, role[e.type.value], e.key, key, "A sentence.", j, j + 5, "vocab", 0.8)
            )
        model, dataset = entities[(n * 5) % 400], entities[(n * 5 + 2) % 400]
        relations.append(Relation(model.key, "evaluatedOn", dataset.key, key, "s", 0, 3, "pattern", 0.6))
        evaluations.append(Evaluation(key, model.key, dataset.key, None, 91.2, "91.2%", "s"))
    return build_rdf(papers, entities, relations, evaluations=evaluations)


@pytest.mark.slow
def test_shapes_validate_300_papers_quickly(shapes: Graph) -> None:
    g = _corpus(300)
    start = time.perf_counter()
    conforms, _, text = _validate(g, shapes)
    elapsed = time.perf_counter() - start
    assert conforms, text
    # About 6 s here for ~45k triples; a per-focus-node SPARQL constraint made it 27 s.
    assert elapsed < 20, f"SHACL validation of 300 papers took {elapsed:.1f} s"
