"""The named-query library: ``kg/queries/*.rq`` files with a comment header, parameters bound safely.

Header grammar (``#`` comment lines at the top of the file)::

    # name: datasets-for-task
    # description: Datasets used by papers that address a task, with how many papers.
    # param: task = "image classification" -- task label, case-insensitive
    # param: min = 1 (integer) -- smallest paper count
    # limit: 20

Each parameter is a SPARQL variable of the same name (``?task``). Its value becomes an RDF term object
(pyoxigraph ``Literal``/``NamedNode``, which validates it) serialised in N-Triples form, i.e. with every quote,
backslash and line break escaped, and bound with a ``VALUES`` block inserted at the start of the ``WHERE``
group; after insertion the lexer of :mod:`kg.query.safety` checks the block is exactly one term per value, so
a value can never change the query. (pyoxigraph's ``substitutions`` only bind *projected* variables, which
would force parameters into every result row.) Kinds: ``string`` (default), ``integer``, ``iri``. ``limit``
is the default row cap (``--limit``).
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
    r"(?:\((?P<kind>string|integer|iri|label|title)\))?\s*(?:--\s*(?P<help>.*))?$"
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
    folder = resources.files("kg") / "queries"
    files = [(f.name, f.read_text(encoding="utf-8")) for f in folder.iterdir() if f.name.endswith(".rq")]
    if extra is not None:
        files += [(str(p), p.read_text(encoding="utf-8")) for p in sorted(extra.glob("*.rq"))]
    for path, text in sorted(files):
        q = parse_named_query(text, path)
        out[q.name] = q
    return out


RESOLVE = {
    "label": "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>"
    " SELECT DISTINCT ?hit WHERE { ?e rdfs:label|skos:altLabel ?hit . FILTER(LCASE(STR(?hit)) = LCASE(STR(?v))) }"
    " LIMIT 100",
    "title": "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT DISTINCT ?hit WHERE { ?p dcterms:title ?hit ."
    " FILTER(CONTAINS(LCASE(STR(?hit)), LCASE(STR(?v)))) } LIMIT 1000",
}


def _resolve(store: Any, kind: str, term: Any) -> list[Any]:
    """The exact spellings in ``store`` a ``label``/``title`` value stands for (the value itself if none)."""
    text = insert_values(RESOLVE[kind], {"v": [term]})
    hits = [row[0] for row in store.query(text)]
    if kind == "label":
        hits.append(term)
    return list(dict.fromkeys(hits)) or [term]


def bind(query: NamedQuery, values: dict[str, str | None], store: Any = None) -> str:
    """The query text with parameter values (or their defaults) bound; refuses unknown or missing ones.

    With a ``store``, ``label`` and ``title`` parameters are first resolved to the exact strings in it.

    >>> q = parse_named_query("# name: x\\n# param: t\\nSELECT ?s WHERE { ?s ?p ?t }")
    >>> bind(q, {"t": 'a" } DROP ALL'}).splitlines()[-1]
    'SELECT ?s WHERE { VALUES (?t) { ("a\\\\" } DROP ALL") } ?s ?p ?t }'
    """
    import pyoxigraph as ox

    known = {p.name for p in query.params}
    unknown = sorted(k for k, v in values.items() if v is not None and k not in known)
    if unknown:
        raise QueryError(
            f"{query.name}: unknown parameter {', '.join(unknown)} (has: {', '.join(sorted(known)) or 'none'})"
        )
    subs: dict[str, list[Any]] = {}
    for p in query.params:
        value = values.get(p.name)
        if value is None:
            value = p.default
        if value is None:
            raise QueryError(f"{query.name}: missing --{p.name.replace('_', '-')} ({p.help or p.kind})")
        if p.kind == "integer":
            try:
                term = ox.Literal(
                    str(int(value)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
                )
            except ValueError:
                raise QueryError(f"{query.name}: --{p.name} must be an integer, not {value!r}") from None
        elif p.kind == "iri":
            try:
                term = ox.NamedNode(value)
            except ValueError as exc:
                raise QueryError(f"{query.name}: --{p.name} is not a valid IRI: {exc}") from None
        else:
            term = ox.Literal(value)
        subs[p.name] = _resolve(store, p.kind, term) if store is not None and p.kind in RESOLVE else [term]
    return insert_values(query.text, subs, query.name)


def insert_values(text: str, terms: dict[str, list[Any]], name: str = "query") -> str:
    """Insert ``VALUES (?a ?b) { (a1 b1) (a1 b2) … }`` (every combination) after the ``{`` opening WHERE."""
    import itertools

    from kg.query.safety import tokens

    if not terms:
        return text
    toks = tokens(text)
    pos = None
    for i, (kind, value, _) in enumerate(toks):
        if kind == "word" and value.upper() == "WHERE" and i + 1 < len(toks) and toks[i + 1][1] == "{":
            pos = toks[i + 1][2] + 1
            break
    if pos is None:
        raise KGError(f"{name}: a named query with parameters needs a 'WHERE {{' clause")
    rendered = {k: [str(t) for t in v] for k, v in terms.items()}
    rows = " ".join(f"({' '.join(combo)})" for combo in itertools.product(*rendered.values()))
    block = f" VALUES ({' '.join('?' + k for k in terms)}) {{ {rows} }}"
    for r in itertools.chain.from_iterable(rendered.values()):
        shape = [k if k != "other" else v for k, v, _ in tokens(r)]
        lang_tagged = shape[:2] == ["short", "@"] and all(x in ("word", "-") for x in shape[2:])
        if shape not in (["short"], ["iri"], ["short", "^", "^", "iri"]) and not lang_tagged:
            raise QueryError(f"{name}: parameter value {r!r} could not be bound safely")
    return text[:pos] + block + text[pos:]
