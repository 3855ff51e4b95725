"""``kg push``: load the built graph into an external store through the SPARQL 1.1 Graph Store HTTP Protocol.

``PUT`` replaces the target graph, ``POST`` merges into it; the target is ``?graph=IRI`` (a named graph) or
``?default``. The Turtle is streamed from disk, so memory stays flat whatever the graph's size.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from kg.errors import KGError


@dataclass(frozen=True)
class PushResult:
    url: str
    method: str
    status: int
    bytes_sent: int


def graph_store_url(endpoint: str, graph: str | None) -> str:
    """The request URL for ``graph`` (None = the default graph) on a Graph Store endpoint.

    >>> graph_store_url("http://127.0.0.1:7878/store", "https://w3id.org/kg-ml/graph")
    'http://127.0.0.1:7878/store?graph=https%3A%2F%2Fw3id.org%2Fkg-ml%2Fgraph'
    >>> graph_store_url("http://127.0.0.1:7878/store", None)
    'http://127.0.0.1:7878/store?default'
    """
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise KGError(f"--endpoint {endpoint!r} is not an http(s) URL (e.g. http://127.0.0.1:7878/store)")
    extra = urlencode({"graph": graph}) if graph else "default"
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _chunks(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while chunk := fh.read(size):
            yield chunk


def push(turtle: Path, endpoint: str, *, graph: str | None = None, replace: bool = True,
         headers: dict[str, str] | None = None, timeout: float = 300.0) -> PushResult:  # fmt: skip
    """Send ``turtle`` to the Graph Store at ``endpoint``: PUT (replace) or POST (merge)."""
    import httpx

    if not turtle.is_file():
        raise KGError(f"no graph at {turtle} (run `kg build` first, or pass --file PATH)")
    url = graph_store_url(endpoint, graph)
    method = "PUT" if replace else "POST"
    size = turtle.stat().st_size
    hdrs = {"Content-Type": "text/turtle", "Content-Length": str(size), **(headers or {})}
    try:
        with httpx.Client(timeout=timeout, trust_env=False) as client:
            r = client.request(method, url, content=_chunks(turtle), headers=hdrs)
    except httpx.HTTPError as exc:
        raise KGError(f"cannot reach {endpoint}: {exc} (is the store running?)") from exc
    if r.status_code >= 300:
        detail = " ".join(r.text.split())[:200]
        raise KGError(
            f"{method} {url} failed: HTTP {r.status_code} {detail} (is this a Graph Store endpoint, e.g. /store?)"
        )
    return PushResult(url, method, r.status_code, size)
