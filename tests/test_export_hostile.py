"""Law: any Unicode label, cleaned as ingest cleans it, survives every export format exactly (matrix 9-12)."""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.export import FORMATS, bundle_from_records, export
from kg.export.sanitize import unprefix
from kg.records import Entity, EntityType, Paper, Relation
from kg.text import clean_text

PAPER = "arxiv-2101.00001"
TITLE = "http://purl.org/dc/terms/title"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _bundle(title: str, label: str, sentence: str):
    return bundle_from_records(
        [Paper(PAPER, title, abstract=sentence)],
        [Entity("model:x", EntityType.MODEL, label, aliases=(label,), papers=(PAPER,))],
        [Relation(PAPER, "uses", "model:x", paper=PAPER, sentence=sentence, rule="r")],
    )


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


texts = st.text(min_size=1, max_size=60).map(lambda s: clean_text(s)[0])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=texts, label=texts, sentence=texts)
def test_random_unicode_survives_every_format(title, label, sentence):
    b = _bundle(title, label, sentence)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        paths = {}
        for name, f in FORMATS.items():
            paths[name], warnings = export(b, name, out / f.default_name)
            assert warnings == [] or (name == "neo4j" and "|" in label), (name, warnings)

        for name, fmt in (("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES),
                          ("jsonld", ox.RdfFormat.JSON_LD)):  # fmt: skip
            objs = {(t.predicate.value, t.object.value) for t in ox.parse(path=str(paths[name]), format=fmt)}
            assert (TITLE, title) in objs and (LABEL, label) in objs, name

        G = nx.read_graphml(paths["graphml"], force_multigraph=True)
        assert G.nodes[PAPER]["title"] == title and G.nodes["model:x"]["label"] == label
        assert [d["sentence"] for *_, d in G.edges(data=True)] == [sentence]

        H = nx.read_gexf(paths["gexf"], version="1.3")
        assert H.nodes[PAPER]["label"] == title and H.nodes["model:x"]["label"] == label
        assert [d["sentence"] for *_, d in H.edges(data=True)] == [sentence]

        cy = json.loads(paths["cytoscape"].read_text(encoding="utf-8"))
        assert {n["data"]["label"] for n in cy["elements"]["nodes"]} == {title, label}

        nodes = {r["id"]: r for r in _csv_rows(paths["csv"] / "nodes.csv")}
        assert unprefix(nodes[PAPER]["label"]) == title and unprefix(nodes["model:x"]["label"]) == label
        assert [unprefix(r["sentence"]) for r in _csv_rows(paths["csv"] / "edges.csv")] == [sentence]

        neo = {r["id:ID"]: r for r in _csv_rows(paths["neo4j"] / "nodes.csv")}
        assert neo[PAPER]["label"] == title and neo["model:x"]["label"] == label


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=40))
def test_raw_text_with_xml_invalid_characters_still_parses(raw):
    """Without ingest cleaning (only lone surrogates removed): GraphML/GEXF still parse, alterations reported."""
    text = "".join(ch for ch in raw if not 0xD800 <= ord(ch) <= 0xDFFF) or "x"
    b = _bundle(text, text, text)
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("graphml", "gexf"):
            path, warnings = export(b, name, Path(tmp) / FORMATS[name].default_name)
            G = nx.read_graphml(path) if name == "graphml" else nx.read_gexf(path, version="1.3")
            got = G.nodes["model:x"]["label"]
            assert (got == text) == (warnings == [])
