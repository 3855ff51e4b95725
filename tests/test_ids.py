"""IRI minting: deterministic, readable where possible, always valid under pyoxigraph's strict RFC 3987."""

from __future__ import annotations

import pyoxigraph
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import KGError
from kg.ids import (
    DEFAULT_BASE,
    MAX_SEGMENT,
    check_base,
    check_iri,
    entity_iri,
    evaluation_iri,
    evidence_iri,
    merge_iri,
    paper_iri,
    safe_segment,
    source_iri,
)
from kg.records import EntityType
from kg.text import clean_text, short_hash

# Every code point, lone surrogates and controls included (Hypothesis leaves category Cs out by default).
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=200)
HOSTILE = " <>\"{}|\\^`\n\t\x00\r%/?#[]@!$&'()*+,;=:\u202e\ufeff"


def _valid(iri: str) -> bool:
    pyoxigraph.NamedNode(iri)
    return True


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("arxiv-2101.00001", "paper/arxiv-2101.00001"),
        ("title-0123456789abcdef", "paper/title-0123456789abcdef"),
        (
            "doi-10.1002/(SICI)1097-4636(199706)35:4<…>",
            "paper/doi-10.1002%2F%28SICI%291097-4636%28199706%2935%3A4%3C%E2%80%A6%3E",
        ),
    ],
)
def test_paper_iri(key: str, expected: str) -> None:
    iri = paper_iri(key)
    assert iri == DEFAULT_BASE + expected
    assert _valid(iri)


@pytest.mark.parametrize(
    ("type_", "key", "expected"),
    [
        (EntityType.MODEL, "gpt-4", "model/gpt-4"),
        (EntityType.TASK, "image classification", "task/image%20classification"),
        (EntityType.DATASET, "squad_v2.0", "dataset/squad_v2.0"),
        (EntityType.METRIC, "f1~macro", "metric/f1%7Emacro"),
        ("Method", "café", "method/caf%C3%A9"),
    ],
)
def test_entity_iri(type_: EntityType | str, key: str, expected: str) -> None:
    assert entity_iri(type_, key) == DEFAULT_BASE + expected


def test_entity_iri_rejects_unknown_type() -> None:
    with pytest.raises(ValueError):
        entity_iri("Gadget", "x")


def test_custom_base() -> None:
    assert paper_iri("arxiv-1", "https://example.org/kg#") == "https://example.org/kg#paper/arxiv-1"
    assert entity_iri(EntityType.MODEL, "bert", "http://example.org/") == "http://example.org/model/bert"


@pytest.mark.parametrize("ch", list(HOSTILE))
def test_hostile_character_is_percent_encoded(ch: str) -> None:
    seg = safe_segment(f"a{ch}b")
    assert seg == "a" + "".join(f"%{b:02X}" for b in ch.encode()) + "b"
    assert _valid(DEFAULT_BASE + "x/" + seg)


@pytest.mark.parametrize("text", ["", ".", "..", ".hidden", "x" * (MAX_SEGMENT + 1), "é" * 50])
def test_unusable_segments_are_hashed(text: str) -> None:
    seg = safe_segment(text)
    assert seg.endswith("-" + short_hash(text))
    assert not seg.startswith(".")
    assert 0 < len(seg) <= MAX_SEGMENT
    assert _valid(DEFAULT_BASE + "x/" + seg)


def test_shortening_keeps_a_readable_prefix_and_never_splits_an_escape() -> None:
    assert safe_segment("x" * 200).startswith("x" * 80 + "-")
    assert safe_segment(".hidden") == "hidden-" + short_hash(".hidden")
    for n in range(70, 90):  # the cut at 80 characters lands on every offset of a %XX triple
        seg = safe_segment("a" * n + "é" * 30)
        prefix = seg.rsplit("-", 1)[0]
        assert "%" not in prefix[-2:], seg


def test_segment_at_the_limit_is_kept() -> None:
    assert safe_segment("x" * MAX_SEGMENT) == "x" * MAX_SEGMENT


@pytest.mark.parametrize(
    "base",
    ["https://example.org/kg/", "http://example.org/", "https://example.org/kg#", "https://ex.org:8080/a/"],
)
def test_check_base_accepts(base: str) -> None:
    assert check_base(base) == base


@pytest.mark.parametrize(
    ("base", "why"),
    [
        ("example.org/kg/", "absolute"),
        ("ftp://example.org/kg/", "absolute"),
        ("", "absolute"),
        ("https:///kg/", "absolute"),
        ("https://example.org/kg", "must end with"),
        ("https://example.org/a b/", "not a valid IRI"),
        ("https://example.org/<x>/", "not a valid IRI"),
    ],
)
def test_check_base_rejects(base: str, why: str) -> None:
    with pytest.raises(KGError, match=why):
        check_base(base)


def test_check_iri() -> None:
    assert check_iri("https://example.org/a%20b") == "https://example.org/a%20b"
    for bad in ["https://example.org/a b", "https://example.org/a\nb", "relative/path", "https://e.org/{x}"]:
        with pytest.raises(ValueError, match="not a valid IRI"):
            check_iri(bad)


def test_content_iris_are_deterministic_and_distinguish_their_parts() -> None:
    a = evidence_iri("arxiv-1", "uses", "model:bert", "arxiv-1", 0, 4, "vocab")
    assert a == evidence_iri("arxiv-1", "uses", "model:bert", "arxiv-1", 0, 4, "vocab")
    assert a != evidence_iri("arxiv-1", "uses", "model:bert", "arxiv-1", 1, 4, "vocab")
    assert a != evidence_iri("arxiv-1", "uses", "model:bert", None, 0, 4, "vocab")
    assert a != evidence_iri("arxiv-1", "uses", "model:bert", "arxiv-1", 0, 4, "other")
    # Joining parts must be unambiguous: moving a separator-like character between parts changes the IRI.
    assert merge_iri("a,b", "c", "r", "p") != merge_iri("a", "b,c", "r", "p")
    assert evaluation_iri("p", "m", None, None, "1") != evaluation_iri("p", "m", "None", None, "1")
    assert source_iri("a/b.txt", 1) != source_iri("c/b.txt", 1)
    assert source_iri("a/b.txt", 1) != source_iri("a/b.txt", 2)


def test_source_iri_is_readable() -> None:
    assert source_iri("seeds/000.txt", 7).startswith(DEFAULT_BASE + "source/000.txt-")
    assert source_iri("C:\\data\\list.txt", 7).startswith(DEFAULT_BASE + "source/list.txt-")
    assert source_iri("seeds/000.txt", 7).endswith("-L7")


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_every_minted_iri_is_valid(text: str) -> None:
    cleaned, _ = clean_text(text)
    for key in (text, cleaned):
        iris = [
            paper_iri(key),
            *(entity_iri(t, key) for t in EntityType),
            evidence_iri(key, "uses", key, key, 0, 1, key),
            source_iri(key, 3),
            evaluation_iri(key, key, key, None, key, key),
            merge_iri(key, key, key, key),
        ]
        for iri in iris:
            assert _valid(iri), iri


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT, ANY_TEXT)
def test_distinct_keys_get_distinct_segments(a: str, b: str) -> None:
    if a != b:
        assert safe_segment(a) != safe_segment(b)


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_segment_is_one_clean_path_segment(text: str) -> None:
    seg = safe_segment(text)
    assert seg == safe_segment(text)
    assert seg and len(seg) <= MAX_SEGMENT and not seg.startswith(".")
    assert "/" not in seg and "#" not in seg and "?" not in seg
    assert seg.isascii()
