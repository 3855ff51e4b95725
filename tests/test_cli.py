"""The command line through click's runner: help everywhere, one-line errors, the documented commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import __version__
from kg.cli import cli
from tests.conftest import ROOT, SEEDS

COMMANDS = sorted(cli.commands)


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output and len(cli.commands[command].help or "") > 20


def test_readme_documents_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"kg {command}" in readme, command


def test_extract_writes_guidelines_format(tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    result = CliRunner().invoke(cli, ["extract", str(SEEDS / "000_e30ead69c02cfd1f.txt"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert recs and all({"id", "title", "entities"} <= r.keys() for r in recs)
    ent = next(e for r in recs for e in r["entities"])
    assert {"name", "type", "role", "aliases"} <= ent.keys()
    assert ent["type"] in {"Model", "Method", "Dataset", "Task", "Metric"} and ent["role"] in {
        "proposed",
        "used",
    }


def test_build_cli(hostile_jsonl: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(hostile_jsonl), "-o", str(tmp_path / "e"), "-q"])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "e" / "build-report.json").read_text(encoding="utf-8"))
    assert report["counts"]["papers"] == 3


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["build", "does-not-exist.jsonl"], "does-not-exist.jsonl"),
        (["build", "--base", "not an iri"], "base"),
        (["eval", "--gold", "missing.jsonl"], "missing.jsonl"),
    ],
)
def test_user_mistakes_give_one_line_and_no_traceback(args: list[str], needle: str, tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "kg", *args, "-q"] if args[0] == "build" else
                          [sys.executable, "-m", "kg", *args], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert proc.returncode in (1, 2)
    assert "Traceback" not in proc.stderr
    assert needle in proc.stderr
    assert len(proc.stderr.strip().splitlines()) <= 3


def test_latin1_file_names_line_and_byte(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Title one\n\nAn abstract about caf\xe9 models.\n")
    proc = subprocess.run([sys.executable, "-m", "kg", "build", str(bad), "-o", str(tmp_path / "o"), "-q"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 1
    assert "bad.txt:3" in proc.stderr and "0XE9" in proc.stderr.upper() and "Traceback" not in proc.stderr


def test_ci_runs_the_readme_test_command() -> None:
    """The README's second quick-start command is exactly what CI runs."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2
    assert "kg build" in commands[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()
