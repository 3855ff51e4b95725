"""Ego-network pictures on entity and paper pages: capped, escaped, linked, deterministic."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import networkx as nx
import pytest

from kg.ids import safe_segment
from kg.view.ego import EgoIndex, ego_network, ego_svg
from kg.view.pages import _node_info, _split, write_pages
from tests.test_view_pages import HOSTILE, Page, _graph


def _info(G: nx.MultiDiGraph) -> dict:
    _papers, _entities, names = _split(G)
    return {k: _node_info(k, G.nodes[k], names[k]) for k in G.nodes}


def star(n_papers: int, n_other: int, *, reverse: bool = False) -> nx.MultiDiGraph:
    """A hub model mentioned by ``n_papers`` papers; each paper also uses ``n_other`` datasets of its own."""
    G = nx.MultiDiGraph()
    nodes = [("model:hub", {"kind": "Model", "label": "Hub", "paper_count": n_papers})]
    edges = []
    for i in range(n_papers):
        p = f"p{i:03d}"
        nodes.append((p, {"kind": "Paper", "label": f"Paper {i}", "paper_count": 1}))
        edges.append((p, "model:hub", {"relation": "uses"}))
        for j in range(n_other):
            d = f"dataset:d{i:03d}-{j}"
            nodes.append((d, {"kind": "Dataset", "label": f"D {i}-{j}", "paper_count": 1}))
            edges.append((p, d, {"relation": "evaluatesOn"}))
    G.add_nodes_from(reversed(nodes) if reverse else nodes)
    G.add_edges_from(reversed(edges) if reverse else edges)
    return G


def _ego(G: nx.MultiDiGraph, key: str, **kw):
    info = _info(G)
    return ego_network(key, info, EgoIndex.of(G, info), "entities", **kw)


@pytest.mark.parametrize(("cap", "hops"), [(40, 2), (10, 2), (10, 1), (2, 2), (300, 2)])
def test_caps_are_respected(cap: int, hops: int) -> None:
    G = star(30, 3)
    g = _ego(G, "model:hub", max_nodes=cap, hops=hops)
    assert len(g["nodes"]) == min(cap, 1 + 30 + (90 if hops == 2 else 0))
    assert g["shown"] == len(g["nodes"]) - 1
    assert g["total"] == (30 + 90 if hops == 2 else 30)  # what exists within the hops, shown or not
    rings = [n["ring"] for n in g["nodes"]]
    assert rings[0] == 0 and rings.count(0) == 1 and rings == sorted(rings)
    if hops == 1:
        assert 2 not in rings


def test_second_hop_is_spread_over_the_first() -> None:
    """Round robin: with room for 16 outer nodes and 24 papers inside, 16 different papers bring one each."""
    g = _ego(star(40, 3), "model:hub", max_nodes=41)
    inner = [n for n in g["nodes"] if n["ring"] == 1]
    outer = [n for n in g["nodes"] if n["ring"] == 2]
    assert len(inner) == 24 and len(outer) == 16
    parents = {n["label"].split()[1].split("-")[0] for n in outer}  # "D 007-0" -> "007"
    assert len(parents) == 16


def test_no_neighbours_no_picture(tmp_path: Path) -> None:
    G = nx.MultiDiGraph()
    G.add_node("model:alone", kind="Model", label="Alone", paper_count=0)
    assert _ego(G, "model:alone") is None
    write_pages(G, tmp_path)
    assert "<svg" not in (tmp_path / "entities" / (safe_segment("model:alone") + ".html")).read_text("utf-8")


def test_edges_join_shown_nodes_and_name_their_relations() -> None:
    G, *_ = _graph()
    g = _ego(G, "model:netx")
    pos = {(n["x"], n["y"]) for n in g["nodes"]}
    assert all((e["x1"], e["y1"]) in pos and (e["x2"], e["y2"]) in pos for e in g["edges"])
    titles = [e["title"] for e in g["edges"]]
    assert "NetX evaluatedOn SQuAD" in titles
    assert f"{HOSTILE} proposes NetX" in titles  # raw here; escaped when drawn
    # the one entity-entity link and the three papers are all on the inner ring
    assert {n["label"] for n in g["nodes"] if n["ring"] == 1} >= {"SQuAD", "A second paper", "Third"}


def test_svg_escapes_every_text_and_links_to_pages() -> None:
    G, *_ = _graph()
    svg = str(ego_svg(_ego(G, "model:netx"), "NetX <i>"))
    assert "<img" not in svg and "<script" not in svg and "<i>" not in svg and "NetX &lt;i&gt;" in svg
    page = Page(svg)
    assert {t for t, _a in page.tags} <= {
        "section",
        "h2",
        "span",
        "svg",
        "g",
        "line",
        "title",
        "a",
        "circle",
        "text",
    }
    assert not [k for _t, a in page.tags for k in a if k.startswith("on")]
    assert any(HOSTILE[:23] in t for t in page.text)  # the hostile title, cut to the label length, as text
    assert any(f"{HOSTILE} proposes NetX" in t for t in page.text)  # and whole in the edge's tooltip
    hrefs = [a["href"] for t, a in page.tags if t == "a"]
    assert hrefs and all(h.startswith("../papers/") or not h.startswith("..") for h in hrefs)
    assert all(":" not in unquote(h).split("/")[0] for h in hrefs)  # relative, no scheme


def test_pictures_on_written_pages_are_deterministic_and_link_to_existing_files(tmp_path: Path) -> None:
    G = star(12, 2)
    write_pages(G, tmp_path / "a")
    write_pages(star(12, 2, reverse=True), tmp_path / "b")
    files_a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*.html")}
    files_b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*.html")}
    assert files_a == files_b
    hub = (tmp_path / "a" / "entities" / (safe_segment("model:hub") + ".html")).read_text("utf-8")
    assert "Neighbourhood" in hub and "(36 of 36 nodes within 2 hops)" in hub
    for t, a in Page(hub).tags:
        if t == "a" and a["href"].startswith("../"):
            target = unquote(a["href"].split("#")[0])
            assert (tmp_path / "a" / "entities" / target).resolve().is_file(), a["href"]


def test_ego_options_switch_the_picture_off_and_cap_it(tmp_path: Path) -> None:
    G = star(12, 2)
    write_pages(G, tmp_path / "off", ego_hops=0)
    write_pages(G, tmp_path / "small", ego_max_nodes=5, ego_hops=1)
    name = safe_segment("model:hub") + ".html"
    assert "<svg" not in (tmp_path / "off" / "entities" / name).read_text("utf-8")
    small = (tmp_path / "small" / "entities" / name).read_text("utf-8")
    assert "(4 of 12 nodes within 1 hop)" in small and small.count("<circle") == 5


def test_pictures_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Neighbour sets are sets: the picture must come from sorted data only."""
    import hashlib
    import subprocess
    import sys

    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path; import hashlib; "
        "from tests.test_view_ego import star; from kg.view.pages import write_pages; "
        "out = Path(sys.argv[2]); write_pages(star(15, 3), out); "
        "print(hashlib.sha256(b''.join(p.read_bytes() for p in sorted(out.rglob('*.html')))).hexdigest())"
    )
    root = Path(__file__).resolve().parents[1]
    digests = {
        subprocess.run(
            [sys.executable, "-c", code, str(root), str(tmp_path / seed)],
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("0", "1", "2")
    }
    [digest] = digests
    assert len(digest) == 64 and digest != hashlib.sha256(b"").hexdigest()  # pages were written
