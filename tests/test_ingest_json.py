"""JSON Lines and JSON arrays: field mapping, and matrix rows 3, 13 and 14."""

from __future__ import annotations

import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kg.errors import InputError
from tests.conftest import read, write

_EVENTS: list[tuple[str, tuple]] = []
_WATCHING: list[bool] = []


def _audit(event: str, args: tuple) -> None:
    if _WATCHING and (event.startswith("socket.") or event == "urllib.Request"):
        _EVENTS.append((event, args))


sys.addaudithook(_audit)  # audit hooks cannot be removed; it records only while a test is watching


def test_jsonl_fields_mapped(tmp_path: Path) -> None:
    line = (
        '{"id": "P1", "title": "  Deep\\n Nets ", "summary": "See https://github.com/x/y).", '
        '"authors": ["A. One", {"name": "B. Two"}], "doi": "https://doi.org/10.1000/ABC", '
        '"url": "https://example.org/p1", "date": "2020-01-02", "venue": "NeurIPS"}\n'
    )
    path = write(tmp_path, "a.jsonl", "\n" + line)
    (p,), report = read(path)
    assert (p.key, p.title, p.abstract, p.doi, p.arxiv_id) == (
        "doi-10.1000/abc",
        "Deep Nets",
        "See https://github.com/x/y).",
        "10.1000/abc",
        None,
    )
    assert (p.authors, p.url, p.date, p.venue, p.links) == (
        ("A. One", "B. Two"),
        "https://example.org/p1",
        "2020-01-02",
        "NeurIPS",
        ("https://github.com/x/y",),
    )
    assert (p.sources[0].path, p.sources[0].line) == (path.as_posix(), 2)
    assert report.issues == []


@pytest.mark.parametrize(
    ("record", "arxiv"),
    [
        ('{"title": "T", "arxiv_id": "2101.00001v2"}', "2101.00001"),
        ('{"title": "T", "id": "arXiv:2101.00001v1"}', "2101.00001"),
        ('{"title": "T", "url": "https://arxiv.org/pdf/2101.00001v3.pdf"}', "2101.00001"),
        ('{"title": "T", "doi": "10.48550/arXiv.2101.00001"}', "2101.00001"),
        ('{"title": "T", "id": "hep-th/9901001v2"}', "hep-th/9901001"),
        ('{"title": "T", "id": "P123"}', None),
    ],
)
def test_arxiv_id_recognised_in_any_id_field(tmp_path: Path, record: str, arxiv: str | None) -> None:
    (p,), _ = read(write(tmp_path, "a.jsonl", record))
    assert p.arxiv_id == arxiv
    assert p.key == (f"arxiv-{arxiv}" if arxiv else p.key)


def test_authors_as_string_and_invalid_doi_warned(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", '{"title": "T", "authors": "Ann Lee, Bo Chen", "doi": "not-a-doi"}')
    (p,), report = read(path)
    assert p.authors == ("Ann Lee", "Bo Chen")
    assert p.doi is None
    assert [(i.kind, i.location) for i in report.issues] == [("invalid-doi", f"{path.as_posix()}:1")]


@pytest.mark.parametrize(
    ("record", "kind", "field", "value"),
    [
        ('{"title": "T", "abstract": ["a", "b"]}', "bad-field", "abstract", ""),
        ('{"title": "T", "url": "javascript:alert(1)"}', "invalid-url", "url", None),
        ('{"title": "T", "doi": "10.1000/a\\u0000b"}', "invalid-doi", "doi", None),
        ('{"title": "T", "doi": "https://doi.org/10.1000/A<b>"}', None, "doi", "10.1000/a<b>"),
    ],
)
def test_odd_fields_reported(
    tmp_path: Path, record: str, kind: str | None, field: str, value: object
) -> None:
    (p,), report = read(write(tmp_path, "a.jsonl", record))
    assert getattr(p, field) == value
    assert [i.kind for i in report.issues] == ([kind] if kind else [])


def test_json_array_lines_per_element(tmp_path: Path) -> None:
    text = '[\n  {"title": "A", "abstract": "x"},\n\n  {"title": "B"}\n]\n'
    papers, _ = read(write(tmp_path, "a.json", "\ufeff" + text))
    assert [(p.title, p.sources[0].line) for p in papers] == [("A", 2), ("B", 4)]


def test_jsonl_in_a_txt_file_is_sniffed(tmp_path: Path) -> None:
    papers, _ = read(write(tmp_path, "a.txt", '{"title": "A"}\n{"title": "B"}\n'))
    assert [p.title for p in papers] == ["A", "B"]


def test_jsonl_in_a_json_file_is_sniffed(tmp_path: Path) -> None:
    papers, _ = read(write(tmp_path, "a.json", '{"title": "A"}\n{"title": "B"}\n'))
    assert [p.title for p in papers] == ["A", "B"]


def test_missing_title_skipped_with_location(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", '{"title": "A"}\n{"abstract": "no title"}\n{"title": "   "}\n')
    papers, report = read(path)
    assert [p.title for p in papers] == ["A"]
    assert [(i.kind, i.severity, i.location) for i in report.issues] == [
        ("no-title", "skipped", f"{path.as_posix()}:2"),
        ("no-title", "skipped", f"{path.as_posix()}:3"),
    ]
    assert report.counts == {"records_read": 3, "records_skipped": 2}


def test_lone_surrogate_and_nonchar_replaced(tmp_path: Path) -> None:
    """Row 3: a lone surrogate can only arrive through a JSON escape; it must not survive."""
    path = write(tmp_path, "s.jsonl", '{"title": "A\\ud800B\\ufffe", "abstract": "x\\u0000y\\u001bz\\tq"}\n')
    (p,), report = read(path)
    assert (p.title, p.abstract) == ("A\ufffdB\ufffd", "x\ufffdy\ufffdz\tq")
    assert sorted(i.message for i in report.issues) == [
        "abstract: 2 characters replaced by U+FFFD",
        "title: 2 characters replaced by U+FFFD",
    ]


DEEP = "[" * 100_000 + "]" * 100_000
ROW13 = [
    ("trailing-comma-array", "a.json", '[{"title": "A"},\n]', r"a\.json:2:1: trailing comma"),
    ("trailing-comma-object", "a.jsonl", '{"title": "A",}\n', r"a\.jsonl:1:15: trailing comma"),
    ("trailing-comma-object-in-array", "a.json", '[\n{"title": "A",}]', r"a\.json:2:15: trailing comma"),
    ("nan", "a.jsonl", '{"title": "A"}\n{"title": "B", "x": NaN}\n', r"a\.jsonl:2:21: NaN is not valid JSON"),
    ("infinity", "a.json", '[{"title": "A", "x": -Infinity}]', r"a\.json:1:22: -Infinity is not valid JSON"),
    (
        "nan-in-string-is-fine-but-dup-key",
        "a.jsonl",
        '{"title": "NaN", "title": "B"}',
        r"a\.jsonl:1:1: duplicate key 'title'",
    ),
    (
        "duplicate-key-array",
        "a.json",
        '[{"title": "A"},\n {"abstract": "x", "abstract": "y"}]',
        r"a\.json:2:2: duplicate key 'abstract'",
    ),
    (
        "top-level-object",
        "a.json",
        '{\n "title": "A"\n}',
        r"a\.json:1:1: the top-level JSON value is an object",
    ),
    ("top-level-string", "a.json", '"papers"', r"a\.json:1:1: the top-level JSON value is not an array"),
    ("element-not-object", "a.json", '[{"title": "A"}, 42]', r"a\.json:1:18: element \$\[1\] is a number"),
    ("jsonl-line-is-array", "a.jsonl", '{"title": "A"}\n["A"]\n', r"a\.jsonl:2:1: line is an array"),
    ("deep-array", "a.json", DEEP, r"a\.json:1:65: JSON nested deeper than 64 levels"),
    ("deep-jsonl", "a.jsonl", '{"title": "A", "x": ' + DEEP + "}", r"a\.jsonl:1:84: JSON nested deeper"),
    ("unterminated", "a.jsonl", '{"title": "A\n', r"a\.jsonl:1:13: unterminated string"),
    (
        "bad-escape",
        "a.jsonl",
        '{"title": "A\\q"}',
        r"a\.jsonl:1:13: Invalid \\escape \(fix the JSON syntax\)$",
    ),
    ("extra-data", "a.jsonl", '{"title": "A"} {"title": "B"}\n', r"a\.jsonl:1:16: extra data"),
    ("truncated-array", "a.json", '[{"title": "A"},', r"a\.json:1:17: file ends inside the array"),
]


@pytest.mark.parametrize(("name", "content", "pattern"), [r[1:] for r in ROW13], ids=[r[0] for r in ROW13])
def test_malformed_json_is_one_line_error_with_position(
    tmp_path: Path, name: str, content: str, pattern: str
) -> None:
    """Row 13: error with line/col; never a RecursionError; no papers from the file."""
    path = write(tmp_path, name, content)
    start = time.perf_counter()
    with pytest.raises(InputError, match=pattern) as err:
        read(path)
    assert "\n" not in str(err.value)
    assert time.perf_counter() - start < 2.0


def test_malformed_json_skipped_with_skip_bad_files(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", '{"title": "A"}\n{"title": NaN}\n')
    papers, report = read(path, skip_bad_files=True)
    assert papers == []
    assert [(i.kind, i.severity) for i in report.issues] == [("bad-file", "skipped")]
    assert report.counts == {"records_read": 0, "records_skipped": 0}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ld.json", '{"@context": "http://169.254.169.254/latest/meta-data/", "title": "T"}'),
        ("ld.jsonl", '{"@context": "file:///etc/passwd", "title": "T"}\n'),
        ("ld2.json", '[{"@context": {"@vocab": "http://127.0.0.1:9/"}, "title": "T"}]'),
    ],
)
def test_json_ld_context_refused_without_network(tmp_path: Path, name: str, content: str) -> None:
    """Row 14: refused with a clear message and zero network events."""
    path = write(tmp_path, name, content)
    _EVENTS.clear()
    _WATCHING.append(True)
    try:
        with pytest.raises(InputError, match="remote/file contexts are not allowed"):
            read(path)
    finally:
        _WATCHING.clear()
    assert _EVENTS == []


def test_audit_hook_would_see_network() -> None:
    """The row-14 check can fail: the hook does record a request."""
    _EVENTS.clear()
    _WATCHING.append(True)
    try:
        with pytest.raises(OSError):
            urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)
    finally:
        _WATCHING.clear()
    assert {e for e, _ in _EVENTS} >= {"urllib.Request", "socket.connect"}


@pytest.mark.parametrize("content", ["", "  \n", "[]", "[\n]\n"], ids=["empty", "blank", "array", "array-nl"])
def test_empty_json_warns(tmp_path: Path, content: str) -> None:
    path = write(tmp_path, "e.json", content)
    papers, report = read(path)
    assert papers == []
    assert [(i.kind, i.message) for i in report.issues] == [("empty", f"0 papers in {path.as_posix()}")]


def test_huge_abstract_in_jsonl(tmp_path: Path) -> None:
    abstract = "x" * 5_000_000
    (p,), _ = read(write(tmp_path, "big.jsonl", '{"title": "Big", "abstract": "' + abstract + '"}\n'))
    assert len(p.abstract) == 5_000_000
