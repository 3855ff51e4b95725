"""The NetworkX projection: the same records and node keys as the RDF graph, for analysis and the views.

>>> from kg.records import Entity, EntityType, Paper, Relation
>>> G = build_graph([Paper("p1", "T")], [Entity("model:bert", EntityType.MODEL, "BERT", papers=("p1",))],
...                 [Relation("p1", "uses", "model:bert", paper="p1")])
>>> G.number_of_nodes(), G.number_of_edges(), G.nodes["model:bert"]["paper_count"]
(2, 1, 1)
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx

from kg.records import Entity, Paper, Relation


def build_graph(
    papers: Sequence[Paper], entities: Sequence[Entity], relations: Sequence[Relation]
) -> nx.MultiDiGraph:
    """Nodes keyed by ``Paper.key`` / ``Entity.key``; one edge per relation with its evidence as attributes.

    Edge keys are ``relation#n`` so the same link found in several places keeps every piece of evidence.
    """
    G = nx.MultiDiGraph()
    for p in papers:
        G.add_node(
            p.key, kind="Paper", label=p.title, title=p.title, abstract=p.abstract, url=p.url,
            arxiv_id=p.arxiv_id, doi=p.doi, links=list(p.links), authors=list(p.authors), date=p.date,
            listing_dates=sorted({s.listing_date for s in p.sources if s.listing_date}),
            sources=[f"{s.path}:{s.line}" for s in p.sources], paper_count=1,
        )  # fmt: skip
    for e in entities:
        G.add_node(
            e.key, kind=e.type.value, label=e.label, aliases=list(e.aliases), paper_count=len(e.papers),
            broader=e.broader, **{k: v for k, v in e.attributes},
        )  # fmt: skip
    counts: dict[tuple[str, str, str], int] = {}
    for r in relations:
        if r.source not in G or r.target not in G:
            raise ValueError(f"relation {r.relation} between unknown nodes {r.source!r} -> {r.target!r}")
        n = counts.get((r.source, r.relation, r.target), 0)
        counts[(r.source, r.relation, r.target)] = n + 1
        G.add_edge(
            r.source, r.target, key=f"{r.relation}#{n}", relation=r.relation, paper=r.paper, sentence=r.sentence,
            start=r.start, end=r.end, rule=r.rule, confidence=r.confidence,
        )  # fmt: skip
    return G
