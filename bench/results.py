"""Shared by the bench scripts: print a result table and keep it in bench/RESULTS.md, the running record."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def publish(lines: list[str], append: bool = True) -> None:
    """Print the lines; append them to bench/RESULTS.md unless ``append`` is false (``--no-append``)."""
    text = "\n".join(lines)
    print(text)
    if append:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write(text + "\n")
