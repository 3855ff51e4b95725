"""The HTTP endpoint: SPARQL 1.1 Protocol queries, read-only, with deadline, row cap and host checks.

One flat routing table (``/sparql``, ``/``, ``/views/{name}``) and small response helpers, after Oxigraph's
server. Updates of any kind, ``LOAD``, ``SERVICE`` and ``FROM <file:…>`` are refused with 403 before a worker
sees the query; requests whose ``Host`` is not ours get 403 (DNS rebinding), cross-origin requests get 403
and no CORS headers unless ``cors_origins`` lists the origin.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import os
import queue
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from kg.errors import QueryError
from kg.query.safety import check_read_only
from kg.serve.workers import Deadline, Job, WorkerPool

MEDIA_TO_FORMAT = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/rdf+xml": "rdfxml",
}
VIEW_SUFFIXES = (".html",)


@dataclass
class Settings:
    graph: Path
    workers: int = 2
    deadline: float = 10.0
    row_cap: int = 10_000
    max_body: int = 1 << 20
    max_pending: int = 256
    queue_wait: float | None = None  # how long a request may wait for a free worker (default: deadline + 5 s)
    allowed_hosts: tuple[str, ...] = ()
    cors_origins: tuple[str, ...] = ()
    views_dir: Path | None = None
    store: str = "memory"  # "memory": each worker parses the Turtle; "disk": the shared cached store
    state: dict[str, Any] = field(default_factory=dict)


def negotiate(accept: str, override: str | None) -> tuple[str, ...]:
    """Result format names in the client's order of preference (``format=`` wins over ``Accept``).

    >>> negotiate("text/csv;q=0.5, application/sparql-results+json", None)
    ('json', 'csv')
    """
    if override:
        name = MEDIA_TO_FORMAT.get(override.lower(), override.lower())
        return (name,)
    prefs = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                with contextlib.suppress(ValueError):
                    q = float(p[2:])
        if media.lower() in MEDIA_TO_FORMAT and q > 0:
            prefs.append((-q, i, MEDIA_TO_FORMAT[media.lower()]))
    return tuple(dict.fromkeys(name for *_, name in sorted(prefs)))


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message.rstrip("\n") + "\n", status_code=status, headers=headers)


def _refuse_update() -> Response:
    return _text(403, "read-only: this endpoint answers SPARQL queries only; updates are refused")


async def _read_body(request: Request, limit: int) -> bytes | None:
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def sparql(request: Request) -> Response:
    s: Settings = request.app.state.settings
    params = parse_qs(request.url.query, keep_blank_values=True)
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            return _refuse_update()
        body = await _read_body(request, s.max_body)
        if body is None:
            return _text(413, f"request body too large (at most {s.max_body} bytes)")
        if ctype == "application/x-www-form-urlencoded":
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                return _text(400, "form body is not UTF-8")
            for k, v in form.items():
                params.setdefault(k, []).extend(v)
        elif ctype == "application/sparql-query":
            try:
                params.setdefault("query", []).append(body.decode("utf-8"))
            except UnicodeDecodeError:
                return _text(400, "query body is not UTF-8")
        else:
            return _text(415, "POST a form (application/x-www-form-urlencoded) or application/sparql-query")
    if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
        return _refuse_update()
    queries = params.get("query", [])
    if len(queries) != 1:
        return _text(400, "give exactly one 'query' parameter (SPARQL 1.1 Protocol)")
    graph_uris = tuple(params.get("default-graph-uri", []) + params.get("named-graph-uri", []))
    try:
        check_read_only(queries[0], graph_uris)
    except QueryError as exc:
        return _text(403 if str(exc).startswith("read-only") else 400, str(exc))
    fmt = params.get("format", [None])[0] or params.get("output", [None])[0]
    accept = negotiate(request.headers.get("accept", ""), fmt)
    job = Job(queries[0], accept, s.row_cap, graph_uris)
    state = s.state
    if state["pending"] >= s.max_pending:
        return _text(429, "too many queries waiting; retry later", {"Retry-After": "1"})
    state["pending"] += 1
    try:
        wait = s.queue_wait if s.queue_wait is not None else s.deadline + 5
        answer = await asyncio.to_thread(state["pool"].run, job, s.deadline, wait)
    except Deadline as exc:
        return _text(503, str(exc))
    except queue.Empty:
        return _text(503, "all query workers are busy; retry later", {"Retry-After": "2"})
    finally:
        state["pending"] -= 1
    headers = {"X-KG-Truncated": "true"} if answer.truncated else {}
    if answer.status == 200 and answer.truncated:
        headers["Warning"] = f'199 kg "results cut at {s.row_cap} rows"'
    return Response(answer.body, status_code=answer.status, media_type=answer.media_type, headers=headers)


def _views(s: Settings) -> dict[str, Path]:
    """The files ``/views/`` may serve: regular .html files directly in the exports folder, no symlinks."""
    root = (s.views_dir or s.graph.parent).resolve()
    out: dict[str, Path] = {}
    with contextlib.suppress(OSError):
        for entry in os.scandir(root):
            if entry.name.endswith(VIEW_SUFFIXES) and entry.is_file(follow_symlinks=False):
                out[entry.name] = root / entry.name
    return out


async def view(request: Request) -> Response:
    name = request.path_params["name"]
    path = _views(request.app.state.settings).get(name)
    if path is None:
        return _text(404, "not found")
    try:
        data = path.read_bytes()
    except OSError:
        return _text(404, "not found")
    return Response(data, media_type="text/html; charset=utf-8")


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL endpoint</title>
<style>body{{font:15px system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em}}
textarea{{width:100%;height:14em;font:13px monospace}}pre{{background:#f4f4f4;padding:.5em;overflow:auto}}</style>
</head><body>
<h1>kg SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 Protocol at <code>/sparql</code> (GET <code>?query=</code>, POST form or
<code>application/sparql-query</code>); queries stop after {deadline:g} s and return at most {cap} rows.</p>
<form action="sparql" method="get">
<textarea name="query">{example}</textarea>
<p><label>Format <select name="format">
<option value="json">SPARQL Results JSON</option><option value="xml">XML</option><option value="csv">CSV</option>
<option value="tsv">TSV</option><option value="turtle">Turtle (CONSTRUCT/DESCRIBE)</option></select></label>
<button type="submit">Run</button></p></form>
<h2>Views</h2><ul>{views}</ul>
<h2>Named queries</h2>{named}
</body></html>
"""

EXAMPLE = """PREFIX kg: <https://w3id.org/kg-ml/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label ?papers WHERE { ?d a kg:Dataset ; rdfs:label ?label ; kg:paperCount ?papers }
ORDER BY DESC(?papers) LIMIT 10"""


async def page(request: Request) -> Response:
    from kg.query.named import library

    s: Settings = request.app.state.settings
    views = "".join(
        f'<li><a href="views/{html.escape(n)}">{html.escape(n)}</a></li>' for n in sorted(_views(s))
    )
    named = "".join(
        f"<details><summary><b>{html.escape(q.name)}</b>: {html.escape(q.description)}</summary>"
        f"<pre>{html.escape(q.text)}</pre></details>"
        for q in library().values()
    )
    body = PAGE.format(deadline=s.deadline, cap=s.row_cap, example=html.escape(EXAMPLE), views=views or "<li>none</li>",
                       named=named)  # fmt: skip
    return HTMLResponse(
        body,
        headers={
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"
        },
    )


class GuardMiddleware:
    """Host header check, Origin check (no cross-site requests unless allowed) and CORS for allowed origins."""

    def __init__(self, app: Any, settings: Settings) -> None:
        self.app = app
        self.s = settings

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        hostname = urlsplit("//" + host).hostname or ""
        allowed = {"127.0.0.1", "localhost", "::1", *self.s.allowed_hosts}
        if hostname not in allowed:
            return await _text(403, f"host {host!r} not allowed (kg serve --allow-host NAME)")(
                scope, receive, send
            )
        origin = headers.get("origin")
        extra: list[tuple[bytes, bytes]] = [(b"x-content-type-options", b"nosniff")]
        if origin and origin != "null" and urlsplit(origin).netloc != host:
            if origin not in self.s.cors_origins:
                return await _text(403, f"cross-origin request from {origin} refused")(scope, receive, send)
            extra.append((b"access-control-allow-origin", origin.encode("latin-1")))
            extra.append((b"vary", b"Origin"))
            if scope["method"] == "OPTIONS":
                resp = Response(status_code=204, headers={
                    "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Methods": "GET, POST",
                    "Access-Control-Allow-Headers": "Content-Type, Accept", "Vary": "Origin"})  # fmt: skip
                return await resp(scope, receive, send)
        elif origin == "null":
            return await _text(403, "cross-origin request from a null origin refused")(scope, receive, send)

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(settings: Settings) -> Any:
    """The ASGI app; the worker pool starts with the app (lifespan) and stops with it."""
    from kg.query.store import cached_store_path

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # in memory by default: 4-8x faster per query than the on-disk store at 1M triples (bench/RESULTS.md),
        # paid once per worker start (parse) and in memory (each worker holds the graph)
        store_path = None
        if settings.store == "disk":
            store_path = await asyncio.to_thread(cached_store_path, settings.graph)
        pool = await asyncio.to_thread(
            WorkerPool, settings.graph, size=settings.workers, store_path=store_path
        )
        settings.state.update(pool=pool, pending=0)
        try:
            yield
        finally:
            await asyncio.to_thread(pool.close)

    app = Starlette(
        routes=[
            Route("/", page),
            Route("/sparql", sparql, methods=["GET", "POST"]),
            Route("/query", sparql, methods=["GET", "POST"]),
            Route("/views/{name}", view),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    return GuardMiddleware(app, settings)
