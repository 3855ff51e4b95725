"""Benchmark ``kg build`` and extraction speed; prints a Markdown table and appends it to bench/RESULTS.md.

    python bench/bench_build.py [--papers 10000] [--no-append]

Measures, on this machine: the build of ./seeds and of a synthetic corpus made from them (each as a fresh
``kg build`` process: wall time, papers/s, peak RSS), and extraction alone in one process and in two.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from results import publish  # bench/ is on sys.path when a script here runs

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


def synthetic_corpus(n: int, path: Path) -> Path:
    """``n`` distinct papers made from the seeds: titles numbered, abstract sentences shuffled (seeded)."""
    sys.path.insert(0, str(ROOT))
    from kg.pipeline import read_corpus
    from kg.records import Report

    seeds = read_corpus([ROOT / "seeds"], Report())
    rng = random.Random(42)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            p = seeds[i % len(seeds)]
            sents = p.abstract.split(". ")
            rng.shuffle(sents)
            rec = {"id": f"syn-{i}", "title": f"{p.title} (variant {i})", "abstract": ". ".join(sents)}
            fh.write(json.dumps(rec) + "\n")
    return path


def timed_build(inputs: list[Path], out: Path, processes: int = 1) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one ``kg build`` process (measured by a wrapper around that one child)."""
    cmd = [sys.executable, "-m", "kg", "build", *map(str, inputs), "-o", str(out), "-q", "-j", str(processes)]
    wrapper = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", wrapper, *cmd], check=True, cwd=ROOT, capture_output=True, text=True
    )
    wall, peak_kb = proc.stdout.split()
    return float(wall), int(peak_kb) / 1024


def extraction_speed(corpus: Path, limit: int, processes: int) -> float:
    """Abstracts per second for extraction alone (pipeline built before the clock starts)."""
    sys.path.insert(0, str(ROOT))
    from kg.extract.pipeline import extract_papers, make_nlp
    from kg.pipeline import read_corpus
    from kg.records import Report

    papers = read_corpus([corpus], Report())[:limit]
    nlp = make_nlp()  # about a second: built once per run (and shared by forked workers), not per abstract
    t0 = time.perf_counter()
    n = sum(1 for _ in extract_papers(papers, processes=processes, nlp=nlp))
    return n / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--papers", type=int, default=10_000)
    ap.add_argument("--no-append", action="store_true", help="print only; do not append to bench/RESULTS.md")
    args = ap.parse_args()

    corpus = synthetic_corpus(args.papers, OUT / f"synthetic-{args.papers}.jsonl")
    rows = []
    wall, rss = timed_build([ROOT / "seeds"], OUT / "seeds-exports")
    rows.append(("kg build seeds (257 papers)", f"{wall:.1f} s", f"{257 / wall:.0f}", f"{rss:.0f} MB"))
    for j in (1, 2):
        wall, rss = timed_build([corpus], OUT / f"synthetic-exports-j{j}", processes=j)
        rows.append((f"kg build synthetic ({args.papers} papers), -j {j}", f"{wall:.1f} s",
                     f"{args.papers / wall:.0f}", f"{rss:.0f} MB"))  # fmt: skip
    speed1 = extraction_speed(corpus, 5000, 1)
    speed2 = extraction_speed(corpus, 5000, 2)

    lines = [
        f"### {date.today().isoformat()} on {platform.machine()}, Python {platform.python_version()}",
        "",
        "| run | wall time | papers/s | peak RSS |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
        "",
        f"Extraction alone (5,000 synthetic abstracts): {speed1:,.0f} abstracts/s in one process, "
        f"{speed2:,.0f} abstracts/s with two processes (bench_extract.py: one core, several runs, yardsticks).",
        "",
    ]
    publish(lines, append=not args.no_append)


if __name__ == "__main__":
    main()
