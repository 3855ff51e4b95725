"""What the writers read, built from records or straight from input files.

>>> from kg.records import Paper
>>> b = bundle_from_records([Paper("arxiv-2101.00001", "T")], [], [])
>>> b.graph.number_of_nodes(), len(b.triples) > 0
(1, True)
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

    from kg.assemble.rdf import TripleSet
    from kg.records import Entity, Evaluation, Merge, Paper, Relation, Report


@dataclass(frozen=True)
class ExportBundle:
    """What the writers read: the NetworkX projection (property-graph formats) and the triples (RDF formats)."""

    graph: nx.MultiDiGraph
    triples: TripleSet


def bundle_from_records(
    papers: Sequence[Paper],
    entities: Sequence[Entity],
    relations: Sequence[Relation],
    *,
    base: str | None = None,
    evaluations: Sequence[Evaluation] = (),
    merges: Sequence[Merge] = (),
) -> ExportBundle:
    """Both projections of the same records, with the same keys."""
    from kg.assemble.graph import build_graph
    from kg.assemble.rdf import build_triples
    from kg.ids import DEFAULT_BASE

    graph = build_graph(papers, entities, relations)
    triples = build_triples(
        papers, entities, relations, base=base or DEFAULT_BASE, evaluations=evaluations, merges=merges
    )
    return ExportBundle(graph, triples)


def bundle_from_inputs(
    inputs: Sequence[str | os.PathLike[str]],
    report: Report,
    *,
    base: str | None = None,
    processes: int = 1,
    **ingest_options: object,
) -> ExportBundle:
    """Read, extract and resolve ``inputs`` exactly as ``kg build`` does, and return both projections."""
    from kg.pipeline import read_corpus, resolve_corpus

    papers = read_corpus(inputs, report, **ingest_options)
    res = resolve_corpus(papers, processes=processes)
    return bundle_from_records(papers, res.entities, res.relations, base=base, evaluations=res.evaluations,
                               merges=res.merges)  # fmt: skip
