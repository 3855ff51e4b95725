"""The embedded pyoxigraph store behind ``kg query`` and ``kg serve``, cached on disk beside the Turtle.

Parsing the seed graph takes a fraction of a second but 1M triples take seconds, so the loaded store is kept in
``<exports>/.kg-store/<sha256 prefix>/`` and reused while the Turtle is unchanged (same size and mtime, or
same sha256). A new store is built in a temp folder and renamed into place, so a crash never leaves a half
store; older stores are removed. If the exports folder is read-only, the graph is loaded into memory instead.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from kg.atomic import file_sha256
from kg.errors import KGError

if TYPE_CHECKING:
    import pyoxigraph

CACHE_DIR = ".kg-store"


def _stamp(path: Path) -> dict[str, int]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _check_graph(graph: Path) -> None:
    if not graph.is_file():
        raise KGError(f"no graph at {graph} (run `kg build` first, or pass --graph PATH)")


def cached_store_path(graph: Path) -> Path | None:
    """The folder of an up-to-date on-disk store for ``graph``, building it if needed; None if unwritable."""
    import pyoxigraph as ox

    _check_graph(graph)
    cache = graph.parent / CACHE_DIR
    meta_path = cache / (graph.name + ".json")
    stamp = _stamp(graph)
    meta: dict = {}
    with contextlib.suppress(OSError, ValueError):
        meta = json.loads(meta_path.read_text())
    if meta.get("stamp") == stamp and (cache / meta.get("dir", "\0")).is_dir():
        return cache / meta["dir"]
    digest = file_sha256(graph)
    name = f"{graph.stem}-{digest[:16]}"
    target = cache / name
    try:
        cache.mkdir(exist_ok=True)
        if not target.is_dir():
            tmp = cache / f".tmp-{name}-{os.getpid()}"
            shutil.rmtree(tmp, ignore_errors=True)
            store = ox.Store(str(tmp))
            try:
                store.bulk_load(path=str(graph), format=ox.RdfFormat.TURTLE)
            except SyntaxError as exc:
                raise KGError(f"{graph}: not valid Turtle: {exc}") from exc
            store.flush()
            del store
            gc.collect()
            os.replace(tmp, target)
        from kg import atomic

        atomic.write_text(meta_path, json.dumps({"stamp": stamp, "sha256": digest, "dir": name}))
        for old in cache.iterdir():
            if old.is_dir() and old.name.startswith(graph.stem + "-") and old.name != name:
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        return None
    return target


def open_store(graph: Path, *, cache: bool = True) -> pyoxigraph.Store:
    """Open a read-only store for the Turtle file ``graph`` (cached on disk unless ``cache`` is False).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "g.ttl").write_text("<urn:a> <urn:b> <urn:c> .")
    >>> len(open_store(d / "g.ttl"))
    1
    """
    import pyoxigraph as ox

    _check_graph(graph)
    path = cached_store_path(graph) if cache else None
    if path is not None:
        try:
            return ox.Store.read_only(str(path))
        except OSError:
            pass
    store = ox.Store()
    try:
        store.bulk_load(path=str(graph), format=ox.RdfFormat.TURTLE)
    except SyntaxError as exc:
        raise KGError(f"{graph}: not valid Turtle: {exc}") from exc
    return store
