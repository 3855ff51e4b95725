"""``kg export``: a thin click wrapper over :func:`kg.export.export` (registered by ``kg.cli``)."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli_support import clean_errors, default_inputs
from kg.errors import KGError
from kg.export.formats import FORMATS, guess_format


def _formats_help() -> str:
    return "\n".join(
        f"  {f.name:<10} {f.default_name + ('/' if f.directory else ''):<14} {f.tools}"
        for f in FORMATS.values()
    )


@click.command(
    name="export",
    help=(
        "Export the graph of INPUTS (files or folders of papers; default ./seeds) to other tools.\n\n"
        "The graph is rebuilt from the inputs exactly as `kg build` builds it (same identifiers, same "
        "Turtle), then written in each requested format. Without --format the format is guessed from "
        "--out's extension (Turtle if neither is given). csv and neo4j write a folder.\n\n\b\nFormats:\n"
        + _formats_help()
        + "\n\n\b\nExamples:\n  kg export -f graphml\n  kg export -f gexf -f csv --out-dir exports\n"
        "  kg export -o graph.nt seeds/"
    ),
)
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(list(FORMATS)),
              help="Format to write (repeat for several).")  # fmt: skip
@click.option("-o", "--out", type=click.Path(path_type=Path), default=None,
              help="File (or folder, for csv/neo4j) to write; only with one format.")  # fmt: skip
@click.option("--out-dir", type=click.Path(path_type=Path), default=Path("exports"), show_default=True,
              help="Folder for the formats' default file names when --out is not given.")  # fmt: skip
@click.option("--base", default=None, help="Base IRI for minted identifiers (as for kg build).")
@click.option("-j", "--processes", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Extraction processes.")  # fmt: skip
@click.option("--encoding", default="utf-8", show_default=True, help="Text encoding of the input files.")
@click.option("--skip-bad-files", is_flag=True, help="Skip (and report) files that cannot be decoded.")
@click.option("--max-input-bytes", type=int, default=1 << 30, show_default=True,
              help="Refuse input files larger than this many bytes.")  # fmt: skip
@click.option("--csv-formula-prefix", default="'", show_default=True,
              help="Prefix for csv cells starting with = + - @ TAB CR (spreadsheet formula injection); '' for none.")  # fmt: skip
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def export_command(inputs: tuple[Path, ...], formats: tuple[str, ...], out: Path | None, out_dir: Path,
                   base: str | None, processes: int, encoding: str, skip_bad_files: bool, max_input_bytes: int,
                   csv_formula_prefix: str, quiet: bool) -> None:  # fmt: skip
    clean_errors(run_export)(inputs, formats, out, out_dir, base=base, processes=processes, quiet=quiet,
                             csv_formula_prefix=csv_formula_prefix or None, encoding=encoding,
                             skip_bad_files=skip_bad_files, max_input_bytes=max_input_bytes)  # fmt: skip


def run_export(
    inputs: tuple[Path, ...],
    formats: tuple[str, ...],
    out: Path | None,
    out_dir: Path,
    *,
    base: str | None = None,
    processes: int = 1,
    quiet: bool = False,
    csv_formula_prefix: str | None = "'",
    **ingest_options: object,
) -> list[Path]:
    """Check the arguments before any work, build the bundle once, write each format; returns the paths."""
    from kg.export.bundle import bundle_from_inputs
    from kg.export.formats import export
    from kg.ids import check_base
    from kg.records import Report

    if out is not None and len(formats) > 1:
        raise KGError("--out names one file; with several --format use --out-dir instead")
    chosen = [FORMATS[f] for f in formats] or [guess_format(out) if out else FORMATS["turtle"]]
    if base:
        check_base(base)
    inputs = tuple(default_inputs(inputs))
    report = Report()
    bundle = bundle_from_inputs(list(inputs), report, base=base, processes=processes, **ingest_options)
    written = []
    for f in chosen:
        options = {"formula_prefix": csv_formula_prefix} if f.name == "csv" else {}
        path, warnings = export(bundle, f, out if out is not None else out_dir / f.default_name, **options)
        written.append(path)
        for w in warnings:
            click.echo(f"kg: warning: {f.name}: {w}", err=True)
        if not quiet:
            click.echo(f"{f.name}: {path}", err=True)
    if not quiet:
        for issue in report.issues:
            click.echo(f"kg: {issue.severity}: {issue.location}: {issue.message}", err=True)
    return written
