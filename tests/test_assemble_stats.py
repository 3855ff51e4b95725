"""Precomputed statistics (kg/assemble/stats.py) equal the aggregations they replace, on the fixture graph and
on the seed build, and the named queries that read them give the answers of the old aggregating queries."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from kg.assemble.rdf import serialize_turtle
from kg.assemble.stats import name_key, statistics_triples
from kg.namespace import KG, RDF, RDFS, SCHEMA, SKOS
from kg.query.results import PREFIXES

FIXTURE = Path(__file__).parent / "data" / "query_fixture.ttl"
BASE = "https://w3id.org/kg-ml/id/"

#: The aggregations the statistics replace, as plain SPARQL over the base triples.
COOCCURRENCE = """SELECT ?m ?x (COUNT(DISTINCT ?p) AS ?n) WHERE {
  { ?p schema:mentions ?m , ?x . ?m a kg:Model . ?x a kg:Method }
  UNION { ?p kg:addresses ?m ; kg:evaluatesOn ?x . ?m a kg:Task . ?x a kg:Dataset } } GROUP BY ?m ?x"""
PER_DATE = "SELECT ?d (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a kg:Paper ; kg:listingDate ?d } GROUP BY ?d"
ALIASES = "SELECT ?e (COUNT(?a) AS ?n) WHERE { ?e a kg:Entity ; skos:altLabel ?a } GROUP BY ?e"
ROOTS = """SELECT ?m ?r WHERE { ?m skos:broader+ ?r . FILTER NOT EXISTS { ?r skos:broader ?up } }"""


def store_of(triples) -> ox.Store:
    g = rdflib.Graph()
    for t in triples:
        g.add(t)
    s = ox.Store()
    s.load(serialize_turtle(g), format=ox.RdfFormat.TURTLE)
    return s


def rows(store: ox.Store, query: str) -> set[tuple[str, ...]]:
    return {tuple(t.value for t in r) for r in store.query(query, prefixes=PREFIXES)}


def check_statistics_match_aggregates(base: list) -> None:
    """The statistics of ``base`` equal the GROUP BY answers on ``base`` itself."""
    stats = statistics_triples(base, BASE)
    plain = store_of(base)
    full = store_of(base + sorted(stats))
    assert rows(full, "SELECT ?m ?x ?n WHERE { ?m kg:hasCoOccurrence ?c . ?c kg:coEntity ?x ; kg:sharedPapers ?n }") == rows(plain, COOCCURRENCE)  # fmt: skip
    assert rows(
        full, "SELECT ?d ?n WHERE { ?s a kg:ListingDay ; kg:listingDate ?d ; kg:listedPapers ?n }"
    ) == rows(plain, PER_DATE)
    assert rows(full, "SELECT ?e ?n WHERE { ?e kg:aliasCount ?n }") == rows(plain, ALIASES)
    assert rows(full, "SELECT ?m ?r WHERE { ?m kg:familyRoot ?r }") == rows(plain, ROOTS)
    keys = rows(full, "SELECT ?e ?k WHERE { ?e kg:nameKey ?k }")
    names = {
        (e, name_key(n))
        for e, n in rows(plain, "SELECT ?e ?n WHERE { ?e a kg:Entity ; rdfs:label|skos:altLabel ?n }")
    }
    assert keys == names


def test_statistics_of_the_fixture_match_the_aggregations() -> None:
    base = list(rdflib.Graph().parse(FIXTURE, format="turtle"))
    check_statistics_match_aggregates(base)
    stats = statistics_triples(base, BASE)
    # and a few by hand: ViT co-occurs with self-attention in p1 and p2
    vit, attn = rdflib.URIRef(BASE + "m-vit"), rdflib.URIRef(BASE + "me-attn")
    node = next(
        o for s, p, o in stats if s == vit and p == KG.hasCoOccurrence and (o, KG.coEntity, attn) in stats
    )
    assert (node, KG.sharedPapers, rdflib.Literal(2)) in stats
    assert (vit, KG.aliasCount, rdflib.Literal(1)) in stats
    assert (rdflib.URIRef(BASE + "m-vitb16"), KG.familyRoot, vit) in stats


@pytest.mark.slow
def test_statistics_of_the_seed_build_match_the_aggregations(tmp_path: Path) -> None:
    from kg.pipeline import build
    from tests.conftest import SEEDS

    build([SEEDS], tmp_path)
    g = rdflib.Graph().parse(tmp_path / "graph.ttl", format="turtle")
    stat_preds = {KG.nameKey, KG.aliasCount, KG.familyRoot, KG.hasCoOccurrence, KG.coEntity, KG.sharedPapers,
                  KG.listedPapers}  # fmt: skip
    days = set(g.subjects(RDF.type, KG.ListingDay))
    base = [t for t in g if t[1] not in stat_preds and t[0] not in days]
    assert len(base) < len(g)
    check_statistics_match_aggregates(base)
    assert statistics_triples(base, BASE) == {t for t in g if t[1] in stat_preds or t[0] in days}


def test_statistics_are_deterministic_and_order_free() -> None:
    base = list(rdflib.Graph().parse(FIXTURE, format="turtle"))
    assert statistics_triples(base, BASE) == statistics_triples(list(reversed(base)), BASE)


def test_broader_cycle_does_not_hang() -> None:
    a, b = rdflib.URIRef("urn:a"), rdflib.URIRef("urn:b")
    base = [(a, RDF.type, KG.Entity), (b, RDF.type, KG.Entity), (a, SKOS.broader, b), (b, SKOS.broader, a),
            (a, RDFS.label, rdflib.Literal("A")), (b, RDFS.label, rdflib.Literal("B"))]  # fmt: skip
    roots = {(s, o) for s, p, o in statistics_triples(base, BASE) if p == KG.familyRoot}
    assert roots == {(a, b), (b, a)}


def test_name_key_folds_case_width_and_spaces() -> None:
    assert name_key("GPT-4") == name_key("gpt-4") == "gpt-4"
    assert name_key("Image\tClassification ") == "image classification"
    assert name_key("Cafe\u0301") == name_key("Café")  # NFC
    assert name_key("GPT-4") != name_key("GPT 4")


def test_only_model_method_and_task_dataset_pairs_are_counted() -> None:
    p, m, d = rdflib.URIRef("urn:p"), rdflib.URIRef("urn:m"), rdflib.URIRef("urn:d")
    base = [
        (m, RDF.type, KG.Model),
        (d, RDF.type, KG.Dataset),
        (p, SCHEMA.mentions, m),
        (p, SCHEMA.mentions, d),
    ]
    assert not [t for t in statistics_triples(base, BASE) if t[1] == KG.hasCoOccurrence]
