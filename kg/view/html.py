"""The overview page: the whole graph in one self-contained HTML file that draws offline, with vis-network up to
``webgl_threshold`` nodes and sigma.js (WebGL) above it.

Why it is built this way (bad-input matrix row 8; perf notes, "pyvis"):

- pyvis supplies two things: its bundled vis-network 9.1.2 (``pyvis/templates/lib/vis-9.1.2``, inlined here)
  and the vis options object (``Network.force_atlas_2based``, stabilisation, smoothing toggles). pyvis' own
  template is not used: it renders with HTML escaping off, pulls Bootstrap and tom-select from a CDN even with
  ``cdn_resources="in_line"``, and turns every tooltip into live HTML once any tooltip contains "href".
  Its ``add_node``/``add_edge`` test membership in a list (quadratic), so node and edge records are made here.
- Our template (``kg/templates/overview.html``, jinja2 with autoescape on) escapes the heading and legend and
  carries the graph as one ``<script type="application/json">`` block in which ``<``, ``>``, ``&``, U+2028,
  U+2029 and lone surrogates are ``\\u``-escaped, so no text can close the script or start markup. The page
  script (``kg/templates/overview.js``) reads it with ``JSON.parse`` and builds tooltips as DOM elements with
  ``textContent``; untrusted text never reaches ``innerHTML``.
- A Content-Security-Policy admits only our two inline scripts (by sha256) and no network access at all, so
  a missed escape could neither run script nor send anything anywhere.
- Up to ``physics_threshold`` nodes, vis' forceAtlas2 physics settles positions precomputed by
  ``kg.view.layout`` (fast start, stable result); above it those positions are final and physics is off.
- Above ``webgl_threshold`` nodes (default 3000) vis-network's canvas drawing is too slow to use (6-7 s to a
  first frame at 20k nodes / 60k edges), so the page inlines graphology + sigma.js instead (vendored in
  ``kg/data/js``, sha256-checked against its manifest on load) and ``overview_webgl.js``, which offers the same
  search, filters, slider, panel and ``window.kg`` hooks. Both pages read the same JSON data block.
- Same graph -> same bytes: nodes and edges sorted, seeded layout, sorted JSON keys, no timestamps.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import math
import re
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from kg.atomic import write_text
from kg.errors import KGError

LABEL_MAX = 40  # characters of a node label drawn on the canvas
TEXT_MAX = 500  # characters of any one text field in a tooltip
SENTENCE_MAX = 300  # characters of an evidence sentence in an edge tooltip
ALIASES_MAX = 20  # aliases listed per node
VIS_JS = "templates/lib/vis-9.1.2/vis-network.min.js"  # inside the pyvis package
WEBGL_THRESHOLD = 3000  # above this many nodes the overview is drawn with sigma.js (WebGL), not vis-network
WEBGL_JS = ("graphology.umd.min.js", "sigma.min.js")  # vendored in kg/data/js (scripts/vendor_js.py)
# Edge hover (relation tooltips) in the WebGL page up to this many edges: sigma then draws every edge a second
# time into a picking buffer, which cost 1 s of the 4.6 s to interactive at 60k edges in software WebGL.
EDGE_EVENTS_MAX = 20_000
# From this many nodes (or FAST_EDGES edges) the WebGL page draws nodes as points and edges as 1-px lines
# (sigma's NodePointProgram / EdgeLineProgram: 1 and 2 vertices instead of 3 and 6, no antialiasing band).
# With software WebGL a 20k / 60k frame went from 3.1 s to 0.2 s; on a GPU both are instant.
FAST_NODES = 5_000
FAST_EDGES = 15_000

# kind -> (fill colour, border colour, vis shape, legend glyph); "Other" catches unknown kinds.
KIND_STYLES: dict[str, tuple[str, str, str, str]] = {
    "Paper": ("#a0a0a0", "#616161", "square", "\u25a0"),
    "Model": ("#4e79a7", "#2f4b68", "dot", "\u25cf"),
    "Method": ("#f28e2b", "#a65e17", "diamond", "\u25c6"),
    "Dataset": ("#59a14f", "#376632", "triangle", "\u25b2"),
    "Task": ("#b07aa1", "#744f69", "star", "\u2605"),
    "Metric": ("#17becf", "#0e7d88", "hexagon", "\u2b22"),
    "Other": ("#d4d4d4", "#8c8c8c", "dot", "\u25cf"),
}

_JSON_UNSAFE = re.compile("[<>&\u2028\u2029\ud800-\udfff]")
_TEXT_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_SCRIPT_BREAKERS = re.compile(r"</script|<!--", re.IGNORECASE)


def render_overview(
    G: nx.MultiDiGraph,
    *,
    title: str = "kg: knowledge graph",
    physics_threshold: int = 300,
    webgl_threshold: int = WEBGL_THRESHOLD,
    page_links: bool = True,
) -> str:
    """Return the overview page for ``G`` as one self-contained HTML string (no external requests).

    Graphs of up to ``webgl_threshold`` nodes are drawn with vis-network (canvas 2D: shapes per type, physics
    for small graphs); larger ones with sigma.js on WebGL, which draws 20k nodes and 60k edges at once where
    vis-network takes seconds per frame. Both pages carry the same data block and offer the same features.
    ``page_links`` adds to every node the relative link to its page (``entities/…``, ``papers/…``), as
    written by ``kg.view.pages`` beside the overview.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("p1", kind="Paper", label="Attention <b>", paper_count=1)
    >>> G.add_node("m1", kind="Model", label="Transformer", aliases=["TF"], paper_count=1)
    >>> _ = G.add_edge("p1", "m1", relation="proposes", sentence="We propose it.", confidence=0.9, paper="p1")
    >>> page = render_overview(G, title="demo")
    >>> "Attention <b>" in page, "Attention \\\\u003cb\\\\u003e" in page
    (False, True)
    >>> render_overview(G, title="demo") == page  # deterministic
    True
    """
    nodes, edges, n_edges = _graph_data(G, page_links=page_links)
    webgl = len(nodes) > webgl_threshold
    physics = not webgl and len(nodes) <= physics_threshold
    data: dict[str, Any] = {"renderer": "webgl" if webgl else "vis", "nodes": nodes, "edges": edges}
    if webgl:
        data["styles"] = {kind: fill for kind, (fill, *_rest) in KIND_STYLES.items()}
        data["edgeEvents"] = len(edges) <= EDGE_EVENTS_MAX
        data["fast"] = len(nodes) >= FAST_NODES or len(edges) >= FAST_EDGES
    else:
        data.update(physics=physics, options=_vis_options(physics))
    counts = {kind: 0 for kind in KIND_STYLES}
    for n in nodes:
        counts[n["group"]] += 1
    legend = [
        {"kind": kind, "color": fill, "glyph": "\u25cf" if webgl else glyph, "count": counts[kind]}
        for kind, (fill, _border, _shape, glyph) in KIND_STYLES.items()
        if counts[kind] or kind != "Other"
    ]
    scripts = _webgl_scripts() if webgl else _vis_scripts()
    csp = "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(_sha256(js) for js in scripts),
            "style-src 'unsafe-inline'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    return _template().render(
        title=_clean(title),
        csp=csp,
        legend=legend,
        renderer=data["renderer"],
        max_papers=max([n.get("papers", 1) for n in nodes if n["group"] != "Paper"] or [1]),
        n_nodes=len(nodes),
        n_edges=n_edges,
        data_json=_script_json(data),
        scripts=scripts,
    )


def write_overview(G: nx.MultiDiGraph, path: str | Path, **kw: Any) -> None:
    """Render the overview page and write it atomically to ``path`` (keyword arguments as in render_overview).

    >>> import networkx as nx, pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "graph.html"
    >>> write_overview(nx.MultiDiGraph(), out)
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    write_text(path, render_overview(G, **kw))


def _graph_data(
    G: nx.MultiDiGraph, *, page_links: bool = True
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """Node and edge records for the page, sorted; parallel edges u->v merge into one record."""
    from kg.view.layout import layout_positions  # numpy
    from kg.view.pages import page_hrefs

    keys = sorted(G.nodes, key=str)
    index = {k: i for i, k in enumerate(keys)}
    merged: dict[tuple[int, int], list[dict[str, Any]]] = {}
    n_edges = 0
    for u, v, attrs in G.edges(data=True):
        n_edges += 1
        merged.setdefault((index[u], index[v]), []).append(_relation(attrs))
    edges = []
    for (a, b), rels in sorted(merged.items()):
        rels.sort(key=lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False))
        edges.append({"from": a, "to": b, "rels": rels})
    positions = layout_positions(len(keys), list(merged))
    nodes = [_node(i, k, G.nodes[k], G.degree(k), positions[i]) for i, k in enumerate(keys)]
    if page_links:
        hrefs = page_hrefs(G)
        for node, k in zip(nodes, keys, strict=True):
            node["page"] = hrefs[k]
    return nodes, edges, n_edges


def _node(i: int, key: Any, attrs: dict[str, Any], degree: int, xy: tuple[float, float]) -> dict[str, Any]:
    kind = attrs.get("kind") or "Other"
    kind = _clean(str(getattr(kind, "value", kind)))  # an EntityType enum is fine too
    name = _clean(" ".join(str(attrs.get("label") or key).split())) or _clean(str(key))
    node: dict[str, Any] = {
        "id": i,
        "key": _cap(_clean(str(key)), TEXT_MAX),
        "kind": _cap(kind, 60),
        "group": kind if kind in KIND_STYLES else "Other",
        "label": _cap(name, LABEL_MAX),
        "value": degree,
        "x": xy[0],
        "y": xy[1],
    }
    if len(name) > LABEL_MAX:
        node["name"] = _cap(name, TEXT_MAX)
    aliases = _texts(attrs.get("aliases"))
    if len(aliases) > ALIASES_MAX:
        aliases = aliases[:ALIASES_MAX] + [f"… {len(aliases) - ALIASES_MAX} more"]
    if aliases:
        node["aliases"] = aliases
    if isinstance(attrs.get("paper_count"), int):
        node["papers"] = attrs["paper_count"]
    title = attrs.get("title")
    if isinstance(title, str) and title.strip() and " ".join(title.split()) != name:
        node["title"] = _cap(_clean(title), TEXT_MAX)
    dates = sorted(set(_texts(attrs.get("listing_dates"))))
    if dates:
        node["dates"] = dates
    if isinstance(attrs.get("url"), str) and attrs["url"]:
        node["url"] = _cap(_clean(attrs["url"]), TEXT_MAX)
    return node


def _relation(attrs: dict[str, Any]) -> dict[str, Any]:
    rel: dict[str, Any] = {"relation": _cap(_clean(str(attrs.get("relation") or "related")), 80)}
    conf = attrs.get("confidence")
    if isinstance(conf, int | float) and not isinstance(conf, bool) and math.isfinite(conf):
        rel["confidence"] = round(float(conf), 3)
    sentence = attrs.get("sentence")
    if isinstance(sentence, str) and sentence.strip():
        rel["sentence"] = _cap(_clean(" ".join(sentence.split())), SENTENCE_MAX)
    if attrs.get("paper") is not None:
        rel["paper"] = _cap(_clean(str(attrs["paper"])), TEXT_MAX)
    return rel


def _vis_options(physics: bool) -> dict[str, Any]:
    """vis-network options: pyvis' option objects for physics/interaction, plus our styling and groups."""
    from pyvis.network import Network  # heavy (imports IPython): only when a page is rendered

    net = Network(directed=True, cdn_resources="in_line")
    net.force_atlas_2based(
        gravity=-60, central_gravity=0.01, spring_length=90, spring_strength=0.08, damping=0.5
    )
    net.options.edges.smooth.enabled = False  # curved edges add a physics body per edge: 10x slower
    net.toggle_physics(physics)
    net.toggle_stabilization(physics)
    net.toggle_hide_edges_on_drag(not physics)
    opts: dict[str, Any] = json.loads(net.options.to_json())
    opts["physics"]["stabilization"].update(iterations=400, updateInterval=25)
    opts["physics"]["minVelocity"] = 1.0
    opts["edges"].update(
        color={"color": "#b4b4b4", "highlight": "#444444", "hover": "#666666", "inherit": False},
        width=1,
        hoverWidth=0.5,
        selectionWidth=1,
        arrows={"to": {"enabled": True, "scaleFactor": 0.4}},
    )
    opts["nodes"] = {
        "borderWidth": 1,
        "font": {"size": 12, "face": "system-ui, sans-serif", "color": "#222222"},
        "scaling": {"min": 6, "max": 32, "label": {"enabled": False}},
    }
    opts["groups"] = {
        kind: {
            "shape": shape,
            "color": {
                "background": fill,
                "border": border,
                "highlight": {"background": fill, "border": "#000000"},
                "hover": {"background": fill, "border": "#000000"},
            },
        }
        for kind, (fill, border, shape, _glyph) in KIND_STYLES.items()
    }
    opts["interaction"].update(hover=True, tooltipDelay=150, hideEdgesOnZoom=not physics, keyboard=False)
    opts["layout"] = {"randomSeed": 42, "improvedLayout": False}
    return opts


@functools.cache
def _vis_scripts() -> tuple[str, ...]:
    """vis-network from pyvis' package folder and our page script, checked safe to inline."""
    vis_path = resources.files("pyvis") / VIS_JS
    try:
        vis_js = vis_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KGError(
            f"pyvis is installed without its bundled vis-network ({vis_path}): "
            "reinstall it with pip install pyvis==0.3.2"
        ) from exc
    return (
        _inlinable("vis-network.min.js", vis_js),
        _inlinable("overview_common.js", _package_text("overview_common.js")),
        _inlinable("overview.js", _package_text("overview.js")),
    )


@functools.cache
def _webgl_scripts() -> tuple[str, ...]:
    """graphology and sigma.js from kg/data/js (sha256-checked against the manifest) and our page script."""
    folder = resources.files("kg") / "data" / "js"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    expected = {name: f["sha256"] for p in manifest["packages"] for name, f in p["files"].items()}
    out = []
    for name in WEBGL_JS:
        raw = (folder / name).read_bytes()
        if hashlib.sha256(raw).hexdigest() != expected.get(name):
            raise KGError(f"kg/data/js/{name} does not match its manifest: re-run scripts/vendor_js.py")
        out.append(_inlinable(name, raw.decode("utf-8")))
    out.append(_inlinable("overview_common.js", _package_text("overview_common.js")))
    out.append(_inlinable("overview_webgl.js", _package_text("overview_webgl.js")))
    return tuple(out)


def _package_text(name: str) -> str:
    return (resources.files("kg") / "templates" / name).read_text(encoding="utf-8")


def _inlinable(name: str, js: str) -> str:
    """The script as the browser will hash it, refused if it could close its <script> element."""
    # The HTML parser turns CR/CRLF into LF before the browser hashes a script: hash what it will see.
    js = js.replace("\r\n", "\n").replace("\r", "\n")
    if _SCRIPT_BREAKERS.search(js):
        raise KGError(f"{name} contains '</script' or '<!--' and cannot be inlined")
    return js


@functools.cache
def _template(name: str = "overview.html") -> Any:
    """A page template of kg/templates (all extend ``_base.html``), autoescaping every value."""
    return _environment().get_template(name)


@functools.cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("kg", "templates"), autoescape=True, keep_trailing_newline=True
    )


def _script_json(obj: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: markup chars and U+2028/9 as ``\\uXXXX``."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _sha256(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _clean(text: str) -> str:
    """Replace control characters (except TAB, LF, CR) and lone surrogates with U+FFFD."""
    return _TEXT_UNSAFE.sub("\ufffd", text)


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _texts(value: Any) -> list[str]:
    """A list of non-empty cleaned strings from a list/tuple/set of anything (None -> [])."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple | set | frozenset):
        return []
    out = [_cap(_clean(str(v)), TEXT_MAX) for v in value if v is not None and str(v).strip()]
    return sorted(out) if isinstance(value, set | frozenset) else out
