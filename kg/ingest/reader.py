"""Read every input file into ``Paper`` records: the one entry point the pipeline streams from.

Per file: refuse it before reading if it is over ``max_input_bytes``; detect its format; turn each raw record
into a clean ``Paper`` (or a report entry saying why not). Malformed files raise one-line ``InputError``s
naming ``path:line:col``; with ``skip_bad_files`` such a file is skipped as a whole (recorded with its
sha256) and nothing from it reaches the output or the report, so "file skipped" means exactly that.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from kg.atomic import file_sha256
from kg.errors import InputError
from kg.ingest.base import ParseError, Rejected
from kg.ingest.detect import detect_format, find_inputs
from kg.ingest.papers import make_paper
from kg.ingest.textio import codec_name
from kg.records import Paper, Report


def _display(path: Path) -> str:
    """The path as the user wrote it, with ``/`` separators, so report locations are stable across systems."""
    return path.as_posix()


def read_file(
    path: Path, report: Report, *, encoding: str = "utf-8", max_input_bytes: int | None = 1 << 30
) -> Iterator[Paper]:
    """Stream the papers of one file (not deduplicated). Raises ``InputError`` for a malformed file."""
    name = _display(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror} (check the path and permissions)", name) from None
    if max_input_bytes is not None and size > max_input_bytes:
        raise InputError(
            f"file is {size} bytes, over the limit of {max_input_bytes} "
            "(raise --max-input-bytes or split the file)",
            name,
        )
    kept = 0
    try:
        fmt = detect_format(path)
        for item in fmt.read(path, encoding, name):
            report.bump("records_read")
            if isinstance(item, Rejected):
                report.skip(item.kind, item.message, f"{name}:{item.line}")
                report.bump("records_skipped")
                continue
            paper = make_paper(item, name, report)
            if paper is None:
                report.bump("records_skipped")
                continue
            kept += 1
            yield paper
    except ParseError as e:
        raise InputError(e.message, e.location(name)) from None
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e} (check the path and permissions)", name) from None
    if kept == 0:
        report.warn("empty", f"0 papers in {name}", name)


def _merge(into: Report, sub: Report) -> None:
    into.issues.extend(sub.issues)
    for counter, n in sub.counts.items():
        into.bump(counter, n)


def iter_papers(
    inputs: Sequence[str | Path],
    report: Report,
    *,
    encoding: str = "utf-8",
    skip_bad_files: bool = False,
    max_input_bytes: int | None = 1 << 30,
) -> Iterator[Paper]:
    """Stream one Paper per input record (NOT deduplicated), each with exactly one Source(path, line, date).

    Without ``skip_bad_files`` papers are streamed as read and the first bad file raises ``InputError``.
    With it, each file is read completely before its papers are released (memory: one file's papers), so a
    file that fails half-way contributes nothing but one ``bad-file`` entry (with its sha256).

    >>> r = Report()
    >>> len(list(iter_papers(["seeds"], r))), r.counts["records_read"]
    (386, 386)
    """
    codec_name(encoding)  # an unknown --encoding fails before any file is touched
    for counter in ("records_read", "records_skipped"):
        report.bump(counter, 0)  # present in the report even when nothing was read or skipped
    for path in find_inputs(inputs, report):
        if not skip_bad_files:
            yield from read_file(path, report, encoding=encoding, max_input_bytes=max_input_bytes)
            continue
        sub = Report()
        try:
            papers = list(read_file(path, sub, encoding=encoding, max_input_bytes=max_input_bytes))
        except InputError as e:
            try:
                digest = f"sha256 {file_sha256(path)}"
            except OSError:
                digest = "sha256 unavailable"
            report.skip("bad-file", f"{e}; whole file skipped ({digest})", _display(path))
            continue
        _merge(report, sub)
        yield from papers
