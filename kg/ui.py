"""Terminal output for humans: a progress bar on stderr while extracting, a summary table at the end."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
from rich.progress import Progress as _RichProgress
from rich.table import Table

console = Console(stderr=True)


class Progress:
    """A bar that appears once the number of papers is known; silent when disabled or not a terminal."""

    def __init__(self, disable: bool = False) -> None:
        self._bar = _RichProgress(
            TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=console, disable=disable, transient=True,
        )  # fmt: skip
        self._task: Any = None

    def __enter__(self) -> Progress:
        self._bar.__enter__()
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._bar.__exit__(et, ev, tb)

    def start(self, total: int) -> None:
        self._task = self._bar.add_task("extract", total=total)

    def advance(self) -> None:
        if self._task is not None:
            self._bar.advance(self._task)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def print_summary(result: Any, out_dir: Path) -> None:
    c = result.counts
    t = Table(title=f"kg build: {out_dir}", show_header=False, box=None)
    t.add_row("records read / skipped", f"{c.get('records_read', 0)} / {c.get('records_skipped', 0)}")
    t.add_row("unique papers", str(c.get("papers", 0)))
    for ty in ("model", "method", "dataset", "task", "metric"):
        t.add_row(f"{ty} entities", str(c.get(f"entities_{ty}", 0)))
    t.add_row("links", str(c.get("links", 0)))
    t.add_row("triples", str(c.get("triples", 0)))
    for name, size in result.outputs.items():
        t.add_row(f"wrote {name}", _size(size))
    warnings = sum(1 for i in result.report.issues if i.severity == "warning")
    skipped = sum(1 for i in result.report.issues if i.severity == "skipped")
    t.add_row("warnings / skipped", f"{warnings} / {skipped} (see build-report.json)")
    t.add_row("time", f"{result.seconds:.1f} s")
    console.print(t)
