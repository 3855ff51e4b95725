"""Curated vocabularies: the loader validates, the build script is deterministic, the data is clean."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import KGError
from kg.records import EntityType
from kg.vocab import (
    FILES,
    HIERARCHY_FILE,
    VOCAB_DIR,
    Term,
    _load,
    load_terms,
    needs_exact_case,
    parse_terms,
    task_hierarchy,
)

ROOT = Path(__file__).resolve().parents[1]
RAW = Path(__file__).resolve().parents[2] / "shared" / "vocab"
SCRIPT = ROOT / "scripts" / "build_vocab.py"


def _build_module():
    spec = importlib.util.spec_from_file_location("build_vocab", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_vocab"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def terms() -> tuple[Term, ...]:
    return load_terms()


@pytest.fixture(scope="module")
def by_name(terms) -> dict[tuple[str, EntityType], Term]:
    return {(t.name, t.type): t for t in terms}


@pytest.fixture
def vocab_copy(tmp_path: Path) -> Path:
    for fname, _, _ in FILES:
        shutil.copy(VOCAB_DIR / fname, tmp_path / fname)
    shutil.copy(VOCAB_DIR / HIERARCHY_FILE, tmp_path / HIERARCHY_FILE)
    return tmp_path


# ------------------------------------------------------------------------------------------------ loader


@pytest.mark.parametrize(
    ("fname", "bad_line", "message"),
    [
        ("methods.tsv", "dropout\tDropOut", "columns"),
        ("methods.tsv", "dropout\t\t\textra", "columns"),
        ("metrics.tsv", "\tacc\t", "name is empty"),
        ("metrics.tsv", " accuracy2\t\t", "surrounding spaces"),
        ("datasets.tsv", "FooBench\t\t\tcs,shouty", "unknown flag"),
        ("models.tsv", "FooLM\t\tFooCorp\t12/03/2023\t\t\t", "ISO date"),
        ("models.tsv", "FooLM\t\tFooCorp\t2023-03-12\t7B\t\t", "plain number"),
        ("tasks.tsv", None, "already listed on line 2"),
    ],
)
def test_bad_row_names_file_and_line(
    vocab_copy: Path, fname: str, bad_line: str | None, message: str
) -> None:
    path = vocab_copy / fname
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, bad_line if bad_line is not None else lines[1])  # becomes line 4 of the file
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(KGError, match=message) as err:
        load_terms(vocab_copy)
    assert f"{fname}:4" in str(err.value)


def test_bad_header_is_reported(vocab_copy: Path) -> None:
    path = vocab_copy / "metrics.tsv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name\taliases\tflags", "name\talias\tflags", 1), encoding="utf-8")
    with pytest.raises(KGError, match=r"metrics\.tsv:1"):
        load_terms(vocab_copy)


def test_missing_file_is_reported(vocab_copy: Path) -> None:
    (vocab_copy / "tasks.tsv").unlink()
    with pytest.raises(KGError, match="build_vocab"):
        load_terms(vocab_copy)


def test_hierarchy_validates(vocab_copy: Path) -> None:
    path = vocab_copy / HIERARCHY_FILE
    path.write_text("child\tparent\nimage classification\n", encoding="utf-8")
    with pytest.raises(KGError, match=r"task_hierarchy\.tsv:2"):
        task_hierarchy(vocab_copy)


def test_default_load_is_cached_and_fast() -> None:
    assert load_terms() is load_terms()
    start = time.perf_counter()
    _load(VOCAB_DIR)
    task_hierarchy(VOCAB_DIR)
    assert time.perf_counter() - start < 0.5


def test_attrs_and_flags_become_fields(by_name) -> None:
    gpt4 = by_name["GPT-4", EntityType.MODEL]
    attrs = dict(gpt4.attrs)
    assert attrs["organization"] == "OpenAI"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", attrs["date"])
    llama = by_name["Llama 2-7B", EntityType.MODEL]
    assert ("base_model", "Llama 2") in llama.attrs
    assert ("parent", "question answering") in by_name[
        "open-domain question answering", EntityType.TASK
    ].attrs
    assert ("task", "image classification") in by_name["ImageNet", EntityType.DATASET].attrs
    assert by_name["CLIP", EntityType.MODEL].case_sensitive


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("RAG", True),
        ("LoRA", True),
        ("GPT-4o", True),
        ("retrieval-augmented generation", False),
        ("Llama 2", False),
    ],
)
def test_needs_exact_case(form: str, expected: bool) -> None:
    term = Term("x", EntityType.METHOD)
    assert needs_exact_case(form, term) is expected
    assert needs_exact_case(form, Term("x", EntityType.METHOD, case_sensitive=True))


# ------------------------------------------------------------------------------------------------ content


@pytest.mark.parametrize(
    ("name", "etype"),
    [
        ("GPT-4", EntityType.MODEL),
        ("BERT", EntityType.MODEL),
        ("Llama 3.1-8B", EntityType.MODEL),
        ("ImageNet", EntityType.DATASET),
        ("MMLU", EntityType.DATASET),
        ("GSM8K", EntityType.DATASET),
        ("BLEU", EntityType.METRIC),
        ("F1 score", EntityType.METRIC),
        ("image classification", EntityType.TASK),
        ("machine translation", EntityType.TASK),
        ("low-rank adaptation", EntityType.METHOD),
        ("transformer", EntityType.METHOD),
    ],
)
def test_known_terms_have_the_right_type(by_name, name: str, etype: EntityType) -> None:
    assert (name, etype) in by_name


@pytest.mark.parametrize(
    ("form", "etype"),
    [
        ("LoRA", EntityType.METHOD),
        ("RAG", EntityType.METHOD),
        ("GPT4", EntityType.MODEL),
        ("FID", EntityType.METRIC),
    ],
)
def test_common_aliases_resolve(terms, form: str, etype: EntityType) -> None:
    assert any(form in t.aliases and t.type is etype for t in terms)


@pytest.mark.parametrize(
    "name",
    ["large language model", "deep learning", "machine learning", "neural network", "foundation model",
     "generative model", "pre-trained model", "vision-language model", "artificial intelligence"],
)  # fmt: skip
def test_umbrella_terms_are_generic_methods(by_name, name: str) -> None:
    term = by_name[name, EntityType.METHOD]
    assert term.generic


def test_specific_terms_are_not_generic(by_name) -> None:
    assert not by_name["GPT-4", EntityType.MODEL].generic
    assert not by_name["transformer", EntityType.METHOD].generic


def test_no_duplicate_names_per_type(terms) -> None:
    seen: set[tuple[EntityType, str]] = set()
    for t in terms:
        assert (t.type, t.name) not in seen, t
        seen.add((t.type, t.name))


SQLISH = re.compile(
    r"(--|;|=|<|>|\bselect\b.*\bfrom\b|\bunion\b\s+select|\bor\s+1\b|%27|waitfor|sleep\()", re.I
)
PROSE = {"attention", "memory", "reasoning", "go", "human", "image", "text", "custom", "multiple", "other"}


def test_strings_are_clean(terms) -> None:
    for t in terms:
        for s in (*t.forms, *(v for _, v in t.attrs)):
            assert s == s.strip() and s, t
            assert unicodedata.normalize("NFC", s) == s, s
            assert not any(unicodedata.category(c).startswith("C") for c in s), s
            assert not SQLISH.search(s), s
        assert t.name.casefold() not in PROSE, t
        assert len(t.name) >= 2, t


def test_hierarchy_links_known_tasks_without_cycles(terms) -> None:
    tasks = {t.name for t in terms if t.type is EntityType.TASK}
    links = task_hierarchy()
    assert links
    for child, parent in links.items():
        assert child in tasks and parent in tasks
        seen = {child}
        node = parent
        while node in links:
            assert node not in seen, f"cycle through {node}"
            seen.add(node)
            node = links[node]


def test_sizes_are_sensible(terms) -> None:
    counts = {kind: sum(t.type is kind for t in terms) for kind in EntityType}
    assert 800 <= counts[EntityType.MODEL] <= 3000
    assert 200 <= counts[EntityType.METHOD] <= 1000
    assert 1000 <= counts[EntityType.DATASET] <= 5000
    assert 1500 <= counts[EntityType.TASK] <= 3500
    assert 80 <= counts[EntityType.METRIC] <= 500


# --------------------------------------------------------------------------------------------- build script


@pytest.mark.slow
@pytest.mark.skipif(not RAW.is_dir(), reason="raw vocabularies (shared/vocab) not available")
def test_build_is_deterministic_and_matches_committed_files(tmp_path: Path) -> None:
    build = _build_module()
    first, second = tmp_path / "a", tmp_path / "b"
    assert build.main([str(RAW), "--out", str(first)]) == 0
    assert build.main([str(RAW), "--out", str(second)]) == 0
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted([f for f, _, _ in FILES] + [HIERARCHY_FILE])
    for name in names:
        data = (first / name).read_bytes()
        assert data == (second / name).read_bytes(), name
        assert b"\r" not in data and data.endswith(b"\n")
        data.decode("utf-8")
        assert data == (VOCAB_DIR / name).read_bytes(), f"{name} is stale: run scripts/build_vocab.py"
    load_terms(first)


def test_build_rejects_a_folder_without_raw_data(tmp_path: Path, capsys) -> None:
    build = _build_module()
    assert build.main([str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    assert "pwc/" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("GPT-4 (Mar 2023)", "GPT-4"),
        ("CLIP (ViT L/14@336px)", "CLIP"),
        ("PaLM (540B)", "PaLM"),
        ("AWD-LSTM + MoS + Partial Shuffled", None),
        ("Decision tree adaline", None),
        ("Cosmos-1.0-\nDiffusion-14B Video2World", None),
    ],
)
def test_model_name_cleaning(raw: str, expected: str | None) -> None:
    got = _build_module().clean_model_name(raw)
    assert (got[0] if got else None) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Named Entity Recognition (NER)", ("named entity recognition", ["NER"])),
        ("Common Sense Reasoning (Few-Shot)", ("common sense reasoning", [])),
        ("Translation spa-eng", None),
        ("High School Psychology", None),
        ("3D Object Detection", ("3D object detection", [])),
    ],
)
def test_task_name_cleaning(raw: str, expected) -> None:
    assert _build_module().clean_task_name(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "01/01/1967' AND 2*3*8=6*8 AND 'AncJ'='AncJ",
        "Custom",
        "GTAV to Cityscapes",
        "Kinetics-600 48 frames, 64x64",
    ],
)
def test_dataset_junk_is_dropped(raw: str) -> None:
    assert _build_module().clean_dataset_name(raw) is None


_name = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\t|,"), min_size=1
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(_name, st.lists(_name, max_size=3)), min_size=1, max_size=5, unique_by=lambda r: r[0])
)
def test_generated_tsv_parses_back(rows) -> None:
    build = _build_module()
    rows = [(n.strip(), [a.strip() for a in al if a.strip()]) for n, al in rows if n.strip()]
    if len({n for n, _ in rows}) != len(rows):
        return
    built = [build.Row("method", n, aliases=al) for n, al in rows]
    lines = list(build.generate_tsv("method", built))
    parsed = list(parse_terms(lines, EntityType.METHOD, ("name", "aliases", "flags"), "mem"))
    assert [(t.name, list(t.aliases)) for t in parsed] == [(n, al) for n, al in rows]
