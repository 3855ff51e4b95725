"""Ego networks for the entity and paper pages: the node, its neighbours and theirs, as a static SVG picture.

Why static SVG and not a script: the pages must open offline with no script at all (their CSP has no
``script-src``), print well, and stay cheap to write for thousands of pages. ``ego_svg`` writes the markup
directly (a jinja2 macro spent 0.7 s escaping numbers across the seed pages): every label, kind, relation
name and href goes through ``html.escape`` (quotes too; memoised, since the same labels recur on many pages)
and lands only in ``<text>``/``<title>`` content or a quoted attribute; numbers and colours are ours.

Selection (deterministic, capped):

- Neighbours are taken in both directions (a paper *proposes* a model; the model's page shows the paper).
- Hop 1: up to ``first_max`` neighbours, entities before papers, then by degree (hubs first), label, key.
- Hop 2: round robin over the shown hop-1 nodes, each bringing its best not yet shown neighbour (same
  ranking), then its next, up to ``per_node`` each, until ``max_nodes`` nodes are shown. Ranking every node's neighbours once (``EgoIndex``) keeps a page
  at O(max_nodes * per_node) work however large the hubs are.
- Edges: every edge of the graph between two shown nodes (both directions merged into one line, relations in
  its tooltip).

Layout: radial, the node in the middle, hop 1 evenly spaced on an inner ellipse in rank order (what
``nx.shell_layout`` gives, computed inline: the call cost 0.3 ms a page), hop 2 on an outer ellipse, each in the
angular sector of the hop-1 node that brought it in, so that branches do not cross. Same graph -> same picture
(sorted everywhere, coordinates rounded).
"""

from __future__ import annotations

import functools
import html
import math
from dataclasses import dataclass
from typing import Any

import networkx as nx
from markupsafe import Markup

from kg.view.html import _cap, _clean

EGO_HOPS = 2
EGO_MAX_NODES = 40  # nodes drawn, the page's own node included
EGO_PER_NODE = 4  # hop-2 nodes brought in by one hop-1 node
LABEL_MAX = 24  # characters of a label drawn in the picture (the full label is in its tooltip)
WIDTH, HEIGHT = 900, 520
RX1, RY1 = 170, 115  # inner ellipse (hop 1)
RX2, RY2 = 300, 215  # outer ellipse (hop 2)

# kind -> fill colour, as in the overview's legend (kg.view.html.KIND_STYLES)
COLOURS = {
    "Paper": "#a0a0a0",
    "Model": "#4e79a7",
    "Method": "#f28e2b",
    "Dataset": "#59a14f",
    "Task": "#b07aa1",
    "Metric": "#17becf",
}
OTHER = "#d4d4d4"


@dataclass(frozen=True)
class EgoIndex:
    """Undirected neighbour lists of every node, each ranked once (the order ego networks pick from), and the
    relation names of every linked pair (``"A uses B"``), so that a page does no graph lookups."""

    ranked: dict[Any, list[Any]]
    neighbours: dict[Any, set[Any]]
    relations: dict[tuple[int, int], str]  # (number of one end, number of the other, ascending) -> tooltip
    number: dict[Any, int]  # a total order of the nodes (by key), to name each pair once

    @classmethod
    def of(cls, G: nx.MultiDiGraph, info: dict[Any, dict[str, Any]]) -> EgoIndex:
        """Rank by: entities before papers, more neighbours first, label, key (``info`` as in kg.view.pages)."""
        nbrs: dict[Any, set[Any]] = {k: set() for k in G.nodes}
        number = {k: i for i, k in enumerate(sorted(G.nodes, key=str))}
        rels: dict[tuple[int, int], set[str]] = {}
        for u, v, rel in G.edges(data="relation"):
            if u != v:
                nbrs[u].add(v)
                nbrs[v].add(u)
                name = _cap(_clean(str(rel or "related")), 80)
                pair = (min(number[u], number[v]), max(number[u], number[v]))
                rels.setdefault(pair, set()).add(f"{info[u]['label']} {name} {info[v]['label']}")
        order = {
            k: (info[k]["kind"] == "Paper", -len(nbrs[k]), info[k]["label"].lower(), str(k)) for k in G.nodes
        }
        ranked = {k: sorted(vs, key=order.__getitem__) for k, vs in nbrs.items()}
        return cls(ranked, nbrs, {pair: "; ".join(sorted(names)) for pair, names in rels.items()}, number)


def ego_network(
    key: Any,
    info: dict[Any, dict[str, Any]],
    index: EgoIndex,
    here: str,
    *,
    hops: int = EGO_HOPS,
    max_nodes: int = EGO_MAX_NODES,
    per_node: int = EGO_PER_NODE,
) -> dict[str, Any] | None:
    """Geometry of ``key``'s ego network for the ``_ego.html`` macro, seen from a page in folder ``here``.

    ``None`` when the node has no neighbour (nothing to draw). ``hops`` is 1 or 2; ``max_nodes`` counts the
    node itself.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> for k, kind in [("p", "Paper"), ("m", "Model"), ("d", "Dataset")]:
    ...     G.add_node(k, kind=kind)
    >>> _ = G.add_edge("p", "m", relation="proposes"); _ = G.add_edge("m", "d", relation="evaluatedOn")
    >>> info = {k: {"kind": G.nodes[k]["kind"], "label": k.upper(), "folder": "entities", "href": k + ".html"}
    ...         for k in G}
    >>> ego = ego_network("p", info, EgoIndex.of(G, info), "entities")
    >>> [(n["label"], n["ring"]) for n in ego["nodes"]], [e["title"] for e in ego["edges"]]
    ([('P', 0), ('M', 1), ('D', 2)], ['P proposes M', 'M evaluatedOn D'])
    """
    first = index.ranked.get(key, [])
    if not first or max_nodes < 2:
        return None
    budget = max_nodes - 1
    first_max = budget if hops < 2 else max(1, math.ceil(budget * 0.6))
    ring1 = first[:first_max]
    shown = {key, *ring1}
    children: list[list[Any]] = [[] for _ in ring1]
    if hops >= 2:
        # round robin over the hop-1 nodes (their best unseen neighbour each, then the next…), so that the
        # outer ring covers every branch instead of the first few
        room = budget - len(ring1)
        cursor = [0] * len(ring1)
        for _round in range(per_node):
            for i, u in enumerate(ring1):
                candidates = index.ranked[u]
                while room > 0 and cursor[i] < len(candidates):
                    w = candidates[cursor[i]]
                    cursor[i] += 1
                    if w not in shown:
                        shown.add(w)
                        children[i].append(w)
                        room -= 1
                        break
    reach = set(first)
    if hops >= 2:
        for u in first:
            reach |= index.neighbours[u]
    reach.discard(key)

    pos = _positions(key, ring1, children)
    ring = {key: 0, **{u: 1 for u in ring1}, **{w: 2 for kids in children for w in kids}}
    nodes = [_node(k, info, here, pos[k], ring[k]) for k in [key, *ring1, *(w for c in children for w in c)]]
    edges = _edges(pos, ring, index)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "nodes": nodes,
        "edges": edges,
        "shown": len(nodes) - 1,
        "total": len(reach),
        "hops": min(hops, 2),
    }


def _positions(key: Any, ring1: list[Any], children: list[list[Any]]) -> dict[Any, tuple[float, float]]:
    """Centre, inner ellipse evenly spaced in rank order, outer ellipse in each parent's sector."""
    cx, cy = WIDTH / 2, HEIGHT / 2
    pos = {key: (cx, cy)}
    step = 2 * math.pi / len(ring1)
    for i, u in enumerate(ring1):
        a = i * step
        pos[u] = (cx + RX1 * math.cos(a), cy + RY1 * math.sin(a))
        kids = children[i]
        for j, w in enumerate(kids):
            # spread the children over the middle 80 % of the parent's sector
            b = a + (step * 0.8) * ((j + 0.5) / len(kids) - 0.5)
            pos[w] = (cx + RX2 * math.cos(b), cy + RY2 * math.sin(b))
    return {k: (round(x, 1), round(y, 1)) for k, (x, y) in pos.items()}


def _node(key: Any, info: dict[Any, dict[str, Any]], here: str, xy: tuple[float, float], ring: int) -> dict:
    i = info[key]
    prefix = "" if i["folder"] == here else f"../{i['folder']}/"
    x, y = xy
    right = x >= WIDTH / 2
    radius = (9, 6, 4)[ring]
    label = i["label"]
    return {
        "x": x,
        "y": y,
        "r": radius,
        "ring": ring,
        "color": COLOURS.get(i["kind"], OTHER),
        "kind": i["kind"],
        "label": label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1].rstrip() + "…",
        "title": label,
        "href": None if ring == 0 else prefix + i["href"],
        # the centre's label goes below it; the others point away from the centre
        "lx": x if ring == 0 else round(x + (radius + 3 if right else -radius - 3), 1),
        "ly": round(y + radius + 13, 1) if ring == 0 else round(y + 4, 1),
        "anchor": "middle" if ring == 0 else ("start" if right else "end"),
    }


def _edges(
    pos: dict[Any, tuple[float, float]], ring: dict[Any, int], index: EgoIndex
) -> list[dict[str, Any]]:
    """One line per linked pair of shown nodes; its title lists the relations both ways ("A uses B")."""
    number = index.number
    pairs: list[tuple[int, int, int, Any, Any]] = []
    shown = set(ring)  # a real set: set & set walks the smaller one (a hub may have hundreds of neighbours)
    for v in ring:
        nv = number[v]
        for w in index.neighbours[v] & shown:
            if nv < number[w]:
                pairs.append((ring[v] + ring[w], nv, number[w], v, w))
    pairs.sort()  # (rings, number, number) is unique per pair: the nodes themselves are never compared
    out = []
    for _r, nv, nw, v, w in pairs:
        (x1, y1), (x2, y2) = pos[v], pos[w]
        near = min(ring[v], ring[w]) == 0
        title = index.relations[(nv, nw)]
        out.append({"x1": x1, "y1": y1, "x2": x2, "y2": y2, "near": near, "title": title})
    return out


@functools.lru_cache(maxsize=1 << 16)
def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def ego_svg(g: dict[str, Any], name: str) -> Markup:
    """The ``<section>`` with the picture of ``ego_network``'s geometry ``g``; ``name`` is the node's label.

    >>> g = {"width": 10, "height": 10, "shown": 1, "total": 1, "hops": 1, "edges": [], "nodes": [
    ...     {"x": 1, "y": 1, "r": 2, "ring": 1, "color": "#000", "kind": "Model", "label": "<b>",
    ...      "title": "<b>", "href": "x.html", "lx": 1, "ly": 1, "anchor": "start"}]}
    >>> "<b>" in ego_svg(g, "me"), "&lt;b&gt;</text>" in ego_svg(g, "me")
    (False, True)
    """
    escape = _escape
    hops = g["hops"]
    out = [
        '<section id="ego">\n<h2>Neighbourhood <span class="kg-muted">'
        f"({g['shown']} of {g['total']} nodes within {hops} hop{'s' if hops > 1 else ''})</span></h2>\n"
        f'<svg class="kg-ego" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="neighbourhood of '
        f'{escape(name)}" width="{g["width"]}" height="{g["height"]}" viewBox="0 0 {g["width"]} {g["height"]}">'
        '\n<g class="kg-ego-edges">'
    ]
    for e in g["edges"]:
        near = ' class="kg-near"' if e["near"] else ""
        out.append(
            f'<line x1="{e["x1"]}" y1="{e["y1"]}" x2="{e["x2"]}" y2="{e["y2"]}"{near}>'
            f"<title>{escape(e['title'])}</title></line>"
        )
    out.append("</g>")
    for n in g["nodes"]:
        node = (
            f'<g class="kg-ego-node kg-ring{n["ring"]}"><title>{escape(n["title"])} ({escape(n["kind"])})</title>'
            f'<circle cx="{n["x"]}" cy="{n["y"]}" r="{n["r"]}" fill="{n["color"]}"></circle>'
            f'<text x="{n["lx"]}" y="{n["ly"]}" text-anchor="{n["anchor"]}">{escape(n["label"])}</text></g>'
        )
        out.append(f'<a href="{escape(n["href"])}">{node}</a>' if n["href"] else node)
    out.append("</svg>\n</section>")
    return Markup("\n".join(out))
