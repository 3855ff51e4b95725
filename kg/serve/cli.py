"""``kg serve``: run the read-only SPARQL endpoint with uvicorn."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli_support import clean_errors


@click.command("serve")
@click.option("--graph", type=click.Path(path_type=Path), default=Path("exports/graph.ttl"), show_default=True,
              help="Turtle graph to serve; the HTML views next to it are served under /views/.")  # fmt: skip
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=7879, show_default=True)
@click.option(
    "--workers", type=click.IntRange(1, 64), default=2, show_default=True, help="Query worker processes."
)
@click.option("--timeout", "deadline", type=click.FloatRange(0.1), default=10.0, show_default=True,
              help="Per-query deadline in seconds; the worker is killed past it (HTTP 503).")  # fmt: skip
@click.option("--max-rows", type=click.IntRange(1), default=10_000, show_default=True,
              help="Row cap per result; cut results carry X-KG-Truncated: true (and truncated in JSON).")  # fmt: skip
@click.option("--store", type=click.Choice(["memory", "disk"]), default="memory", show_default=True,
              help="memory: each worker loads the graph into memory (fastest queries, RAM per worker); "
                   "disk: workers share the on-disk store kept in exports/.kg-store (less RAM, 4-8x slower).")  # fmt: skip
@click.option("--allow-host", multiple=True, help="Extra Host header value to accept (repeatable).")
@click.option(
    "--cors-origin",
    multiple=True,
    help="Origin allowed to query from a browser (repeatable); none by default.",
)
@clean_errors
def serve_command(graph: Path, host: str, port: int, workers: int, deadline: float, max_rows: int, store: str,
                  allow_host: tuple[str, ...], cors_origin: tuple[str, ...]) -> None:  # fmt: skip
    """Serve the graph as a read-only SPARQL 1.1 endpoint at http://HOST:PORT/sparql, with a query page at /.

    \b
    Example:
      kg serve &
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' \\
           http://127.0.0.1:7879/sparql
    """
    import uvicorn

    from kg.errors import KGError
    from kg.serve.app import Settings, create_app

    if not graph.is_file():
        raise KGError(f"no graph at {graph} (run `kg build` first, or pass --graph PATH)")
    hosts = tuple(allow_host) + ((host,) if host not in ("0.0.0.0", "::") else ())
    settings = Settings(graph=graph, workers=workers, deadline=deadline, row_cap=max_rows, allowed_hosts=hosts,
                        cors_origins=tuple(cors_origin), store=store)  # fmt: skip
    click.echo(f"kg: serving {graph} at http://{host}:{port}/sparql (read-only; Ctrl-C to stop)", err=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", timeout_keep_alive=5)
