"""Input discovery, format detection, links, the public API shape, and the modules' docstring examples."""

from __future__ import annotations

import doctest
import importlib
import inspect
from dataclasses import replace
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import detect_format, find_inputs, iter_papers
from kg.ingest.detect import sniff
from kg.ingest.links import find_links
from kg.records import Report

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def test_find_inputs_expands_directories_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for name in ["b.txt", "a.jsonl", "sub/c.bib", "sub/notes.md", ".hidden.txt", ".git/d.txt", "z.XML"]:
        write(tmp_path, name, "x")
    extra = write(tmp_path / "elsewhere", "explicit.md", "x")
    found = find_inputs([tmp_path, extra, tmp_path / "b.txt"])
    rel = [p.relative_to(tmp_path).as_posix() for p in found]
    assert rel == ["a.jsonl", "b.txt", "sub/c.bib", "z.XML", "elsewhere/explicit.md"]


def test_missing_input_is_a_clean_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(InputError) as err:
        list(iter_papers([missing], Report()))
    assert str(err.value) == f"{missing}: no such file or directory (check the path)"


def test_directory_without_supported_files_warns(tmp_path: Path) -> None:
    write(tmp_path, "d/readme.md", "x")
    report = Report()
    assert list(iter_papers([tmp_path / "d"], report)) == []
    assert [i.kind for i in report.issues] == ["no-inputs"]
    assert report.counts == {"records_read": 0, "records_skipped": 0}


def test_skip_bad_files_also_covers_oversized_files(tmp_path: Path) -> None:
    good = write(tmp_path, "a.txt", "T\n\nA.\n")
    big = write(tmp_path, "b.txt", "T2\n\n" + "x" * 100 + ".\n")
    report = Report()
    papers = list(iter_papers([good, big], report, skip_bad_files=True, max_input_bytes=50))
    assert [p.title for p in papers] == ["T"]
    assert [(i.kind, i.location) for i in report.issues] == [("bad-file", big.as_posix())]
    assert "over the limit of 50" in report.issues[0].message


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [
        ("a.txt", "new\n\nTitle\n", "listing"),
        ("a.txt", '{"title": "x"}\n', "jsonl"),
        ("a.txt", '[{"title": "x"}]', "json"),
        ("a.txt", "[Re] A Reproduction Study\n\nAbstract.\n", "listing"),
        ("a.txt", "<img src=x onerror=alert(1)> see href\n\nAbstract.\n", "listing"),
        ("a.txt", "% refs\n@article{k, title={x}}\n", "bibtex"),
        ("a.txt", "<?xml version='1.0'?><feed/>", "atom"),
        ("a.txt", "Title,Abstract\nx,y\n", "csv"),
        ("a.json", '{"title": "x"}', "json"),
        ("a.json", '{"title": "x"}\n{"title": "y"}\n', "jsonl"),
        ("a.json", "", "json"),
        ("a.ndjson", "", "jsonl"),
        ("a.tsv", "", "csv"),
        ("a.atom", "", "atom"),
        ("a.BIB", "", "bibtex"),
        ("a.md", "Title\n\nAbstract.\n", "listing"),
    ],
)
def test_detect_format(tmp_path: Path, name: str, content: str, fmt: str) -> None:
    assert detect_format(write(tmp_path, name, content)).name == fmt


def test_sniff_ignores_bom_handled_by_caller() -> None:
    assert sniff(b"  \n[\n {") == "json"
    assert sniff(b"Title only") is None


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("Code: https://github.com/a/b.", ("https://github.com/a/b",)),
        ("(see https://x.org/a_(b)) and http://y.org/p?q=1,", ("http://y.org/p?q=1", "https://x.org/a_(b)")),
        ("at https://a.org/x), https://a.org/x; https://a.org/x", ("https://a.org/x",)),
        ("no links, just http:// and https", ()),
        ("<https://z.org/page>", ("https://z.org/page",)),
    ],
)
def test_find_links(text: str, links: tuple[str, ...]) -> None:
    assert find_links(text) == links


def test_links_stay_in_abstract(tmp_path: Path) -> None:
    (p,) = iter_papers([write(tmp_path, "l.txt", "T\n\nCode at https://github.com/x/y.\n")], Report())
    assert p.abstract == "Code at https://github.com/x/y."
    assert p.links == ("https://github.com/x/y",)


def test_public_api_signatures() -> None:
    sig = inspect.signature(iter_papers)
    assert list(sig.parameters) == ["inputs", "report", "encoding", "skip_bad_files", "max_input_bytes"]
    assert sig.parameters["max_input_bytes"].default == 1 << 30
    assert sig.parameters["encoding"].kind is inspect.Parameter.KEYWORD_ONLY


def test_mixed_inputs_stream_in_order(tmp_path: Path) -> None:
    files = [
        write(tmp_path, "1.txt", "Listing Paper\n\nAbstract.\n"),
        write(tmp_path, "2.jsonl", '{"title": "Json Paper"}\n'),
        write(tmp_path, "3.csv", "title\nCsv Paper\n"),
        write(tmp_path, "4.bib", "@misc{k, title={Bib Paper}}\n"),
        write(
            tmp_path,
            "5.xml",
            '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Atom Paper</title></entry></feed>',
        ),
    ]
    report = Report()
    assert [p.title for p in iter_papers([tmp_path], report)] == [
        "Listing Paper",
        "Json Paper",
        "Csv Paper",
        "Bib Paper",
        "Atom Paper",
    ]
    assert [p.sources[0].path for p in iter_papers(files, Report())] == [f.as_posix() for f in files]
    assert report.counts == {"records_read": 5, "records_skipped": 0}


BOM_CASES = {
    "a.txt": "Mar 19\n\nTitle One\n\nAbstract one.\n",
    "a.jsonl": '{"title": "Title One", "abstract": "Abstract one."}\n',
    "a.json": '[{"title": "Title One", "abstract": "Abstract one."}]',
    "a.csv": "title,abstract\nTitle One,Abstract one.\n",
    "a.bib": "@misc{k, title = {Title One}, abstract = {Abstract one.}}\n",
    "a.xml": '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Title One</title>'
    "<summary>Abstract one.</summary></entry></feed>",
}


@pytest.mark.parametrize("name", sorted(BOM_CASES))
def test_bom_gives_identical_papers_in_every_format(tmp_path: Path, name: str) -> None:
    """Row 2: a UTF-8 BOM is stripped silently; the records equal those of the BOM-less file."""
    plain = write(tmp_path / "plain", name, BOM_CASES[name])
    bom = write(tmp_path / "bom", name, b"\xef\xbb\xbf" + BOM_CASES[name].encode())
    r1, r2 = Report(), Report()
    p1 = [replace(p, sources=()) for p in iter_papers([plain], r1)]
    p2 = [replace(p, sources=()) for p in iter_papers([bom], r2)]
    assert p1 == p2
    assert [(p.title, p.abstract) for p in p1] == [("Title One", "Abstract one.")]
    assert r1.issues == r2.issues == []


MODULES = [
    "__init__",
    "atom",
    "base",
    "bibtex",
    "csvfile",
    "dedup",
    "detect",
    "ids",
    "jsonfile",
    "links",
    "listing",
    "papers",
    "reader",
    "textio",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # examples read ./seeds
    module = importlib.import_module("kg.ingest" if name == "__init__" else f"kg.ingest.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0, "every ingest module shows a runnable example"
