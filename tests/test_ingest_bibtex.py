"""BibTeX input: field mapping, LaTeX clean-up, and matrix row 16 (bad entries skipped, the rest imported)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.ingest.bibtex import delatex, split_names
from tests.conftest import read, write

GOOD = r"""@string{nips = "Advances in Neural Information Processing Systems"}

@inproceedings{vaswani2017,
  title = {Attention Is All You {N}eed},
  abstract = {The dominant models. Code: https://github.com/tensorflow/tensor2tensor.},
  author = {Vaswani, Ashish and Shazeer, Noam and {Google Brain and Friends}},
  booktitle = nips,
  year = 2017,
  eprint = {1706.03762v5},
  archivePrefix = {arXiv},
}

@article{devlin2019,
  title = "{BERT}: Pre-training of Deep Bidirectional Transformers",
  abstract = "We introduce BERT. It improves 95\% of tasks by 7.7% absolute.",
  author = "Jacob Devlin and Ming-Wei Chang",
  journal = {NAACL},
  doi = {10.18653/V1/N19-1423},
}
"""


def test_bibtex_fields(tmp_path: Path) -> None:
    papers, report = read(write(tmp_path, "refs.bib", GOOD))
    assert report.issues == []
    a, b = papers
    assert (a.key, a.title, a.arxiv_id, a.date, a.sources[0].line) == (
        "arxiv-1706.03762",
        "Attention Is All You Need",
        "1706.03762",
        "2017",
        3,
    )
    assert a.venue == "Advances in Neural Information Processing Systems"  # @string macro resolved
    assert a.authors == ("Ashish Vaswani", "Noam Shazeer", "Google Brain and Friends")
    assert a.links == ("https://github.com/tensorflow/tensor2tensor",)
    assert (b.key, b.title, b.doi, b.venue) == (
        "doi-10.18653/v1/n19-1423",
        "BERT: Pre-training of Deep Bidirectional Transformers",
        "10.18653/v1/n19-1423",
        "NAACL",
    )
    assert b.abstract == "We introduce BERT. It improves 95% of tasks by 7.7% absolute."
    assert b.authors == ("Jacob Devlin", "Ming-Wei Chang")


def test_bad_entries_skipped_rest_imported(tmp_path: Path) -> None:
    """Row 16: unbalanced braces, unknown @type, duplicate key, duplicate field -> skipped with file:line."""
    text = GOOD + (
        "\n@article{devlin2019, title = {Duplicate key entry}}\n"  # line 21
        "@article{broken, title = {Unbalanced {braces}, abstract = {x}\n"  # line 22
        "@weird{w1, title = {Unknown type}}\n"  # line 23
        "@article{dupfield, title = {One}, title = {Two}}\n"  # line 24
        "@misc{ok3, title = {Still Imported}}\n"  # line 25
    )
    path = write(tmp_path, "bad.bib", text)
    papers, report = read(path)
    assert [p.title for p in papers] == [
        "Attention Is All You Need",
        "BERT: Pre-training of Deep Bidirectional Transformers",
        "Still Imported",
    ]
    loc = path.as_posix()
    assert [(i.kind, i.severity, i.location) for i in report.issues] == [
        ("bibtex-duplicate-key", "skipped", f"{loc}:21"),
        ("bibtex-bad-entry", "skipped", f"{loc}:22"),
        ("bibtex-unknown-type", "skipped", f"{loc}:23"),
        ("bibtex-bad-entry", "skipped", f"{loc}:24"),
    ]
    assert "Unexpected block start" in report.issues[1].message
    assert report.counts == {"records_read": 7, "records_skipped": 4}


def test_unbalanced_brace_at_end_of_file(tmp_path: Path) -> None:
    path = write(tmp_path, "eof.bib", "@misc{a, title = {Fine}}\n@misc{b, title = {Never closed\n")
    papers, report = read(path)
    assert [p.title for p in papers] == ["Fine"]
    assert [(i.kind, i.location) for i in report.issues] == [("bibtex-bad-entry", f"{path.as_posix()}:2")]


@pytest.mark.parametrize(
    "content", ["", "% only a comment\n", "@comment{nothing here}\n", '@string{x = "y"}\n']
)
def test_bib_without_entries_warns_empty(tmp_path: Path, content: str) -> None:
    path = write(tmp_path, "e.bib", content)
    papers, report = read(path)
    assert papers == []
    assert [(i.kind, i.message) for i in report.issues] == [("empty", f"0 papers in {path.as_posix()}")]


def test_bib_with_bom(tmp_path: Path) -> None:
    papers, _ = read(write(tmp_path, "b.bib", b"\xef\xbb\xbf" + GOOD.encode()))
    assert len(papers) == 2 and papers[0].sources[0].line == 3


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ("{BERT}", "BERT"),
        ("{{GPT}}-2", "GPT-2"),
        (r"Sch{\"o}lkopf", "Schölkopf"),
        (r"R\'enyi and 50\% and 10%", "Rényi and 50% and 10%"),
        ("plain", "plain"),
    ],
)
def test_delatex(latex: str, text: str) -> None:
    assert delatex(latex) == text


def test_split_names() -> None:
    assert split_names("Doe, Jr., John and AND Smith and {A and B}") == [
        "John Doe Jr.",
        "AND Smith",
        "A and B",
    ]
