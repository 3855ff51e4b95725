"""Static pages: an index of entities by type (with SVG charts), one page per entity and one per paper.

Written beside the overview (``exports/index.html``, ``exports/entities/*.html``, ``exports/papers/*.html``);
every page opens offline from disk and links to the others by relative paths.

Safety follows the overview (bad-input matrix row 8): jinja2 with autoescape renders every string, charts are
SVG built from escaped text, the only script (the index filter, inline, admitted by its sha256 in the CSP) reads
names with ``getAttribute`` and shows or hides list items, and the CSP forbids every network request. External
links (a paper's own URL) are plain ``<a>`` elements and only for ``http(s)`` URLs; anything else is text.

File names are ``safe_segment(key) + ".html"``; ``%`` in them is escaped again in links (``%25``) so that a
browser opening the link finds the file. Names that would collide on a case-insensitive file system get a hash
of the key appended. Stale ``*.html`` files of an earlier build are removed from ``entities/`` and ``papers/``.

Same graph -> same bytes: everything sorted, no timestamps.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

import networkx as nx
from markupsafe import Markup

from kg.atomic import write_text
from kg.ids import safe_segment
from kg.text import short_hash
from kg.view.ego import EGO_HOPS, EGO_MAX_NODES, EgoIndex, ego_network, ego_svg
from kg.view.html import _cap, _clean, _sha256, _template, _texts

ENTITY_KINDS = ("Model", "Method", "Dataset", "Task", "Metric")
TOP_N = 15  # bars per type in the index chart
BAR_LABEL_MAX = 32  # characters of a label drawn in a chart
SENTENCE_MAX = 600
TEXT_MAX = 500
ABSTRACT_MAX = 5000

# The index filter. Names come from data-search attributes (already lower-case); nothing is written as HTML.
_INDEX_JS = """(function () {
  "use strict";
  var box = document.getElementById("kg-filter");
  var items = document.querySelectorAll("li[data-search]");
  var status = document.getElementById("kg-filter-status");
  box.hidden = false;
  box.querySelector("input").addEventListener("input", function (ev) {
    var q = ev.target.value.trim().toLowerCase();
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var hit = !q || items[i].getAttribute("data-search").indexOf(q) !== -1;
      items[i].hidden = !hit;
      if (hit) shown++;
    }
    status.textContent = q ? shown + " of " + items.length + " entities" : "";
  });
})();
"""
_CSP_BASE = ["default-src 'none'", "style-src 'unsafe-inline'", "base-uri 'none'", "form-action 'none'"]
_URL_OK = re.compile(r"https?://[^\s\x00-\x1f\x7f]+\Z", re.IGNORECASE)


def write_pages(
    G: nx.MultiDiGraph,
    out_dir: Path,
    *,
    max_neighbours: int = 60,
    ego_hops: int = EGO_HOPS,
    ego_max_nodes: int = EGO_MAX_NODES,
) -> dict[str, int]:
    """Write ``index.html``, ``entities/*.html`` and ``papers/*.html`` under ``out_dir``; return the counts.

    ``max_neighbours`` caps each list on an entity page (papers, links out, links in); the rest is counted.
    Every entity and paper page shows its ego network (``kg.view.ego``): ``ego_hops`` (0 for none, 1 or 2)
    hops around the node, at most ``ego_max_nodes`` nodes.

    >>> import networkx as nx, pathlib, tempfile
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("p1", kind="Paper", label="On <b>", title="On <b>", paper_count=1)
    >>> G.add_node("model:bert", kind="Model", label="BERT", aliases=["Bert"], paper_count=1)
    >>> _ = G.add_edge("p1", "model:bert", relation="uses", sentence="We use BERT.", paper="p1")
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> write_pages(G, out)
    {'entities': 1, 'papers': 1}
    >>> "On &lt;b&gt;" in (out / "papers" / "p1.html").read_text(encoding="utf-8")
    True
    """
    out_dir = Path(out_dir)
    papers, entities, names = _split(G)
    info = {k: _node_info(k, G.nodes[k], names[k]) for k in papers + entities}
    index = EgoIndex.of(G, info) if ego_hops > 0 else None

    def ego(key: Any, here: str) -> Markup | None:
        if index is None:
            return None
        g = ego_network(key, info, index, here, hops=ego_hops, max_nodes=ego_max_nodes)
        return None if g is None else ego_svg(g, info[key]["label"])

    # one page per node: an fsync each would cost more than the pages (they are rebuilt by any build)
    written: dict[str, set[str]] = {"entities": set(), "papers": set()}
    for key in entities:
        write_text(
            out_dir / "entities" / names[key],
            _entity_page(G, key, info, max_neighbours, ego(key, "entities")),
            durable=False,
        )
        written["entities"].add(names[key])
    for key in papers:
        write_text(
            out_dir / "papers" / names[key], _paper_page(G, key, info, ego(key, "papers")), durable=False
        )
        written["papers"].add(names[key])
    write_text(out_dir / "index.html", _index_page(G, papers, entities, info))
    for sub, keep in written.items():
        for stale in sorted((out_dir / sub).glob("*.html")):
            if stale.name not in keep:
                stale.unlink(missing_ok=True)
    return {"entities": len(entities), "papers": len(papers)}


def page_hrefs(G: nx.MultiDiGraph) -> dict[Any, str]:
    """Each node's page as a link relative to the folder of the overview (``entities/…`` or ``papers/…``).

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("p 1", kind="Paper"); G.add_node("model:x", kind="Model")
    >>> page_hrefs(G)
    {'p 1': 'papers/p%25201.html', 'model:x': 'entities/model%253Ax.html'}
    """
    papers, entities, names = _split(G)
    return {k: f"{folder}/{quote(names[k], safe='')}" for folder, keys in
            (("papers", papers), ("entities", entities)) for k in keys}  # fmt: skip


def _split(G: nx.MultiDiGraph) -> tuple[list[Any], list[Any], dict[Any, str]]:
    """Paper keys, entity keys (each sorted) and the page file name of every node."""
    papers = sorted((k for k, a in G.nodes(data=True) if _kind(a) == "Paper"), key=str)
    entities = sorted((k for k, a in G.nodes(data=True) if _kind(a) != "Paper"), key=str)
    names = _file_names(papers) | _file_names(entities)  # keys are distinct nodes: no paper/entity clash
    return papers, entities, names


def _kind(attrs: dict[str, Any]) -> str:
    kind = attrs.get("kind") or "Other"
    return _clean(str(getattr(kind, "value", kind)))


def _file_names(keys: list[Any]) -> dict[Any, str]:
    """``safe_segment(key).html``, with a key hash appended where names collide ignoring case."""
    base = {k: safe_segment(str(k)) for k in keys}
    folded = Counter(name.lower() for name in base.values())
    out = {}
    for k, name in base.items():
        if folded[name.lower()] > 1:
            name = f"{name}-{short_hash(str(k), 8)}"
        out[k] = name + ".html"
    if len({n.lower() for n in out.values()}) != len(out):  # pragma: no cover - needs a hash collision
        raise ValueError("page file names collide")
    return out


def _node_info(key: Any, attrs: dict[str, Any], name: str) -> dict[str, Any]:
    kind = _kind(attrs)
    label = _clean(" ".join(str(attrs.get("label") or attrs.get("title") or key).split())) or _clean(str(key))
    count = attrs.get("paper_count")
    folder = "papers" if kind == "Paper" else "entities"
    return {
        "key": _cap(_clean(str(key)), TEXT_MAX),
        "kind": _cap(kind, 60),
        "label": _cap(label, TEXT_MAX),
        "count": count if isinstance(count, int) and not isinstance(count, bool) else 0,
        "aliases": _texts(attrs.get("aliases")),
        "href": quote(name, safe=""),  # relative to the sibling folder
        "folder": folder,
    }


def _link(info: dict[str, Any], here: str) -> dict[str, Any]:
    """Label, kind and relative href of a node as seen from a page in folder ``here`` ("" for the index)."""
    prefix = "" if here == info["folder"] else ("" if not here else "../") + info["folder"] + "/"
    return {"label": info["label"], "kind": info["kind"], "href": prefix + info["href"]}


def _sentence(attrs: dict[str, Any]) -> str:
    s = attrs.get("sentence")
    return _cap(_clean(" ".join(s.split())), SENTENCE_MAX) if isinstance(s, str) else ""


def _relation(attrs: dict[str, Any]) -> str:
    return _cap(_clean(str(attrs.get("relation") or "related")), 80)


def _capped(rows: list[dict[str, Any]], limit: int) -> tuple[list[dict[str, Any]], int]:
    return rows[:limit], max(0, len(rows) - limit)


def _entity_page(
    G: nx.MultiDiGraph, key: Any, info: dict[Any, dict[str, Any]], cap: int, ego: Markup | None
) -> str:
    me = info[key]
    attrs = G.nodes[key]
    papers, out_links, in_links = [], [], []
    edges = [(u, a, in_links) for u, _v, a in G.in_edges(key, data=True)]
    edges += [(v, a, out_links) for _u, v, a in G.out_edges(key, data=True)]
    for other, a, bucket in edges:
        row = {"node": _link(info[other], "entities"), "relation": _relation(a), "sentence": _sentence(a)}
        if info[other]["kind"] == "Paper":
            papers.append(row)
            continue
        paper = a.get("paper")
        if paper in info and info[paper]["kind"] == "Paper":
            row["paper"] = _link(info[paper], "entities")  # the paper that states the link
        bucket.append(row)
    order = lambda r: (r["node"]["label"].lower(), r["node"]["href"], r["relation"], r["sentence"])  # noqa: E731
    for rows in (papers, out_links, in_links):
        rows.sort(key=order)
    n_papers = len({r["node"]["href"] for r in papers})
    broader = attrs.get("broader")
    return _template("entity.html").render(
        csp="; ".join(_CSP_BASE),
        me=me,
        ego=ego,
        broader=_link(info[broader], "entities") if broader in info else None,
        n_papers=n_papers,
        sections=[
            ("Papers", "papers", *_capped(papers, cap)),
            ("Links to other entities", "out", *_capped(out_links, cap)),
            ("Links from other entities", "in", *_capped(in_links, cap)),
        ],
    )


def _paper_page(G: nx.MultiDiGraph, key: Any, info: dict[Any, dict[str, Any]], ego: Markup | None) -> str:
    attrs = G.nodes[key]
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for _u, v, a in G.out_edges(key, data=True):
        groups[_relation(a)].append({"node": _link(info[v], "papers"), "sentence": _sentence(a)})
    for rows in groups.values():
        rows.sort(key=lambda r: (r["node"]["label"].lower(), r["node"]["href"], r["sentence"]))
    urls = []
    for u in [attrs.get("url"), *(attrs.get("links") or [])]:
        if isinstance(u, str) and u.strip() and u.strip() not in [x["text"] for x in urls]:
            u = _cap(_clean(u.strip()), TEXT_MAX)
            urls.append({"text": u, "href": u if _URL_OK.match(u) else None})
    title = attrs.get("title") or attrs.get("label") or key
    abstract = attrs.get("abstract")
    return _template("paper.html").render(
        csp="; ".join(_CSP_BASE),
        me=info[key],
        ego=ego,
        title=_cap(_clean(" ".join(str(title).split())), TEXT_MAX),
        abstract=_cap(_clean(abstract), ABSTRACT_MAX) if isinstance(abstract, str) else "",
        urls=urls,
        dates=sorted(set(_texts(attrs.get("listing_dates")))),
        groups=sorted(groups.items()),
    )


def _index_page(
    G: nx.MultiDiGraph, papers: list[Any], entities: list[Any], info: dict[Any, dict[str, Any]]
) -> str:
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for key in entities:
        i = info[key]
        search = "\n".join([i["label"], *i["aliases"]]).lower()
        by_kind[i["kind"]].append({**_link(i, ""), "count": i["count"], "search": search})
    kinds = [k for k in ENTITY_KINDS if k in by_kind] + sorted(k for k in by_kind if k not in ENTITY_KINDS)
    sections = []
    for kind in kinds:
        rows = sorted(by_kind[kind], key=lambda r: (-r["count"], r["label"].lower(), r["href"]))
        top = [(r["label"], r["count"], r["href"]) for r in rows[:TOP_N] if r["count"] > 0]
        sections.append({"kind": kind, "rows": rows, "chart": _bars(top)})
    per_date: Counter[str] = Counter()
    for key in papers:
        for d in set(_texts(G.nodes[key].get("listing_dates"))):
            per_date[d] += 1
    dates_chart = _bars([(d, n, None) for d, n in sorted(per_date.items())])
    return _template("index.html").render(
        csp="; ".join([*_CSP_BASE, f"script-src {_sha256(_INDEX_JS)}"]),
        n_papers=len(papers),
        n_entities=len(entities),
        sections=sections,
        dates_chart=dates_chart,
        index_js=_INDEX_JS,
    )


def _bars(rows: list[tuple[str, int, str | None]]) -> dict[str, Any] | None:
    """Geometry of a horizontal bar chart (label, value, optional href per row) for the SVG macro."""
    if not rows:
        return None
    row_h, label_w, bar_w = 18, 230, 300
    top = max(n for _l, n, _h in rows) or 1
    bars = [
        {
            "label": _cap(label, BAR_LABEL_MAX),
            "title": label,
            "value": n,
            "href": href,
            "y": i * row_h,
            "w": max(1, round(bar_w * n / top)),
        }
        for i, (label, n, href) in enumerate(rows)
    ]
    return {"bars": bars, "label_w": label_w, "width": label_w + bar_w + 50, "height": len(rows) * row_h + 4}
