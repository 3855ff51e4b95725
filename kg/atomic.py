"""Atomic file writes: temp file in the target directory, fsync, rename. A crash never leaves a half export."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from kg.errors import OutputError

TEMP_PREFIX = ".kg-tmp-"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_open(
    path: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8", *, durable: bool = True
) -> Iterator[IO]:
    """Open a temp file beside ``path``; on success it replaces ``path``, on error it is removed.

    ``durable=False`` skips the fsync: the rename still never shows a half-written file to a crashed or killed
    process, but after a power cut the new file may be empty. For thousands of small regenerable pages, where
    one fsync each costs more than writing them.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_open(d / "x.txt") as fh:
    ...     _ = fh.write("hi")
    >>> (d / "x.txt").read_text()
    'hi'
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=target.suffix, dir=target.parent)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; exports are ordinary files
    except OSError as exc:
        raise OutputError(
            f"cannot write {target}: {exc.strerror or exc} (check the directory and free space)"
        ) from exc
    binary = "b" in mode
    try:
        with os.fdopen(fd, mode, encoding=None if binary else encoding, newline=None if binary else "") as fh:
            yield fh
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            msg = os.strerror(exc.errno) if exc.errno else str(exc)
            if exc.errno == errno.ENOSPC:
                msg = "No space left on device"
            raise OutputError(f"cannot write {target}: {msg}") from exc
        raise


def write_text(path: str | os.PathLike[str], text: str, *, durable: bool = True) -> None:
    """Write ``text`` atomically as UTF-8 with ``\\n`` line ends (``durable``: see :func:`atomic_open`)."""
    with atomic_open(path, "w", durable=durable) as fh:
        fh.write(text)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` atomically."""
    with atomic_open(path, "wb") as fh:
        fh.write(data)


def remove_stale_temps(directory: str | os.PathLike[str]) -> int:
    """Delete temp files a killed run left behind; returns how many."""
    n = 0
    d = Path(directory)
    if d.is_dir():
        for p in d.rglob(TEMP_PREFIX + "*"):
            with contextlib.suppress(OSError):
                p.unlink()
                n += 1
    return n


def file_sha256(path: str | os.PathLike[str]) -> str:
    """Hex digest of a file, streamed (a skipped input is identified by it; the query store is keyed by it)."""
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
