"""Bad-input matrix row 25: adding papers adds to the graph; entities already there keep their keys (IRIs)."""

from __future__ import annotations

import pytest

from kg.extract.pipeline import extract_papers, make_nlp
from kg.pipeline import read_corpus, vocabulary_attributes
from kg.records import Report
from kg.resolve import resolve
from kg.vocab import task_hierarchy
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def extracted():
    papers = read_corpus([SEEDS], Report())
    return papers, list(extract_papers(papers, nlp=make_nlp()))


def _resolve(papers, extractions):
    return resolve(
        papers,
        [m for x in extractions for m in x.mentions],
        vocabulary_attributes(),
        links=[link for x in extractions for link in x.links],
        results=[r for x in extractions for r in x.results],
        hierarchy=task_hierarchy(),
    )


@pytest.mark.parametrize("step", [7, 15, 40])
def test_adding_papers_keeps_every_existing_entity_key(extracted, step: int) -> None:
    papers, extractions = extracted
    keep = [i for i in range(len(papers)) if i % step]
    before = _resolve([papers[i] for i in keep], [extractions[i] for i in keep])
    after = _resolve(papers, extractions)
    after_keys = {e.key for e in after.entities}
    lost = sorted(e.key for e in before.entities if e.key not in after_keys)
    assert not lost, f"adding {len(papers) - len(keep)} papers renamed or dropped entities: {lost[:10]}"
    assert len(after_keys) > len(before.entities)
    # links of the smaller corpus survive too (same source, relation, target)
    links_after = {(r.source, r.relation, r.target) for r in after.relations}
    missing = [r for r in before.relations if (r.source, r.relation, r.target) not in links_after]
    assert not missing, missing[:5]
