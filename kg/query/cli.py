"""``kg query`` and ``kg push``: thin click wrappers over :mod:`kg.query`."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import click

from kg.cli_support import clean_errors
from kg.errors import KGError, QueryError

FORMAT_NAMES = ["table", "plain", "csv", "tsv", "json", "xml", "turtle", "ntriples"]
TIMEOUT_EXIT = 3


def parse_param_args(args: list[str]) -> dict[str, str]:
    """``["--task", "x", "--min=2"]`` -> ``{"task": "x", "min": "2"}`` (dashes become underscores)."""
    out: dict[str, str] = {}
    i = 0
    while i < len(args):
        a = args[i]
        if not a.startswith("--") or len(a) < 3:
            raise QueryError(f"unexpected argument {a!r} (named-query parameters are --name VALUE)")
        key, eq, value = a[2:].partition("=")
        if not eq:
            if i + 1 >= len(args):
                raise QueryError(f"--{key} needs a value")
            value = args[i + 1]
            i += 1
        out[key.replace("-", "_")] = value
        i += 1
    return out


def _watchdog(seconds: float) -> threading.Timer:
    """pyoxigraph has no timeout but releases the GIL, so a timer thread can end the process at the deadline."""

    def fire() -> None:
        sys.stderr.write(f"kg: error: query exceeded {seconds:g} s and was stopped (raise --timeout)\n")
        sys.stderr.flush()
        os._exit(TIMEOUT_EXIT)

    t = threading.Timer(seconds, fire)
    t.daemon = True
    t.start()
    return t


def list_text() -> str:
    from kg.query.named import library

    lines = []
    for q in library().values():
        params = " ".join(
            f"--{p.name.replace('_', '-')} " + (f'"{p.default}"' if p.default is not None else p.kind.upper())
            for p in q.params
        )
        lines.append(f"{q.name}  {params}".rstrip())
        lines.append(f"    {q.description}")
    return "\n".join(lines) + "\n"


@click.command("query", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("query", required=False)
@click.option(
    "-f",
    "--file",
    "file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Read the query from a .rq file.",
)
@click.option("--graph", type=click.Path(path_type=Path), default=Path("exports/graph.ttl"), show_default=True,
              help="Turtle graph to query (loaded once into a store cached beside it).")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), default="table", show_default=True,
              help="table/plain (aligned), csv, tsv, json (SPARQL Results JSON), xml; turtle/ntriples for graphs.")  # fmt: skip
@click.option(
    "--limit",
    type=click.IntRange(0),
    default=None,
    help="Print at most N rows (named queries have a default).",
)
@click.option("--timeout", type=click.FloatRange(0), default=60.0, show_default=True,
              help="Stop the query after this many seconds (exit 3); 0 for no limit.")  # fmt: skip
@click.option("--list", "list_", is_flag=True, help="List the named queries and their parameters.")
@click.option("--no-cache", is_flag=True, help="Load the Turtle into memory; do not keep a store beside it.")
@click.pass_context
@clean_errors
def query_command(ctx: click.Context, query: str | None, file: Path | None, graph: Path, fmt: str,
                  limit: int | None, timeout: float, list_: bool, no_cache: bool) -> None:  # fmt: skip
    """Run a SPARQL QUERY (a string, -f FILE, or a named query with --param VALUE) on the built graph.

    \b
    Examples:
      kg query 'SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:Paper }'
      kg query -f my.rq --format csv
      kg query datasets-for-task --task "image classification"
      kg query --list
    The usual prefixes (kg, schema, mls, dcterms, rdf, rdfs, skos, xsd, prov) are predeclared. The store is
    read-only: updates, LOAD, SERVICE and FROM <file:…> are refused (exit 2).
    """
    from kg.query.named import bind, library
    from kg.query.results import execute, render
    from kg.query.store import open_store

    if list_:
        click.echo(list_text(), nl=False)
        return
    params = parse_param_args(ctx.args)
    if file is not None:
        if query:
            raise QueryError("give either a QUERY or -f FILE, not both")
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"cannot read {file}: {exc}") from exc
    elif query is None:
        raise QueryError("no query given (a SPARQL string, -f FILE, or a named query; see kg query --list)")
    else:
        text = query
    named = library().get(text.strip()) if file is None else None
    if named is None and params:
        raise QueryError(f"parameters {', '.join('--' + k for k in params)} only apply to named queries")
    if named is not None:
        bind(named, params)  # report bad parameters before loading the store
    store = open_store(graph, cache=not no_cache)
    if named is not None:
        if limit is None:
            limit = named.limit
        text = bind(named, params, store, limit=limit)
    timer = _watchdog(timeout) if timeout else None
    try:
        result = execute(store, text, limit=limit)
    finally:
        if timer:
            timer.cancel()
    if fmt == "table" and not sys.stdout.isatty():
        fmt = "plain"
    sys.stdout.flush()
    sys.stdout.buffer.write(render(result, fmt).encode("utf-8"))  # bytes as written (CSV needs CRLF)
    sys.stdout.buffer.flush()
    if result.truncated:
        click.echo(f"kg: note: output cut at {limit} rows (raise --limit)", err=True)


@click.command("push")
@click.option(
    "--endpoint", required=True, help="Graph Store HTTP Protocol URL, e.g. http://127.0.0.1:7878/store."
)
@click.option(
    "--graph", "graph_iri", default=None, help="Named graph IRI to write; default: the store's default graph."
)
@click.option("--replace/--merge", default=True, show_default=True,
              help="Replace the graph's content (PUT) or add to it (POST).")  # fmt: skip
@click.option("--file", "file", type=click.Path(path_type=Path, dir_okay=False), default=Path("exports/graph.ttl"),
              show_default=True, help="Turtle file to send.")  # fmt: skip
@click.option(
    "-H", "--header", "header", multiple=True, help="Extra HTTP header 'Name: value' (e.g. Authorization)."
)
@click.option(
    "--timeout", type=click.FloatRange(1), default=300.0, show_default=True, help="Seconds to wait."
)
@clean_errors
def push_command(endpoint: str, graph_iri: str | None, replace: bool, file: Path, header: tuple[str, ...],
                 timeout: float) -> None:  # fmt: skip
    """Load the built graph into an external SPARQL store (SPARQL 1.1 Graph Store HTTP Protocol).

    \b
    Example (Oxigraph):
      oxigraph serve --location store/ &
      kg push --endpoint http://127.0.0.1:7878/store --graph https://w3id.org/kg-ml/graph
    """
    from kg.query.push import push

    headers = {}
    for h in header:
        name, sep, value = h.partition(":")
        if not sep or not name.strip():
            raise KGError(f"--header {h!r} is not 'Name: value'")
        headers[name.strip()] = value.strip()
    res = push(file, endpoint, graph=graph_iri, replace=replace, headers=headers, timeout=timeout)
    what = "replaced" if replace else "merged into"
    click.echo(f"kg: {res.bytes_sent} bytes of {file} {what} {graph_iri or 'the default graph'} at {endpoint} "
               f"(HTTP {res.status})", err=True)  # fmt: skip
