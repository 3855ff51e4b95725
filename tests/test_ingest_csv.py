"""CSV / TSV input: header mapping, delimiters, multi-line cells, bad rows and headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError
from tests.conftest import read, write


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.csv", 'Title,Summary,DOI\nFirst,"a, b",10.1000/X\n"Sec\nond",c,\n'),
        ("a.tsv", 'TITLE\tabstract\tdoi\nFirst\ta, b\t10.1000/X\n"Sec\nond"\tc\t\n'),
        ("a.csv", 'title;abstract;doi\r\nFirst;a, b;10.1000/X\r\n"Sec\r\nond";c;\r\n'),
        ("a.txt", 'title,abstract,doi\nFirst,"a, b",10.1000/X\n"Sec\nond",c,\n'),
    ],
    ids=["csv", "tsv", "semicolon-crlf", "csv-in-txt"],
)
def test_csv_variants(tmp_path: Path, name: str, content: str) -> None:
    papers, report = read(write(tmp_path, name, content))
    assert [(p.title, p.abstract, p.doi, p.sources[0].line) for p in papers] == [
        ("First", "a, b", "10.1000/x", 2),
        ("Sec ond", "c", None, 3),
    ]
    assert report.issues == []


def test_csv_bom_header_and_blank_lines(tmp_path: Path) -> None:
    """Row 2: a BOM must not turn the first column into '\\ufefftitle'."""
    papers, _ = read(write(tmp_path, "b.csv", b"\xef\xbb\xbftitle,abstract\n\nA,x\n\nB,y\n"))
    assert [(p.title, p.sources[0].line) for p in papers] == [("A", 3), ("B", 5)]


def test_csv_row_with_too_many_cells_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", "title,abstract\nA,x\nB,y,extra\nC,z\n")
    papers, report = read(path)
    assert [p.title for p in papers] == ["A", "C"]
    assert [(i.kind, i.severity, i.location) for i in report.issues] == [
        ("bad-row", "skipped", f"{path.as_posix()}:3")
    ]
    assert report.counts == {"records_read": 3, "records_skipped": 1}


def test_csv_short_row_and_missing_title(tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", "abstract,title\nonly abstract\nx,T\n")
    papers, report = read(path)
    assert [(p.title, p.abstract) for p in papers] == [("T", "x")]
    assert [(i.kind, i.location) for i in report.issues] == [("no-title", f"{path.as_posix()}:2")]


@pytest.mark.parametrize(
    ("content", "pattern"),
    [
        ("name,abstract\nA,x\n", r"c\.csv:1:1: no 'title' column in the header \(found: name, abstract\)"),
        ("title,Title\nA,B\n", r"c\.csv:1:1: duplicate column 'title'"),
        ('title,abstract\n"A"x,y\n', r"c\.csv:2:1: malformed CSV"),
    ],
)
def test_csv_bad_header_or_quoting(tmp_path: Path, content: str, pattern: str) -> None:
    with pytest.raises(InputError, match=pattern):
        read(write(tmp_path, "c.csv", content))


@pytest.mark.parametrize("content", ["", "\n\n", "title,abstract\n", "title\tabstract\n\n"])
def test_header_only_csv_warns_empty(tmp_path: Path, content: str) -> None:
    """Row 4."""
    path = write(tmp_path, "h.csv", content)
    papers, report = read(path)
    assert papers == []
    assert [(i.kind, i.message) for i in report.issues] == [("empty", f"0 papers in {path.as_posix()}")]


def test_csv_huge_cell_over_default_field_limit(tmp_path: Path) -> None:
    """Row 6: csv's default 128 KiB field limit must not reject long abstracts."""
    abstract = "y" * 1_000_000
    (p,), _ = read(write(tmp_path, "big.csv", f"title,abstract\nBig,{abstract}\n"))
    assert len(p.abstract) == 1_000_000


def test_csv_control_characters(tmp_path: Path) -> None:
    """Row 3 via CSV: NUL inside a cell survives the csv module and is then replaced."""
    (p,), report = read(write(tmp_path, "n.csv", "title,abstract\nA\x00B,x\n"))
    assert p.title == "A\ufffdB"
    assert [i.message for i in report.issues] == ["title: 1 characters replaced by U+FFFD"]
