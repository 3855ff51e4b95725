"""Static index / entity / paper pages: complete, linked, offline, XSS-safe (bad-input row 8), deterministic."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from kg.assemble.graph import build_graph
from kg.ids import safe_segment
from kg.records import Entity, EntityType, Paper, Relation, Source
from kg.view.pages import write_pages

HOSTILE = '<img src=x onerror=alert(1)> href "q" & </script>'
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "a", "form", "input", "span", "nav",
    "section", "details", "summary", "svg", "g", "text", "rect", "ol", "li", "dl", "dt", "dd", "blockquote",
    "script", "circle", "line",
}  # fmt: skip


class Page(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: list[str] = []
        self._script: dict[str, str | None] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))
        else:
            self.text.append(data)

    def hrefs(self) -> list[str]:
        return [a["href"] for t, a in self.tags if t == "a" and a.get("href")]


def _graph():
    src = Source("seeds/x.txt", 1, "2024-05-01")
    papers = [
        Paper("arxiv-1", HOSTILE, "We propose <b>NetX</b> & use SQuAD.", url="https://arxiv.org/abs/1",
              sources=(src,)),
        Paper("arxiv-2", "A second paper", "We use NetX on SQuAD.", url="javascript:alert(1)",
              sources=(Source("seeds/y.txt", 2, "2024-05-02"),)),
        Paper("doi-10.1/(a)<b>", "Third", "NetX again.", sources=(src,)),
    ]  # fmt: skip
    entities = [
        Entity("model:netx", EntityType.MODEL, "NetX", aliases=("NX-Net",),
               papers=("arxiv-1", "arxiv-2", "doi-10.1/(a)<b>")),
        Entity("dataset:squad", EntityType.DATASET, "SQuAD", papers=("arxiv-1", "arxiv-2")),
        Entity("task:qa", EntityType.TASK, 'QA "<script>alert(2)</script>"', papers=("arxiv-2",)),
        Entity("task:reading", EntityType.TASK, "reading", papers=(), broader="task:qa"),
        Entity("method:HOSTILE", EntityType.METHOD, HOSTILE, papers=("arxiv-1",)),
    ]  # fmt: skip
    relations = [
        Relation("arxiv-1", "proposes", "model:netx", "arxiv-1", "We propose <b>NetX</b>."),
        Relation("arxiv-1", "evaluatesOn", "dataset:squad", "arxiv-1", "use SQuAD & more"),
        Relation("arxiv-1", "uses", "method:HOSTILE", "arxiv-1", HOSTILE),
        Relation("arxiv-2", "uses", "model:netx", "arxiv-2", "We use NetX on SQuAD."),
        Relation("arxiv-2", "evaluatesOn", "dataset:squad", "arxiv-2", "We use NetX on SQuAD."),
        Relation("arxiv-2", "addresses", "task:qa", "arxiv-2", "question answering"),
        Relation("doi-10.1/(a)<b>", "uses", "model:netx", "doi-10.1/(a)<b>", "NetX again."),
        Relation("model:netx", "evaluatedOn", "dataset:squad", "arxiv-2", "NetX on SQuAD"),
        Relation("task:reading", "broader", "task:qa"),
    ]
    return build_graph(papers, entities, relations), entities, papers


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("pages")
    G, entities, papers = _graph()
    counts = write_pages(G, out)
    return out, G, entities, papers, counts


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _page(out: Path, folder: str, key: str) -> Path:
    return out / folder / (safe_segment(key) + ".html")


def test_counts_and_files(built):
    out, _G, entities, papers, counts = built
    assert counts == {"entities": len(entities), "papers": len(papers)}
    assert sorted(p.name for p in (out / "entities").iterdir()) == sorted(
        safe_segment(e.key) + ".html" for e in entities
    )
    assert sorted(p.name for p in (out / "papers").iterdir()) == sorted(
        safe_segment(p.key) + ".html" for p in papers
    )


def test_index_lists_every_entity_with_its_count(built):
    out, _G, entities, _papers, _counts = built
    page = Page(_read(out / "index.html"))
    items = {}
    for i, (tag, attrs) in enumerate(page.tags):
        if tag == "li" and "data-search" in attrs:
            href = page.tags[i + 1][1]["href"]
            items[unquote(href)] = attrs["data-search"]
    assert set(items) == {f"entities/{safe_segment(e.key)}.html" for e in entities}
    assert "nx-net" in items[f"entities/{safe_segment('model:netx')}.html"]  # aliases are searchable
    html = _read(out / "index.html")
    for label, n in [("NetX", 3), ("SQuAD", 2), ("reading", 0)]:
        assert re.search(rf">{label}</a> <span class=\"kg-muted\">{n}</span>", html), label
    # sorted by count, then label, inside a type; types in ontology order
    assert html.index(">Model (1)<") < html.index(">Method (1)<") < html.index(">Dataset (1)<")
    tasks = html[html.index(">Task (2)<") :]
    assert tasks.index("QA &#34;") < tasks.index(">reading<")
    # charts: bars per type and per listing date, drawn as SVG
    assert html.count("<svg") == 5  # Model, Method, Dataset, Task (reading has 0 and no bar), dates
    assert "2024-05-01</text>" in html and "2024-05-02</text>" in html


def test_entity_page_lists_papers_evidence_and_links(built):
    out, *_ = built
    html = _read(_page(out, "entities", "model:netx"))
    assert "<h1>NetX</h1>" in html and "NX-Net" in html
    assert "Papers (3)" in html
    assert "We propose &lt;b&gt;NetX&lt;/b&gt;." in html and "NetX again." in html
    assert "Links to other entities (1)" in html and "evaluatedOn" in html and "NetX on SQuAD" in html
    squad = _read(_page(out, "entities", "dataset:squad"))
    assert "Links from other entities (1)" in squad and "use SQuAD &amp; more" in squad
    reading = _read(_page(out, "entities", "task:reading"))
    assert "broader" in reading and f'href="{safe_segment("task:qa")}.html"'.replace("%", "%25") in reading


def test_paper_page_groups_entities_by_relation(built):
    out, *_ = built
    html = _read(_page(out, "papers", "arxiv-2"))
    for rel in ("addresses (1)", "evaluatesOn (1)", "uses (1)"):
        assert f"<h2>{rel}</h2>" in html
    assert "2024-05-02" in html and "We use NetX on SQuAD." in html
    # a javascript: URL is shown as text, never as a link
    assert "javascript:alert(1)" in html and 'href="javascript' not in html
    first = _read(_page(out, "papers", "arxiv-1"))
    assert 'href="https://arxiv.org/abs/1" rel="noopener noreferrer"' in first


def test_links_resolve_to_existing_files(built):
    out, *_ = built
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == 1 + 5 + 3
    for path in pages:
        for href in Page(_read(path)).hrefs():
            if href.startswith(("https://", "#")) or href == "graph.html":
                continue
            target = (path.parent / unquote(href.split("#")[0])).resolve()
            assert target.is_file(), (path.name, href)
            assert out.resolve() in target.parents


def test_hostile_text_is_escaped_and_nothing_loads(built):
    out, *_ = built
    for path in sorted(out.rglob("*.html")):
        html = _read(path)
        page = Page(html)
        assert {t for t, _a in page.tags} <= ALLOWED_TAGS, path.name
        assert not any(t in ("img", "iframe", "object", "embed", "link") for t, _a in page.tags)
        for tag, attrs in page.tags:
            assert "src" not in attrs, (path.name, tag)
            assert not any(k.startswith("on") for k in attrs), (path.name, tag, attrs)
            href = attrs.get("href") or ""
            if re.match(r"(?i)\s*https?:", href):  # only a paper's own URL, as a plain link
                assert tag == "a" and attrs.get("rel") == "noopener noreferrer", (path.name, href)
            assert not re.match(r"(?i)\s*(javascript|data):", href)
        csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv"))
        assert csp.startswith("default-src 'none'") and "connect-src" not in csp
        scripts = [body for _attrs, body in page.scripts]
        if path.name == "index.html":
            assert len(scripts) == 1
            digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
            assert f"'sha256-{digest}'" in csp
        else:
            assert scripts == [] and "script-src" not in csp
        assert "<img" not in html and "<script>alert" not in html
    hostile = _read(_page(out, "papers", "arxiv-1"))
    assert "&lt;img src=x onerror=alert(1)&gt; href &#34;q&#34; &amp; &lt;/script&gt;" in hostile
    assert HOSTILE in "".join(Page(hostile).text)  # shown as text


def test_deterministic_and_removes_stale_pages(built, tmp_path):
    out, G, *_ = built
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.html")}
    (out / "entities" / "gone.html").write_text("old", encoding="utf-8")
    write_pages(G, out)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*.html")} == before
    G2, *_ = _graph()
    write_pages(G2, tmp_path)
    assert {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*.html")} == before


def test_case_insensitive_name_clash_gets_a_hash(tmp_path):
    import networkx as nx

    G = nx.MultiDiGraph()
    G.add_node("model:Abc", kind="Model", label="Abc", paper_count=0)
    G.add_node("model:abc", kind="Model", label="abc", paper_count=0)
    assert write_pages(G, tmp_path) == {"entities": 2, "papers": 0}
    names = sorted(p.name.lower() for p in (tmp_path / "entities").iterdir())
    assert len(set(names)) == 2 and all("-" in n for n in names)
    for href in Page(_read(tmp_path / "index.html")).hrefs():
        if href.startswith("entities/"):
            assert (tmp_path / unquote(href)).is_file()


@pytest.mark.browser
def test_pages_in_chromium_filter_and_run_nothing(built):
    """Opened from file://: the filter finds an entity by alias, no console error, no request, no dialog."""
    import os
    import shutil

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's chromium (.ci/run installs it)")
        pytest.skip("no /usr/bin/chromium here (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    out, *_ = built
    log: dict[str, list[str]] = {"errors": [], "requests": [], "dialogs": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: log["errors"].append(str(e)))
            page.on("request", lambda r: None if r.url.startswith("file:") else log["requests"].append(r.url))
            page.on("dialog", lambda d: (log["dialogs"].append(d.message), d.dismiss()))
            page.goto((out / "index.html").as_uri())
            page.fill("#kg-filter input", "nx-net")
            assert page.locator("li[data-search]:visible").all_text_contents() == ["NetX 3"]
            assert page.locator("#kg-filter-status").text_content() == "1 of 5 entities"
            page.click("li[data-search]:visible a")
            assert page.locator("h1").text_content() == "NetX"
            page.click("#papers a >> nth=0")  # the paper with the hostile title sorts first
            assert page.locator("h1").text_content() == HOSTILE
            page.goto(_page(out, "entities", "task:qa").as_uri())
            assert page.locator("h1").text_content() == 'QA "<script>alert(2)</script>"'
        finally:
            browser.close()
    assert log == {"errors": [], "requests": [], "dialogs": []}
