"""The ``kg`` command line: thin wrappers over plain functions; errors become one line and exit 1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kg import __version__
from kg.cli_support import clean_errors, default_inputs
from kg.errors import KGError

_INPUTS = click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))


def _ingest_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option(
        "--encoding", default="utf-8", show_default=True, help="Text encoding of the input files."
    )(f)
    f = click.option(
        "--skip-bad-files", is_flag=True, help="Skip (and report) files that cannot be decoded."
    )(f)
    f = click.option(
        "--max-input-bytes", type=int, default=1 << 30, show_default=True,
        help="Refuse input files larger than this many bytes.",
    )(f)  # fmt: skip
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="kg")
def cli() -> None:
    """kg: build a knowledge graph of machine-learning papers (models, methods, datasets, tasks, metrics).

    \b
    Quick start:
      kg build                 # graph of ./seeds into ./exports
      kg extract seeds -o x.jsonl
      kg eval --gold dev_gold.jsonl
    """


@cli.command()
@_INPUTS
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("exports"), show_default=True,
              help="Folder the exports are written to.")  # fmt: skip
@click.option(
    "--base", default=None, help="Base IRI for minted identifiers (absolute http(s), ending in / or #)."
)
@click.option("-j", "--processes", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Extraction processes.")  # fmt: skip
@click.option("--dask", "dask_address", default=None, metavar="ADDRESS",
              help="Extract on a Dask cluster (scheduler address, e.g. tcp://host:8786; needs the dask extra).")  # fmt: skip
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
@click.option("--webgl-threshold", type=click.IntRange(0), default=None,
              help="Overviews of graphs with more nodes use sigma.js (WebGL) instead of vis-network [default: 3000].")  # fmt: skip
@click.option("-f", "--formats", default="", metavar="F1,F2",
              help="Also export these formats (see `kg export --help`), e.g. graphml,gexf,csv.")  # fmt: skip
@_ingest_options
@clean_errors
def build(inputs: tuple[Path, ...], out_dir: Path, base: str | None, processes: int, dask_address: str | None,
          quiet: bool, webgl_threshold: int | None, formats: str, encoding: str, skip_bad_files: bool,
          max_input_bytes: int) -> None:  # fmt: skip
    """Build the graph of INPUTS (files or folders; default ./seeds) into exports.

    Formats are detected from the extension and content: daily-paper listings (.txt), JSON Lines / JSON,
    CSV/TSV, BibTeX and arXiv Atom XML. Writes graph.ttl, graph.html, merge-log.jsonl and build-report.json.
    """
    from kg.ids import check_base
    from kg.pipeline import build as run_build
    from kg.ui import Progress, print_summary

    if base:
        check_base(base)
    extra = [f.strip() for f in formats.split(",") if f.strip()]
    if extra:
        from kg.export.formats import FORMATS

        unknown = sorted(set(extra) - set(FORMATS))
        if unknown:
            raise KGError(f"unknown format {', '.join(unknown)} (choose from {', '.join(sorted(FORMATS))})")

    with Progress(disable=quiet) as progress:
        result = run_build(
            default_inputs(inputs), out_dir, base=base, processes=processes, dask=dask_address,
            webgl_threshold=webgl_threshold, on_start=progress.start,
            on_paper=progress.advance, formats=extra, encoding=encoding, skip_bad_files=skip_bad_files,
            max_input_bytes=max_input_bytes,
        )  # fmt: skip
    if not quiet:
        print_summary(result, out_dir)


@cli.command()
@click.option("-g", "--graph", "graph_path", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("exports/graph.ttl"), show_default=True, help="A graph.ttl written by `kg build`.")  # fmt: skip
@click.option("-o", "--out", "out_path", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("exports/graph.html"), show_default=True, help="HTML file to write.")  # fmt: skip
@click.option("--physics-threshold", type=click.IntRange(0), default=300, show_default=True,
              help="Graphs with more nodes get a precomputed layout and no physics, so they are usable at once.")  # fmt: skip
@click.option("--webgl-threshold", type=click.IntRange(0), default=3000, show_default=True,
              help="Graphs with more nodes are drawn with sigma.js (WebGL) instead of vis-network.")  # fmt: skip
@click.option("--title", default="kg: knowledge graph", show_default=True, help="Page heading.")
@click.option("--pages/--no-pages", default=True, show_default=True,
              help="Also write index.html, entities/*.html and papers/*.html beside the overview.")  # fmt: skip
@click.option("--max-neighbours", type=click.IntRange(1), default=60, show_default=True,
              help="Rows per list on an entity page (papers, links in, links out).")  # fmt: skip
@click.option("--ego-hops", type=click.IntRange(0, 2), default=2, show_default=True,
              help="Hops of the neighbourhood picture on entity and paper pages (0: no picture).")  # fmt: skip
@click.option("--ego-max-nodes", type=click.IntRange(2), default=40, show_default=True,
              help="Nodes in the neighbourhood picture, the page's own included.")  # fmt: skip
@clean_errors
def view(graph_path: Path, out_path: Path, physics_threshold: int, webgl_threshold: int, title: str, pages: bool,
         max_neighbours: int, ego_hops: int, ego_max_nodes: int) -> None:  # fmt: skip
    """Rebuild the HTML views (overview, index, entity and paper pages) from an existing build's graph.ttl,
    without re-extracting."""
    from kg.assemble.from_rdf import graph_from_turtle
    from kg.view.html import write_overview

    G = graph_from_turtle(graph_path)
    write_overview(G, out_path, title=title, physics_threshold=physics_threshold,
                   webgl_threshold=webgl_threshold, page_links=pages)  # fmt: skip
    renderer = "WebGL" if G.number_of_nodes() > webgl_threshold else "vis-network"
    click.echo(
        f"{G.number_of_nodes()} nodes, {G.number_of_edges()} edges -> {out_path} ({renderer})", err=True
    )
    if pages:
        from kg.view.pages import write_pages

        n = write_pages(G, out_path.parent, max_neighbours=max_neighbours, ego_hops=ego_hops,
                        ego_max_nodes=ego_max_nodes)  # fmt: skip
        click.echo(f"{n['entities']} entity pages, {n['papers']} paper pages -> {out_path.parent}", err=True)


@cli.command()
@_INPUTS
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="JSON Lines file to write (one paper per line, guidelines format); '-' for stdout.")  # fmt: skip
@click.option("--no-generic", is_flag=True, help="Leave out umbrella terms (LLMs, deep learning, …).")
@click.option("-v", "--verbose", is_flag=True, help="List every input warning and skipped record.")
@click.option("-j", "--processes", type=click.IntRange(1, 64), default=1, show_default=True)
@click.option("--dask", "dask_address", default=None, metavar="ADDRESS",
              help="Extract on a Dask cluster (scheduler address, e.g. tcp://host:8786; needs the dask extra).")  # fmt: skip
@_ingest_options
@clean_errors
def extract(inputs: tuple[Path, ...], output: Path, no_generic: bool, verbose: bool, processes: int,
            dask_address: str | None, encoding: str, skip_bad_files: bool, max_input_bytes: int) -> None:  # fmt: skip
    """Extract entities of INPUTS (default ./seeds) and write them per paper as JSON Lines."""
    from collections import Counter

    from kg import atomic
    from kg.pipeline import extract_corpus, read_corpus
    from kg.predictions import dumps_jsonl, prediction_records
    from kg.records import Report

    report = Report()
    papers = read_corpus(default_inputs(inputs), report, encoding=encoding, skip_bad_files=skip_bad_files,
                         max_input_bytes=max_input_bytes)  # fmt: skip
    mentions = extract_corpus(papers, processes=processes, dask=dask_address).mentions
    text = dumps_jsonl(prediction_records(papers, mentions, include_generic=not no_generic))
    if str(output) == "-":
        click.echo(text, nl=False)
    else:
        atomic.write_text(output, text)
        click.echo(f"{len(papers)} papers, {len(mentions)} entities -> {output}", err=True)
    if verbose:
        for issue in report.issues:
            click.echo(f"kg: {issue.severity}: {issue.location}: {issue.message}", err=True)
    elif report.issues:
        kinds = Counter(f"{i.kind} ({i.severity})" for i in report.issues)
        summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
        click.echo(f"kg: {len(report.issues)} input notes: {summary} (-v lists them)", err=True)


@cli.command(name="eval")
@_INPUTS
@click.option("--gold", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Gold file (JSON Lines, guidelines format).")  # fmt: skip
@click.option("--errors", is_flag=True, help="List false positives and misses per paper.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--pred-out", type=click.Path(path_type=Path), help="Also write the predictions here.")
@click.option("--include-generic", is_flag=True,
              help="Also predict umbrella terms (LLMs, deep learning, …), which the guidelines leave unscored.")  # fmt: skip
@clean_errors
def eval_(inputs: tuple[Path, ...], gold: Path, errors: bool, as_json: bool, pred_out: Path | None,
          include_generic: bool) -> None:  # fmt: skip
    """Score extraction on the GOLD papers found in INPUTS (default ./seeds): P/R/F1 typed, untyped, per
    type and for `proposed`, with the matching rules of the annotation guidelines."""
    import json

    from kg import atomic
    from kg.evaluate import format_errors, format_table, load_jsonl, score
    from kg.pipeline import extract_corpus, read_corpus
    from kg.predictions import dumps_jsonl, prediction_records
    from kg.records import Report
    from kg.text import match_key

    gold_papers = load_jsonl(gold)
    papers = [p for p in read_corpus(default_inputs(inputs), Report()) if match_key(p.title) in gold_papers]
    mentions = extract_corpus(papers).mentions
    # umbrella terms are neither rewarded nor penalised by the guidelines: predicting them can only add noise
    records = list(prediction_records(papers, mentions, include_generic=include_generic))
    if pred_out:
        atomic.write_text(pred_out, dumps_jsonl(records))
    pred: dict[str, list[dict]] = {}
    for r in records:
        pred.setdefault(match_key(r["title"]), []).extend(r["entities"])
    ev = score(gold_papers, pred)
    if as_json:
        out = {k: ev.scores[k].as_dict() for k in ("typed", "untyped", "Model", "Method", "Dataset", "Task",
                                                   "Metric", "proposed")}  # fmt: skip
        out["papers"] = {"gold": ev.papers, "missing_in_predictions": ev.missing}
        click.echo(json.dumps(out, indent=2))
        return
    if errors:
        click.echo(format_errors(ev))
    click.echo(format_table(ev))


def _register_commands() -> None:
    """Commands that live with their feature (imports stay light: each loads its libraries when run)."""
    from kg.export.cli import export_command
    from kg.query.cli import push_command, query_command
    from kg.serve.cli import serve_command

    for command in (export_command, query_command, serve_command, push_command):
        cli.add_command(command)


_register_commands()


def main() -> None:
    cli(prog_name="kg")
