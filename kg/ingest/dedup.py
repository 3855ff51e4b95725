"""Paper keys and merging of records that describe the same paper.

Records are linked when they share an arXiv id, a DOI or a normalised title (a small union-find, so a record
with DOI + title joins one that has only the title). The merge is deterministic: records are ordered by
their source ``(path, line)``, the first one supplies the fields, later ones fill gaps, and the key comes from
the strongest identifier (arXiv > DOI > title). Input order therefore never changes the result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from kg.records import Paper, Report
from kg.text import short_hash, title_key

_FILLABLE = ("abstract", "arxiv_id", "doi", "url", "authors", "date", "venue")


def paper_key(arxiv_id: str | None, doi: str | None, title: str) -> str:
    """Stable key: ``arxiv-<id>``, else ``doi-<doi>``, else ``title-<hash of title_key>``.

    >>> paper_key("2101.00001", "10.1/x", "T"), paper_key(None, "10.1/X", "T")
    ('arxiv-2101.00001', 'doi-10.1/x')
    >>> paper_key(None, None, "Attention!") == paper_key(None, None, "attention")
    True
    """
    if arxiv_id:
        return f"arxiv-{arxiv_id}"
    if doi:
        return f"doi-{doi.lower()}"
    return f"title-{short_hash(title_key(title))}"


def _identifiers(paper: Paper) -> list[str]:
    ids = []
    if paper.arxiv_id:
        ids.append(f"arxiv:{paper.arxiv_id}")
    if paper.doi:
        ids.append(f"doi:{paper.doi.lower()}")
    tk = title_key(paper.title)
    if tk:  # a title of only punctuation links nothing
        ids.append(f"title:{tk}")
    return ids


def _order(paper: Paper) -> tuple:
    """Total order on records: source location first, then content, so ties never depend on input order."""
    srcs = tuple(sorted((s.path, s.line, s.listing_date or "") for s in paper.sources))
    return (
        srcs,
        paper.key,
        paper.title,
        paper.abstract,
        paper.arxiv_id or "",
        paper.doi or "",
        paper.url or "",
    )


def _loc(paper: Paper) -> str:
    s = min(paper.sources, key=lambda s: (s.path, s.line), default=None)
    return f"{s.path}:{s.line}" if s else paper.key


def _merge(group: list[Paper]) -> Paper:
    first = group[0]
    values = {name: getattr(first, name) for name in _FILLABLE}
    for other in group[1:]:
        for name in _FILLABLE:
            if not values[name]:
                values[name] = getattr(other, name)
    sources = sorted(
        {s for p in group for s in p.sources}, key=lambda s: (s.path, s.line, s.listing_date or "")
    )
    links = sorted({u for p in group for u in p.links})
    return Paper(
        key=paper_key(values["arxiv_id"], values["doi"], first.title),
        title=first.title,
        links=tuple(links),
        sources=tuple(sources),
        **values,
    )


def _report_group(group: list[Paper], winner: Paper, report: Report) -> None:
    """One ``duplicate`` warning per extra record (naming both locations), plus ``conflicting-ids`` if the
    records were joined by title although their arXiv ids or DOIs differ."""
    counts = Counter(ident for p in group for ident in _identifiers(p))
    for extra in group[1:]:
        common = sorted(i for i in _identifiers(extra) if counts[i] > 1)
        shared = ", ".join("title" if c.startswith("title:") else c for c in common) or "a linked record"
        report.warn(
            "duplicate",
            f"same paper as {_loc(group[0])} (shared {shared}); merged into {winner.key}",
            _loc(extra),
        )
    for scheme in ("arxiv:", "doi:"):
        distinct = sorted(i for i in counts if i.startswith(scheme))
        if len(distinct) > 1:
            report.warn(
                "conflicting-ids",
                f"records merged by title carry different ids ({', '.join(distinct)}); kept {winner.key}",
                _loc(group[0]),
            )


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def dedupe(papers: Iterable[Paper], report: Report) -> list[Paper]:
    """Merge records of the same paper; return unique papers sorted by key; warn ``duplicate`` per extra one.

    >>> from kg.records import Source
    >>> r = Report()
    >>> a = Paper("arxiv-2101.00001", "X", arxiv_id="2101.00001", sources=(Source("a.txt", 1),))
    >>> b = Paper("title-1", "x", sources=(Source("b.txt", 3),))
    >>> [p.key for p in dedupe([b, a], r)], [i.kind for i in r.issues]
    (['arxiv-2101.00001'], ['duplicate'])
    """
    records = sorted(papers, key=_order)
    uf = _UnionFind(len(records))
    owner: dict[str, int] = {}
    for i, paper in enumerate(records):
        for ident in _identifiers(paper):
            if ident in owner:
                uf.union(owner[ident], i)
            else:
                owner[ident] = i
    groups: dict[int, list[Paper]] = {}
    for i, paper in enumerate(records):
        groups.setdefault(uf.find(i), []).append(paper)  # records are sorted, so each group is too
    merged = []
    for group in groups.values():
        winner = _merge(group)
        _report_group(group, winner, report)
        merged.append(winner)
    return sorted(merged, key=lambda p: p.key)
