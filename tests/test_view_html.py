"""The overview page: self-contained (no remote assets), XSS-safe (bad-input row 8), deterministic."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from kg.view.html import LABEL_MAX, render_overview, write_overview
from kg.view.layout import layout_positions

XSS_TITLE = "<img src=x onerror=alert(1)> see href"
SVG_ID = '"><svg onload=alert(1)>'
SCRIPT_LABEL = "</script><script>alert(1)</script>"
APP_JS = Path(__file__).resolve().parents[1] / "kg" / "templates" / "overview.js"


class Page(HTMLParser):
    """Collects tags, attributes, script bodies and the heading of a rendered page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.h1 = ""
        self._in: str | None = None
        self._buf: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "h1"):
            self._in, self._buf = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in == "script":
            self.scripts.append(
                (self.tags[-1][1] if self.tags[-1][0] == "script" else {}, "".join(self._buf))
            )
        elif tag == self._in == "h1":
            self.h1 = "".join(self._buf)
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._buf.append(data)

    def data(self) -> dict:
        [(attrs, body)] = [s for s in self.scripts if s[0].get("type") == "application/json"]
        assert attrs.get("id") == "kg-data"
        return json.loads(body)


def hostile_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node(
        "arxiv-2101.00001",
        kind="Paper",
        label=XSS_TITLE,
        title=XSS_TITLE,
        abstract="see <a href='javascript:alert(1)'>here</a>",
        url="javascript:alert(1)",
        listing_dates=["2024-02-01", "2024-01-01"],
        aliases=[],
        paper_count=1,
    )
    G.add_node(
        SVG_ID, kind="Model", label=SCRIPT_LABEL, aliases=["line\u2028sep", "para\u2029sep"], paper_count=2
    )
    G.add_node("method-x", kind="Method", label="A very long method name " * 4, aliases=None, paper_count=1)
    G.add_node("odd", kind="Gizmo<b>", label="lone \ud800 surrogate \x00 nul")
    G.add_edge(
        "arxiv-2101.00001",
        SVG_ID,
        relation="proposes",
        sentence="We <b>propose</b> </script>",
        confidence=0.9,
    )
    G.add_edge("arxiv-2101.00001", SVG_ID, relation="uses", sentence="", confidence=float("nan"), paper=None)
    G.add_edge(
        "arxiv-2101.00001", "method-x", relation="uses", sentence="x", confidence=1, paper="arxiv-2101.00001"
    )
    return G


def chain_graph(n: int, reverse: bool = False) -> nx.MultiDiGraph:
    """n nodes of rotating kinds; each i links to i+1 and to i//3 (a connected, tree-ish graph)."""
    kinds = ["Paper", "Model", "Method", "Dataset", "Task", "Metric"]
    nodes = [
        (
            f"n{i:05d}",
            {"kind": kinds[i % 6], "label": f"node {i}", "aliases": [f"alias{i}"], "paper_count": 1},
        )
        for i in range(n)
    ]
    rel = {"relation": "uses", "sentence": "s", "confidence": 0.5, "paper": None}
    edges = [
        (f"n{i:05d}", f"n{j:05d}", dict(rel)) for i in range(1, n) for j in sorted({i - 1, i // 3}) if j != i
    ]
    G = nx.MultiDiGraph()
    G.add_nodes_from(reversed(nodes) if reverse else nodes)
    G.add_edges_from(reversed(edges) if reverse else edges)
    return G


@pytest.fixture(scope="module")
def hostile_page() -> str:
    return render_overview(hostile_graph(), title=f"{SVG_ID} & {XSS_TITLE} {SCRIPT_LABEL}")


def test_no_remote_assets(hostile_page: str) -> None:
    page = Page(hostile_page)
    refs = [a.get(k) or "" for tag, a in page.tags for k in ("src", "href") if k in a]
    assert not [r for r in refs if re.match(r"\s*https?:", r, re.I)]
    assert not [t for t, a in page.tags if t == "script" and "src" in a]  # every script inline
    assert not [t for t, _ in page.tags if t == "link"]
    assert len(page.scripts) == 4  # data, vis-network, the scripts both renderers share, page script


def test_hostile_text_only_escaped(hostile_page: str) -> None:
    for raw in ("<img src=x onerror", "<svg onload", "<script>alert", "<b>propose"):
        assert raw not in hostile_page
    page = Page(hostile_page)
    allowed = {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "header",
        "h1",
        "span",
        "form",
        "input",
        "main",
        "aside",
    }
    allowed |= {"datalist", "button", "label", "div", "noscript", "script", "output"}
    assert {t for t, _ in page.tags} <= allowed
    assert not [k for _, attrs in page.tags for k in attrs if k.startswith("on")]
    assert page.h1 == f"{SVG_ID} & {XSS_TITLE} {SCRIPT_LABEL}"
    labels = {n["key"]: n for n in page.data()["nodes"]}
    assert labels["arxiv-2101.00001"]["label"] == XSS_TITLE  # JSON round trip keeps the literal text
    assert labels[SVG_ID]["label"] == SCRIPT_LABEL
    assert labels[SVG_ID]["aliases"] == ["line\u2028sep", "para\u2029sep"]
    assert labels["odd"]["label"] == "lone \ufffd surrogate \ufffd nul"
    assert labels["odd"]["group"] == "Other" and labels["odd"]["kind"] == "Gizmo<b>"


def test_data_block_escapes_markup_and_line_separators(hostile_page: str) -> None:
    body = hostile_page.split('<script type="application/json" id="kg-data">', 1)[1].split("</script>", 1)[0]
    for ch in "<>&\u2028\u2029":
        assert ch not in body
    assert "\\u003c/script\\u003e" in body and "\\u2028" in body
    assert "\u2028" not in hostile_page and "\u2029" not in hostile_page
    hostile_page.encode("utf-8")  # lone surrogates were replaced, the page is valid UTF-8


@pytest.mark.parametrize("name", ["overview.js", "overview_common.js", "overview_webgl.js"])
def test_page_script_never_uses_html_sinks(name: str) -> None:
    js = (APP_JS.parent / name).read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
        assert sink not in js


def test_csp_admits_exactly_the_inline_scripts(hostile_page: str) -> None:
    page = Page(hostile_page)
    metas = [a for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    [csp] = [a["content"] for a in metas]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src", 1)[1].split(";")[0]
    for attrs, body in page.scripts:
        if attrs.get("type") != "application/json":
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
            assert f"'sha256-{digest}'" in csp


def test_counts_match_graph(hostile_page: str) -> None:
    G = hostile_graph()
    data = Page(hostile_page).data()
    assert len(data["nodes"]) == G.number_of_nodes()
    assert sum(len(e["rels"]) for e in data["edges"]) == G.number_of_edges()
    assert len(data["edges"]) == 2  # the two parallel edges paper -> model are merged into one


def test_labels_truncated_tooltip_keeps_full_text(hostile_page: str) -> None:
    [node] = [n for n in Page(hostile_page).data()["nodes"] if n["key"] == "method-x"]
    assert len(node["label"]) == LABEL_MAX and node["label"].endswith("…")
    assert node["name"] == ("A very long method name " * 4).strip()


def test_deterministic_bytes_regardless_of_insertion_order() -> None:
    a = render_overview(chain_graph(60))
    assert render_overview(chain_graph(60)) == a
    assert render_overview(chain_graph(60, reverse=True)) == a


def test_deterministic_across_hash_seeds(tmp_path: Path) -> None:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import test_view_html as t; "
        "from kg.view.html import render_overview; import hashlib; "
        "print(hashlib.sha256(render_overview(t.hostile_graph()).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code, str(Path(__file__).parent)],
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "1")
    }
    assert len(digests) == 1


def test_empty_graph_renders() -> None:
    page = Page(render_overview(nx.MultiDiGraph()))
    data = page.data()
    assert data["nodes"] == [] and data["edges"] == []


@pytest.mark.parametrize(("n", "threshold", "physics"), [(30, 300, True), (30, 29, False), (0, 300, True)])
def test_physics_threshold(n: int, threshold: int, physics: bool) -> None:
    data = Page(render_overview(chain_graph(n), physics_threshold=threshold)).data()
    assert data["physics"] is physics
    assert data["options"]["physics"]["enabled"] is physics
    assert data["options"]["edges"]["smooth"]["enabled"] is False
    assert all(isinstance(node["x"], float) and isinstance(node["y"], float) for node in data["nodes"])


def test_write_overview_is_atomic(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "graph.html"
    write_overview(hostile_graph(), out, title="t")
    assert out.read_text(encoding="utf-8") == render_overview(hostile_graph(), title="t")
    assert [p.name for p in out.parent.iterdir()] == ["graph.html"]


def test_layout_spreads_nodes_and_is_deterministic() -> None:
    edges = [(i, i + 1) for i in range(899)] + [(0, 950)]
    pos = layout_positions(1000, edges)
    assert pos == layout_positions(1000, edges)
    assert len(set(pos)) == 1000  # nobody stacked on top of another


def test_enum_kind_is_read_by_value() -> None:
    from kg.records import EntityType

    G = nx.MultiDiGraph()
    G.add_node("m", kind=EntityType.MODEL, label="BERT")
    [node] = Page(render_overview(G)).data()["nodes"]
    assert node["kind"] == node["group"] == "Model"


@pytest.mark.slow
@pytest.mark.parametrize("component", [5000, 40, 3])
def test_large_graph_renders_fast(component: int) -> None:
    """5k nodes as one chain-like component, or as many components of 40 or 3 nodes (other code paths)."""
    G = nx.MultiDiGraph()
    for c in range(0, 5000, component):
        G.update(nx.relabel_nodes(chain_graph(component), lambda k, c=c: f"c{c}-{k}"))
    start = time.perf_counter()
    data = Page(render_overview(G, webgl_threshold=10**6)).data()  # vis-network, physics off
    elapsed = time.perf_counter() - start
    assert data["physics"] is False and len(data["nodes"]) == G.number_of_nodes()
    assert elapsed < 10  # 1-2 s here; generous for slow CI machines
    assert Page(render_overview(G)).data()["renderer"] == "webgl"  # the default threshold is below 5k
