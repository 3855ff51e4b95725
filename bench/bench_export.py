"""Measure the size and write time of every export format, for ./seeds and a synthetic corpus.

    python bench/bench_export.py [--papers 10000] [-j 2] [--repeat 3]

The graph is built once per corpus (read, extract, resolve, both projections; that time is printed apart), then
each format is written ``--repeat`` times into bench/out/export-<corpus>/ and the best wall time is reported with
the bytes on disk (a folder format counts all its files). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir()) if path.is_dir() else path.stat().st_size


def measure(name: str, inputs: list[Path], processes: int, repeat: int) -> list[str]:
    from kg.export import FORMATS, bundle_from_inputs, export
    from kg.records import Report

    t0 = time.perf_counter()
    bundle = bundle_from_inputs(inputs, Report(), processes=processes)
    built = time.perf_counter() - t0
    G = bundle.graph
    rows = [
        f"**{name}**: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges, {len(bundle.triples):,} "
        f"triples; graph built in {built:.1f} s (read + extract + resolve, -j {processes})",
        "",
        f"| format | file | size | write time (best of {repeat}) |",
        "|---|---|---:|---:|",
    ]
    out = OUT / f"export-{name}"
    for fmt, f in FORMATS.items():
        best = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            path, _warnings = export(bundle, fmt, out / f.default_name)
            best = min(best, time.perf_counter() - t)
        rows.append(f"| {fmt} | {f.default_name}{'/' if f.directory else ''} | {_size(path) / 1e6:.2f} MB | "
                    f"{best:.2f} s |")  # fmt: skip
    return rows + [""]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--papers", type=int, default=10_000)
    ap.add_argument("-j", "--processes", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from bench_build import synthetic_corpus

    corpus = OUT / f"synthetic-{args.papers}.jsonl"
    if not corpus.exists():
        synthetic_corpus(args.papers, corpus)
    lines = [f"### export sizes and write times, {date.today().isoformat()} on {platform.machine()}, "
             f"Python {platform.python_version()}", ""]  # fmt: skip
    lines += measure("seeds", [ROOT / "seeds"], args.processes, args.repeat)
    lines += measure(f"synthetic-{args.papers}", [corpus], args.processes, args.repeat)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
