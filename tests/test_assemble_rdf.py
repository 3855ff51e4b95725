"""The RDF projection: what build_rdf writes, exact literal round trips, valid IRIs, byte-identical Turtle."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.assemble.rdf import (
    VOCABULARY,
    build_rdf,
    parse_parameter_count,
    serialize_turtle,
    write_turtle,
)
from kg.errors import KGError, OutputError
from kg.ids import entity_iri, evaluation_iri, merge_iri, paper_iri, source_iri
from kg.namespace import DCTERMS, FABIO, KG, MLS, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from kg.records import Entity, EntityType, Evaluation, Merge, Paper, Relation, Source
from kg.text import clean_text

REPO = Path(__file__).parent.parent
P1, P2, P3 = "arxiv-2101.00001", "doi-10.1002/(SICI)1097-4636(199706)35:4<…>", "title-0123456789abcdef"
SENT = "We fine-tune BERT on SQuAD."


def _papers() -> list[Paper]:
    return [
        Paper(
            P1,
            "BERT <b>fine-tuning</b>",
            "We fine-tune BERT on SQuAD.",
            arxiv_id="2101.00001",
            url="https://arxiv.org/abs/2101.00001",
            authors=("Ada Lovelace", "Alan Turing"),
            date="2021-01-04",
            venue="ACL",
            links=("https://github.com/org/repo", "https://huggingface.co/bert", "https://example.org/x y"),
            sources=(Source("seeds/001.txt", 40, "2021-01-07"), Source("seeds/000.txt", 1, "2021-01-05")),
        ),
        Paper(P2, "A paper with a hostile DOI", doi="10.1002/(SICI)1097-4636(199706)35:4<…>"),
        Paper(P3, "No ids at all", "Transformers for QA.", date="Spring 2020"),
    ]


def _entities() -> list[Entity]:
    return [
        Entity(
            "model:bert",
            EntityType.MODEL,
            "BERT",
            aliases=("Bert", "BERT", "BERT-base"),
            papers=(P1, P3, P1),
            broader="method:transformer",
            attributes=(("organization", "Google"), ("date", "2018-10"), ("parameters", "340M"), ("x", "y")),
        ),
        Entity("method:transformer", EntityType.METHOD, "Transformer", papers=(P3,)),
        Entity("dataset:squad", EntityType.DATASET, "SQuAD", papers=(P1,)),
        Entity("task:question answering", EntityType.TASK, "question answering", papers=(P3,)),
        Entity("metric:f1", EntityType.METRIC, "F1"),
    ]


def _relations() -> list[Relation]:
    return [
        Relation(P1, "uses", "model:bert", P1, SENT, 13, 17, "vocab", 0.9),
        Relation(P1, "uses", "model:bert", P1, SENT, 13, 17, "vocab", 0.4),  # same evidence twice
        Relation(P3, "uses", "model:bert", P3, "BERT again.", 0, 4, "vocab", 0.8),
        Relation(P1, "evaluatesOn", "dataset:squad", P1, SENT, 21, 26, "vocab", 1.0),
        Relation(P3, "addresses", "task:question answering"),  # no sentence, no rule: no evidence node
        Relation("model:bert", "evaluatedOn", "dataset:squad", P1, SENT, 13, 26, "pattern", 0.6),
        Relation("model:bert", "broader", "method:transformer", rule="vocab"),
    ]


def _build(**kw) -> Graph:  # noqa: ANN003
    return build_rdf(_papers(), _entities(), _relations(), **kw)


def _ox(data: bytes) -> list[pyoxigraph.Quad]:
    return list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE))


def _ox_store(data: bytes) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(data, format=pyoxigraph.RdfFormat.TURTLE)
    return store


# --- papers -------------------------------------------------------------------------------------------------


def test_count_papers_with_plain_sparql() -> None:
    g = _build()
    query = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a schema:ScholarlyArticle }"
    assert int(next(iter(g.query(query)))[0]) == 3
    store = _ox_store(serialize_turtle(g))
    rows = list(store.query("PREFIX schema: <https://schema.org/> " + query))
    assert int(rows[0]["n"].value) == 3


def test_paper_triples() -> None:
    g = _build()
    p = URIRef(paper_iri(P1))
    assert set(g.objects(p, RDF.type)) == {KG.Paper, SCHEMA.ScholarlyArticle, FABIO.ResearchPaper}
    assert g.value(p, DCTERMS.title) == Literal("BERT <b>fine-tuning</b>")
    assert g.value(p, DCTERMS.abstract) == Literal("We fine-tune BERT on SQuAD.")
    assert g.value(p, KG.arxivId) == Literal("2101.00001")
    assert g.value(p, SCHEMA.url) == URIRef("https://arxiv.org/abs/2101.00001")
    assert set(g.objects(p, SCHEMA.codeRepository)) == {
        URIRef("https://github.com/org/repo"),
        URIRef("https://huggingface.co/bert"),
    }
    assert set(g.objects(p, RDFS.seeAlso)) == {URIRef("https://example.org/x%20y")}
    assert set(g.objects(p, DCTERMS.creator)) == {Literal("Ada Lovelace"), Literal("Alan Turing")}
    assert g.value(p, DCTERMS.date) == Literal("2021-01-04", datatype=XSD.date)
    assert g.value(p, KG.venue) == Literal("ACL")
    assert g.value(p, KG.listingDate) == Literal("2021-01-05", datatype=XSD.date)  # earliest source


def test_paper_sources() -> None:
    g = _build()
    p = URIRef(paper_iri(P1))
    src = URIRef(source_iri("seeds/000.txt", 1))
    assert set(g.objects(p, PROV.wasDerivedFrom)) == {src, URIRef(source_iri("seeds/001.txt", 40))}
    assert g.value(src, RDF.type) == KG.SourceRecord
    assert g.value(src, KG.sourceFile) == Literal("seeds/000.txt")
    assert g.value(src, KG.sourceLine) == Literal(1)
    assert g.value(src, KG.listingDate) == Literal("2021-01-05", datatype=XSD.date)


def test_optional_paper_fields_are_omitted() -> None:
    g = _build()
    p2, p3 = URIRef(paper_iri(P2)), URIRef(paper_iri(P3))
    assert g.value(p2, DCTERMS.abstract) is None
    assert g.value(p2, KG.doi) == Literal("10.1002/(SICI)1097-4636(199706)35:4<…>")
    for prop in (KG.arxivId, SCHEMA.url, DCTERMS.creator, KG.venue, PROV.wasDerivedFrom, KG.listingDate):
        assert g.value(p3, prop) is None
    assert g.value(p3, DCTERMS.date) == Literal("Spring 2020")  # not ISO: kept as a plain string


# --- entities -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "types"),
    [
        ("model:bert", {KG.Model, KG.Entity, MLS.Model}),
        ("method:transformer", {KG.Method, KG.Entity, MLS.Algorithm}),
        ("dataset:squad", {KG.Dataset, KG.Entity, MLS.Dataset, SCHEMA.Dataset}),
        ("task:question answering", {KG.Task, KG.Entity, MLS.Task}),
        ("metric:f1", {KG.Metric, KG.Entity, MLS.EvaluationMeasure}),
    ],
)
def test_entity_types(key: str, types: set[URIRef]) -> None:
    type_name, name = key.split(":", 1)
    node = URIRef(entity_iri(type_name.capitalize(), name))
    assert set(_build().objects(node, RDF.type)) == types


def test_entity_triples() -> None:
    g = _build()
    bert = URIRef(entity_iri(EntityType.MODEL, "bert"))
    assert g.value(bert, RDFS.label) == g.value(bert, SKOS.prefLabel) == Literal("BERT")
    assert sorted(g.objects(bert, SKOS.altLabel)) == [Literal("BERT-base"), Literal("Bert")]
    assert g.value(bert, KG.paperCount) == Literal(2)
    assert g.value(bert, KG.key) == Literal("model:bert")
    assert g.value(bert, SKOS.broader) == URIRef(entity_iri(EntityType.METHOD, "transformer"))
    assert g.value(bert, KG.organization) == Literal("Google")
    assert g.value(bert, KG.publicationDate) == Literal("2018-10", datatype=XSD.gYearMonth)
    assert g.value(bert, KG.parameterCount).toPython() == 340_000_000
    assert g.value(URIRef(entity_iri(EntityType.METRIC, "f1")), KG.paperCount) == Literal(0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("175B", "175000000000"),
        ("1.5 billion", "1500000000"),
        ("340M parameters", "340000000"),
        ("110,000,000", "110000000"),
        ("7b", "7000000000"),
        ("0.5", "0.5"),
        ("many", None),
        ("", None),
        ("1.2.3", None),
    ],
)
def test_parse_parameter_count(text: str, expected: str | None) -> None:
    assert parse_parameter_count(text) == expected


# --- relations and evidence ---------------------------------------------------------------------------------


def test_paper_relations_also_state_schema_mentions() -> None:
    g = _build()
    p1, p3 = URIRef(paper_iri(P1)), URIRef(paper_iri(P3))
    bert = URIRef(entity_iri(EntityType.MODEL, "bert"))
    task = URIRef(entity_iri(EntityType.TASK, "question answering"))
    assert (p1, KG.uses, bert) in g and (p1, SCHEMA.mentions, bert) in g
    assert (p3, KG.addresses, task) in g and (p3, SCHEMA.mentions, task) in g
    mentioned = {str(r[0]) for r in g.query("SELECT ?e WHERE { ?p schema:mentions ?e }")}
    assert len(mentioned) == 3


def test_property_hierarchy_is_in_the_graph_for_plain_sparql() -> None:
    g = _build()
    for triple in VOCABULARY:
        assert triple in g
    query = """SELECT (COUNT(*) AS ?n) WHERE {
        ?p a kg:Paper ; ?rel ?e . ?rel rdfs:subPropertyOf kg:mentions . ?e a kg:Entity }"""
    assert int(next(iter(g.query(query)))[0]) == 4  # P1 uses + evaluatesOn, P3 uses + addresses
    store = _ox_store(serialize_turtle(g))
    prefixes = (
        "PREFIX kg: <https://w3id.org/kg-ml/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    )
    assert int(next(iter(store.query(prefixes + query)))["n"].value) == 4
    assert (
        int(
            next(iter(store.query(prefixes + "SELECT (COUNT(?e) AS ?n) WHERE { ?e a kg:Entity }")))["n"].value
        )
        == 5
    )


def test_entity_relations() -> None:
    g = _build()
    bert = URIRef(entity_iri(EntityType.MODEL, "bert"))
    assert (bert, KG.evaluatedOn, URIRef(entity_iri(EntityType.DATASET, "squad"))) in g
    assert (bert, SKOS.broader, URIRef(entity_iri(EntityType.METHOD, "transformer"))) in g


def test_evidence_per_paper_shared_triple_and_support_count() -> None:
    g = _build()
    bert = URIRef(entity_iri(EntityType.MODEL, "bert"))
    ev = sorted(g.subjects(RDF.object, bert))
    # P1 twice at the same place by the same rule (one node) + P3 once.
    assert len(ev) == 2
    assert {g.value(e, PROV.wasDerivedFrom) for e in ev} == {URIRef(paper_iri(P1)), URIRef(paper_iri(P3))}
    assert {g.value(e, KG.supportCount) for e in ev} == {Literal(1)}  # each paper supports its own triple
    p1_ev = next(e for e in ev if g.value(e, PROV.wasDerivedFrom) == URIRef(paper_iri(P1)))
    assert g.value(p1_ev, KG.confidence) == Literal("0.9", datatype=XSD.decimal)  # highest duplicate wins
    assert g.value(p1_ev, KG.sentence) == Literal(SENT)
    assert (g.value(p1_ev, KG.charStart), g.value(p1_ev, KG.charEnd)) == (Literal(13), Literal(17))
    assert g.value(p1_ev, KG.rule) == Literal("vocab")
    assert g.value(p1_ev, RDF.predicate) == KG.uses


def test_support_count_counts_papers_behind_an_entity_link() -> None:
    extra = Relation(
        "model:bert", "evaluatedOn", "dataset:squad", P3, "BERT on SQuAD.", 0, 14, "pattern", 0.5
    )
    again = Relation(
        "model:bert", "evaluatedOn", "dataset:squad", P3, "Again BERT on SQuAD.", 6, 20, "pattern"
    )
    g = build_rdf(_papers(), _entities(), [*_relations(), extra, again])
    ev = list(g.subjects(RDF.predicate, KG.evaluatedOn))
    assert len(ev) == 3
    assert {g.value(e, KG.supportCount) for e in ev} == {Literal(2)}  # P1 and P3
    bert, squad = (
        URIRef(entity_iri(EntityType.MODEL, "bert")),
        URIRef(entity_iri(EntityType.DATASET, "squad")),
    )
    assert len(list(g.triples((bert, KG.evaluatedOn, squad)))) == 1


def test_relation_without_sentence_or_rule_has_no_evidence() -> None:
    g = _build()
    assert not list(g.subjects(RDF.predicate, KG.addresses))
    broader_ev = next(iter(g.subjects(RDF.predicate, SKOS.broader)))
    assert g.value(broader_ev, KG.supportCount) == Literal(0)  # no paper named
    assert g.value(broader_ev, PROV.wasDerivedFrom) is None


def test_evaluations_and_merges() -> None:
    ev = Evaluation(P1, "model:bert", "dataset:squad", None, 93.2, "93.2%", SENT)
    m = Merge("Bert", "model:bert", "alias", P1)
    g = _build(evaluations=[ev], merges=[m])
    node = URIRef(evaluation_iri(P1, "model:bert", "dataset:squad", None, "93.2%", SENT))
    assert (URIRef(paper_iri(P1)), KG.hasEvaluation, node) in g
    assert set(g.objects(node, RDF.type)) == {KG.ModelEvaluation, MLS.ModelEvaluation}
    assert g.value(node, KG.evaluatedModel) == URIRef(entity_iri(EntityType.MODEL, "bert"))
    assert g.value(node, KG.onDataset) == URIRef(entity_iri(EntityType.DATASET, "squad"))
    assert g.value(node, KG.withMetric) is None
    assert g.value(node, KG.value) == Literal("93.2", datatype=XSD.decimal)
    assert g.value(node, KG.valueText) == Literal("93.2%")
    merge = URIRef(merge_iri("Bert", "model:bert", "alias", P1))
    assert g.value(merge, RDF.type) == KG.MergeDecision
    assert g.value(merge, KG.mergedInto) == URIRef(entity_iri(EntityType.MODEL, "bert"))
    assert g.value(merge, PROV.used) == URIRef(paper_iri(P1))


def test_non_finite_numbers_are_omitted() -> None:
    ev = Evaluation(P1, "model:bert", None, None, float("nan"), "n/a")
    g = build_rdf(
        _papers(),
        _entities(),
        [Relation(P1, "uses", "model:bert", P1, rule="r", confidence=float("inf"))],
        evaluations=[ev],
    )
    assert not list(g.objects(None, KG.value))
    assert not list(g.objects(None, KG.confidence))


@pytest.mark.parametrize(
    ("relations", "message"),
    [
        ([Relation(P1, "likes", "model:bert")], "unknown relation 'likes'"),
        ([Relation(P1, "uses", "model:gpt-5")], "unknown entity key 'model:gpt-5'"),
        ([Relation("arxiv-9", "uses", "model:bert")], "unknown paper key 'arxiv-9'"),
        ([Relation("model:bert", "uses", "model:bert")], "unknown paper key 'model:bert'"),
        ([Relation(P1, "basedOn", "model:bert")], "unknown entity key"),
        ([Relation("model:bert", "basedOn", "method:transformer", paper="arxiv-9", rule="r")], "arxiv-9"),
    ],
)
def test_dangling_or_unknown_relations_raise(relations: list[Relation], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_rdf(_papers(), _entities(), relations)


def test_duplicate_and_malformed_keys_raise() -> None:
    with pytest.raises(ValueError, match="duplicate paper key"):
        build_rdf(_papers() + _papers()[:1], [], [])
    with pytest.raises(ValueError, match="duplicate entity key"):
        build_rdf([], _entities() + _entities()[:1], [])
    with pytest.raises(ValueError, match="does not start with 'model:'"):
        build_rdf([], [Entity("bert", EntityType.MODEL, "BERT")], [])
    with pytest.raises(KGError, match="base IRI"):
        build_rdf([], [], [], base="not a base")


def test_custom_base_and_prefixes() -> None:
    base = "https://example.org/kg/"
    g = _build(base=base)
    assert (URIRef(base + "paper/arxiv-2101.00001"), RDF.type, KG.Paper) in g
    ttl = serialize_turtle(g).decode()
    for prefix in ("kg", "schema", "mls", "fabio", "prov", "dcterms", "skos", "xsd", "paper", "model"):
        assert f"@prefix {prefix}: " in ttl
    assert f"@prefix paper: <{base}paper/>" in ttl


def test_pyoxigraph_reads_exactly_what_rdflib_wrote() -> None:
    ev = Evaluation(P1, "model:bert", "dataset:squad", "metric:f1", 1e-7, "0.0000001", SENT)
    g = _build(evaluations=[ev], merges=[Merge("Bert", "model:bert", "alias", P2)])
    quads = _ox(serialize_turtle(g))
    nt = pyoxigraph.serialize([q.triple for q in quads], format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert isomorphic(Graph().parse(data=nt, format="nt"), g)


def test_no_blank_nodes_and_all_iris_strict() -> None:
    g = _build(evaluations=[Evaluation(P2, "model:bert", None, "metric:f1", 1.0, "1")])
    for triple in g:
        for term in triple:
            assert not isinstance(term, BNode)
            if isinstance(term, URIRef):
                pyoxigraph.NamedNode(str(term))


# --- exact literal round trips ------------------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)> see href",
    'She said "hi"',
    '"""',
    "'''",
    'ends with a quote"',
    "ends with a backslash\\",
    "back\\slash \\n not a newline",
    "line one\nline two\r\nline three\rend",
    "tab\there",
    "\u202eevil rtl override",
    "\ufeffbom inside",
    "\u2028line separator\u2029",
    "emoji 🤖 and CJK 变压器",
    " leading and trailing spaces ",
    "",
    clean_text("ctrl \x00 \x1b \x0b \ud800 \ufffe")[0],
]


def _roundtrip(title: str, label: str, alias: str) -> None:
    paper = Paper(P1, title, title)
    entity = Entity("model:" + label, EntityType.MODEL, label, aliases=(alias,), papers=(P1,))
    rel = Relation(P1, "uses", entity.key, P1, sentence=title, rule=alias)
    g = build_rdf([paper], [entity], [rel])
    data = serialize_turtle(g)

    back = Graph().parse(data=data, format="turtle")
    assert isomorphic(g, back)
    p, e = URIRef(paper_iri(P1)), URIRef(entity_iri(EntityType.MODEL, label))
    assert str(back.value(p, DCTERMS.title)) == title
    assert str(back.value(e, RDFS.label)) == label

    quads = _ox(data)
    ox_literals = {(q.subject.value, q.predicate.value): q.object.value for q in quads}
    assert ox_literals[(str(p), str(DCTERMS.title))] == title
    assert ox_literals[(str(e), str(RDFS.label))] == label
    assert ox_literals[(str(e), str(KG.key))] == "model:" + label
    if alias != label:
        assert ox_literals[(str(e), str(SKOS.altLabel))] == alias
    assert len(quads) == len(g)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_literals_round_trip_exactly(text: str) -> None:
    _roundtrip(text, text, text + "!")


def test_lone_surrogate_is_refused_not_written_as_question_mark() -> None:
    g = build_rdf([Paper(P1, "bad \ud800 title")], [], [])
    with pytest.raises(ValueError, match="lone surrogate"):
        serialize_turtle(g)
    url = build_rdf([Paper(P1, "t", url="https://example.org/\udfff")], [], [])
    assert url.value(URIRef(paper_iri(P1)), SCHEMA.url).datatype == XSD.anyURI
    with pytest.raises(ValueError, match="lone surrogate"):
        serialize_turtle(url)


def test_megabyte_literal_round_trips() -> None:
    text = ("x" * 999 + '"') * 1000 + "\\\n"
    _roundtrip(text, "big", "BIG")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(exclude_categories=()), max_size=80), st.text(max_size=30), st.text(max_size=30))
def test_any_clean_text_round_trips(title: str, label: str, alias: str) -> None:
    _roundtrip(clean_text(title)[0], clean_text(label)[0], clean_text(alias)[0])


# --- determinism and writing --------------------------------------------------------------------------------

_SCRIPT = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[2])
    from test_assemble_rdf import _build
    from kg.assemble.rdf import write_turtle
    from kg.records import Evaluation, Merge
    g = _build(evaluations=[Evaluation("arxiv-2101.00001", "model:bert", "dataset:squad", None, 1e-7, "x")],
               merges=[Merge("Bert", "model:bert", "alias", "arxiv-2101.00001")])
    write_turtle(g, sys.argv[1])
    """
)


def test_turtle_is_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for seed in ("0", "1"):
        out = tmp_path / f"seed{seed}.ttl"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-c", _SCRIPT, str(out), str(Path(__file__).parent)],
            check=True,
            env=env,
            cwd=REPO,
            timeout=120,
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"_:" not in outputs[0]


def test_input_order_does_not_matter() -> None:
    rng = random.Random(7)
    papers, entities, relations = _papers(), _entities(), _relations()
    expected = serialize_turtle(build_rdf(papers, entities, relations))
    for _ in range(3):
        rng.shuffle(papers)
        rng.shuffle(entities)
        rng.shuffle(relations)
        assert serialize_turtle(build_rdf(papers, entities, relations)) == expected


def test_adding_a_paper_keeps_existing_iris() -> None:
    before = _build()
    extra = Paper("arxiv-2201.99999", "New paper", "It uses BERT.")
    after = build_rdf(
        [*_papers(), extra],
        _entities(),
        [*_relations(), Relation(extra.key, "uses", "model:bert", extra.key, "It uses BERT.", 3, 7, "vocab")],
    )
    assert set(before.subjects()) <= set(after.subjects())


def test_write_turtle_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out" / "graph.ttl"
    g = _build()
    write_turtle(g, target)
    first = target.read_bytes()
    assert isomorphic(Graph().parse(data=first, format="turtle"), g)

    def boom(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OutputError, match="No space left on device"):
        write_turtle(build_rdf(_papers()[:1], [], []), target)
    assert target.read_bytes() == first
    assert [p.name for p in target.parent.iterdir()] == ["graph.ttl"]
