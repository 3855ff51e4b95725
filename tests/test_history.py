"""Build history and "what is new": two successive builds into one folder, byte-identical re-runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.assemble.history import HISTORY_FILE, History, keys_digest, load_history
from kg.errors import KGError

FIRST = [
    {"id": "2101.00001", "title": "BERT for GLUE", "abstract": "We fine-tune BERT on the GLUE benchmark."},
    {"id": "2101.00002", "title": "ResNet on ImageNet", "abstract": "We train ResNet-50 on ImageNet."},
]
ADDED = [
    {"id": "2101.00003", "title": "Mamba for long sequences",
     "abstract": "We propose Mamba, a state space model, and evaluate it on the Long Range Arena benchmark."},
]  # fmt: skip


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def new_items(out: Path) -> list[tuple[str, str, str]]:
    from kg.query import execute, library, open_store
    from kg.query.named import bind

    q = library()["new-since-last-build"]
    store = open_store(out / "graph.ttl", cache=False)
    rows = execute(store, bind(q, {}, store, limit=q.limit), limit=q.limit).rows
    return [(r[0].value, r[1].value, r[2].value) for r in rows]


def test_history_numbers_builds_only_when_the_key_sets_change() -> None:
    h = History()
    assert h.current == 0
    assert h.advance(["b", "a"], ["model:x"]) == 1
    assert h.advance(["a", "b"], ["model:x"]) == 1  # same sets, other order: same build
    assert h.advance(["a"], ["model:x"]) == 2  # a paper left: a new build, nothing new in it
    assert h.builds[-1]["new_papers"] == 0 and h.papers == {"a": 1, "b": 1}
    assert h.advance(["a", "b", "c"], ["model:x", "task:y"]) == 3  # b is back: not new
    assert h.papers == {"a": 1, "b": 1, "c": 3} and h.entities == {"model:x": 1, "task:y": 3}
    assert keys_digest(["a", "b"], []) == keys_digest(["b", "a", "a"], [])


def test_history_round_trips_and_damage_is_an_error(tmp_path: Path) -> None:
    h = History()
    h.advance(["p"], ["model:m"])
    (tmp_path / HISTORY_FILE).write_bytes(h.dumps())
    back = load_history(tmp_path)
    assert back == h and back.dumps() == h.dumps()
    (tmp_path / HISTORY_FILE).write_text('{"version": 1, "builds": "oops"}')
    with pytest.raises(KGError, match="damaged build history"):
        load_history(tmp_path)
    assert load_history(tmp_path / "nowhere") == History()


@pytest.mark.slow
def test_two_builds_report_what_is_new_and_reruns_are_byte_identical(tmp_path: Path) -> None:
    from kg.pipeline import build

    inputs = tmp_path / "in"
    inputs.mkdir()
    write_jsonl(inputs / "a.jsonl", FIRST)
    out = tmp_path / "exports"

    first = build([inputs], out)
    ttl, hist = (out / "graph.ttl").read_bytes(), (out / HISTORY_FILE).read_bytes()
    rows = new_items(out)
    assert {r[0] for r in rows} == {"1"}
    assert {r[2] for r in rows if r[1] == "Paper"} == {"BERT for GLUE", "ResNet on ImageNet"}
    assert len(rows) == first.counts["papers"] + first.counts["entities"]

    build([inputs], out)  # the same input again: same build number, same bytes
    assert (out / "graph.ttl").read_bytes() == ttl and (out / HISTORY_FILE).read_bytes() == hist

    write_jsonl(inputs / "b.jsonl", ADDED)
    second = build([inputs], out)
    rows = new_items(out)
    assert {r[0] for r in rows} == {"2"}
    papers = [r[2] for r in rows if r[1] == "Paper"]
    assert papers == ["Mamba for long sequences"]
    entities = {r[2] for r in rows if r[1] != "Paper"}
    assert "Mamba" in entities and "BERT" not in entities and "ImageNet" not in entities
    assert len(rows) == 1 + second.counts["entities"] - first.counts["entities"]
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    assert report["history"] == {"build": 2, "new_papers": 1, "new_entities": len(entities)}

    fresh = tmp_path / "fresh"  # the same inputs into a new folder: build 1, everything new
    build([inputs], fresh)
    assert {r[0] for r in new_items(fresh)} == {"1"}
