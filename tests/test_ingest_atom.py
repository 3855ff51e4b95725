"""arXiv Atom feeds: field mapping, streaming, and matrix row 15 (DTDs refused fast, nothing fetched)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import defusedxml.expatreader  # noqa: F401  (imported up front so the audit hook sees no module opens)
import pytest

from kg.errors import InputError
from kg.ingest.atom import parse_atom
from tests.conftest import read, write

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <title type="html">ArXiv Query: search_query=all:transformer</title>
  <id>http://arxiv.org/api/abc</id>
  <entry>
    <id>http://arxiv.org/abs/2101.00001v2</id>
    <published>2021-01-01T00:00:00Z</published>
    <title>A  Feed
      Paper</title>
    <summary>  We present a model.
Code at https://github.com/a/b.
    </summary>
    <author><name>Ann Lee</name></author>
    <author><name>Bo Chen</name><arxiv:affiliation>Uni</arxiv:affiliation></author>
    <arxiv:doi>10.1000/XYZ</arxiv:doi>
    <arxiv:journal_ref>NeurIPS 2021</arxiv:journal_ref>
    <link href="http://arxiv.org/abs/2101.00001v2" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/2101.00001v2" rel="related" type="application/pdf"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/hep-th/9901001v1</id>
    <title>Old Style Id</title>
    <summary>Abstract.</summary>
    <link title="doi" href="http://dx.doi.org/10.1000/old" rel="related"/>
  </entry>
  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id>
    <title>Error</title>
    <summary>incorrect id format for 1234</summary>
  </entry>
</feed>
"""


_EVENTS: list[tuple[str, tuple]] = []
_WATCHING: list[bool] = []


def _audit(event: str, args: tuple) -> None:
    if _WATCHING and (event in ("open", "urllib.Request") or event.startswith("socket.")):
        _EVENTS.append((event, args))


sys.addaudithook(_audit)  # audit hooks cannot be removed; it records only while a test is watching


def test_atom_fields(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.xml", FEED)
    (a, b), report = read(path)
    assert (a.key, a.arxiv_id, a.title, a.doi, a.venue, a.date) == (
        "arxiv-2101.00001",
        "2101.00001",
        "A Feed Paper",
        "10.1000/xyz",
        "NeurIPS 2021",
        "2021-01-01T00:00:00Z",
    )
    assert a.abstract == "We present a model. Code at https://github.com/a/b."
    assert a.authors == ("Ann Lee", "Bo Chen")
    assert a.url == "http://arxiv.org/abs/2101.00001v2"
    assert a.links == ("https://github.com/a/b",)
    assert a.sources[0].line == 5
    assert (b.key, b.doi, b.sources[0].line) == ("arxiv-hep-th/9901001", "10.1000/old", 20)
    assert [(i.kind, i.location) for i in report.issues] == [("atom-error-entry", f"{path.as_posix()}:26")]


def test_atom_is_streamed_in_chunks() -> None:
    """Entries are yielded as soon as their chunk is parsed, before the rest of the feed arrives."""
    data = FEED.encode()
    cut = data.index(b"<entry>", data.index(b"</entry>"))
    fed: list[int] = []

    def chunks():
        for part in (data[:cut], data[cut:]):
            fed.append(len(part))
            yield part

    items = parse_atom(chunks())
    first = next(items)
    assert first.fields["title"] == "A  Feed\n      Paper"
    assert len(fed) == 1
    rest = list(items)
    assert len(fed) == 2
    assert [type(r).__name__ for r in rest] == ["RawRecord", "Rejected"]
    assert [r.line for r in rest] == [20, 26]


def test_atom_chunked_byte_by_byte_equals_whole(tmp_path: Path) -> None:
    data = FEED.encode()
    whole = list(parse_atom([data]))
    assert list(parse_atom(data[i : i + 1] for i in range(len(data)))) == whole
    assert len(whole) == 3


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&lol9;</title></entry></feed>
"""


@pytest.mark.parametrize("ext", ["xml", "atom", "txt"])
@pytest.mark.parametrize(
    "doc",
    [
        BILLION_LAUGHS,
        '<?xml version="1.0"?>\n<!DOCTYPE feed SYSTEM "file:///etc/passwd">\n<feed/>',
        '<!DOCTYPE feed [<!ENTITY x SYSTEM "http://169.254.169.254/">]>\n<feed>&x;</feed>',
    ],
    ids=["billion-laughs", "external-dtd", "external-entity"],
)
def test_doctype_refused_fast(tmp_path: Path, doc: str, ext: str) -> None:
    """Row 15: "DTD not allowed" naming the file, in < 1 s, nothing else opened or fetched."""
    path = write(tmp_path, f"evil.{ext}", doc)
    _EVENTS.clear()
    _WATCHING.append(True)
    start = time.perf_counter()
    try:
        with pytest.raises(InputError, match=rf"evil\.{ext}:[12]:\d+: DTD not allowed") as err:
            read(path)
    finally:
        _WATCHING.clear()
    assert time.perf_counter() - start < 1.0
    assert "\n" not in str(err.value)
    opened = {str(args[0]) for event, args in _EVENTS if event == "open"}
    assert opened == {str(path)}
    assert [e for e, _ in _EVENTS if e != "open"] == []


def test_truncated_feed_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "t.xml", FEED[:400])
    with pytest.raises(InputError, match=r"t\.xml:\d+:\d+: malformed XML: (no element found|unclosed token)"):
        read(path)


def test_malformed_xml_reports_line_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path, "bad.xml", '<feed xmlns="http://www.w3.org/2005/Atom">\n<entry><title>x</entry></feed>'
    )
    with pytest.raises(InputError, match=r"bad\.xml:2:18: malformed XML: mismatched tag"):
        read(path)


@pytest.mark.parametrize(
    "content",
    [
        '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>none</title></feed>',
        "",
        " \n\n",
    ],
    ids=["no-entries", "empty", "whitespace"],
)
def test_feed_without_entries_warns_empty(tmp_path: Path, content: str) -> None:
    """Row 4."""
    path = write(tmp_path, "e.xml", content)
    papers, report = read(path)
    assert papers == []
    assert [(i.kind, i.message) for i in report.issues] == [("empty", f"0 papers in {path.as_posix()}")]
