"""Paper keys and dedup: matrix row 7, deterministic winners, and order independence (Hypothesis)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.ingest import dedupe, iter_papers, paper_key
from kg.records import Paper, Report, Source
from kg.text import short_hash, title_key

TITLE = "Café Transformers: Naïve Attention"


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("arxiv", "doi", "title", "key"),
    [
        ("2101.00001", "10.1/x", "T", "arxiv-2101.00001"),
        (None, "10.1000/ABC", "T", "doi-10.1000/abc"),
        (None, None, "Attention Is All You Need", f"title-{short_hash('attentionisallyouneed')}"),
    ],
)
def test_paper_key(arxiv: str | None, doi: str | None, title: str, key: str) -> None:
    assert paper_key(arxiv, doi, title) == key


def test_row7_same_paper_three_ways(tmp_path: Path) -> None:
    """arXiv v1 and v2, DOI in two cases, title NFD vs NFC: one paper, arxiv key, all 3 sources, warned."""
    nfd = unicodedata.normalize("NFD", TITLE)
    assert nfd != TITLE
    a = write(tmp_path, "a.jsonl", f'{{"title": "{TITLE}", "id": "2101.00001v1", "abstract": "First."}}\n')
    b = write(
        tmp_path,
        "b.jsonl",
        '{"title": "Other Title Spelling", "arxiv_id": "arXiv:2101.00001v2",'
        ' "doi": "10.1000/ABC", "venue": "ICML"}\n',
    )
    c = write(tmp_path, "c.csv", f"title,doi,url\n{nfd},10.1000/abc,https://example.org/c\n")
    report = Report()
    records = list(iter_papers([c, b, a], report))
    assert [r.key for r in records] == ["doi-10.1000/abc", "arxiv-2101.00001", "arxiv-2101.00001"]
    assert records[0].title == TITLE  # NFC after cleaning
    (paper,) = dedupe(records, report)
    assert paper.key == "arxiv-2101.00001"
    assert (paper.title, paper.abstract, paper.arxiv_id, paper.doi) == (
        TITLE,
        "First.",
        "2101.00001",
        "10.1000/abc",
    )
    assert (paper.venue, paper.url) == ("ICML", "https://example.org/c")  # gaps filled from later records
    assert [(s.path, s.line) for s in paper.sources] == [
        (a.as_posix(), 1),
        (b.as_posix(), 1),
        (c.as_posix(), 2),
    ]
    dups = [i for i in report.issues if i.kind == "duplicate"]
    assert [i.location for i in dups] == [f"{b.as_posix()}:1", f"{c.as_posix()}:2"]
    assert all(f"same paper as {a.as_posix()}:1" in i.message for i in dups)
    assert "arxiv:2101.00001" in dups[0].message and "doi:10.1000/abc" in dups[1].message


def test_title_only_record_links_through_doi_record() -> None:
    """Union-find: A(title T) ~ B(title T + DOI d) ~ C(DOI d, other title) are one paper."""
    a = Paper("title-1", "Shared Title", sources=(Source("a", 1),))
    b = Paper("doi-10.1/x", "shared title!", doi="10.1/x", sources=(Source("b", 1),))
    c = Paper("doi-10.1/x", "Completely Different", doi="10.1/x", abstract="C", sources=(Source("c", 1),))
    report = Report()
    (p,) = dedupe([c, b, a], report)
    assert (p.key, p.title, p.abstract, len(p.sources)) == ("doi-10.1/x", "Shared Title", "C", 3)
    assert len(report.issues) == 2


def test_distinct_papers_stay_apart_and_sorted() -> None:
    papers = [
        Paper("title-x", "Zeta", sources=(Source("a", 2),)),
        Paper("arxiv-2101.00002", "Alpha", arxiv_id="2101.00002", sources=(Source("a", 1),)),
        Paper("title-y", "???", sources=(Source("a", 3),)),
        Paper("title-z", "!!!", sources=(Source("a", 4),)),  # punctuation-only titles do not link
    ]
    report = Report()
    out = dedupe(papers, report)
    assert [p.title for p in out] == ["Alpha"] + sorted(
        ["Zeta", "???", "!!!"], key=lambda t: paper_key(None, None, t)
    )
    assert report.issues == []


def test_same_title_different_arxiv_ids_merged_with_conflict_warning() -> None:
    a = Paper("arxiv-2101.00001", "Same Title", arxiv_id="2101.00001", sources=(Source("a", 2),))
    b = Paper("arxiv-2101.00002", "Same Title", arxiv_id="2101.00002", sources=(Source("a", 1),))
    report = Report()
    (p,) = dedupe([a, b], report)
    assert p.key == "arxiv-2101.00002"  # the first record by source location wins, not the smaller id
    assert [(i.kind, i.location) for i in report.issues] == [("duplicate", "a:2"), ("conflicting-ids", "a:1")]
    assert "arxiv:2101.00001, arxiv:2101.00002" in report.issues[1].message


def test_links_are_unioned() -> None:
    a = Paper("title-1", "T", links=("https://b.org",), sources=(Source("a", 1),))
    b = Paper("title-1", "T", links=("https://a.org", "https://b.org"), sources=(Source("b", 1),))
    (p,) = dedupe([a, b], Report())
    assert p.links == ("https://a.org", "https://b.org")


# --- properties -------------------------------------------------------------------------------------------

TITLES = [
    "Attention Is All You Need",
    "attention is all you need!",
    "Café",
    unicodedata.normalize("NFD", "Café"),
    "BERT",
    "GPT-4 Report",
]


@st.composite
def paper_lists(draw: st.DrawFn) -> list[Paper]:
    n = draw(st.integers(min_value=0, max_value=12))
    out = []
    for i in range(n):
        title = draw(st.sampled_from(TITLES))
        arxiv = draw(st.sampled_from([None, None, "2101.00001", "2101.00002"]))
        doi = draw(st.sampled_from([None, None, "10.1/a", "10.1/b"]))
        abstract = draw(st.sampled_from(["", "x", "y"]))
        out.append(
            Paper(
                paper_key(arxiv, doi, title),
                title,
                abstract=abstract,
                arxiv_id=arxiv,
                doi=doi,
                links=tuple(draw(st.sets(st.sampled_from(["https://a.org", "https://b.org"])))),
                sources=(Source(f"f{i % 3}.txt", i),),
            )
        )
    return out


@settings(max_examples=200, deadline=None)
@given(papers=paper_lists(), data=st.data())
def test_dedupe_is_independent_of_input_order(papers: list[Paper], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(papers))
    r1, r2 = Report(), Report()
    out1, out2 = dedupe(papers, r1), dedupe(shuffled, r2)
    assert out1 == out2
    assert sorted(map(str, r1.issues)) == sorted(map(str, r2.issues))
    assert sum(len(p.sources) for p in out1) == len(papers)
    assert sum(i.kind == "duplicate" for i in r1.issues) == len(papers) - len(out1)
    assert len({p.key for p in out1}) == len(out1)


@given(st.text(max_size=40))
def test_title_key_ignores_normal_form_and_case(title: str) -> None:
    for form in ("NFC", "NFD"):
        assert title_key(unicodedata.normalize(form, title)) == title_key(
            unicodedata.normalize("NFKC", title)
        )
    assert title_key(title_key(title)) == title_key(title)
