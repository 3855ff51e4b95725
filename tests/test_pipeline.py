"""End to end: seeds in, exports out; both projections agree; outputs are deterministic and atomic."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.pipeline import build
from tests.conftest import ROOT, SEEDS

SCHEMA = "https://schema.org/"


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("exports")
    return build([SEEDS], out), out


def test_seed_build_has_257_papers(seed_build) -> None:
    import pyoxigraph as ox

    result, out = seed_build
    assert result.counts["records_read"] == 386
    assert result.counts["papers"] == 257
    store = ox.Store()
    store.load(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    rows = list(store.query(f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{SCHEMA}ScholarlyArticle> }}"))
    assert int(rows[0]["n"].value) == 257
    for cls in ("Model", "Algorithm", "Dataset", "Task", "EvaluationMeasure"):
        q = f"ASK {{ ?e a <http://www.w3.org/ns/mls#{cls}> }}"
        assert store.query(q), cls


def test_outputs_exist_and_html_is_offline(seed_build) -> None:
    import re

    _, out = seed_build
    for name in ("graph.ttl", "graph.html", "build-report.json", "merge-log.jsonl"):
        assert (out / name).stat().st_size > 0, name
    html = (out / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r"<(?:script|link)[^>]+(?:src|href)\s*=\s*[\"']?https?://", html, re.I)
    assert not list(out.glob(".kg-tmp-*"))


def test_graph_conforms_to_shapes(seed_build) -> None:
    import pyshacl
    import rdflib

    _, out = seed_build
    data = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    shapes = rdflib.Graph().parse(ROOT / "ontology" / "shapes.ttl", format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    assert conforms, text[:2000]


def test_networkx_and_rdf_agree(tmp_path: Path) -> None:
    """Same records, same nodes and links in both projections (counted through SPARQL)."""
    import pyoxigraph as ox

    from kg.assemble.graph import build_graph
    from kg.assemble.rdf import build_rdf, serialize_turtle
    from kg.pipeline import extract_corpus, read_corpus
    from kg.records import Report
    from kg.resolve import resolve

    papers = read_corpus([SEEDS / "000_e30ead69c02cfd1f.txt"], Report())
    res = resolve(papers, extract_corpus(papers).mentions)
    G = build_graph(papers, res.entities, res.relations)
    store = ox.Store()
    store.load(serialize_turtle(build_rdf(papers, res.entities, res.relations)), format=ox.RdfFormat.TURTLE)

    def count(q: str) -> int:
        return int(next(iter(store.query(q)))["n"].value)

    kg = "https://w3id.org/kg-ml/ontology#"
    n_papers = sum(1 for _, d in G.nodes(data=True) if d["kind"] == "Paper")
    assert n_papers == count(f"SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a <{kg}Paper> }}")
    n_entities = G.number_of_nodes() - n_papers
    assert n_entities == count(f"SELECT (COUNT(?e) AS ?n) WHERE {{ ?e a <{kg}Entity> }}")
    links = {(u, d["relation"], v) for u, v, d in G.edges(data=True) if G.nodes[u]["kind"] == "Paper"}
    roles = " ".join(f"<{kg}{r}>" for r in ("proposes", "uses", "evaluatesOn", "addresses", "reportsMetric"))
    assert len(links) == count(f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?rel {{ {roles} }} ?p ?rel ?e }}")
    pairs = {(u, v) for u, _, v in links}
    assert len(pairs) == count(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ ?p a <{kg}Paper> ; <{SCHEMA}mentions> ?e }}"
    )


def test_hostile_text_breaks_no_output(hostile_jsonl: Path, tmp_path: Path) -> None:
    import json

    import pyoxigraph as ox

    out = tmp_path / "out"
    result = build([hostile_jsonl], out)
    assert result.counts["papers"] == 3
    store = ox.Store()
    store.load(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    titles = {t["t"].value for t in store.query("SELECT ?t WHERE { ?p <http://purl.org/dc/terms/title> ?t }")}
    assert '<img src=x onerror=alert(1)> see href "quoted" & <script>alert(2)</script>' in titles
    html = (out / "graph.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html and "<script>alert(2)" not in html
    json.loads((out / "build-report.json").read_text(encoding="utf-8"))


def test_failed_write_keeps_previous_outputs(hostile_jsonl: Path, tmp_path: Path, monkeypatch) -> None:
    from kg.errors import OutputError

    out = tmp_path / "out"
    build([hostile_jsonl], out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def no_space(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(OutputError, match="No space left on device"):
        build([SEEDS / "000_e30ead69c02cfd1f.txt"], out)
    monkeypatch.undo()
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before


@pytest.mark.slow
def test_builds_are_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    outs = []
    for seed in ("0", "1"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "kg", "build", str(SEEDS), "-o", str(out), "-q"], env=env, check=True,
                       cwd=ROOT, timeout=300)  # fmt: skip
        outs.append(
            {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file() and p.suffix != ".lock"}
        )
    assert outs[0].keys() == outs[1].keys()
    for name in outs[0]:
        assert outs[0][name] == outs[1][name], name


def test_input_order_does_not_change_identifiers(tmp_path: Path) -> None:
    files = sorted(SEEDS.glob("*.txt"))[:2]
    a = build(files, tmp_path / "a")
    b = build(list(reversed(files)), tmp_path / "b")
    assert a.counts == b.counts
    for name in ("graph.ttl", "graph.html", "merge-log.jsonl", "build-report.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


@pytest.mark.slow
def test_huge_abstract_is_read_in_chunks_and_kept_whole(tmp_path: Path) -> None:
    """Matrix row 6: a 1,000,000-character abstract is extracted in chunks and kept whole in the literal."""
    import json

    import pyoxigraph as ox

    abstract = ("We propose FooNet, a model evaluated on the ImageNet dataset with high accuracy. " * 13000)[
        :1_000_000
    ]
    src = tmp_path / "big.jsonl"
    src.write_text(json.dumps({"title": "Big", "abstract": abstract}) + "\n", encoding="utf-8")
    build([src], tmp_path / "out")
    store = ox.Store()
    store.load(path=str(tmp_path / "out" / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    (row,) = store.query("SELECT ?a WHERE { ?p <http://purl.org/dc/terms/abstract> ?a }")
    assert row["a"].value == abstract
    labels = {r["l"].value for r in store.query("SELECT ?l WHERE { ?e a <https://w3id.org/kg-ml/ontology#Entity> ; "
                                                "<http://www.w3.org/2000/01/rdf-schema#label> ?l }")}  # fmt: skip
    assert {"FooNet", "ImageNet"} <= labels


def test_empty_input_writes_empty_but_valid_outputs(tmp_path: Path) -> None:
    """Matrix row 4: a header-only file gives a warning, exit 0, and outputs that parse."""
    import json

    import pyoxigraph as ox

    src = tmp_path / "empty.txt"
    src.write_text("new\n\nSubscribe\n\n", encoding="utf-8")
    result = build([src], tmp_path / "out")
    assert result.counts["papers"] == 0
    assert any(i.kind == "empty" for i in result.report.issues)
    ox.Store().load(path=str(tmp_path / "out" / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    json.loads((tmp_path / "out" / "build-report.json").read_text(encoding="utf-8"))
    assert (tmp_path / "out" / "graph.html").stat().st_size > 0


def test_second_build_into_the_same_folder_fails_fast(hostile_jsonl: Path, tmp_path: Path) -> None:
    """Matrix row 26: a build that finds the folder locked stops at once instead of interleaving outputs."""
    from kg.errors import KGError
    from kg.pipeline import build_lock

    out = tmp_path / "out"
    with build_lock(out), pytest.raises(KGError, match="another kg build"):
        build([hostile_jsonl], out)
    assert build([hostile_jsonl], out).counts["papers"] == 3  # the lock is released afterwards


def test_graph_read_back_from_turtle_matches_the_build(seed_build) -> None:
    """`kg view` starts from graph.ttl: reading it back gives the nodes and links the build had."""
    from kg.assemble.from_rdf import graph_from_turtle
    from kg.assemble.graph import build_graph
    from kg.pipeline import read_corpus, resolve_corpus
    from kg.records import Report

    _, out = seed_build
    G2 = graph_from_turtle(out / "graph.ttl")
    papers = read_corpus([SEEDS], Report())
    res = resolve_corpus(papers)
    G1 = build_graph(papers, res.entities, res.relations)
    assert set(G1.nodes) == set(G2.nodes)
    assert {(u, d["relation"], v) for u, v, d in G1.edges(data=True)} == {
        (u, d["relation"], v) for u, v, d in G2.edges(data=True)
    }
    assert all(G2.nodes[n]["label"] == G1.nodes[n]["label"] for n in G1.nodes)


def test_kg_view_rewrites_the_overview(seed_build, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    _, out = seed_build
    html = tmp_path / "view.html"
    result = CliRunner().invoke(cli, ["view", "-g", str(out / "graph.ttl"), "-o", str(html)])
    assert result.exit_code == 0, result.output
    assert html.stat().st_size > 100_000
    missing = CliRunner().invoke(cli, ["view", "-g", str(tmp_path / "nope.ttl"), "-o", str(html)])
    assert missing.exit_code == 1 and "kg build" in missing.output


def test_parallel_extraction_returns_the_same_records_in_input_order() -> None:
    """Workers fork with the parent's pipeline and return records; order and content match one process."""
    from kg.extract.pipeline import extract_papers, make_nlp
    from kg.pipeline import read_corpus
    from kg.records import Report

    papers = read_corpus([SEEDS], Report())[:150]
    nlp = make_nlp()
    one = list(extract_papers(papers, processes=1, nlp=nlp))
    two = list(extract_papers(papers, processes=2, nlp=nlp, batch_size=16))
    assert [x.key for x in two] == [p.key for p in papers]
    assert two == one
    assert sum(len(x.mentions) for x in one) > 500
