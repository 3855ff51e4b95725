"""Decode input files line by line so a bad byte is reported with its line and column, not a byte offset.

Files are read as bytes and decoded one line at a time: memory stays flat for multi-gigabyte inputs, and a
``UnicodeDecodeError`` can be turned into ``path:line:col: byte 0xE9 is not valid utf-8 (…)``.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from pathlib import Path

from kg.errors import InputError

_BOM = "\ufeff"


def codec_name(encoding: str) -> str:
    """Canonical codec name (``UTF8`` -> ``utf-8``); an unknown encoding is a user error, not a traceback."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r} (use e.g. --encoding utf-8 or latin-1)") from None


def _ascii_compatible(encoding: str) -> bool:
    return "\n".encode(encoding) == b"\n"


def iter_lines(path: Path, encoding: str = "utf-8", display: str | None = None) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, text)`` with line endings kept; a leading UTF-8 BOM is dropped silently.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"; _ = p.write_bytes(b"\\xef\\xbb\\xbfhi\\nthere")
    >>> list(iter_lines(p))
    [(1, 'hi\\n'), (2, 'there')]
    """
    name = codec_name(encoding)
    where = display or str(path)
    if not _ascii_compatible(name):  # UTF-16/32: bytes b"\n" are not line breaks; let io split the lines
        yield from _iter_wide(path, name, where)
        return
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            try:
                text = raw.decode(name)
            except UnicodeDecodeError as e:
                col = len(raw[: e.start].decode(name, errors="replace")) + 1
                bad = raw[e.start]
                raise InputError(
                    f"byte 0x{bad:02X} is not valid {name} "
                    f"(re-run with --encoding latin-1, or --skip-bad-files)",
                    f"{where}:{number}:{col}",
                ) from None
            if number == 1 and text.startswith(_BOM):
                text = text[1:]
            yield number, text


def _iter_wide(path: Path, name: str, where: str) -> Iterator[tuple[int, str]]:
    number = 0
    with path.open("rb") as raw, io.TextIOWrapper(raw, encoding=name, newline="") as f:
        try:
            for number, text in enumerate(f, start=1):
                yield number, (text[1:] if number == 1 and text.startswith(_BOM) else text)
        except UnicodeDecodeError as e:
            raise InputError(
                f"text is not valid {name}: {e.reason} (re-run with another --encoding, or --skip-bad-files)",
                f"{where}:{number + 1}",
            ) from None


def read_text(path: Path, encoding: str = "utf-8", display: str | None = None) -> str:
    """Whole file as text, decoded with the same checks as :func:`iter_lines` (for formats parsed whole)."""
    return "".join(text for _, text in iter_lines(path, encoding, display))


def read_head(path: Path, n: int = 65536) -> bytes:
    """First ``n`` bytes (BOM removed) for format sniffing."""
    with path.open("rb") as f:
        head = f.read(n)
    return head[3:] if head.startswith(codecs.BOM_UTF8) else head
