"""The named-query library: ``kg/queries/*.rq`` files with a comment header, parameters bound safely.

Header grammar (``#`` comment lines at the top of the file)::

    # name: datasets-for-task
    # description: Datasets used by papers that address a task, with how many papers.
    # param: task = "image classification" -- task label, case-insensitive
    # param: min = 1 (integer) -- smallest paper count
    # limit: 20

Each parameter is a SPARQL variable of the same name (``?task``). Its value is bound as an RDF term through
pyoxigraph's ``substitutions`` (SEP-0007), never pasted into the query text, so a value cannot change the
query. Kinds: ``string`` (default), ``integer``, ``iri``. ``limit`` is the default row cap (``--limit``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import KGError, QueryError

_PARAM = re.compile(
    r'^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:=\s*(?P<default>"[^"]*"|\S+))?\s*'
    r"(?:\((?P<kind>string|integer|iri)\))?\s*(?:--\s*(?P<help>.*))?$"
)


@dataclass(frozen=True)
class Param:
    name: str
    default: str | None
    kind: str = "string"
    help: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    text: str
    limit: int | None = None
    path: str = ""


def parse_named_query(text: str, path: str = "<string>") -> NamedQuery:
    """Read the header of one ``.rq`` file.

    >>> q = parse_named_query('# name: x\\n# description: d\\n# param: task = "a b" -- t\\nSELECT ?task {}')
    >>> q.name, q.params[0].default
    ('x', 'a b')
    """
    fields: dict[str, str] = {}
    params: list[Param] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s.startswith("#"):
            break
        key, sep, value = s.lstrip("#").strip().partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "param":
            m = _PARAM.match(value)
            if not m:
                raise KGError(f"{path}:{lineno}: bad param line {value!r} (name = default (kind) -- help)")
            default = m["default"]
            if default is not None and default.startswith('"'):
                default = default[1:-1]
            params.append(Param(m["name"], default, m["kind"] or "string", (m["help"] or "").strip()))
        elif key in ("name", "description", "limit"):
            fields[key] = value
    if "name" not in fields:
        raise KGError(f"{path}: named query without a '# name:' header line")
    limit = int(fields["limit"]) if fields.get("limit", "").isdigit() else None
    return NamedQuery(fields["name"], fields.get("description", ""), tuple(params), text, limit, path)


def library(extra: Path | None = None) -> dict[str, NamedQuery]:
    """All named queries shipped in ``kg/queries`` (plus ``*.rq`` in ``extra``), by name."""
    out: dict[str, NamedQuery] = {}
    files = [(f.name, f.read_text(encoding="utf-8")) for f in resources.files("kg.queries").iterdir()
             if f.name.endswith(".rq")]  # fmt: skip
    if extra is not None:
        files += [(str(p), p.read_text(encoding="utf-8")) for p in sorted(extra.glob("*.rq"))]
    for path, text in sorted(files):
        q = parse_named_query(text, path)
        out[q.name] = q
    return out


def bind(query: NamedQuery, values: dict[str, str | None]) -> dict[Any, Any]:
    """Turn parameter values (or their defaults) into pyoxigraph substitutions; refuses unknown or missing."""
    import pyoxigraph as ox

    known = {p.name for p in query.params}
    unknown = sorted(k for k, v in values.items() if v is not None and k not in known)
    if unknown:
        raise QueryError(f"{query.name}: unknown parameter {', '.join(unknown)} (has: {', '.join(sorted(known)) or 'none'})")
    subs: dict[Any, Any] = {}
    for p in query.params:
        value = values.get(p.name)
        if value is None:
            value = p.default
        if value is None:
            raise QueryError(f"{query.name}: missing --{p.name.replace('_', '-')} ({p.help or p.kind})")
        if p.kind == "integer":
            try:
                term = ox.Literal(str(int(value)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
            except ValueError:
                raise QueryError(f"{query.name}: --{p.name} must be an integer, not {value!r}") from None
        elif p.kind == "iri":
            try:
                term = ox.NamedNode(value)
            except ValueError as exc:
                raise QueryError(f"{query.name}: --{p.name} is not a valid IRI: {exc}") from None
        else:
            term = ox.Literal(value)
        subs[ox.Variable(p.name)] = term
    return subs
