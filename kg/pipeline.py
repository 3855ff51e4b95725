"""``build()``: ingest → extract → resolve → assemble → export, composed in one short function.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> src = out / "papers.jsonl"
>>> _ = src.write_text('{"title": "BERT for GLUE", "abstract": "We fine-tune BERT on the GLUE benchmark."}\\n')
>>> result = build([src], out / "exports")
>>> result.counts["papers"], sorted(p.name for p in (out / "exports").glob("*.*") if p.name[0] != ".")
(1, ['build-report.json', 'graph.html', 'graph.ttl', 'index.html', 'merge-log.jsonl'])
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg import atomic
from kg.errors import KGError
from kg.records import EntityType, Link, Mention, Paper, Report, Result

if TYPE_CHECKING:
    from kg.resolve import Resolution

DEFAULT_INPUTS = ("seeds",)
DEFAULT_OUT = "exports"


def _size(path: Path) -> int:
    """Bytes of a file, or of every file in a folder (csv and neo4j exports are folders)."""
    if path.is_dir():
        return sum(p.stat().st_size for p in sorted(path.rglob("*")) if p.is_file())
    return path.stat().st_size


@dataclass
class BuildResult:
    counts: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, int] = field(default_factory=dict)  # file -> size in bytes
    report: Report = field(default_factory=Report)
    seconds: float = 0.0


@contextlib.contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """One build per output folder at a time: a second one fails fast instead of interleaving files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fh = open(out_dir / ".kg-build.lock", "w")  # noqa: SIM115
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise KGError(f"another kg build is writing to {out_dir} (wait for it to finish)") from None
        yield
    finally:
        fh.close()


def read_corpus(
    inputs: Sequence[str | os.PathLike[str]], report: Report, **ingest_options: object
) -> list[Paper]:
    """Stream every record of every input and merge duplicates."""
    from kg.ingest import dedupe, iter_papers

    return dedupe(iter_papers([str(i) for i in inputs], report, **ingest_options), report)  # type: ignore[arg-type]


@dataclass
class Extraction:
    mentions: list[Mention] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)


def extract_corpus(
    papers: Sequence[Paper],
    *,
    processes: int = 1,
    on_paper: Callable[[], None] | None = None,
    dask: str | None = None,
) -> Extraction:
    """Everything the extractor finds in ``papers``, as flat lists of records (``dask``: a scheduler address)."""
    from kg.extract import extract_papers

    out = Extraction()
    for ex in extract_papers(papers, processes=processes, dask=dask):
        out.mentions.extend(ex.mentions)
        out.links.extend(ex.links)
        out.results.extend(ex.results)
        if on_paper is not None:
            on_paper()
    return out


def resolve_corpus(
    papers: Sequence[Paper],
    *,
    processes: int = 1,
    on_paper: Callable[[], None] | None = None,
    dask: str | None = None,
) -> Resolution:
    """Extract and resolve: the entities, relations, merges and results of ``papers`` (what every output needs)."""
    from kg.resolve import resolve
    from kg.vocab import task_hierarchy

    ex = extract_corpus(papers, processes=processes, on_paper=on_paper, dask=dask)
    return resolve(papers, ex.mentions, vocabulary_attributes(), links=ex.links, results=ex.results,
                   hierarchy=task_hierarchy())  # fmt: skip


def vocabulary_attributes() -> dict[tuple[EntityType, str], tuple[tuple[str, str], ...]]:
    """Facts the vocabularies know about a name (organisation, date, parameters), keyed like the resolver."""
    from kg.text import match_key
    from kg.vocab import load_terms

    return {(t.type, match_key(t.name)): t.attrs for t in load_terms() if t.attrs}


def build(
    inputs: Sequence[str | os.PathLike[str]] = DEFAULT_INPUTS,
    out_dir: str | os.PathLike[str] = DEFAULT_OUT,
    *,
    base: str | None = None,
    processes: int = 1,
    dask: str | None = None,
    formats: Sequence[str] = (),
    webgl_threshold: int | None = None,
    on_start: Callable[[int], None] | None = None,
    on_paper: Callable[[], None] | None = None,
    **ingest_options: object,
) -> BuildResult:
    """Build the graph of ``inputs`` into ``out_dir``. Each output is replaced atomically, so a failed build
    leaves the previous one intact."""
    from kg.assemble.graph import build_graph
    from kg.assemble.history import HISTORY_FILE, history_triples, load_history
    from kg.assemble.rdf import build_triples, serialize_turtle
    from kg.ids import DEFAULT_BASE, check_base
    from kg.view.html import render_overview

    view_options = {} if webgl_threshold is None else {"webgl_threshold": webgl_threshold}

    t0 = time.perf_counter()
    base = check_base(base) if base else DEFAULT_BASE
    out = Path(out_dir)
    result = BuildResult()
    report = result.report
    with build_lock(out):
        atomic.remove_stale_temps(out)
        papers = read_corpus(inputs, report, **ingest_options)
        if on_start is not None:
            on_start(len(papers))
        res = resolve_corpus(papers, processes=processes, on_paper=on_paper, dask=dask)
        G = build_graph(papers, res.entities, res.relations)
        rdf = build_triples(papers, res.entities, res.relations, base=base, merges=res.merges,
                            evaluations=res.evaluations)  # fmt: skip
        # "what is new": the build number advances only when the key sets change, so a re-run is byte-identical
        history = load_history(out)
        history.advance([p.key for p in papers], [e.key for e in res.entities])
        for triple in history_triples(history, papers, res.entities, base):
            rdf.add(triple)

        counts = result.counts
        counts["records_read"] = report.counts.get("records_read", 0)
        counts["records_skipped"] = report.counts.get("records_skipped", 0)
        counts["papers"] = len(papers)
        counts["entities"] = len(res.entities)
        for ty in EntityType:
            counts[f"entities_{ty.value.lower()}"] = sum(1 for e in res.entities if e.type is ty)
        counts["links"] = len(res.relations)
        counts["results"] = len(res.evaluations)
        counts["triples"] = len(rdf)

        files: dict[str, bytes] = {
            "graph.ttl": serialize_turtle(rdf),
            "graph.html": render_overview(G, **view_options).encode("utf-8"),
            "merge-log.jsonl": "".join(
                json.dumps(
                    {"form": m.form, "entity": m.entity_key, "rule": m.rule, "paper": m.paper},
                    ensure_ascii=False,
                    sort_keys=True,
                )
                + "\n"
                for m in res.merges
            ).encode("utf-8"),  # fmt: skip
        }
        for name, data in files.items():
            atomic.write_bytes(out / name, data)
            result.outputs[name] = len(data)
        from kg.view.pages import write_pages

        pages = write_pages(G, out)
        counts["entity_pages"], counts["paper_pages"] = pages["entities"], pages["papers"]
        result.outputs["index.html"] = _size(out / "index.html")
        if formats:
            from kg.export import FORMATS, ExportBundle, export

            bundle = ExportBundle(G, rdf)
            for fmt in formats:
                path, warnings = export(bundle, fmt, out / FORMATS[fmt].default_name)
                for w in warnings:
                    report.warn("export", w, fmt)
                result.outputs[Path(path).name] = _size(Path(path))
        report_doc = {
            "counts": counts,
            "relations": dict(sorted(Counter(r.relation for r in res.relations).items())),
            "inputs": sorted(str(i) for i in inputs),
            "outputs": result.outputs,
            "history": {k: history.builds[-1][k] for k in ("build", "new_papers", "new_entities")},
            "issues": [i.as_dict() for i in report.issues],
        }
        data = (json.dumps(report_doc, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")
        atomic.write_bytes(out / "build-report.json", data)
        result.outputs["build-report.json"] = len(data)
        atomic.write_bytes(out / HISTORY_FILE, history.dumps())  # last: a crash before it re-runs this build
    result.seconds = time.perf_counter() - t0
    return result
