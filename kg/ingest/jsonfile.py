"""JSON Lines (one object per line, streamed) and JSON arrays of objects (parsed whole: acceptable for
files under ``--max-input-bytes``; use JSON Lines for very large inputs).

The standard library is lenient where this project must not be: ``NaN``/``Infinity`` are refused, duplicate
keys are an error (which value wins would be a guess), nesting deeper than :data:`MAX_DEPTH` is refused before
parsing (no ``RecursionError``), and JSON-LD ``@context`` is refused outright, so nothing is ever fetched.
Every error carries the line and column.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from kg.ingest.base import Items, Lines, ParseError, RawRecord
from kg.ingest.textio import iter_lines, read_text

MAX_DEPTH = 64
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]|(?<![\w"])(?:-?Infinity|NaN)(?![\w"])', re.DOTALL)
_CONTEXT_MSG = "JSON-LD @context found: remote/file contexts are not allowed (give plain JSON paper records)"


def _position(text: str, pos: int, line0: int = 1) -> tuple[int, int]:
    line = line0 + text.count("\n", 0, pos)
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _precheck(text: str, line0: int = 1) -> None:
    """Refuse deep nesting and NaN/Infinity with their position, scanning tokens outside strings only."""
    depth = 0
    for m in _TOKENS.finditer(text):
        tok = m.group(0)
        if tok in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                raise ParseError(
                    f"JSON nested deeper than {MAX_DEPTH} levels (flatten the record)",
                    *_position(text, m.start(), line0),
                )
        elif tok in ("]", "}"):
            depth -= 1
        elif tok[0] != '"':
            raise ParseError(
                f"{tok} is not valid JSON (use null or a string)", *_position(text, m.start(), line0)
            )


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"duplicate key {key!r} in one object (keep one)")
        obj[key] = value
    return obj


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON (use null or a string)")


_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_refuse_constant)


def _explain(e: json.JSONDecodeError, text: str) -> str:
    before = text[: e.pos].rstrip()
    if before.endswith(",") and text[e.pos : e.pos + 1] in ("]", "}"):
        return "trailing comma (remove the comma before the closing bracket)"
    if e.msg.startswith("Invalid control character") and text[e.pos : e.pos + 1] in ("\n", "\r"):
        return "unterminated string (close the quote; a JSON Lines record must fit on one line)"
    return f"{e.msg.removesuffix(' at')} (fix the JSON syntax)"


def _decode(text: str, start: int, line0: int) -> tuple[Any, int]:
    """Decode one value at ``start``; errors become ParseError with the line/column in the file."""
    try:
        return _DECODER.raw_decode(text, start)
    except json.JSONDecodeError as e:
        raise ParseError(_explain(e, text), *_position(text, e.pos, line0)) from None
    except ValueError as e:  # duplicate key / NaN raised by our hooks
        raise ParseError(str(e), *_position(text, start, line0)) from None
    except RecursionError:
        raise ParseError(
            f"JSON nested too deeply (max {MAX_DEPTH} levels)", *_position(text, start, line0)
        ) from None


def _record(value: Any, line: int, col: int, what: str) -> RawRecord:
    if not isinstance(value, dict):
        kind = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
            type(value), "a number"
        )
        raise ParseError(f"{what} is {kind}; expected an object with title/abstract fields", line, col)
    if "@context" in value:
        raise ParseError(_CONTEXT_MSG, line, col)
    return RawRecord(line, value)


def parse_jsonl(lines: Lines) -> Items:
    """One record per non-blank line.

    >>> lines = [(1, '{"title": "A"}\\n'), (2, "\\n"), (3, '{"title": "B"}')]
    >>> [r.fields["title"] for r in parse_jsonl(lines)]
    ['A', 'B']
    """
    for number, line in lines:
        if not line.strip():
            continue
        _precheck(line, number)
        start = len(line) - len(line.lstrip())
        value, end = _decode(line, start, number)
        if rest := line[end:].strip():
            col = line.index(rest[0], end) + 1
            raise ParseError("extra data after the JSON object (one object per line)", number, col)
        yield _record(value, number, start + 1, "line")


class _Lines:
    """Offset -> (line, column) for offsets visited in increasing order, without rescanning from the start."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.line = text, 0, 1

    def __call__(self, pos: int) -> tuple[int, int]:
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line, pos - self.text.rfind("\n", 0, pos)


def _top_level_error(text: str, pos: int) -> ParseError:
    value, _ = _decode(text, pos, 1)
    line, col = _position(text, pos)
    if isinstance(value, dict) and "@context" in value:
        return ParseError(_CONTEXT_MSG, line, col)
    kind = "an object" if isinstance(value, dict) else "not an array"
    return ParseError(
        f"the top-level JSON value is {kind}; expected an array of paper objects "
        "(or JSON Lines, one object per line)",
        line,
        col,
    )


def parse_json_array(text: str) -> Items:
    """Records from a top-level array; each record's line is where its object starts.

    >>> [(r.line, r.fields["title"]) for r in parse_json_array('[\\n {"title": "A"},\\n {"title": "B"}\\n]')]
    [(2, 'A'), (3, 'B')]
    """
    if not text.strip():
        return
    _precheck(text)
    skip = re.compile(r"\s*")
    pos = skip.match(text).end()  # type: ignore[union-attr]
    if text[pos : pos + 1] != "[":
        raise _top_level_error(text, pos)
    pos = skip.match(text, pos + 1).end()  # type: ignore[union-attr]
    where = _Lines(text)
    index = 0
    while text[pos : pos + 1] != "]":
        if index:
            if text[pos : pos + 1] != ",":
                raise ParseError("expected ',' or ']' between array elements", *_position(text, pos))
            pos = skip.match(text, pos + 1).end()  # type: ignore[union-attr]
            if text[pos : pos + 1] == "]":
                raise ParseError("trailing comma (remove the comma before ']')", *_position(text, pos))
        if pos >= len(text):
            raise ParseError("file ends inside the array (truncated?)", *_position(text, pos))
        value, end = _decode(text, pos, 1)
        yield _record(value, *where(pos), f"element $[{index}]")
        pos = skip.match(text, end).end()  # type: ignore[union-attr]
        index += 1
    if text[pos + 1 :].strip():
        raise ParseError("extra data after the top-level array", *_position(text, pos + 1))


def read_jsonl(path: Path, encoding: str = "utf-8", display: str | None = None) -> Items:
    return parse_jsonl(iter_lines(path, encoding, display))


def read_json(path: Path, encoding: str = "utf-8", display: str | None = None) -> Items:
    return parse_json_array(read_text(path, encoding, display))
