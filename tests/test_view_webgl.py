"""The WebGL overview (sigma.js): chosen above the threshold, self-contained, safe, and working in Chromium.

The page-level checks run without a browser; the ``browser`` tests open a small graph forced over the threshold
(``webgl_threshold=0``) from file:// in Debian's Chromium, the way the vis-network page is tested.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.view.html import render_overview, write_overview
from kg.view.pages import write_pages
from tests.conftest import click_node, search_panel
from tests.test_view_html import Page, chain_graph, hostile_graph
from tests.test_view_pages import HOSTILE, _graph

ROOT = Path(__file__).resolve().parents[1]
VENDORED = ROOT / "kg" / "data" / "js"


def _data(html: str) -> dict:
    return Page(html).data()


def test_threshold_picks_the_renderer() -> None:
    G = chain_graph(30)
    assert _data(render_overview(G))["renderer"] == "vis"
    assert _data(render_overview(G, webgl_threshold=30))["renderer"] == "vis"  # "above", not "at"
    data = _data(render_overview(G, webgl_threshold=29))
    assert data["renderer"] == "webgl" and "options" not in data and data["styles"]["Model"] == "#4e79a7"
    assert len(data["nodes"]) == 30 and all(isinstance(n["x"], float) for n in data["nodes"])


def test_webgl_page_is_self_contained_and_admits_exactly_its_scripts() -> None:
    html = render_overview(hostile_graph(), webgl_threshold=0, title="<b>t</b>")
    page = Page(html)
    assert not [a for t, a in page.tags if t == "script" and "src" in a]
    assert not [t for t, _ in page.tags if t in ("link", "img", "iframe")]
    [csp] = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv")]
    assert csp.startswith("default-src 'none'") and "connect-src" not in csp
    bodies = [body for attrs, body in page.scripts if attrs.get("type") != "application/json"]
    assert len(bodies) == 4  # graphology, sigma, the scripts both renderers share, page script
    for body in bodies:
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert bodies[0] == (VENDORED / "graphology.umd.min.js").read_text(encoding="utf-8")
    assert bodies[1] == (VENDORED / "sigma.min.js").read_text(encoding="utf-8")
    assert "<b>t</b>" not in html and page.h1 == "<b>t</b>"
    assert ("meta", {"name": "kg-renderer", "content": "webgl"}) in page.tags


def test_vendored_files_match_their_manifest() -> None:
    manifest = json.loads((VENDORED / "manifest.json").read_text(encoding="utf-8"))
    versions = {p["name"]: p["version"] for p in manifest["packages"]}
    assert versions["sigma"] == "3.0.3" and versions["graphology"] == "0.26.0"
    for pkg in manifest["packages"]:
        for name, entry in pkg["files"].items():
            assert hashlib.sha256((VENDORED / name).read_bytes()).hexdigest() == entry["sha256"], name
    licences = {p.name for p in VENDORED.glob("LICENSE-*.txt")}
    assert {"LICENSE-sigma.txt", "LICENSE-graphology.txt"} <= licences
    assert all("MIT" in (VENDORED / n).read_text(encoding="utf-8") or "Permission is hereby granted"
               in (VENDORED / n).read_text(encoding="utf-8") for n in licences)  # fmt: skip


def test_webgl_page_is_deterministic() -> None:
    a = render_overview(chain_graph(60), webgl_threshold=10)
    assert render_overview(chain_graph(60, reverse=True), webgl_threshold=10) == a


def test_kg_view_webgl_threshold_option(hostile_jsonl: Path, tmp_path: Path) -> None:
    from kg.cli import cli
    from kg.pipeline import build

    build([hostile_jsonl], tmp_path / "out")
    out = tmp_path / "view" / "graph.html"
    args = ["view", "-g", str(tmp_path / "out" / "graph.ttl"), "-o", str(out), "--no-pages"]
    result = CliRunner().invoke(cli, [*args, "--webgl-threshold", "0"])
    assert result.exit_code == 0, result.output
    assert "(WebGL)" in result.output
    data = _data(out.read_text(encoding="utf-8"))
    assert data["renderer"] == "webgl" and len(data["nodes"]) > 3
    assert all("page" not in n for n in data["nodes"])  # --no-pages: no links to pages that do not exist
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert _data(out.read_text(encoding="utf-8"))["renderer"] == "vis"
    # with pages: every node links to its page, and the ego-network caps reach the pages
    args = ["view", "-g", str(tmp_path / "out" / "graph.ttl"), "-o", str(out), "--ego-max-nodes", "3"]
    result = CliRunner().invoke(cli, [*args, "--ego-hops", "1"])
    assert result.exit_code == 0, result.output
    data = _data(out.read_text(encoding="utf-8"))
    assert all((out.parent / n["page"].replace("%25", "%")).is_file() for n in data["nodes"])
    pictures = [p.read_text(encoding="utf-8") for p in (out.parent / "papers").glob("*.html")]
    assert any("<svg" in html for html in pictures)
    assert all(html.count("<circle") <= 3 and "hops)" not in html for html in pictures)


# ---------------------------------------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module", params=["fine", "fast"])
def fixture_site(request, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The pages fixture graph (hostile title, an alias, three papers) with its overview forced to WebGL, drawn
    with sigma's default programs ("fine") and with the points-and-lines ones of large graphs ("fast")."""
    import kg.view.html as view_html

    out = tmp_path_factory.mktemp("webgl")
    G, _entities, _papers = _graph()
    with pytest.MonkeyPatch.context() as mp:
        if request.param == "fast":
            mp.setattr(view_html, "FAST_NODES", 0)
        write_overview(G, out / "graph.html", webgl_threshold=0)
    write_pages(G, out)
    data = _data((out / "graph.html").read_text(encoding="utf-8"))
    assert data["fast"] is (request.param == "fast")
    return out / "graph.html", data


def _open_webgl(browser, path: Path, shot: Path | None = None):
    """Open ``path`` with every non-file request aborted and logged; wait for sigma's first frame."""
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    log: dict[str, list[str]] = {"errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["errors"].append(str(e)))

    def route(r) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            log["requests"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda r: None if r.url.startswith("file:") else log["requests"].append(r.url))

    def on_dialog(d) -> None:
        log["dialogs"].append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.as_uri())
    wait_for_first_draw(page)
    if shot is not None:
        page.screenshot(path=str(shot))
    return page, log


def wait_for_first_draw(page, timeout_s: float = 60) -> float:
    """Poll ``window.kg.firstDrawMs`` through the DevTools protocol (``wait_for_function`` compiles its
    predicate inside the page, which the page's CSP, without 'unsafe-eval', may refuse)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        ms = page.evaluate("window.kg ? window.kg.firstDrawMs : null")
        if ms is not None:
            return ms
        time.sleep(0.02)
    raise AssertionError(f"no first draw after {timeout_s} s")


def _display(page, node_id: int) -> dict:
    """What sigma draws for a node after the reducers (colour, hidden, highlighted…)."""
    return page.evaluate(f"window.kg.sigma.getNodeDisplayData(String({node_id}))")


def _colour_counts(browser, png: Path, colours: dict[str, str]) -> dict[str, int]:
    """Pixels of each colour (within a small tolerance) in a screenshot, decoded in a blank page."""
    blank = browser.new_page()
    try:
        return blank.evaluate(
            """async ([b64, colours]) => {
              const img = new Image(); img.src = "data:image/png;base64," + b64; await img.decode();
              const c = document.createElement("canvas"); c.width = img.width; c.height = img.height;
              const ctx = c.getContext("2d"); ctx.drawImage(img, 0, 0);
              const px = ctx.getImageData(0, 0, c.width, c.height).data;
              const want = Object.entries(colours).map(([k, h]) =>
                [k, parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)]);
              const out = Object.fromEntries(want.map(w => [w[0], 0]));
              for (let i = 0; i < px.length; i += 4)
                for (const [k, r, g, b] of want)
                  if (Math.abs(px[i] - r) + Math.abs(px[i + 1] - g) + Math.abs(px[i + 2] - b) < 12) out[k]++;
              return out;
            }""",
            [base64.b64encode(png.read_bytes()).decode(), colours],
        )
    finally:
        blank.close()


@pytest.mark.browser
@pytest.mark.slow
def test_webgl_draws_every_node_offline(browser, fixture_site, tmp_path: Path) -> None:
    path, data = fixture_site
    shot = tmp_path / "webgl-fixture.png"
    page, log = _open_webgl(browser, path, shot)
    assert page.evaluate("window.kg.renderer") == "webgl" and page.evaluate("window.kg.webgl") is True
    assert page.evaluate("window.kg.drawn()") == page.evaluate("window.kg.nodes.length") == len(data["nodes"])
    assert page.evaluate("window.kg.graph.size") == len(data["edges"])
    assert page.locator("#kg-status").text_content() == ""
    # really on screen: every type's colour shows up in the screenshot
    kinds = {n["group"] for n in data["nodes"]}
    counts = _colour_counts(browser, shot, {k: data["styles"][k] for k in kinds})
    assert all(counts[k] > 20 for k in kinds), counts
    assert log == {"errors": [], "requests": [], "dialogs": []}


@pytest.mark.browser
@pytest.mark.slow
def test_webgl_search_by_alias_opens_the_panel_with_its_papers(browser, fixture_site) -> None:
    path, _data_ = fixture_site
    page, log = _open_webgl(browser, path)
    panel = search_panel(page, "nx-net")
    assert panel.locator("h2").text_content() == "NetX"
    text = panel.inner_text()
    assert "mentioned by papers (3)" in text and "NX-Net" in text
    for title in (HOSTILE, "A second paper", "Third"):
        assert title in text
    assert "We propose <b>NetX</b>." in text  # the evidence sentence, as text
    href = panel.locator("a.kg-page").get_attribute("href")
    assert (path.parent / href.replace("%25", "%")).is_file()
    # the searched node is highlighted: its neighbours keep their colour, the rest is dimmed
    netx = next(n["id"] for n in _data_["nodes"] if n["key"] == "model:netx")
    assert _display(page, netx)["highlighted"] is True
    reading = next(n["id"] for n in _data_["nodes"] if n["key"] == "task:reading")
    squad = next(n["id"] for n in _data_["nodes"] if n["key"] == "dataset:squad")
    assert _display(page, reading)["color"] == "#ececec"
    assert _display(page, squad)["color"] == "#59a14f"
    assert log["errors"] == [] and log["requests"] == []


@pytest.mark.browser
@pytest.mark.slow
def test_webgl_click_on_a_node_opens_its_panel(browser, fixture_site) -> None:
    path, data = fixture_site
    page, log = _open_webgl(browser, path)
    squad = next(n for n in data["nodes"] if n["key"] == "dataset:squad")
    panel = click_node(page, squad["id"], 1)
    assert panel.locator("h2").text_content() == "SQuAD"
    text = panel.inner_text()
    assert "mentioned by papers (2)" in text and "use SQuAD & more" in text and "evaluatesOn" in text
    # a click on the empty stage closes the panel and clears the highlight (after sigma's double-click delay)
    page.wait_for_timeout(400)
    box = page.locator("#kg-network").bounding_box()
    page.mouse.click(box["x"] + 5, box["y"] + box["height"] - 5)
    panel.wait_for(state="hidden")
    assert _display(page, squad["id"])["color"] == "#59a14f"
    assert log["errors"] == [] and log["requests"] == []


@pytest.mark.browser
@pytest.mark.slow
def test_webgl_hostile_title_shows_as_text_and_runs_nothing(browser, fixture_site) -> None:
    path, data = fixture_site
    page, log = _open_webgl(browser, path)
    panel = search_panel(page, "onerror")
    assert HOSTILE in panel.inner_text()
    assert page.locator("#kg-panel img, #kg-panel script, img").count() == 0
    # the edge tooltip writes relation and sentence as text too
    edge = next(
        i for i, e in enumerate(data["edges"]) if any(r.get("sentence") == HOSTILE for r in e["rels"])
    )
    page.evaluate(f"window.kg.sigma.emit('enterEdge', {{edge: '{edge}', event: {{x: 10, y: 10}}}})")
    tip = page.locator("#kg-network .vis-tooltip")
    assert tip.is_visible() and HOSTILE in tip.inner_text() and "uses" in tip.inner_text()
    assert page.locator("#kg-network .vis-tooltip *").evaluate_all("els => els.map(e => e.tagName)") == [
        "DIV", "DIV", "DIV",
    ]  # fmt: skip
    assert log == {"errors": [], "requests": [], "dialogs": []}


@pytest.mark.browser
@pytest.mark.slow
def test_webgl_type_filters_and_paper_slider(browser, fixture_site) -> None:
    path, data = fixture_site
    page, log = _open_webgl(browser, path)
    total = len(data["nodes"])
    papers = sum(1 for n in data["nodes"] if n["group"] == "Paper")
    page.locator('input[data-kind="Paper"]').uncheck()
    assert page.evaluate("window.kg.drawn()") == total - papers
    page.locator('input[data-kind="Paper"]').check()
    page.locator("#kg-min-papers").fill("2")
    expected = papers + sum(1 for n in data["nodes"] if n["group"] != "Paper" and n.get("papers", 0) >= 2)
    assert page.evaluate("window.kg.drawn()") == page.evaluate("window.kg.view.length") == expected < total
    assert page.locator("#kg-min-out").text_content() == "2"
    # searching a node hidden by the slider brings it back
    search_panel(page, "reading")
    reading = next(n["id"] for n in data["nodes"] if n["key"] == "task:reading")
    assert _display(page, reading)["hidden"] is False
    assert log["errors"] == []


def test_kg_build_passes_the_webgl_threshold(tmp_path: Path, hostile_jsonl: Path) -> None:
    from kg.cli import cli

    for threshold, renderer in (("0", "webgl"), ("100000", "vis")):
        out = tmp_path / threshold
        result = CliRunner().invoke(
            cli, ["build", str(hostile_jsonl), "-o", str(out), "-q", "--webgl-threshold", threshold]
        )
        assert result.exit_code == 0, result.output
        assert f'<meta name="kg-renderer" content="{renderer}">' in (out / "graph.html").read_text(
            encoding="utf-8"
        )
