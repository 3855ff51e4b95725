"""Build history: which build of an output folder each paper and entity first appeared in ("what is new").

Users ask "what is new since the last build?". The answer needs memory across builds, which the graph alone
cannot hold without making builds depend on the clock. So the output folder keeps a small manifest,
``.kg-history.json``: the numbered builds (a build number advances only when the *set* of paper or entity
keys changes) and, per key, the build it first appeared in. A re-run on the same input finds the same key set
as the last build and changes nothing, so every output stays byte-identical; no wall-clock time is recorded.

The graph carries the result: ``<base>build/N a kg:Build ; kg:buildNumber N`` for every build an item was
first seen in (the latest also ``kg:isLatestBuild true``), and ``?item kg:firstSeenIn <base>build/N`` on every
paper and entity; the named query
``new-since-last-build`` reads them.

>>> h = History()
>>> n = h.advance(["p1"], ["model:a"]); n, h.advance(["p1"], ["model:a"])
(1, 1)
>>> h.advance(["p1", "p2"], ["model:a"]), h.papers, h.builds[-1]["new_papers"]
(2, {'p1': 1, 'p2': 2}, 1)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.errors import KGError
from kg.ids import entity_iri, paper_iri
from kg.namespace import KG, RDF
from kg.records import Entity, EntityType, Paper

HISTORY_FILE = ".kg-history.json"
VERSION = 1


def keys_digest(paper_keys: Iterable[str], entity_keys: Iterable[str]) -> str:
    """sha256 of the sorted key sets: equal for equal sets, whatever the order."""
    doc = json.dumps([sorted(set(paper_keys)), sorted(set(entity_keys))], ensure_ascii=False)
    return hashlib.sha256(doc.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class History:
    """The builds of one output folder and the first build of every paper and entity key."""

    builds: list[dict[str, int | str]] = field(default_factory=list)
    papers: dict[str, int] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)

    @property
    def current(self) -> int:
        """The number of the latest build (0 before the first)."""
        return int(self.builds[-1]["build"]) if self.builds else 0

    def advance(self, paper_keys: Sequence[str], entity_keys: Sequence[str]) -> int:
        """Record a build of these keys and return its number: the last one again if the key sets are equal.

        Keys seen in any earlier build keep their first build, also when they vanished in between.
        """
        digest = keys_digest(paper_keys, entity_keys)
        if self.builds and self.builds[-1]["keys_sha256"] == digest:
            return self.current
        n = self.current + 1
        new_papers = [k for k in sorted(set(paper_keys)) if k not in self.papers]
        new_entities = [k for k in sorted(set(entity_keys)) if k not in self.entities]
        self.papers.update(dict.fromkeys(new_papers, n))
        self.entities.update(dict.fromkeys(new_entities, n))
        self.builds.append({"build": n, "keys_sha256": digest, "papers": len(set(paper_keys)),
                            "entities": len(set(entity_keys)), "new_papers": len(new_papers),
                            "new_entities": len(new_entities)})  # fmt: skip
        return n

    def dumps(self) -> bytes:
        """The manifest as bytes, sorted: the same history gives the same bytes."""
        doc = {"version": VERSION, "builds": self.builds, "papers": dict(sorted(self.papers.items())),
               "entities": dict(sorted(self.entities.items()))}  # fmt: skip
        return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def load_history(out_dir: Path) -> History:
    """The history kept in ``out_dir`` (empty if there is none); a damaged manifest is an error, not a reset,
    since silently starting over would mark everything as new."""
    path = out_dir / HISTORY_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return History()
    except OSError as exc:
        raise KGError(f"{path}: cannot read the build history: {exc}") from exc
    try:
        doc = json.loads(raw)
        if doc.get("version") != VERSION:
            raise ValueError(f"version {doc.get('version')!r}, expected {VERSION}")
        builds = [dict(b) for b in doc["builds"]]
        papers = {str(k): int(v) for k, v in doc["papers"].items()}
        entities = {str(k): int(v) for k, v in doc["entities"].items()}
        for b in builds:
            int(b["build"])
            str(b["keys_sha256"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise KGError(f"{path}: damaged build history ({exc}); delete it to start the history over") from None
    return History(builds, papers, entities)


def history_triples(
    history: History, papers: Sequence[Paper], entities: Sequence[Entity], base: str
) -> set[tuple[Node, Node, Node]]:
    """``kg:firstSeenIn`` for every paper and entity in the graph, and the ``kg:Build`` nodes they point to."""
    out: set[tuple[Node, Node, Node]] = set()
    used: set[int] = set()

    def build(n: int) -> URIRef:
        used.add(n)
        return URIRef(f"{base}build/{n}")

    for p in papers:
        if p.key in history.papers:
            out.add((URIRef(paper_iri(p.key, base)), KG.firstSeenIn, build(history.papers[p.key])))
    for e in entities:
        if e.key in history.entities:
            prefix = EntityType(e.type).value.lower() + ":"
            node = URIRef(entity_iri(e.type, e.key[len(prefix) :], base))
            out.add((node, KG.firstSeenIn, build(history.entities[e.key])))
    used.add(history.current)  # the latest build is always stated, so "new since" knows where it stands
    for n in used:
        if n:
            out.add((URIRef(f"{base}build/{n}"), RDF.type, KG.Build))
            out.add((URIRef(f"{base}build/{n}"), KG.buildNumber, Literal(n)))
    if history.current:  # a constant to start from: no MAX() aggregate, which engines cannot join from
        out.add((URIRef(f"{base}build/{history.current}"), KG.isLatestBuild, Literal(True)))
    return out
