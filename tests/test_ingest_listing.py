"""Listing (.txt) format, the seed corpus acceptance numbers, and matrix rows 1-6 (encoding, empty, sizes)."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import dedupe, iter_papers
from kg.ingest.listing import is_date, parse_listing
from kg.records import Report
from tests.conftest import read

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n"
ABSTRACT = "We study things. The results are good and we release code."


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def kinds(report: Report) -> list[str]:
    return [i.kind for i in report.issues]


def test_seeds_give_386_records_and_257_papers() -> None:
    report = Report()
    start = time.perf_counter()
    records = list(iter_papers([SEEDS], report))
    elapsed = time.perf_counter() - start
    papers = dedupe(records, report)
    assert len(records) == 386
    assert len(papers) == 257
    assert report.counts == {"records_read": 386, "records_skipped": 0}
    assert kinds(report).count("duplicate") == 386 - 257
    assert all(len(r.sources) == 1 for r in records)
    assert {r.sources[0].listing_date for r in records} == {"Mar 19", "Mar 11", "Mar 12", "Jul 31", "Aug 8"}
    assert sum(len(p.sources) for p in papers) == 386
    assert elapsed < 2.0


def test_seed_first_record_exact() -> None:
    first = next(iter_papers([SEEDS / "000_e30ead69c02cfd1f.txt"], Report()))
    assert first.title == "DecodingTrust: A Comprehensive Assessment of Trustworthiness in GPT Models"
    assert first.abstract.startswith("Generative Pre-trained Transformer (GPT) models have exhibited")
    assert first.links == ("https://decodingtrust.github.io/",)
    assert first.key.startswith("title-") and len(first.key) == len("title-") + 16
    src = first.sources[0]
    assert (src.path, src.line, src.listing_date) == (
        f"{SEEDS.as_posix()}/000_e30ead69c02cfd1f.txt",
        11,
        "Mar 19",
    )


def test_listing_dates_headers_and_lines(tmp_path: Path) -> None:
    text = (
        HEADER + f"Mar 19\n\nFirst Title\n\n{ABSTRACT}\n\nMarch 20, 2024\n\nSecond Title\n\nShort abstract.\n"
    )
    papers, report = read(write(tmp_path, "l.txt", text))
    assert [(p.title, p.abstract, p.sources[0].line, p.sources[0].listing_date) for p in papers] == [
        ("First Title", ABSTRACT, 11, "Mar 19"),
        ("Second Title", "Short abstract.", 17, "March 20, 2024"),
    ]
    assert report.issues == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mar 19", True),
        ("Mar 9", True),
        ("March 19", True),
        ("Mar 19, 2024", True),
        ("2024-03-19", True),
        ("Mar 19 papers", False),
        ("Marching Transformers", False),
        ("19 Mar", False),
    ],
)
def test_is_date(text: str, expected: bool) -> None:
    assert is_date(text) is expected


def test_title_without_abstract_orphan_abstract_and_truncated_file(tmp_path: Path) -> None:
    """Row 5: abstract-less papers kept, title-less record skipped with file:line; in = kept + skipped."""
    text = (
        "Lonely Title\n\n"  # line 1: followed by another title -> kept without abstract
        "Who Needs Abstracts? A Study\n\n"  # line 3
        f"{ABSTRACT}\n\n"  # line 5: belongs to line 3
        f"{ABSTRACT} Orphaned.\n\n"  # line 7: an abstract with no title -> skipped
        "Final Title At EOF\n"  # line 9: file ends mid-record
    )
    path = write(tmp_path, "r5.txt", text)
    papers, report = read(path)
    assert [(p.title, p.abstract, p.sources[0].line) for p in papers] == [
        ("Lonely Title", "", 1),
        ("Who Needs Abstracts? A Study", ABSTRACT, 3),
        ("Final Title At EOF", "", 9),
    ]
    skipped = [i for i in report.issues if i.severity == "skipped"]
    assert [(i.kind, i.location) for i in skipped] == [("no-title", f"{path.as_posix()}:7")]
    assert report.counts == {"records_read": 4, "records_skipped": 1}
    assert report.counts["records_read"] == len(papers) + report.counts["records_skipped"]


def test_multiline_paragraph_is_joined(tmp_path: Path) -> None:
    papers, _ = read(write(tmp_path, "w.txt", "A Title\n\nLine one of the\nabstract wraps.\n"))
    assert papers[0].abstract == "Line one of the abstract wraps."


@pytest.mark.parametrize(
    "content",
    [b"", b"   \n\n\t\n", HEADER.encode(), (HEADER + "Mar 19\n").encode(), b"\xef\xbb\xbf"],
    ids=["empty", "whitespace", "header-only", "header-and-date", "bom-only"],
)
def test_empty_inputs_warn_zero_papers(tmp_path: Path, content: bytes) -> None:
    """Row 4."""
    path = write(tmp_path, "e.txt", content)
    papers, report = read(path)
    assert papers == []
    assert [(i.kind, i.message) for i in report.issues] == [("empty", f"0 papers in {path.as_posix()}")]


def test_latin1_byte_is_an_error_with_line_and_column(tmp_path: Path) -> None:
    """Row 1: error names file, line, column and byte, and suggests --encoding."""
    path = write(tmp_path, "x.txt", b"Good Title\n\nAn abstract about caf\xe9 culture.\n")
    with pytest.raises(InputError) as err:
        read(path)
    assert str(err.value) == (
        f"{path.as_posix()}:3:22: byte 0xE9 is not valid utf-8 "
        "(re-run with --encoding latin-1, or --skip-bad-files)"
    )
    assert err.value.location == f"{path.as_posix()}:3:22"


def test_latin1_with_encoding_option(tmp_path: Path) -> None:
    papers, _ = read(write(tmp_path, "x.txt", b"Caf\xe9 Title\n\nAbstract.\n"), encoding="latin-1")
    assert papers[0].title == "Café Title"


def test_column_counts_characters_not_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, "x.txt", "Tïtlé \u2603 ".encode() + b"\xff\n")
    with pytest.raises(InputError, match=r"x\.txt:1:9: byte 0xFF"):
        read(path)


def test_skip_bad_files_skips_whole_file_with_sha256(tmp_path: Path) -> None:
    """Row 1 with --skip-bad-files: bad file skipped (with its sha256), the others are built."""
    good = write(tmp_path, "a_good.txt", "Good Title\n\nGood abstract.\n")
    content = b"Bad One\n\nFine abstract.\n\nBad Two\n\ncaf\xe9\n"
    bad = write(tmp_path, "b_bad.txt", content)
    report = Report()
    papers = list(iter_papers([good, bad], report, skip_bad_files=True))
    assert [p.title for p in papers] == ["Good Title"]
    (issue,) = report.issues
    assert (issue.kind, issue.severity, issue.location) == ("bad-file", "skipped", bad.as_posix())
    assert hashlib.sha256(content).hexdigest() in issue.message
    assert "byte 0xE9" in issue.message
    assert report.counts == {"records_read": 1, "records_skipped": 0}


def test_bom_is_stripped_and_output_identical(tmp_path: Path) -> None:
    """Row 2: the BOM file gives exactly the papers of the BOM-less file."""
    text = "Mar 19\n\nA Title\n\nAn abstract.\n"
    plain, r1 = read(write(tmp_path / "plain", "p.txt", text))
    bom, r2 = read(write(tmp_path / "bom", "p.txt", b"\xef\xbb\xbf" + text.encode()))
    strip = [(p.key, p.title, p.abstract, p.sources[0].line, p.sources[0].listing_date) for p in plain]
    assert strip == [(p.key, p.title, p.abstract, p.sources[0].line, p.sources[0].listing_date) for p in bom]
    assert strip[0][1:] == ("A Title", "An abstract.", 3, "Mar 19")
    assert r1.issues == r2.issues == []


def test_control_characters_replaced_and_counted(tmp_path: Path) -> None:
    """Row 3 (listing): NUL, ESC, VT, U+FFFE become U+FFFD, TAB kept, one warning per field with the count."""
    text = "Bad\x00Ti\x1btle\n\nAbs\x0btract\twith tab \ufffe end\x1b.\n"
    path = write(tmp_path, "c.txt", text)
    papers, report = read(path)
    assert papers[0].title == "Bad\ufffdTi\ufffdtle"
    assert papers[0].abstract == "Abs\ufffdtract\twith tab \ufffd end\ufffd."
    assert sorted((i.kind, i.message, i.location) for i in report.issues) == [
        ("replaced-characters", "abstract: 3 characters replaced by U+FFFD", f"{path.as_posix()}:1"),
        ("replaced-characters", "title: 2 characters replaced by U+FFFD", f"{path.as_posix()}:1"),
    ]


def test_five_million_character_abstract_kept_whole(tmp_path: Path) -> None:
    """Row 6: very long abstracts are not truncated at ingest."""
    abstract = ("word " * 1_000_000).strip() + "."
    papers, _ = read(write(tmp_path, "big.txt", f"Big Paper\n\n{abstract}\n"))
    assert len(papers[0].abstract) == len(abstract) == 4_999_999 + 1


def test_file_over_max_input_bytes_fails_before_reading(tmp_path: Path, monkeypatch) -> None:
    """Row 6: the size check happens before the file is opened."""
    path = write(tmp_path, "x.txt", "A Title\n\nAn abstract.\n")
    opened: list[Path] = []
    real_open = Path.open
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k))
    with pytest.raises(
        InputError, match=r"x\.txt: file is 22 bytes, over the limit of 10 \(raise --max-input-bytes"
    ):
        read(path, max_input_bytes=10)
    assert opened == []


def test_two_gigabyte_sparse_file_refused_by_default(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(2 << 30)  # sparse: no disk or memory used
    start = time.perf_counter()
    with pytest.raises(InputError, match="over the limit of 1073741824"):
        read(path)
    assert time.perf_counter() - start < 1.0


def test_unknown_encoding_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        read(write(tmp_path, "x.txt", "A\n"), encoding="klingon")


def test_utf16_input_with_encoding_option(tmp_path: Path) -> None:
    papers, _ = read(
        write(tmp_path, "u.txt", "Ünïcode Title\n\nAbstract.\n".encode("utf-16")), encoding="utf-16"
    )
    assert [(p.title, p.abstract) for p in papers] == [("Ünïcode Title", "Abstract.")]


def test_parse_listing_is_pure() -> None:
    items = list(parse_listing(enumerate(["Subscribe", "", "T", "", "A b. C d.", ""], 1)))
    assert [(i.line, dict(i.fields)) for i in items] == [(3, {"title": "T", "abstract": "A b. C d."})]
