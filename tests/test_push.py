"""kg push against a real Oxigraph server on a loopback port (SPARQL 1.1 Graph Store HTTP Protocol)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from kg.query.cli import push_command
from tests.conftest import free_port

FIXTURE = Path(__file__).parent / "data" / "query_fixture.ttl"
GRAPH = "https://w3id.org/kg-ml/graph/test"


def _oxigraph() -> str | None:
    local = Path(sys.executable).parent / "oxigraph"
    return str(local) if local.is_file() else shutil.which("oxigraph")


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory):
    exe = _oxigraph()
    if exe is None:
        pytest.skip(
            "the `oxigraph` server binary is not installed (pip install oxigraph, in the test extras)"
        )
    port = free_port()
    proc = subprocess.Popen(
        [exe, "serve", "--location", str(tmp_path_factory.mktemp("oxstore")), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):  # bounded: at most ~20 s to start
            try:
                if httpx.get(base + "/query?query=ASK{}", trust_env=False, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail(
                "oxigraph server did not start: " + proc.stderr.read(2000).decode() if proc.stderr else ""
            )
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        if proc.stderr:
            proc.stderr.close()


def count(base: str, graph: str | None) -> int:
    pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    r = httpx.get(base + "/query", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"},
                  headers={"Accept": "application/sparql-results+json"}, trust_env=False)  # fmt: skip
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def triples_in(path: Path) -> int:
    import pyoxigraph as ox

    return sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def run(args: list[str]):
    return CliRunner().invoke(push_command, args)


def test_replace_then_merge_then_replace(oxigraph: str, tmp_path: Path) -> None:
    n = triples_in(FIXTURE)
    r = run(["--endpoint", oxigraph + "/store", "--graph", GRAPH, "--file", str(FIXTURE)])
    assert r.exit_code == 0, r.output
    assert count(oxigraph, GRAPH) == n
    extra = tmp_path / "extra.ttl"
    extra.write_text("<urn:x> <urn:y> <urn:z> .\n")
    assert (
        run(["--endpoint", oxigraph + "/store", "--graph", GRAPH, "--merge", "--file", str(extra)]).exit_code
        == 0
    )
    assert count(oxigraph, GRAPH) == n + 1
    assert (
        run(
            ["--endpoint", oxigraph + "/store", "--graph", GRAPH, "--replace", "--file", str(FIXTURE)]
        ).exit_code
        == 0
    )
    assert count(oxigraph, GRAPH) == n  # the merged triple is gone again


def test_default_graph(oxigraph: str) -> None:
    r = run(["--endpoint", oxigraph + "/store", "--file", str(FIXTURE)])
    assert r.exit_code == 0 and "default graph" in r.stderr
    resp = httpx.get(
        oxigraph + "/store?default", headers={"Accept": "application/n-triples"}, trust_env=False
    )
    assert resp.status_code == 200
    assert len([line for line in resp.text.splitlines() if line.strip()]) == triples_in(FIXTURE)


def test_errors_are_one_line(oxigraph: str, tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    r = run(["--endpoint", f"http://127.0.0.1:{port}/store", "--file", str(FIXTURE)])
    assert r.exit_code == 1 and "cannot reach" in r.stderr and r.stderr.count("\n") == 1
    r = run(["--endpoint", oxigraph + "/nowhere", "--file", str(FIXTURE)])
    assert r.exit_code == 1 and "HTTP 404" in r.stderr
    r = run(["--endpoint", "file:///etc/passwd", "--file", str(FIXTURE)])
    assert r.exit_code == 1 and "not an http(s) URL" in r.stderr
    r = run(["--endpoint", oxigraph + "/store", "--file", str(tmp_path / "missing.ttl")])
    assert r.exit_code == 1 and "kg build" in r.stderr
