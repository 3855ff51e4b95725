"""Shared fixtures: a handful of papers, the shared folder when present, a CLI runner."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from kg.ingest import iter_papers
from kg.records import Report

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "seeds"
DEV_GOLD = SHARED / "eval" / "dev_gold.jsonl"


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    """A fixture file written by the test itself (text as UTF-8, bytes as given)."""
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def read(path: Path, **kw) -> tuple[list, Report]:
    """Every record ``iter_papers`` streams from ``path``, and the report it filled."""
    report = Report()
    return list(iter_papers([path], report, **kw)), report


@pytest.fixture(scope="session")
def nlp():
    """One extraction pipeline for the whole run (building the vocabulary matcher takes about a second)."""
    from kg.extract import make_nlp

    return make_nlp()


@pytest.fixture
def extract(nlp):
    """``extract(title, abstract)`` -> {name: (type, role)} for quick rule tests."""
    from kg.extract import extract_paper

    def run(title: str, abstract: str = "") -> dict[str, tuple[str, str]]:
        return {m.name: (m.type.value, m.role.value) for m in extract_paper(nlp, "p", title, abstract)}

    return run


@pytest.fixture
def hostile_jsonl(tmp_path: Path) -> Path:
    """Three papers whose text tries to break every output."""
    import json

    recs = [
        {"title": '<img src=x onerror=alert(1)> see href "quoted" & <script>alert(2)</script>',
         "abstract": "We propose EvilNet, a model evaluated on the ImageNet dataset.\nNew line > and \\ backslash."},
        {"title": "Tabs\tand \u202e bidi and \"\"\" triple quotes", "abstract": "BERT is fine-tuned for question answering."},
        {"title": "A title only, no abstract"},
    ]  # fmt: skip
    p = tmp_path / "hostile.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return p


# Debian's Chromium, driven by Playwright's Python package (its own browser download is not used)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's chromium (.ci/run installs it)")
        pytest.skip("no /usr/bin/chromium here (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def free_port() -> int:
    """A loopback port nobody listens on (for servers the tests start)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def search_panel(page, query: str):
    """Search an overview page (either renderer) and wait for the side panel it opens; returns the panel."""
    page.fill("#kg-query", query)
    page.click("#kg-search button")
    panel = page.locator("#kg-panel")
    panel.wait_for(state="visible")
    return panel


def click_node(page, node_id, scale: float):
    """Zoom an overview page onto a node, click it and wait for the side panel; returns the panel."""
    page.evaluate(f"window.kg.network.focus({node_id!r}, {{scale: {scale}}})")
    page.wait_for_timeout(300)
    pos = page.evaluate(f"window.kg.network.canvasToDOM(window.kg.network.getPosition({node_id!r}))")
    box = page.locator("#kg-network").bounding_box()
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    panel = page.locator("#kg-panel")
    panel.wait_for(state="visible")
    return panel
