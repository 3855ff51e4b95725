"""Benchmark the HTML views: time to interactive in headless Chromium, page sizes, page-writing time.

    python bench/bench_view.py [--nodes 20000 --edges 60000] [--runs 3] [--cap 60] [--no-append]

For the seed graph (``exports/graph.ttl`` if present, else built from ./seeds into bench/out/) and a synthetic
graph shaped like ours (same type mix, papers -> entities with a heavy-tailed paper count, some entity ->
entity links, evidence sentences), renders the overview with each renderer (vis-network and sigma.js/WebGL,
whatever the threshold would pick) and opens it from file:// in Debian's Chromium (headless, SwiftShader
WebGL, ``--disable-gpu`` like the tests). "Time to interactive" is ``window.kg.firstDrawMs``: milliseconds from
navigation start until the first frame is drawn (vis-network's first ``afterDrawing``; for sigma, the frame
after its synchronous first render), i.e. HTML parse + JSON parse + graph build + first draw. A run that has
not drawn after ``--cap`` seconds is reported as "> cap". Medians of ``--runs`` runs (one run for a renderer
that hit the cap). Also times ``write_pages`` (entity and paper pages, with and without the ego-network
pictures) on the seed graph. Appends a dated section to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from results import publish  # bench/ is on sys.path when a script here runs

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
KIND_MIX = [("Method", 0.37), ("Model", 0.175), ("Task", 0.17), ("Dataset", 0.072), ("Metric", 0.047)]
RELATIONS = ["uses", "uses", "uses", "proposes", "evaluatesOn", "addresses", "reportsMetric"]
ENTITY_RELATIONS = ["appliedTo", "evaluatedOn", "outperforms", "basedOn", "subtaskOf"]


def seed_graph():
    """The seed graph as ``kg view`` reads it (from graph.ttl)."""
    from kg.assemble.from_rdf import graph_from_turtle

    ttl = ROOT / "exports" / "graph.ttl"
    if not ttl.is_file():
        from kg.pipeline import build

        build([ROOT / "seeds"], OUT / "view-seeds")
        ttl = OUT / "view-seeds" / "graph.ttl"
    return graph_from_turtle(ttl)


def synthetic_graph(n_nodes: int, n_edges: int, sentences: list[str], seed: int = 42):
    """``n_nodes`` nodes / ``n_edges`` edges with the seeds' type mix: 17 % papers, each paper linked to
    entities (every entity at least once, the other links by Zipf-like popularity: a few hubs, a long tail),
    10 % entity -> entity links."""
    import networkx as nx

    rng = random.Random(seed)
    n_papers = round(n_nodes * 0.17)
    kinds = [k for k, share in KIND_MIX for _ in range(round(share / 0.83 * (n_nodes - n_papers)))]
    kinds = (kinds + ["Method"] * n_nodes)[: n_nodes - n_papers]
    G = nx.MultiDiGraph()
    papers = [f"syn-paper-{i:05d}" for i in range(n_papers)]
    entities = [f"{k.lower()}:syn-{i:05d}" for i, k in enumerate(kinds)]
    for i, p in enumerate(papers):
        G.add_node(p, kind="Paper", label=f"Synthetic paper {i}: a study of things", title=f"Synthetic paper {i}",
                   listing_dates=[f"Mar {1 + i % 28}"], paper_count=1)  # fmt: skip
    for i, (e, k) in enumerate(zip(entities, kinds, strict=True)):
        G.add_node(e, kind=k, label=f"{k} {i}", aliases=[f"{k[:2].upper()}-{i}"] if i % 3 == 0 else [])
    weights = [1.0 / (1 + i) ** 0.9 for i in range(len(entities))]  # Zipf-like popularity
    n_entity_links = n_edges // 10
    # every entity is mentioned at least once (as in a real build), the rest by popularity
    picks = entities + rng.choices(
        entities, weights=weights, k=max(0, n_edges - n_entity_links - len(entities))
    )
    rng.shuffle(picks)
    for i, e in enumerate(picks):
        p = papers[i % n_papers]
        G.add_edge(
            p, e, relation=rng.choice(RELATIONS), sentence=rng.choice(sentences), confidence=0.8, paper=p
        )
    for _ in range(n_entity_links):
        a, b = rng.choices(entities, weights=weights, k=2)
        p = rng.choice(papers)
        G.add_edge(a, b, relation=rng.choice(ENTITY_RELATIONS), sentence=rng.choice(sentences), confidence=0.6,
                   paper=p)  # fmt: skip
    for e in entities:
        G.nodes[e]["paper_count"] = len({u for u, _v in G.in_edges(e) if u.startswith("syn-paper")})
    return G


def time_to_interactive(
    browser, path: Path, cap_s: float
) -> tuple[float | None, float | None, float | None, float | None]:
    """Milliseconds after navigation start to the first draw and to the first moment the page answers after
    it (None past the cap), of one zoom step (camera change to the frame after the redraw), and of a filter
    toggle (WebGL only).

    The two differ when the first frame's GPU work is still running: in headless Chromium with software
    WebGL (SwiftShader) the compositor reads the WebGL canvases back and waits for that work, so the page
    cannot take input until then. "Responsive" is what a user feels; it is what the targets are checked on."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(path.as_uri(), timeout=cap_s * 1000, wait_until="commit")
        # Poll from Python: page.evaluate goes through the DevTools protocol, while wait_for_function compiles
        # its predicate inside the page, which the page's CSP (no 'unsafe-eval') may refuse.
        deadline = time.monotonic() + cap_s
        got = None
        while got is None and time.monotonic() < deadline:
            got = page.evaluate(
                "window.kg && window.kg.firstDrawMs !== null ? [kg.firstDrawMs, performance.now()] : null"
            )
            if got is None:
                time.sleep(0.02)
        if got is None:
            return None, None, None, None
        first, responsive = got
        # one zoom step: time from the camera change to the frame after the redrawn one (both renderers)
        frame = page.evaluate(
            """() => new Promise(done => {
              const t = performance.now();
              if (window.kg.renderer === "webgl") {
                const camera = window.kg.sigma.getCamera();
                camera.setState({ratio: camera.getState().ratio * 0.9});
              } else {
                window.kg.network.moveTo({scale: window.kg.network.getScale() * 1.1});
              }
              requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t)));
            })"""
        )
        toggle = None
        if page.evaluate("window.kg.renderer") == "webgl":
            toggle = page.evaluate(
                """() => { const box = document.querySelector('input[data-kind="Paper"]'); const t = performance.now();
                box.click(); const ms = performance.now() - t; box.click(); return ms; }"""
            )
        return first, responsive, frame, toggle
    finally:
        page.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nodes", type=int, default=20_000)
    ap.add_argument("--edges", type=int, default=60_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cap", type=float, default=60.0, help="seconds to wait for a first draw")
    ap.add_argument("--no-append", action="store_true", help="print only; do not append to bench/RESULTS.md")
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    from kg.view.html import render_overview
    from kg.view.pages import write_pages

    seeds = seed_graph()
    sentences = sorted({a["sentence"] for _u, _v, a in seeds.edges(data=True) if a.get("sentence")})
    synthetic = synthetic_graph(args.nodes, args.edges, sentences)
    graphs = [("seed graph", seeds), (f"synthetic {args.nodes:,}", synthetic)]

    rows = []
    notes = []
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT) as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, G in graphs:
            for renderer, threshold in (("vis-network", 10**9), ("sigma.js WebGL", 0)):
                t0 = time.perf_counter()
                html = render_overview(G, webgl_threshold=threshold)
                render_s = time.perf_counter() - t0
                path = Path(tmp) / f"{name.replace(' ', '-')}-{renderer.split()[0]}.html"
                path.write_text(html, encoding="utf-8")
                size_mb = path.stat().st_size / 1e6
                firsts, times, frames, toggles = [], [], [], []
                for _ in range(args.runs):
                    first, responsive, frame, toggle = time_to_interactive(browser, path, args.cap)
                    firsts.append(first)
                    times.append(responsive)
                    frames.append(frame)
                    toggles.append(toggle)
                    if responsive is None:
                        break
                first_text = _median_text(firsts, args.cap)
                tti_text = _median_text(times, args.cap)
                frames_done = [t for t in frames if t is not None]
                frame_text = f"{statistics.median(frames_done):.0f} ms" if frames_done else "-"
                toggle_done = [t for t in toggles if t is not None]
                toggle_text = f"{statistics.median(toggle_done):.0f} ms" if toggle_done else "-"
                rows.append((name, f"{G.number_of_nodes():,} / {G.number_of_edges():,}", renderer, first_text,
                             tti_text, frame_text, toggle_text, f"{size_mb:.1f} MB", f"{render_s:.1f} s"))  # fmt: skip
                print(rows[-1], flush=True)
        browser.close()

        for hops, label in ((2, "with ego networks (2 hops, 40 nodes)"), (0, "without ego networks")):
            best = min(
                _timed(lambda h=hops: write_pages(seeds, Path(tmp) / f"pages-{h}", ego_hops=h))
                for _ in range(3)
            )
            size = sum(p.stat().st_size for p in (Path(tmp) / f"pages-{hops}").rglob("*.html")) / 1e6
            n = sum(1 for _ in (Path(tmp) / f"pages-{hops}").rglob("*.html"))
            notes.append(f"write_pages on the seed graph {label}: {best:.2f} s for {n:,} pages, {size:.1f} MB "
                         "(best of 3).")  # fmt: skip

    lines = [
        f"### {date.today().isoformat()} views on {platform.machine()}, Python {platform.python_version()}, "
        f"{_chromium_version()} (headless, --disable-gpu: SwiftShader WebGL)",
        "",
        "`python bench/bench_view.py`: seconds after navigation start until the first frame is drawn and until "
        f"the page first answers after it (responsive: time to interactive), median of {args.runs} runs (range); "
        "zoom = one zoom step to the next frame; filter = unticking Paper (WebGL only); render = Python time to "
        "make the page.",
        "",
        "| graph | nodes / edges | renderer | first draw | responsive | zoom | filter | page size | render |",
        "|---|---|---|---|---|---|---|---|---|",
        *(f"| {' | '.join(r)} |" for r in rows),
        "",
        *notes,
        "",
    ]
    publish(lines, append=not args.no_append)


def _median_text(values: list[float | None], cap: float) -> str:
    done = [v for v in values if v is not None]
    if not done:
        return f"> {cap:.0f} s"
    text = f"{statistics.median(done) / 1000:.2f} s"
    return text + (f" ({min(done) / 1000:.2f}-{max(done) / 1000:.2f})" if len(done) > 1 else "")


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _chromium_version() -> str:
    import subprocess

    try:
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return "Chromium"
    return " ".join(out.split()[:2]) or "Chromium"


if __name__ == "__main__":
    main()
