"""Score predicted entities against a gold file, by the matching rules of the annotation guidelines.

Implemented here (not imported from the shared scorer) so ``kg eval`` works anywhere; a test checks that both
give the same figures on the dev set.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError
from kg.records import EntityType
from kg.text import match_key

TYPES = tuple(t.value for t in EntityType)
_PAREN = re.compile(r"^(.*?)\s*\(([^()]+)\)\s*$")


def variants(name: str) -> set[str]:
    """A name and, for "Long Form (LF)", both of its parts."""
    out = {match_key(name)}
    m = _PAREN.match(name.strip())
    if m:
        out |= {match_key(m.group(1)), match_key(m.group(2))}
    return {v for v in out if v}


def entity_keys(ent: dict) -> set[str]:
    ks = variants(ent["name"])
    for a in ent.get("aliases") or ():
        ks |= variants(a)
    return ks


def load_jsonl(path: str | Path) -> dict[str, list[dict]]:
    """Papers by normalised title; a malformed line is an error naming the file and line."""
    papers: dict[str, list[dict]] = {}
    try:
        fh = open(path, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(path)) from exc
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"not JSON: {exc.msg} (one JSON object per line)", f"{path}:{n}:{exc.colno}"
                ) from exc
            if not isinstance(rec, dict):
                raise InputError("expected a JSON object", f"{path}:{n}")
            title = match_key(str(rec.get("title", "")))
            ents = [e for e in rec.get("entities", []) if isinstance(e, dict) and e.get("name")]
            papers.setdefault(title, []).extend(ents)
    return papers


def _match(gold: list[dict], pred: list[dict], typed: bool) -> tuple[int, int, list[dict], list[dict]]:
    """Greedy one-to-one matching; predictions equal to a generic gold entity are ignored."""
    gkeys = [entity_keys(g) for g in gold]
    used = [False] * len(gold)
    tp = 0
    extra: list[dict] = []
    for p in pred:
        pk = entity_keys(p)
        hit = None
        for i, g in enumerate(gold):
            if used[i] or not (pk & gkeys[i]):
                continue
            if typed and g.get("type") != p.get("type"):
                continue
            hit = i
            break
        if hit is None:
            if not any(g.get("generic") and pk & gkeys[i] for i, g in enumerate(gold)):
                extra.append(p)
            continue
        used[hit] = True
        if not gold[hit].get("generic"):
            tp += 1
    missed = [g for i, g in enumerate(gold) if not used[i] and not g.get("generic")]
    return tp, len(extra), extra, missed


def _dedupe(ents: Iterable[dict]) -> list[dict]:
    seen, out = set(), []
    for e in ents:
        k = (match_key(e["name"]), e.get("type"))
        if k not in seen:
            seen.add(k)
            out.append(e)
    return out


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}  # fmt: skip


@dataclass
class Evaluation:
    scores: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    papers: int = 0
    missing: int = 0
    errors: list[dict] = field(default_factory=list)


def score(gold: dict[str, list[dict]], pred: dict[str, list[dict]]) -> Evaluation:
    """Micro P/R/F1 typed, untyped, per type and for the ``proposed`` role, plus per-paper errors."""
    ev = Evaluation()
    ev.papers = len(gold)
    for title, gents in gold.items():
        pents = _dedupe(pred.get(title, []))
        if title not in pred:
            ev.missing += 1
        for label, typed in (("typed", True), ("untyped", False)):
            tp, fp, extra, missed = _match(gents, pents, typed)
            s = ev.scores[label]
            s.tp, s.fp, s.fn = s.tp + tp, s.fp + fp, s.fn + len(missed)
            if typed:
                ev.errors.append({"title": title, "false_positives": [(e["name"], e.get("type")) for e in extra],
                                  "missed": [(e["name"], e.get("type")) for e in missed]})  # fmt: skip
        for ty in TYPES:
            tp, fp, _, missed = _match([e for e in gents if e.get("type") == ty],
                                       [e for e in pents if e.get("type") == ty], True)  # fmt: skip
            s = ev.scores[ty]
            s.tp, s.fp, s.fn = s.tp + tp, s.fp + fp, s.fn + len(missed)
        tp, fp, _, missed = _match([e for e in gents if e.get("role") == "proposed"],
                                   [e for e in pents if e.get("role") == "proposed"], False)  # fmt: skip
        s = ev.scores["proposed"]
        s.tp, s.fp, s.fn = s.tp + tp, s.fp + fp, s.fn + len(missed)
    return ev


ROWS: Sequence[str] = ("typed", "untyped", *TYPES, "proposed")


def format_table(ev: Evaluation) -> str:
    lines = [f"papers: {ev.papers} gold, {ev.missing} missing in predictions",
             f"{'':10} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"]  # fmt: skip
    for k in ROWS:
        s = ev.scores[k]
        lines.append(f"{k:10} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:5d} {s.fp:5d} {s.fn:5d}")
    return "\n".join(lines)


def format_errors(ev: Evaluation) -> str:
    out = []
    for e in ev.errors:
        if e["false_positives"] or e["missed"]:
            fps = ", ".join(f"{n} [{t}]" for n, t in e["false_positives"]) or "-"
            miss = ", ".join(f"{n} [{t}]" for n, t in e["missed"]) or "-"
            out.append(f"## {e['title'][:90]}\n  false positives: {fps}\n  missed: {miss}")
    return "\n".join(out)
