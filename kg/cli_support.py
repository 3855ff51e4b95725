"""What every command shares: user errors as one line with their exit code, and the default inputs."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from kg.errors import KGError


def clean_errors(f: Callable[..., Any]) -> Callable[..., Any]:
    """Turn KGError into ``kg: error: …`` on stderr with its exit code; no traceback for user mistakes."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except KGError as exc:
            click.echo(f"kg: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("kg: interrupted; previous outputs are intact", err=True)
            sys.exit(130)

    return wrapper


def default_inputs(inputs: Sequence[Path]) -> list[Path]:
    """The INPUT arguments, or ./seeds when there are none."""
    if inputs:
        return list(inputs)
    if not Path("seeds").is_dir():
        raise KGError("no INPUT given and no ./seeds folder here (pass files or folders of papers)")
    return [Path("seeds")]
