"""kg query: store cache, read-only guard, result formats, the named-query library and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from kg.assemble.rdf import serialize_turtle
from kg.assemble.stats import statistics_triples
from kg.errors import QueryError
from kg.namespace import KG, RDF
from kg.query.cli import query_command
from kg.query.named import bind, library, parse_named_query
from kg.query.results import execute, render
from kg.query.safety import check_read_only
from kg.query.store import CACHE_DIR, open_store

FIXTURE = Path(__file__).parent / "data" / "query_fixture.ttl"


BASE = "https://w3id.org/kg-ml/id/"
ID = BASE


def fixture_graph() -> rdflib.Graph:
    """The hand-written fixture plus what a build adds to it: its statistics (computed by the build's own
    function) and a two-build history in which p3 and data augmentation appeared in build 2."""
    g = rdflib.Graph().parse(FIXTURE, format="turtle")
    for t in statistics_triples(list(g), BASE):
        g.add(t)
    builds = {1: ["p1", "p2", "task-ic", "ds-imagenet", "ds-cifar", "m-vit", "m-vitb", "m-vitb16", "me-attn",
                  "mt-acc"], 2: ["p3", "me-aug"]}  # fmt: skip
    g.add((rdflib.URIRef(f"{BASE}build/2"), KG.isLatestBuild, rdflib.Literal(True)))
    for n, items in builds.items():
        b = rdflib.URIRef(f"{BASE}build/{n}")
        g.add((b, RDF.type, KG.Build))
        g.add((b, KG.buildNumber, rdflib.Literal(n)))
        for item in items:
            g.add((rdflib.URIRef(ID + item), KG.firstSeenIn, b))
    return g


@pytest.fixture
def graph(tmp_path: Path) -> Path:
    g = tmp_path / "graph.ttl"
    g.write_bytes(serialize_turtle(fixture_graph()))
    return g


@pytest.fixture
def store(graph: Path):
    return open_store(graph)


def run(args: list[str]) -> tuple[int, str, str]:
    r = CliRunner().invoke(query_command, args)
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    return r.exit_code, r.stdout_bytes.decode(), r.stderr


def named(store, name: str, **params: str) -> list[tuple[str, ...]]:
    q = library()[name]
    res = execute(store, bind(q, params, store, limit=q.limit), limit=q.limit)
    return [tuple("" if t is None else t.value for t in row) for row in res.rows]


# -- store cache ------------------------------------------------------------------------------------------


def test_store_is_cached_and_rebuilt_when_the_graph_changes(graph: Path) -> None:
    assert len(open_store(graph)) > 50
    dirs = [p for p in (graph.parent / CACHE_DIR).iterdir() if p.is_dir()]
    assert len(dirs) == 1
    assert len(open_store(graph)) == len(open_store(graph))  # reused, several readers at once
    graph.write_text("<urn:a> <urn:b> <urn:c> .\n")
    assert len(open_store(graph)) == 1
    assert [p for p in (graph.parent / CACHE_DIR).iterdir() if p.is_dir()] != dirs  # old store removed


def test_missing_graph_says_what_to_do(tmp_path: Path) -> None:
    code, _, err = run(["--graph", str(tmp_path / "nope.ttl"), "SELECT * {}"])
    assert code == 1 and "kg build" in err


# -- read-only guard (bad-input matrix rows 17-19) ---------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <file:///etc/passwd>",
        "CLEAR ALL",
        "DROP GRAPH <urn:g>",
        "CREATE GRAPH <urn:g>",
        "ADD DEFAULT TO <urn:g>",
        "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "# a comment first\n  insert data { <urn:a> <urn:b> 'x' }",
        "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
        "\\u0044ROP ALL",  # escapes are applied before parsing by SPARQL, so here too
    ],
)
def test_updates_are_refused_as_read_only(query: str) -> None:
    with pytest.raises(QueryError, match="read-only"):
        check_read_only(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "BASE <file:///etc/> SELECT * FROM <passwd> WHERE { ?s ?p ?o }",
        "PREFIX f: <file:///etc/> SELECT * FROM f:passwd WHERE { ?s ?p ?o }",
    ],
)
def test_service_and_from_file_are_refused_before_evaluation(query: str) -> None:
    with pytest.raises(QueryError, match="read-only"):
        check_read_only(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p 'INSERT DATA and SERVICE and LOAD' }",
        "SELECT * WHERE { ?s ?p ?o } # DROP ALL, SERVICE <x>",
        'SELECT ?load ?drop WHERE { ?load <urn:service> ?drop . FILTER(?drop != """CLEAR""") }',
        "PREFIX ex: <urn:ex:> SELECT * WHERE { ?s ex:load ex:drop }",
        "SELECT * FROM <https://w3id.org/kg-ml/graph> WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ?s <http://ex.org/#insert> ?o }",
    ],
)
def test_harmless_queries_pass_the_guard(query: str) -> None:
    check_read_only(query)


def test_guard_cannot_be_fooled_by_a_string_that_ends_early() -> None:
    with pytest.raises(QueryError, match="read-only"):
        check_read_only("SELECT * WHERE { ?s ?p 'a' } # '\nSERVICE <http://127.0.0.1:9/> { }")


def test_cli_refuses_updates_with_exit_2_and_store_unchanged(graph: Path) -> None:
    n = len(open_store(graph))
    code, out, err = run(["--graph", str(graph), "INSERT DATA { <urn:a> <urn:b> <urn:c> }"])
    assert code == 2 and "read-only" in err and out == ""
    code, _, err = run(["--graph", str(graph), "LOAD <file:///etc/passwd>"])
    assert code == 2 and "read-only" in err
    assert len(open_store(graph)) == n


@pytest.mark.parametrize(
    "query, where",
    [("SELECT * WHERE { ?s ?p }", "1:"), ("SELECT * WHERE {\n ?s ?p ?o .\n FILTER( }", "3:")],
)
def test_syntax_error_is_one_line_with_position_exit_2(graph: Path, query: str, where: str) -> None:
    code, _, err = run(["--graph", str(graph), query])
    assert code == 2
    assert err.count("\n") == 1 and "syntax" in err and where in err


def test_deeply_nested_query_does_not_crash(graph: Path) -> None:
    q = "SELECT ?x WHERE { BIND(" + "(" * 200 + "1" + ")" * 200 + " AS ?x) }"
    code, out, _ = run(["--graph", str(graph), "--format", "csv", q])
    assert code == 0 and out.splitlines() == ["x", "1"]
    code, _, err = run(["--graph", str(graph), "SELECT * WHERE { FILTER(" + "(" * 200 + ") }"])
    assert code == 2 and "syntax" in err


def test_timeout_stops_the_query_with_exit_3(graph: Path) -> None:
    import subprocess
    import sys

    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    code = (
        "from kg.query.cli import query_command; "
        f"query_command([{endless!r}, '--graph', {str(graph)!r}, '--timeout', '1'])"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3
    assert "exceeded 1 s" in proc.stderr


# -- formats ---------------------------------------------------------------------------------------------

COUNT = "SELECT ?label ?n WHERE { ?d a kg:Dataset ; rdfs:label ?label ; kg:paperCount ?n } ORDER BY ?label"


def test_formats_csv_tsv_json_xml_table(graph: Path) -> None:
    base = ["--graph", str(graph), COUNT]
    assert run(base + ["--format", "csv"])[1] == "label,n\r\nCIFAR-10,1\r\nImageNet,2\r\n"
    tsv = run(base + ["--format", "tsv"])[1].splitlines()
    assert tsv[0] == "?label\t?n" and tsv[1].startswith(
        '"CIFAR-10"\t"1"^^<http://www.w3.org/2001/XMLSchema#integer>'
    )
    doc = json.loads(run(base + ["--format", "json"])[1])
    assert doc["head"]["vars"] == ["label", "n"]
    assert doc["results"]["bindings"][1]["label"] == {"type": "literal", "value": "ImageNet"}
    xml = run(base + ["--format", "xml"])[1]
    assert '<variable name="label"/>' in xml and "<literal>ImageNet</literal>" in xml
    plain = run(base)[1].splitlines()
    assert plain[0].split() == ["label", "n"] and plain[2].split() == ["CIFAR-10", "1"]


def test_results_parse_back_with_pyoxigraph(store) -> None:
    import pyoxigraph as ox

    r = execute(store, COUNT)
    for fmt, oxfmt in (("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML),
                       ("tsv", ox.QueryResultsFormat.TSV)):  # fmt: skip
        back = ox.parse_query_results(render(r, fmt).encode(), format=oxfmt)
        assert [[t.value for t in s] for s in back] == [["CIFAR-10", "1"], ["ImageNet", "2"]]


def test_construct_gives_turtle_and_ask_gives_boolean(graph: Path) -> None:
    code, out, _ = run(
        ["--graph", str(graph), "CONSTRUCT { ?d rdfs:label ?l } WHERE { ?d a kg:Dataset ; rdfs:label ?l }"]
    )
    assert code == 0 and "@prefix rdfs:" in out and '"ImageNet"' in out
    code, out, _ = run(["--graph", str(graph), "--format", "json", "ASK { ?s a kg:Paper }"])
    assert json.loads(out) == {"head": {}, "boolean": True}


def test_limit_truncates_and_says_so(graph: Path, store) -> None:
    r = execute(store, "SELECT ?s WHERE { ?s a kg:Entity }", limit=2)
    assert len(r.rows) == 2 and r.truncated
    assert json.loads(render(r, "json"))["truncated"] is True
    code, out, err = run(["--graph", str(graph), "--limit", "1", "--format", "csv", COUNT])
    assert out.splitlines() == ["label,n", "CIFAR-10,1"] and "cut at 1" in err


def test_query_from_file(graph: Path, tmp_path: Path) -> None:
    f = tmp_path / "q.rq"
    f.write_text("# count papers\nSELECT (COUNT(*) AS ?n) WHERE { ?p a kg:Paper }\n")
    assert run(["--graph", str(graph), "-f", str(f), "--format", "csv"])[1].splitlines() == ["n", "3"]


# -- named queries ---------------------------------------------------------------------------------------

EXPECTED = {
    ("datasets-for-task", (("task", "Image Classification"),)): [("ImageNet", "2"), ("CIFAR-10", "1")],
    ("top-entities", (("type", "Model"),)): [
        ("ViT", "3", "https://w3id.org/kg-ml/id/m-vit"),
        ("ViT-B", "1", "https://w3id.org/kg-ml/id/m-vitb"),
        ("ViT-B/16", "1", "https://w3id.org/kg-ml/id/m-vitb16"),
    ],
    ("top-entities", (("type", "Dataset"),)): [
        ("ImageNet", "2", "https://w3id.org/kg-ml/id/ds-imagenet"),
        ("CIFAR-10", "1", "https://w3id.org/kg-ml/id/ds-cifar"),
    ],
    ("paper-contributions", (("title", "16X16"),)): [
        ("An Image Is Worth 16x16 Words", "addresses", "Task", "image classification"),
        ("An Image Is Worth 16x16 Words", "evaluatesOn", "Dataset", "CIFAR-10"),
        ("An Image Is Worth 16x16 Words", "evaluatesOn", "Dataset", "ImageNet"),
        ("An Image Is Worth 16x16 Words", "proposes", "Model", "ViT"),
        ("An Image Is Worth 16x16 Words", "reportsMetric", "Metric", "top-1 accuracy"),
        ("An Image Is Worth 16x16 Words", "uses", "Method", "self-attention"),
    ],
    ("model-results", (("dataset", "imagenet"),)): [
        ("ViT", "top-1 accuracy", "88.5%", "An Image Is Worth 16x16 Words")
    ],
    ("co-occurring-methods", (("model", "vit"),)): [("self-attention", "2"), ("data augmentation", "1")],
    ("papers-using-both", (("a", "ViT"), ("b", "data augmentation"))): [
        ("Training ViT-B with Augmentation", "https://w3id.org/kg-ml/id/p2")
    ],
    ("model-family", ()): [("ViT", "ViT", "ViT-B"), ("ViT", "ViT-B", "ViT-B/16")],
    ("model-family", (("family", "nothing"),)): [],
    ("papers-per-date", ()): [("Mar 11", "2"), ("Mar 12", "1")],
    ("new-since-last-build", ()): [
        ("2", "Method", "data augmentation", "https://w3id.org/kg-ml/id/me-aug"),
        ("2", "Paper", 'A Note on "Quotes" and ViT', "https://w3id.org/kg-ml/id/p3"),
    ],
}


@pytest.mark.parametrize("key", list(EXPECTED), ids=lambda k: k[0] + "".join(f"-{v}" for _, v in k[1]))
def test_named_query_on_fixture(store, key) -> None:
    name, params = key
    assert named(store, name, **dict(params)) == EXPECTED[key]


def test_entity_aliases(store) -> None:
    rows = named(store, "entity-aliases")
    assert [r[:3] for r in rows] == [("ImageNet", "Dataset", "2"), ("ViT", "Model", "1"),
                                      ("image classification", "Task", "1")]  # fmt: skip
    assert set(rows[0][3].split(" | ")) == {"ImageNet-1k", "ILSVRC"}
    assert [r[0] for r in named(store, "entity-aliases", type="Model")] == ["ViT"]


def test_every_named_query_is_tested_and_documented() -> None:
    lib = library()
    assert {k[0] for k in EXPECTED} | {"entity-aliases"} == set(lib)
    for q in lib.values():
        assert q.description and q.limit
        for p in q.params:
            assert p.help


def test_parameter_values_cannot_inject(store) -> None:
    evil = 'x" } } ; DROP ALL ; SELECT * { ?s ?p ?o } #'
    assert named(store, "papers-using-both", a=evil, b="ViT") == []
    assert named(store, "paper-contributions", title='"Quotes"')[0][0] == 'A Note on "Quotes" and ViT'


def test_unknown_and_missing_parameters_are_clear(graph: Path) -> None:
    code, _, err = run(["--graph", str(graph), "papers-using-both", "--a", "ViT"])
    assert code == 2 and "missing --b" in err
    code, _, err = run(["--graph", str(graph), "datasets-for-task", "--tsk", "x"])
    assert code == 2 and "unknown parameter tsk" in err


def test_cli_named_query_and_list(graph: Path) -> None:
    code, out, _ = run(
        ["--graph", str(graph), "datasets-for-task", "--task", "image classification", "--format", "csv"]
    )
    assert code == 0 and out.splitlines() == ["dataset,papers", "ImageNet,2", "CIFAR-10,1"]
    code, out, _ = run(["--list"])
    assert code == 0
    for name, q in library().items():
        assert name in out and q.description in out


def test_header_errors_name_the_file() -> None:
    with pytest.raises(Exception, match="x.rq"):
        parse_named_query("SELECT * {}", "x.rq")


@pytest.mark.parametrize(
    "module",
    [
        "kg.query.safety",
        "kg.query.named",
        "kg.query.results",
        "kg.query.store",
        "kg.query.push",
        "kg.serve.app",
    ],
)
def test_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0 and result.attempted > 0


def test_label_parameters_match_aliases_in_any_case(store) -> None:
    assert named(store, "co-occurring-methods", model="VISION  transformer") == [
        ("self-attention", "2"),
        ("data augmentation", "1"),
    ]
    assert named(store, "model-results", dataset="ilsvrc") == named(
        store, "model-results", dataset="ImageNet"
    )
    assert named(store, "co-occurring-methods", model="no such model") == []


def test_type_parameter_is_checked(store) -> None:
    with pytest.raises(QueryError, match="must be one of Model"):
        named(store, "top-entities", type="Paper")
    assert [r[0] for r in named(store, "entity-aliases", type="Dataset")] == ["ImageNet"]


def test_named_query_limit_is_passed_to_the_engine(store) -> None:
    q = library()["datasets-for-task"]
    text = bind(q, {"task": "image classification"}, store, limit=1)
    assert text.rstrip().endswith("LIMIT 2")
    # a ranking subquery's own cut (the header's limit) follows --limit instead of a second LIMIT being added
    q = library()["top-entities"]
    text = bind(q, {"type": "Method"}, store, limit=1)
    code = [line.strip() for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert [line for line in code if line.startswith("LIMIT")] == ["LIMIT 2"]
    r = execute(store, text, limit=1)
    assert len(r.rows) == 1 and r.truncated  # one more row than shown: the cut is still reported
    wide = execute(store, bind(q, {"type": "Method"}, store, limit=500), limit=500)
    narrow = execute(store, bind(q, {"type": "Method"}, store, limit=3), limit=3)
    assert wide.rows[:3] == narrow.rows[:3]
