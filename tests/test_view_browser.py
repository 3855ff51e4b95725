"""The overview in a real browser (Debian's Chromium driven by Playwright), opened from file:// like a user would.

Skipped on a developer machine without /usr/bin/chromium; in CI (CI=true) a missing browser is a failure, since
.ci/run installs it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.pipeline import build
from tests.conftest import SEEDS, click_node, search_panel

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def seed_page_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser")
    build([SEEDS], out)
    return out / "graph.html"


def _open(browser, path: Path, shot: Path | None = None):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    log = {"errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on(
        "request",
        lambda r: log["requests"].append(r.url) if not r.url.startswith(("file:", "data:")) else None,
    )

    def on_dialog(d) -> None:
        log["dialogs"].append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.as_uri())
    page.wait_for_function(
        "window.kg && document.getElementById('kg-status').textContent === ''", timeout=60_000
    )
    if shot is not None:
        page.screenshot(path=str(shot))
    return page, log


def test_seed_overview_draws_offline_with_every_node(browser, seed_page_path: Path, tmp_path: Path) -> None:
    import json

    page, log = _open(browser, seed_page_path, tmp_path / "overview.png")
    data = json.loads(page.locator("#kg-data").text_content())
    assert page.evaluate("window.kg.nodes.length") == len(data["nodes"]) > 1000
    assert log["errors"] == [] and log["requests"] == []
    assert (tmp_path / "overview.png").stat().st_size > 10_000


def test_search_by_alias_and_panel_lists_the_papers(browser, seed_page_path: Path) -> None:
    import json

    page, log = _open(browser, seed_page_path)
    data = json.loads(page.locator("#kg-data").text_content())
    node = next(
        n for n in data["nodes"] if n.get("aliases") and n["kind"] == "Model" and n.get("papers", 0) >= 2
    )
    alias = node["aliases"][0]
    panel = search_panel(page, alias)
    assert panel.locator("h2").text_content() in {node.get("name") or node["label"], node["label"]}
    sources = {e["from"] for e in data["edges"] if e["to"] == node["id"]}
    papers = {
        n.get("name") or n["label"] for n in data["nodes"] if n["id"] in sources and n["kind"] == "Paper"
    }
    text = panel.inner_text()
    assert f"mentioned by papers ({len(papers)})" in text
    assert all(p[:40] in text for p in papers)
    href = panel.locator("a.kg-page").get_attribute("href")
    assert href == node["page"] and (seed_page_path.parent / href.replace("%25", "%")).is_file()
    assert log["errors"] == []


def test_clicking_a_node_opens_its_panel(browser, seed_page_path: Path) -> None:
    page, _ = _open(browser, seed_page_path)
    node_id = page.evaluate(
        "window.kg.nodes.getIds().find(id => window.kg.nodes.get(id).group === 'Dataset')"
    )
    panel = click_node(page, node_id, 2)
    label = page.evaluate(f"window.kg.nodes.get({node_id!r}).label")
    assert panel.locator("h2").text_content().startswith(label.rstrip("…")[:20])


def test_hostile_title_shows_as_text_and_runs_nothing(browser, hostile_jsonl: Path, tmp_path: Path) -> None:
    build([hostile_jsonl], tmp_path / "out")
    page, log = _open(browser, tmp_path / "out" / "graph.html")
    panel = search_panel(page, "onerror")
    assert "<img src=x onerror=alert(1)>" in panel.inner_text()
    assert page.locator("#kg-panel img, #kg-panel script").count() == 0
    assert log["dialogs"] == [] and log["errors"] == []


def test_minimum_paper_count_slider_hides_rare_entities(browser, seed_page_path: Path) -> None:
    page, log = _open(browser, seed_page_path)
    total = page.evaluate("window.kg.view.length")
    page.locator("#kg-min-papers").fill("5")
    shown = page.evaluate("window.kg.view.get().filter(n => n.group !== 'Paper').map(n => n.id)")
    papers = page.evaluate("window.kg.view.get().filter(n => n.group === 'Paper').length")
    counts = page.evaluate(
        "Object.fromEntries(JSON.parse(document.getElementById('kg-data').textContent).nodes"
        ".map(n => [n.id, n.papers || 0]))"
    )
    assert shown and all(counts[str(i)] >= 5 for i in shown)
    assert papers == 257 and papers + len(shown) < total
    assert page.locator("#kg-min-out").text_content() == "5" and log["errors"] == []


def test_seed_overview_in_webgl_draws_every_node(browser, seed_page_path: Path, tmp_path: Path) -> None:
    """The seed graph forced onto the sigma.js renderer: every node drawn, every type's colour on screen."""
    import json

    from kg.assemble.from_rdf import graph_from_turtle
    from kg.view.html import write_overview
    from tests.test_view_webgl import _colour_counts, wait_for_first_draw

    path = seed_page_path.parent / "graph-webgl.html"  # beside the pages, so that the panel links resolve
    write_overview(graph_from_turtle(seed_page_path.parent / "graph.ttl"), path, webgl_threshold=100)
    page, log = _open(browser, path)
    wait_for_first_draw(page)
    page.screenshot(path=str(tmp_path / "overview-webgl.png"))
    data = json.loads(page.locator("#kg-data").text_content())
    assert page.evaluate("window.kg.renderer") == "webgl"
    assert page.evaluate("window.kg.drawn()") == len(data["nodes"]) > 1000
    counts = _colour_counts(browser, tmp_path / "overview-webgl.png", data["styles"])
    assert all(counts[k] > 50 for k in ("Paper", "Model", "Method", "Dataset", "Task", "Metric")), counts
    assert log["errors"] == [] and log["requests"] == []
