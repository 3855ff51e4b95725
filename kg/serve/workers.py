"""Queries run in worker processes that can be killed: pyoxigraph has no timeout, so the deadline is a SIGKILL.

Each worker loads the Turtle into memory (the default: queries are 4-8x faster than on the on-disk store) or
opens the cached on-disk store read-only (several processes can share it; ``kg serve --store disk``). The server hands a worker one job at a time over a pipe and waits for the
answer at most ``deadline`` seconds; past it the worker is killed and a fresh one is started in the
background, so an endless query costs one worker for ``deadline`` seconds and nothing else.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kg.errors import QueryError


@dataclass(frozen=True)
class Job:
    query: str
    accept: tuple[str, ...]  # result format names in order of preference
    row_cap: int
    graph_uris: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    status: int
    media_type: str
    body: bytes
    truncated: bool = False


def pick_format(kind: str, accept: tuple[str, ...]) -> str:
    from kg.query.results import FORMATS

    for name in accept:
        f = FORMATS.get(name)
        if f is not None and kind in f.kinds:
            return name
    return "turtle" if kind == "graph" else "json"


def answer_job(store: Any, job: Job) -> Answer:
    """Evaluate one job on ``store`` (in the worker process)."""
    from kg.query.results import FORMATS, execute

    try:
        result = execute(store, job.query, limit=job.row_cap, graph_uris=job.graph_uris)
    except QueryError as exc:
        status = 403 if str(exc).startswith("read-only") else 400
        return Answer(status, "text/plain; charset=utf-8", (str(exc) + "\n").encode())
    fmt = FORMATS[pick_format(result.kind, job.accept)]
    media = fmt.media_type + ("; charset=utf-8" if fmt.media_type.startswith("text/") else "")
    return Answer(200, media, fmt.writer(result).encode("utf-8"), result.truncated)


def _worker_main(conn: Connection, store_path: str | None, graph: str) -> None:
    import pyoxigraph as ox

    if store_path:
        store = ox.Store.read_only(store_path)
    else:
        store = ox.Store()
        store.bulk_load(path=graph, format=ox.RdfFormat.TURTLE)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        try:
            conn.send(answer_job(store, job))
        except Exception as exc:  # noqa: BLE001 - report anything to the server rather than die silently
            conn.send(Answer(500, "text/plain; charset=utf-8", f"internal error: {exc}\n".encode()))


class Worker:
    def __init__(self, ctx: Any, store_path: str | None, graph: str) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, store_path, graph), daemon=True)
        self.proc.start()
        child.close()

    def wait_ready(self, timeout: float) -> bool:
        return self.conn.poll(timeout) and self.conn.recv() == "ready"

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
            self.proc.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()


class Deadline(Exception):
    """The query ran past its deadline and its worker was killed."""


class WorkerPool:
    """``size`` worker processes; :meth:`run` blocks (call it from a thread) until an answer or the deadline."""

    def __init__(
        self, graph: Path, *, size: int = 2, store_path: Path | None = None, start_timeout: float = 120
    ) -> None:
        self.ctx = mp.get_context("spawn")
        self.graph = str(graph)
        self.store_path = str(store_path) if store_path else None
        self.start_timeout = start_timeout
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.size = size
        self.closed = False
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        starters = [self._spawn() for _ in range(size)]
        for w in starters:
            self._ready(w)

    def _spawn(self) -> Worker:
        w = Worker(self.ctx, self.store_path, self.graph)
        with self._lock:
            self._all.add(w)
        return w

    def _ready(self, w: Worker) -> None:
        if w.wait_ready(self.start_timeout) and not self.closed:
            self.idle.put(w)
        else:
            self._discard(w)

    def _discard(self, w: Worker) -> None:
        w.kill()
        with self._lock:
            self._all.discard(w)

    def _replace(self) -> None:
        if not self.closed:
            threading.Thread(target=lambda: self._ready(self._spawn()), daemon=True).start()

    def run(self, job: Job, deadline: float, wait: float) -> Answer:
        """Answer ``job``; raises :class:`Deadline` past ``deadline`` s, ``queue.Empty`` if no worker in ``wait`` s."""
        w = self.idle.get(timeout=wait)
        started = time.monotonic()
        try:
            w.conn.send(job)
            if w.conn.poll(deadline):
                answer = w.conn.recv()
                self.idle.put(w)
                return answer
        except (EOFError, OSError, BrokenPipeError):
            self._discard(w)
            self._replace()
            return Answer(500, "text/plain; charset=utf-8", b"query worker died; retry\n")
        self._discard(w)
        self._replace()
        raise Deadline(f"query exceeded {deadline:g} s and was stopped ({time.monotonic() - started:.1f} s)")

    def close(self) -> None:
        self.closed = True
        with self._lock:
            workers = list(self._all)
        for w in workers:
            with contextlib.suppress(Exception):
                w.conn.send(None)
            self._discard(w)
