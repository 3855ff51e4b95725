"""One root error for everything a user can cause; the CLI prints it as one line, exit 1."""

from __future__ import annotations


class KGError(Exception):
    """A problem the user can fix. The message says what happened and what to do."""

    exit_code = 1


class InputError(KGError):
    """Unreadable or malformed input. ``location`` is ``path:line[:col]`` when known."""

    def __init__(self, message: str, location: str | None = None) -> None:
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)


class OutputError(KGError):
    """An output could not be written (disk full, read-only directory, …)."""


class QueryError(KGError):
    """A SPARQL query is malformed or refused."""

    exit_code = 2
