"""``kg export`` through click's runner, and every format written from the real seeds (slow)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.export import FORMATS
from kg.export.cli import export_command

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str):
    return CliRunner().invoke(export_command, list(args), catch_exceptions=False)


def test_help_lists_every_format():
    res = run("--help")
    assert res.exit_code == 0
    for name, f in FORMATS.items():
        assert name in res.output and f.default_name in res.output


def test_export_one_format_to_a_guessed_path(hostile_jsonl, tmp_path):
    out = tmp_path / "g.gexf"
    res = run(str(hostile_jsonl), "-o", str(out), "-q")
    assert res.exit_code == 0, res.output
    G = nx.read_gexf(out, version="1.3")
    assert sum(1 for _, d in G.nodes(data=True) if d["kind"] == "Paper") == 3


def test_export_several_formats_into_a_folder(hostile_jsonl, tmp_path):
    res = run(str(hostile_jsonl), "-f", "graphml", "-f", "csv", "-f", "jsonld", "--out-dir", str(tmp_path))
    assert res.exit_code == 0, res.output
    assert "graphml:" in res.output
    assert nx.read_graphml(tmp_path / "graph.graphml").number_of_nodes() >= 3
    with open(tmp_path / "csv" / "nodes.csv", encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) >= 3
    assert json.loads((tmp_path / "graph.jsonld").read_text(encoding="utf-8"))["@graph"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "g.docx"], "cannot tell the export format of g.docx"),
        (["-f", "nt"], "Invalid value for '-f' / '--format'"),
        (["-f", "turtle", "-f", "gexf", "-o", "g.ttl"], "with several --format use --out-dir"),
        (["--base", "not an iri"], "kg: error:"),
    ],
)
def test_bad_arguments_are_one_line_errors(hostile_jsonl, tmp_path, args, message):
    res = run(str(hostile_jsonl), *args)
    assert res.exit_code != 0
    assert message in res.output
    assert "Traceback" not in res.output


def test_missing_input_is_one_line_error(tmp_path):
    res = run(str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "g.ttl"))
    assert res.exit_code == 1 and res.output.startswith("kg: error:") and res.output.count("\n") == 1


@pytest.mark.slow
def test_every_format_from_the_seeds(tmp_path):
    """All formats written from the seed graph, each re-read by its own reader."""
    res = run(str(ROOT / "seeds"), *sum((["-f", n] for n in FORMATS), []), "--out-dir", str(tmp_path), "-q")
    assert res.exit_code == 0, res.output
    turtle = {str(t) for t in ox.parse(path=str(tmp_path / "graph.ttl"), format=ox.RdfFormat.TURTLE)}
    for name, fmt in (("graph.nt", ox.RdfFormat.N_TRIPLES), ("graph.jsonld", ox.RdfFormat.JSON_LD)):
        assert {str(t) for t in ox.parse(path=str(tmp_path / name), format=fmt)} == turtle, name
    G = nx.read_graphml(tmp_path / "graph.graphml", force_multigraph=True)
    papers = sum(1 for _, d in G.nodes(data=True) if d["kind"] == "Paper")
    assert papers == 257
    H = nx.read_gexf(tmp_path / "graph.gexf", version="1.3")
    assert (H.number_of_nodes(), H.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
    cy = json.loads((tmp_path / "graph.cyjs").read_text(encoding="utf-8"))["elements"]
    assert (len(cy["nodes"]), len(cy["edges"])) == (G.number_of_nodes(), G.number_of_edges())
    for folder, files in (("csv", ("nodes.csv", "edges.csv")), ("neo4j", ("nodes.csv", "relationships.csv"))):
        with open(tmp_path / folder / files[0], encoding="utf-8", newline="") as fh:
            assert len(list(csv.reader(fh))) == G.number_of_nodes() + 1
        with open(tmp_path / folder / files[1], encoding="utf-8", newline="") as fh:
            assert len(list(csv.reader(fh))) == G.number_of_edges() + 1


@pytest.mark.parametrize(
    ("args", "expected"), [([], "'=1+1 and more"), (["--csv-formula-prefix", ""], "=1+1 and more")]
)
def test_csv_formula_prefix_option(tmp_path, args, expected):
    src = tmp_path / "p.jsonl"
    src.write_text(
        json.dumps({"title": "=1+1 and more", "abstract": "We use BERT."}) + "\n", encoding="utf-8"
    )
    res = run(str(src), "-f", "csv", "--out-dir", str(tmp_path), *args, "-q")
    assert res.exit_code == 0, res.output
    with open(tmp_path / "csv" / "nodes.csv", encoding="utf-8", newline="") as fh:
        labels = {r["label"] for r in csv.DictReader(fh) if r["kind"] == "Paper"}
    assert labels == {expected}
