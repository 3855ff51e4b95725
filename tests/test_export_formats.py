"""Every export format, re-read by its own reader: rdflib/pyoxigraph, NetworkX GraphML/GEXF, csv, json."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.assemble.rdf import build_rdf, serialize_turtle
from kg.errors import KGError
from kg.export import FORMATS, bundle_from_records, export, guess_format
from kg.export.rdf import jsonld_context
from kg.export.sanitize import flatten, unprefix
from kg.records import Entity, EntityType, Paper, Relation, Source

ROOT = Path(__file__).resolve().parents[1]
# rdflib's own JSON-LD parser builds a ConjunctiveGraph internally (rdflib 7 deprecates it; not our code)
RDFLIB_JSONLD = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

HOSTILE = 'He said "hi" """ \\ back\\slash\nnew line\r\ncrlf\ttab \u202e bidi <&> {|}^`'
P1, P2 = "arxiv-2101.00001", "title-0123456789abcdef"


def records():
    papers = [
        Paper(P1, HOSTILE, abstract="We propose EvilNet.\nIt beats BERT on ImageNet.", arxiv_id="2101.00001",
              url="https://arxiv.org/abs/2101.00001", authors=("A. Author", "=B. Author"),
              links=("https://github.com/x/y",), date="2021-01-01",
              sources=(Source("seeds/a.txt", 3, "2021-01-02"), Source("seeds/b.jsonl", 1))),
        Paper(P2, "=HYPERLINK(\"http://evil\")", abstract=""),
    ]  # fmt: skip
    entities = [
        Entity("model:evilnet", EntityType.MODEL, "EvilNet", aliases=("EvilNet", "Evil|Net"), papers=(P1,)),
        Entity("model:bert", EntityType.MODEL, "BERT", aliases=("BERT", "-bert"), papers=(P1, P2),
               attributes=(("organization", "Google"),)),
        Entity("dataset:imagenet", EntityType.DATASET, "ImageNet <1k> & \"friends\"", papers=(P1,)),
        Entity("task:image classification", EntityType.TASK, "image classification", papers=(P1,)),
        Entity("task:vision", EntityType.TASK, "@vision", papers=(P1,)),
    ]  # fmt: skip
    entities[3] = Entity("task:image classification", EntityType.TASK, "image classification", papers=(P1,),
                         broader="task:vision")  # fmt: skip
    relations = [
        Relation(P1, "proposes", "model:evilnet", paper=P1, sentence="We propose EvilNet.", start=0, end=19,
                 rule="propose-cue", confidence=0.9),
        Relation(P1, "uses", "model:bert", paper=P1, sentence="+It beats BERT", start=20, end=34, rule="r1"),
        Relation(P1, "uses", "model:bert", paper=P1, sentence="second\tmention", start=40, end=44, rule="r2",
                 confidence=0.7),
        Relation(P1, "evaluatesOn", "dataset:imagenet", paper=P1, sentence=HOSTILE, rule="r3"),
        Relation(P2, "uses", "model:bert", paper=P2),
        Relation("model:evilnet", "outperforms", "model:bert", paper=P1, sentence="It beats BERT", rule="cmp"),
        Relation("task:image classification", "subtaskOf", "task:vision", paper=P1),
    ]  # fmt: skip
    return papers, entities, relations


@pytest.fixture(scope="module")
def bundle():
    return bundle_from_records(*records())


@pytest.fixture(scope="module")
def written(bundle, tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    paths = {}
    for name, f in FORMATS.items():
        path, warnings = export(bundle, name, out / f.default_name)
        assert warnings == [] or name == "neo4j", (name, warnings)
        paths[name] = path
    return paths


# --- the table ----------------------------------------------------------------------------------------------


def test_every_format_has_name_extension_media_type_and_writer():
    for name, f in FORMATS.items():
        assert f.name == name and f.media_type and callable(f.write) and f.tools
        assert f.directory or (f.extension.startswith(".") and f.default_name.endswith(f.extension))


@pytest.mark.parametrize("name", [n for n, f in FORMATS.items() if not f.directory])
def test_guess_format_by_extension(name):
    assert guess_format(f"x/graph{FORMATS[name].extension.upper()}").name == name


def test_guess_format_unknown_extension_is_one_line_error():
    with pytest.raises(KGError, match=r"cannot tell the export format of g\.docx.*--format"):
        guess_format("g.docx")
    with pytest.raises(KGError, match="unknown export format 'dot'"):
        export(bundle_from_records([], [], []), "dot", "g.dot")


def test_exports_are_byte_identical_across_runs_and_input_order(bundle, written, tmp_path):
    papers, entities, relations = records()
    shuffled = bundle_from_records(papers[::-1], entities[::-1], relations[::-1])
    for name, f in FORMATS.items():
        path, _ = export(shuffled, name, tmp_path / f.default_name)
        files = sorted(p.name for p in path.iterdir()) if f.directory else [""]
        for sub in files:
            a, b = (written[name] / sub, path / sub) if sub else (written[name], path)
            assert a.read_bytes() == b.read_bytes(), (name, sub)
    assert not list(tmp_path.rglob(".kg-tmp-*"))


def test_no_timestamps_in_exports(written):
    for name, path in written.items():
        for p in sorted(path.iterdir()) if path.is_dir() else [path]:
            text = p.read_text(encoding="utf-8")
            assert "lastmodifieddate" not in text and "2026-" not in text, (name, p)


# --- RDF ----------------------------------------------------------------------------------------------------

_NETWORK_EVENTS: list[tuple] = []
_WATCHING = [False]


def _audit(event: str, args: tuple) -> None:
    if _WATCHING[0] and event in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
        _NETWORK_EVENTS.append((event, args))


sys.addaudithook(_audit)


@contextlib.contextmanager
def no_network():
    _NETWORK_EVENTS.clear()
    _WATCHING[0] = True
    try:
        yield
    finally:
        _WATCHING[0] = False
    assert _NETWORK_EVENTS == [], _NETWORK_EVENTS


def test_audit_hook_sees_network_attempts():
    import socket

    with pytest.raises(AssertionError), no_network(), contextlib.suppress(OSError):
        socket.create_connection(("127.0.0.1", 9), timeout=0.1)


@pytest.mark.parametrize(("name", "rdflib_format"), [("turtle", "turtle"), ("ntriples", "nt"),
                                                     ("jsonld", "json-ld")])  # fmt: skip
@RDFLIB_JSONLD
def test_rdf_exports_are_isomorphic_to_the_graph_with_rdflib(written, name, rdflib_format):
    expected = build_rdf(*records())
    with no_network():
        g = rdflib.Graph().parse(written[name], format=rdflib_format)
    assert len(g) == len(expected)
    assert isomorphic(g, expected)


def test_rdf_exports_agree_under_pyoxigraph_and_keep_exact_text(written):
    sets = {}
    with no_network():
        for name, fmt in (("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES),
                          ("jsonld", ox.RdfFormat.JSON_LD)):  # fmt: skip
            sets[name] = {str(t) for t in ox.parse(path=str(written[name]), format=fmt)}
    assert sets["turtle"] == sets["ntriples"] == sets["jsonld"]
    store = ox.Store()
    store.load(path=str(written["jsonld"]), format=ox.RdfFormat.JSON_LD)
    titles = {r["t"].value for r in store.query("SELECT ?t WHERE { ?p <http://purl.org/dc/terms/title> ?t }")}
    assert HOSTILE in titles


def test_ntriples_are_sorted_lines(written):
    lines = written["ntriples"].read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines) and all(line.endswith(" .") for line in lines)


def test_jsonld_embeds_the_published_context_and_uses_readable_keys(written):
    doc = json.loads(written["jsonld"].read_text(encoding="utf-8"))
    published = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == published["@context"] == jsonld_context()
    paper = next(n for n in doc["@graph"] if n["@id"] == f"paper:{P1}")
    assert paper["title"] == HOSTILE and "Paper" in paper["@type"]
    assert paper["proposes"] == {"@id": "model:evilnet"} and paper["url"] == {
        "@id": "https://arxiv.org/abs/2101.00001"
    }


@RDFLIB_JSONLD
def test_jsonld_expands_offline_with_the_local_context(written):
    """JSON-LD expansion (rdflib's processor) never touches the network: the context is inline."""
    from rdflib.plugins.shared.jsonld.context import Context

    doc = json.loads(written["jsonld"].read_text(encoding="utf-8"))
    with no_network():
        ctx = Context(doc["@context"])
        assert ctx.expand("title") == "http://purl.org/dc/terms/title"
        assert ctx.expand("paper:x") == "https://w3id.org/kg-ml/id/paper/x"
        g = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    assert len(g) == len(build_rdf(*records()))


def test_turtle_export_equals_the_build_turtle(bundle, written):
    assert written["turtle"].read_bytes() == serialize_turtle(bundle.triples)


# --- property-graph formats ---------------------------------------------------------------------------------


def _flat_nodes(G):
    return {n: flatten(d) for n, d in G.nodes(data=True)}


def _flat_edges(G):
    return sorted((u, v, sorted(flatten(d).items())) for u, v, d in G.edges(data=True))


def test_graphml_reads_back_with_networkx(bundle, written):
    H = nx.read_graphml(written["graphml"], force_multigraph=True)
    assert _flat_nodes(H) == _flat_nodes(bundle.graph)
    edges = [(u, v, {k: x for k, x in d.items() if k != "id"}) for u, v, d in H.edges(data=True)]
    assert sorted((u, v, sorted(d.items())) for u, v, d in edges) == _flat_edges(bundle.graph)
    assert H.nodes[P1]["paper_count"] == 1 and isinstance(H.nodes[P1]["paper_count"], int)


def test_graphml_keys_are_typed(written):
    text = written["graphml"].read_text(encoding="utf-8")
    assert 'attr.name="paper_count" attr.type="long"' in text
    assert 'attr.name="confidence" attr.type="double"' in text
    assert 'attr.name="label" attr.type="string"' in text


def test_gexf_reads_back_with_networkx_with_viz(bundle, written):
    H = nx.MultiDiGraph(nx.read_gexf(written["gexf"], version="1.3"))
    assert set(H) == set(bundle.graph)
    for n, d in H.nodes(data=True):
        viz = d.pop("viz")
        assert viz["size"] > 0 and set(viz["color"]) >= {"r", "g", "b"}
        assert d == flatten(bundle.graph.nodes[n])
    sizes = {
        n: nx.read_gexf(written["gexf"], version="1.3").nodes[n]["viz"]["size"] for n in ("model:bert", P2)
    }
    assert sizes["model:bert"] > sizes[P2]  # size grows with degree
    edges = [
        (u, v, {k: x for k, x in d.items() if k not in ("id", "label")}) for u, v, d in H.edges(data=True)
    ]
    assert sorted((u, v, sorted(d.items())) for u, v, d in edges) == _flat_edges(bundle.graph)
    assert 'version="1.3"' in written["gexf"].read_text(encoding="utf-8")


def test_xml_invalid_characters_are_replaced_and_reported(tmp_path):
    papers = [Paper(P1, "bad\x01title\x0b\ufffe")]
    b = bundle_from_records(papers, [], [])
    for name in ("graphml", "gexf"):
        path, warnings = export(b, name, tmp_path / FORMATS[name].default_name)
        assert warnings and all("U+FFFD" in w for w in warnings)
        H = nx.read_graphml(path) if name == "graphml" else nx.read_gexf(path, version="1.3")
        assert H.nodes[P1]["label"] == "bad\ufffdtitle\ufffd\ufffd"
    # RDF keeps the exact text
    path, _ = export(b, "ntriples", tmp_path / "g.nt")
    g = rdflib.Graph().parse(path, format="nt")
    assert rdflib.Literal("bad\x01title\x0b\ufffe") in set(g.objects())


def test_none_lists_and_dicts_are_flattened_for_xml(tmp_path):
    G = nx.MultiDiGraph()
    G.add_node("a", label="A", broader=None, aliases=["x", "y"], meta={"k": [1, 2]}, flag=True)
    path, _ = export(_Bundle(G), "graphml", tmp_path / "g.graphml")
    H = nx.read_graphml(path)
    assert H.nodes["a"] == {"label": "A", "aliases": "x|y", "meta": '{"k": [1, 2]}', "flag": True}


class _Bundle:
    def __init__(self, graph):
        self.graph = graph


def test_cytoscape_json_has_elements_with_data_and_classes(bundle, written):
    doc = json.loads(written["cytoscape"].read_text(encoding="utf-8"))
    nodes, edges = doc["elements"]["nodes"], doc["elements"]["edges"]
    assert len(nodes) == bundle.graph.number_of_nodes() and len(edges) == bundle.graph.number_of_edges()
    by_id = {n["data"]["id"]: n for n in nodes}
    assert by_id[P1]["data"]["label"] == HOSTILE and by_id[P1]["classes"] == "paper"
    assert by_id["task:image classification"]["data"]["broader"] == "task:vision"
    assert "broader" not in by_id["model:bert"]["data"]  # None dropped
    assert all(e["data"]["source"] in by_id and e["data"]["target"] in by_id for e in edges)
    assert len({e["data"]["id"] for e in edges}) == len(edges)


# --- CSV and Neo4j ------------------------------------------------------------------------------------------


def _read_csv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_counts_and_exact_text_after_unprefix(bundle, written):
    nodes = _read_csv(written["csv"] / "nodes.csv")
    edges = _read_csv(written["csv"] / "edges.csv")
    assert len(nodes) == bundle.graph.number_of_nodes() and len(edges) == bundle.graph.number_of_edges()
    by_id = {r["id"]: r for r in nodes}
    assert by_id[P1]["label"] == HOSTILE
    assert by_id[P2]["label"] == '\'=HYPERLINK("http://evil")'
    assert unprefix(by_id[P2]["label"]) == '=HYPERLINK("http://evil")'
    assert by_id["task:vision"]["label"] == "'@vision"
    assert by_id["model:bert"]["aliases"] == "BERT|-bert"  # only the cell start is checked
    assert by_id["model:bert"]["paper_count"] == "2"
    assert {r["sentence"] for r in edges} >= {"'+It beats BERT", "second\tmention", HOSTILE}


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'=x", "plain", ""])
def test_csv_formula_prefix_is_configurable_and_reversible(tmp_path, cell):
    from kg.export.csv import write_csv

    G = nx.MultiDiGraph()
    G.add_node("n", label=cell)
    write_csv(_Bundle(G), tmp_path / "on")
    write_csv(_Bundle(G), tmp_path / "off", formula_prefix=None)
    on = _read_csv(tmp_path / "on" / "nodes.csv")[0]["label"]
    off = _read_csv(tmp_path / "off" / "nodes.csv")[0]["label"]
    assert off == cell and unprefix(on) == cell
    assert not on.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_neo4j_import_files(bundle, written):
    d = written["neo4j"]
    with open(d / "nodes.csv", encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    assert header[:2] == ["id:ID", ":LABEL"] and "paper_count:int" in header
    assert len(rows) == bundle.graph.number_of_nodes()
    labels = {r[0]: r[1] for r in rows}
    assert labels[P1] == "Node;Paper" and labels["model:bert"] == "Node;Entity;Model"
    with open(d / "relationships.csv", encoding="utf-8", newline="") as fh:
        rheader, *rrows = list(csv.reader(fh))
    assert rheader[:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert len(rrows) == bundle.graph.number_of_edges()
    assert {r[2] for r in rrows} == {"PROPOSES", "USES", "EVALUATES_ON", "OUTPERFORMS", "SUBTASK_OF"}
    ids = set(labels)
    assert all(r[0] in ids and r[1] in ids for r in rrows)
    cypher = (d / "import.cypher").read_text(encoding="utf-8")
    assert cypher.count("LOAD CSV WITH HEADERS") == 4 + 5  # 4 kinds (Paper, Model, Dataset, Task), 5 types
    assert "neo4j-admin database import" in cypher


def test_neo4j_reports_aliases_containing_the_array_delimiter(bundle, tmp_path):
    _, warnings = export(bundle, "neo4j", tmp_path / "neo4j")
    assert warnings == ["node 'model:evilnet' aliases: an alias contains '|', the Neo4j array delimiter"]


@RDFLIB_JSONLD
def test_empty_graph_exports_parse(tmp_path):
    b = bundle_from_records([], [], [])
    for name, f in FORMATS.items():
        path, _ = export(b, name, tmp_path / f.default_name)
        assert path.exists()
    assert nx.read_graphml(tmp_path / "graph.graphml").number_of_nodes() == 0
    assert nx.read_gexf(tmp_path / "graph.gexf", version="1.3").number_of_nodes() == 0
    assert len(rdflib.Graph().parse(tmp_path / "graph.jsonld", format="json-ld")) > 0  # vocabulary triples


def test_write_failure_leaves_previous_export_intact(bundle, tmp_path, monkeypatch):
    import os

    from kg.errors import OutputError

    path, _ = export(bundle, "graphml", tmp_path / "g.graphml")
    before = path.read_bytes()

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OutputError, match="No space left on device"):
        export(bundle_from_records([], [], []), "graphml", path)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(".kg-tmp-*"))


def test_stream_generators_are_pure(bundle):
    from kg.export.graphml import generate_graphml

    a, _ = generate_graphml(bundle.graph)
    b, _ = generate_graphml(bundle.graph)
    assert a == b and io.StringIO("".join(a)).read().startswith("<?xml")


# --- structure (no XSD shipped: the official GraphML/GEXF schemas are multi-file and fetched by URL) ----------


def test_graphml_structure_is_consistent(written):
    from defusedxml import ElementTree as ET

    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(written["graphml"]).getroot()
    assert root.tag == "{http://graphml.graphdrawing.org/xmlns}graphml"
    keys = {k.get("id"): k.get("for") for k in root.findall("g:key", ns)}
    assert all(k.get("attr.type") in {"boolean", "int", "long", "float", "double", "string"}
               for k in root.findall("g:key", ns))  # fmt: skip
    graph = root.find("g:graph", ns)
    assert graph.get("edgedefault") == "directed"
    node_ids = [n.get("id") for n in graph.findall("g:node", ns)]
    edge_ids = [e.get("id") for e in graph.findall("g:edge", ns)]
    assert len(set(node_ids)) == len(node_ids) and len(set(edge_ids)) == len(edge_ids)
    for kind in ("node", "edge"):
        for el in graph.findall(f"g:{kind}", ns):
            assert all(keys[d.get("key")] == kind for d in el.findall("g:data", ns))
    assert all(
        e.get("source") in node_ids and e.get("target") in node_ids for e in graph.findall("g:edge", ns)
    )
    # keys come before the graph, as the schema requires
    assert [c.tag.split("}")[1] for c in root][-1] == "graph"


def test_gexf_structure_is_consistent(written):
    from defusedxml import ElementTree as ET

    ns = {"x": "http://gexf.net/1.3", "viz": "http://gexf.net/1.3/viz"}
    root = ET.parse(written["gexf"]).getroot()
    assert root.get("version") == "1.3"
    graph = root.find("x:graph", ns)
    attrs = {a.get("class"): {d.get("id") for d in a.findall("x:attribute", ns)}
             for a in graph.findall("x:attributes", ns)}  # fmt: skip
    nodes = graph.find("x:nodes", ns).findall("x:node", ns)
    ids = {n.get("id") for n in nodes}
    assert len(ids) == len(nodes)
    for n in nodes:
        assert n.get("label") is not None and n.find("viz:color", ns) is not None
        assert float(n.find("viz:size", ns).get("value")) > 0
        assert {a.get("for") for a in n.iter("{http://gexf.net/1.3}attvalue")} <= attrs["node"]
    for e in graph.find("x:edges", ns).findall("x:edge", ns):
        assert e.get("source") in ids and e.get("target") in ids
        assert {a.get("for") for a in e.iter("{http://gexf.net/1.3}attvalue")} <= attrs["edge"]


@pytest.mark.parametrize(
    "module",
    ["__init__", "formats", "bundle", "sanitize", "rdf", "graphml", "gexf", "csv", "neo4j", "cytoscape"],
)
def test_docstring_examples_run(module):
    import doctest
    import importlib

    mod = importlib.import_module("kg.export" if module == "__init__" else f"kg.export.{module}")
    result = doctest.testmod(mod)
    assert result.failed == 0 and result.attempted > 0


@RDFLIB_JSONLD
@pytest.mark.parametrize(("name", "rdflib_format"), [("ntriples", "nt"), ("jsonld", "json-ld")])
def test_rdf_exports_conform_to_the_shapes(written, name, rdflib_format):
    import pyshacl

    shapes = rdflib.Graph().parse(ROOT / "ontology" / "shapes.ttl", format="turtle")
    data = rdflib.Graph().parse(written[name], format=rdflib_format)
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    assert conforms, text[:2000]


def test_one_megabyte_literal_round_trips_exactly(tmp_path):
    big = ('"""\\ \n\r\t\u202e ' + "x" * 97) * 10_000  # 1 MB of quotes, backslashes and line breaks
    b = bundle_from_records([Paper(P1, "t", abstract=big)], [], [])
    for name, fmt in (("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES),
                      ("jsonld", ox.RdfFormat.JSON_LD)):  # fmt: skip
        path, _ = export(b, name, tmp_path / FORMATS[name].default_name)
        values = {t.object.value for t in ox.parse(path=str(path), format=fmt)}
        assert big in values, name
    path, _ = export(b, "graphml", tmp_path / "g.graphml")
    assert nx.read_graphml(path).nodes[P1]["abstract"] == big


def test_bytes_do_not_depend_on_the_hash_seed(tmp_path):
    import hashlib
    import os
    import subprocess

    script = (
        "import sys; sys.path.insert(0, sys.argv[2]); from pathlib import Path\n"
        "from test_export_formats import records\n"
        "from kg.export import FORMATS, bundle_from_records, export\n"
        "b = bundle_from_records(*records())\n"
        "for n, f in FORMATS.items(): export(b, n, Path(sys.argv[1]) / f.default_name)\n"
    )
    digests = []
    for seed in ("0", "1"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(out), str(Path(__file__).parent)], check=True,
                       env=env, cwd=ROOT)  # fmt: skip
        digests.append({p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in sorted(out.rglob("*")) if p.is_file()})  # fmt: skip
    assert digests[0] == digests[1] and len(digests[0]) == 6 + 2 + 3
