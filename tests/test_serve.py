"""kg serve: SPARQL 1.1 Protocol, content negotiation, standard clients, refusals (matrix rows 17-22), deadline."""

from __future__ import annotations

import concurrent.futures
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from kg.serve.app import Settings, create_app, negotiate
from tests.conftest import free_port

FIXTURE = Path(__file__).parent / "data" / "query_fixture.ttl"
DEADLINE = 2.0
ROW_CAP = 5
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    import uvicorn

    root = tmp_path_factory.mktemp("serve")
    exports = root / "exports"
    exports.mkdir()
    shutil.copy(FIXTURE, exports / "graph.ttl")
    (exports / "graph.html").write_text("<!doctype html><title>graph</title>")
    (root / "secret.html").write_text("secret")
    os.symlink(root / "secret.html", exports / "leak.html")
    settings = Settings(
        graph=exports / "graph.ttl", workers=2, deadline=DEADLINE, row_cap=ROW_CAP, max_body=64 * 1024
    )
    port = free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):  # bounded: at most 60 s for the workers to start
        if srv.started:
            break
        time.sleep(0.1)
    assert srv.started, "server did not start"
    old = os.environ.get("no_proxy")
    os.environ["no_proxy"] = "127.0.0.1,localhost"
    yield base
    if old is None:
        os.environ.pop("no_proxy", None)
    else:
        os.environ["no_proxy"] = old
    srv.should_exit = True
    thread.join(30)


@pytest.fixture
def client(server: str):
    with httpx.Client(base_url=server, timeout=30, trust_env=False) as c:
        yield c


def count(client: httpx.Client) -> int:
    r = client.get(
        "/sparql", params={"query": COUNT_ALL}, headers={"Accept": "application/sparql-results+json"}
    )
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


# -- protocol and negotiation ----------------------------------------------------------------------------

SELECT = "SELECT ?label WHERE { ?d a kg:Dataset ; rdfs:label ?label } ORDER BY ?label"


def test_get_post_form_and_post_query_agree(client: httpx.Client) -> None:
    h = {"Accept": "text/csv"}
    a = client.get("/sparql", params={"query": SELECT}, headers=h)
    b = client.post("/sparql", data={"query": SELECT}, headers=h)
    c = client.post("/sparql", content=SELECT, headers={**h, "Content-Type": "application/sparql-query"})
    assert a.status_code == b.status_code == c.status_code == 200
    assert a.text == b.text == c.text == "label\r\nCIFAR-10\r\nImageNet\r\n"
    assert a.headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize(
    "accept, media, marker",
    [
        ("application/sparql-results+json", "application/sparql-results+json", '"bindings"'),
        ("application/sparql-results+xml", "application/sparql-results+xml", "<literal>ImageNet</literal>"),
        ("text/tab-separated-values", "text/tab-separated-values", '"ImageNet"'),
        ("text/csv", "text/csv", "ImageNet"),
        ("*/*", "application/sparql-results+json", '"bindings"'),
        ("text/csv;q=0.2, application/sparql-results+xml;q=0.9", "application/sparql-results+xml", "<sparql"),
    ],
)
def test_select_content_negotiation(client: httpx.Client, accept: str, media: str, marker: str) -> None:
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media) and marker in r.text


@pytest.mark.parametrize(
    "accept, media, marker",
    [
        ("text/turtle", "text/turtle", "@prefix"),
        ("application/n-triples", "application/n-triples", "<https://"),
    ],
)
def test_construct_content_negotiation(client: httpx.Client, accept: str, media: str, marker: str) -> None:
    q = "CONSTRUCT { ?d rdfs:label ?l } WHERE { ?d a kg:Dataset ; rdfs:label ?l }"
    r = client.get("/sparql", params={"query": q}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media) and marker in r.text
    assert '"ImageNet"' in r.text


def test_format_parameter_overrides_accept(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": SELECT, "format": "tsv"}, headers={"Accept": "text/csv"})
    assert r.text.startswith("?label\n")


def test_negotiate_orders_by_quality() -> None:
    assert negotiate("text/csv;q=0.1, text/turtle, application/sparql-results+json;q=0.5", None) == (
        "turtle", "json", "csv")  # fmt: skip
    assert negotiate("", "text/csv") == ("csv",)


def test_sparqlwrapper_client(server: str) -> None:
    from SPARQLWrapper import JSON, POST, XML, SPARQLWrapper

    sw = SPARQLWrapper(server + "/sparql")
    sw.setQuery("PREFIX kg: <https://w3id.org/kg-ml/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                + SELECT)  # fmt: skip
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    assert [r["label"]["value"] for r in rows] == ["CIFAR-10", "ImageNet"]
    sw.setMethod(POST)
    sw.setReturnFormat(XML)
    doc = sw.query().convert()
    assert [n.firstChild.data for n in doc.getElementsByTagName("literal")] == ["CIFAR-10", "ImageNet"]


def test_rdflib_sparqlstore_client(server: str) -> None:
    import rdflib
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    g = rdflib.Graph(store=SPARQLStore(server + "/sparql", returnFormat="json"))
    rows = g.query("PREFIX kg: <https://w3id.org/kg-ml/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                   + SELECT)  # fmt: skip
    assert [str(r.label) for r in rows] == ["CIFAR-10", "ImageNet"]
    kg = rdflib.Namespace("https://w3id.org/kg-ml/ontology#")
    assert (rdflib.URIRef("https://w3id.org/kg-ml/id/m-vit"), rdflib.RDF.type, kg.Model) in g
    assert len(list(g.triples((None, rdflib.RDFS.label, rdflib.Literal("ImageNet"))))) == 1


# -- read-only refusals (rows 17-19) ---------------------------------------------------------------------

UPDATES = ["INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DELETE WHERE { ?s ?p ?o }", "LOAD <file:///etc/passwd>",
           "CLEAR ALL", "DROP ALL"]  # fmt: skip


@pytest.mark.parametrize("update", UPDATES)
@pytest.mark.parametrize(
    "how", ["get-query", "get-update", "form-query", "form-update", "sparql-update", "sparql-query"]
)
def test_updates_are_refused_and_store_unchanged(client: httpx.Client, update: str, how: str) -> None:
    before = count(client)
    if how == "get-query":
        r = client.get("/sparql", params={"query": update})
    elif how == "get-update":
        r = client.get("/sparql", params={"update": update})
    elif how in ("form-query", "form-update"):
        r = client.post("/sparql", data={how.split("-")[1]: update})
    else:
        r = client.post("/sparql", content=update, headers={"Content-Type": f"application/{how}"})
    assert r.status_code == 403 and "read-only" in r.text
    assert count(client) == before


def test_cross_origin_form_post_is_refused_without_cors(client: httpx.Client) -> None:
    r = client.post("/sparql", data={"update": "DROP ALL"}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and "access-control-allow-origin" not in r.headers
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and "access-control-allow-origin" not in r.headers


@pytest.mark.parametrize(
    "params",
    [
        {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"},
        {"query": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"},
        {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": "file:///etc/passwd"},
        {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": "file:///etc/passwd"},
    ],
)
def test_service_and_file_graphs_are_refused(client: httpx.Client, params: dict) -> None:
    r = client.get("/sparql", params=params)
    assert r.status_code == 403 and "read-only" in r.text


@pytest.mark.parametrize(
    "query", ["SELECT * WHERE { ?s ?p }", "SELECT * WHERE { FILTER(" + "(" * 200 + ") }"]
)
def test_syntax_errors_are_400_with_position(client: httpx.Client, query: str) -> None:
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 400 and "syntax error at 1:" in r.text


def test_missing_or_repeated_query_is_400(client: httpx.Client) -> None:
    assert client.get("/sparql").status_code == 400
    assert client.get("/sparql?query=ASK{}&query=ASK{}").status_code == 400


# -- HTTP guards (row 21) --------------------------------------------------------------------------------


def test_foreign_host_header_is_refused(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Host": "evil.example"})
    assert r.status_code == 403
    assert client.get("/", headers={"Host": "localhost:1"}).status_code == 200


def test_huge_body_is_413(client: httpx.Client) -> None:
    r = client.post(
        "/sparql", content=b"#" * (10 * 1024 * 1024), headers={"Content-Type": "application/sparql-query"}
    )
    assert r.status_code == 413


def test_no_cors_headers_by_default(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "ASK {}"})
    assert not any(k.lower().startswith("access-control") for k in r.headers)


def test_hundred_concurrent_clients(server: str) -> None:
    def one(i: int) -> int:
        with httpx.Client(base_url=server, timeout=60, trust_env=False) as c:
            return c.get(
                "/sparql", params={"query": f"SELECT ?s WHERE {{ ?s a kg:Paper }} LIMIT {i % 3 + 1}"}
            ).status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=100) as ex:
        codes = list(ex.map(one, range(100)))
    assert codes == [200] * 100


# -- deadline and row cap (row 20) -----------------------------------------------------------------------


def test_endless_query_is_stopped_and_others_are_served_meanwhile(server: str) -> None:
    with httpx.Client(base_url=server, timeout=60, trust_env=False) as slow, \
            httpx.Client(base_url=server, timeout=60, trust_env=False) as fast:  # fmt: skip
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as ex:
            started = time.monotonic()
            pending = ex.submit(slow.get, "/sparql", params={"query": ENDLESS})
            time.sleep(0.3)
            t = time.monotonic()
            r = fast.get("/sparql", params={"query": "ASK { ?s a kg:Paper }"})
            assert r.status_code == 200 and time.monotonic() - t < DEADLINE  # answered while the other runs
            r = pending.result(timeout=60)
            elapsed = time.monotonic() - started
        assert r.status_code == 503 and f"exceeded {DEADLINE:g} s" in r.text
        assert DEADLINE - 0.1 < elapsed < DEADLINE + 5
        for _ in range(3):  # and the server keeps answering after the kill
            assert fast.get("/sparql", params={"query": "ASK { ?s a kg:Paper }"}).json()["boolean"] is True


def test_regex_backtracking_is_stopped_too(client: httpx.Client) -> None:
    q = 'SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?o . FILTER(REGEX(CONCAT(STR(?o), "aaaaaaaaaaaaaaaaaaaaaaaa!"), "^(a+)+$")) }'
    r = client.get("/sparql", params={"query": q})
    assert r.status_code in (
        200,
        503,
    )  # Rust's regex engine does not backtrack; the cross product is what is slow
    assert count(client) > 0


def test_row_cap_truncates_with_flag(client: httpx.Client) -> None:
    r = client.get(
        "/sparql",
        params={"query": "SELECT * WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    doc = r.json()
    assert r.status_code == 200 and len(doc["results"]["bindings"]) == ROW_CAP
    assert doc["truncated"] is True and r.headers["x-kg-truncated"] == "true"
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+json"})
    assert "truncated" not in r.json() and "x-kg-truncated" not in r.headers


# -- static views and the query page (row 22) ------------------------------------------------------------


def test_views_and_query_page(client: httpx.Client) -> None:
    r = client.get("/views/graph.html")
    assert r.status_code == 200 and "<title>graph</title>" in r.text
    page = client.get("/")
    assert page.status_code == 200 and 'action="sparql"' in page.text and "datasets-for-task" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]


@pytest.mark.parametrize(
    "path",
    ["/views/../../etc/passwd", "/views/%2e%2e/%2e%2e/etc/passwd", "/views/..%2fsecret.html", "/views/..%20/x",
     "/views/..\\secret.html", "/views/%00graph.html", "/views//etc/passwd", "/views/leak.html",
     "/views/graph.ttl", "/../../etc/passwd", "/views/%2fetc%2fpasswd"],
)  # fmt: skip
def test_no_path_traversal(server: str, path: str) -> None:
    with socket.create_connection(("127.0.0.1", int(server.rsplit(":", 1)[1])), timeout=10) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    assert status in (400, 404), data[:200]
    assert b"secret" not in data and b"root:" not in data


def test_serve_command_without_graph_says_what_to_do(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.serve.cli import serve_command

    r = CliRunner().invoke(serve_command, ["--graph", str(tmp_path / "none.ttl")])
    assert r.exit_code == 1 and "kg build" in r.stderr


@pytest.mark.parametrize("store", ["memory", "disk"])
def test_both_stores_answer_the_same(tmp_path: Path, store: str) -> None:
    import uvicorn

    shutil.copy(FIXTURE, tmp_path / "graph.ttl")
    settings = Settings(graph=tmp_path / "graph.ttl", workers=1, store=store)
    port = free_port()
    srv = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    try:
        for _ in range(600):  # bounded: at most 60 s for the worker to start
            if srv.started:
                break
            time.sleep(0.1)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30, trust_env=False) as c:
            r = c.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
        assert r.status_code == 200, r.text
        assert r.text.splitlines() == ["label", "CIFAR-10", "ImageNet"]
    finally:
        srv.should_exit = True
        thread.join(30)
    assert (tmp_path / ".kg-store").is_dir() == (store == "disk")  # memory: no on-disk store is built
