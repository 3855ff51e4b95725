"""Benchmark extraction speed on one core, several times, next to the issue's yardsticks.

    python bench/bench_extract.py [--runs 5] [--papers 5000] [--no-append]

Each run is a fresh process (so the first abstracts pay for new words, as in a real build): it builds the
pipeline, then times ``extract_papers`` in one process over the first ``--papers`` abstracts of the synthetic
corpus that bench_build.py makes. Runs alternate with a yardstick run in its own fresh process (spaCy's blank
English tokenizer alone, and the tokenizer plus a PhraseMatcher of 5,000 vocabulary terms, over the same
abstracts), because this machine is a shared virtual machine whose speed drifts by 10-20% over minutes:
alternating keeps the ratio honest even when the absolute figure moves. Prints a Markdown table; appends it to
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from results import publish  # bench/ is on sys.path when a script here runs

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"

_EXTRACT = """
import json, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from kg.extract.pipeline import extract_papers, make_nlp
from kg.pipeline import read_corpus
from kg.records import Report
papers = read_corpus([Path({corpus!r})], Report())[:{n}]
nlp = make_nlp()
t0 = time.perf_counter()
warm = None
for i, _ in enumerate(extract_papers(papers, processes=1, nlp=nlp), 1):
    if i == 500:
        warm = time.perf_counter()
end = time.perf_counter()
print(json.dumps({{"all": len(papers) / (end - t0), "after_500": (len(papers) - 500) / (end - warm)}}))
"""

_YARDSTICK = """
import json, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
import spacy
from spacy.matcher import PhraseMatcher
from kg.extract.pipeline import paper_text
from kg.pipeline import read_corpus
from kg.records import Report
from kg.vocab import load_terms
texts = [paper_text(p.title, p.abstract) for p in read_corpus([Path({corpus!r})], Report())[:{n}]]
nlp = spacy.blank("en")
t0 = time.perf_counter()
for text in texts:
    nlp.tokenizer(text)
tok = len(texts) / (time.perf_counter() - t0)
nlp = spacy.blank("en")
matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
for i, term in enumerate(load_terms()[:5000]):
    matcher.add(f"t{{i}}", [nlp.make_doc(term.name)])
t0 = time.perf_counter()
for text in texts:
    matcher(nlp.tokenizer(text))
print(json.dumps({{"tokenizer": tok, "tokenizer+matcher": len(texts) / (time.perf_counter() - t0)}}))
"""


def _run(code: str) -> dict[str, float]:
    proc = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--papers", type=int, default=5000)
    ap.add_argument("--no-append", action="store_true", help="print only; do not append to bench/RESULTS.md")
    args = ap.parse_args()

    corpus = OUT / "synthetic-10000.jsonl"
    if not corpus.exists():
        sys.path.insert(0, str(ROOT / "bench"))
        from bench_build import synthetic_corpus

        synthetic_corpus(10_000, corpus)
    fmt = {"root": str(ROOT), "corpus": str(corpus), "n": args.papers}
    rows = []
    for _ in range(args.runs):
        ex = _run(_EXTRACT.format(**fmt))
        ys = _run(_YARDSTICK.format(**fmt))
        rows.append((ex["all"], ex["after_500"], ys["tokenizer"], ys["tokenizer+matcher"]))
    med = [statistics.median(col) for col in zip(*rows, strict=True)]
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"### {started}: extraction on one core, {args.runs} fresh-process runs (`python bench/bench_extract.py`)",
        "",
        f"{args.papers:,} synthetic abstracts (seed sentences reshuffled, 1,700 characters on average), "
        f"{platform.machine()}, Python {platform.python_version()}; abstracts/s:",
        "",
        "| run | kg extraction | kg extraction after the first 500 | blank tokenizer alone | tokenizer + 5,000-term PhraseMatcher |",  # noqa: E501
        "|---|---|---|---|---|",
        *(f"| {i} | {a:,.0f} | {b:,.0f} | {c:,.0f} | {d:,.0f} |" for i, (a, b, c, d) in enumerate(rows, 1)),
        f"| median | {med[0]:,.0f} | {med[1]:,.0f} | {med[2]:,.0f} | {med[3]:,.0f} |",
        "",
    ]
    publish(lines, append=not args.no_append)


if __name__ == "__main__":
    main()
