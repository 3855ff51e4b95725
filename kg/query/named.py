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
would force parameters into every result row.) Kinds: ``string`` (default), ``integer``, ``iri``, ``label``
(bound in ``kg:nameKey`` form, matched against labels and aliases in any case), ``title`` (a phrase of a
title, any case: looked up first, see :data:`TITLE_LOOKUP`). A parameter whose default is ``""`` and whose
value is ``""`` is bound to ``UNDEF``, i.e. matches anything. ``class`` takes an entity type name (``Model``, …) and binds the class IRI. ``limit`` is the default row cap (``--limit``).
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
    r"(?:\((?P<kind>string|integer|iri|label|title|class)\))?\s*(?:--\s*(?P<help>.*))?$"
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


KG_NS = "https://w3id.org/kg-ml/ontology#"
ENTITY_CLASSES = ("Model", "Method", "Dataset", "Task", "Metric")

#: ``title`` parameters are looked up first (a phrase -> the exact titles containing it), then bound: a bound
#: ``?paper dcterms:title ?title`` is an index lookup the engines join from, where a CONTAINS filter in the main
#: query makes pyoxigraph hash-join every paper's links (measured 1 s vs 1 ms at 1M triples).
TITLE_LOOKUP = (
    "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT DISTINCT ?hit WHERE { ?p dcterms:title ?hit ."
    " FILTER(CONTAINS(LCASE(?hit), ?v)) } LIMIT 1000"
)


def _term(query: NamedQuery, p: Param, value: str) -> Any:
    """The RDF term a parameter value is bound as; ``None`` stands for ``UNDEF`` (an optional ``""``)."""
    import pyoxigraph as ox

    if value == "" and p.default == "":
        return None  # an optional parameter left empty matches anything
    if p.kind == "integer":
        try:
            return ox.Literal(
                str(int(value)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
            )
        except ValueError:
            raise QueryError(f"{query.name}: --{p.name} must be an integer, not {value!r}") from None
    if p.kind == "iri":
        try:
            return ox.NamedNode(value)
        except ValueError as exc:
            raise QueryError(f"{query.name}: --{p.name} is not a valid IRI: {exc}") from None
    if p.kind == "label":
        from kg.assemble.stats import name_key

        return ox.Literal(name_key(value))  # the graph's kg:nameKey form: one index lookup, any case
    if p.kind == "title":
        return ox.Literal(value.lower())  # compared with LCASE(title), which lower-cases the same way
    if p.kind == "class":
        if value not in ENTITY_CLASSES:
            raise QueryError(
                f"{query.name}: --{p.name} must be one of {', '.join(ENTITY_CLASSES)}, not {value!r}"
            )
        return ox.NamedNode(KG_NS + value)  # a constant class: an index lookup (a computed IRI is a scan)
    return ox.Literal(value)


def _values(query: NamedQuery, values: dict[str, str | None]) -> dict[str, Any]:
    known = {p.name for p in query.params}
    unknown = sorted(k for k, v in values.items() if v is not None and k not in known)
    if unknown:
        raise QueryError(
            f"{query.name}: unknown parameter {', '.join(unknown)} (has: {', '.join(sorted(known)) or 'none'})"
        )
    out: dict[str, Any] = {}
    for p in query.params:
        value = values.get(p.name)
        if value is None:
            value = p.default
        if value is None:
            raise QueryError(f"{query.name}: missing --{p.name.replace('_', '-')} ({p.help or p.kind})")
        out[p.name] = _term(query, p, value)
    return out


def lookups(query: NamedQuery, values: dict[str, str | None]) -> dict[str, str]:
    """The lookup query of each ``title`` parameter (``{name: SPARQL}``), to run on the engine before :func:`bind`.

    >>> q = parse_named_query("# name: x\\n# param: title (title)\\nSELECT ?p WHERE { ?p dcterms:title ?title }")
    >>> lookups(q, {"title": "Vision"})["title"].split("WHERE {")[1][:27]
    ' VALUES (?v) { ("vision") }'
    """
    terms = _values(query, values)
    return {p.name: insert_values(TITLE_LOOKUP, {"v": [terms[p.name]]}) for p in query.params
            if p.kind == "title" and terms[p.name] is not None}  # fmt: skip


def bind(
    query: NamedQuery,
    values: dict[str, str | None],
    store: Any = None,
    *,
    resolved: dict[str, list[Any]] | None = None,
    limit: int | None = None,
) -> str:
    """The query text with parameter values (or their defaults) bound; refuses unknown or missing ones.

    ``label`` values are bound in the lookup form of the graph's ``kg:nameKey`` (so ``"gpt-4"`` finds
    "GPT-4" and its aliases), in Python, with no round trip. ``title`` values are first looked up
    (:func:`lookups`) on ``store`` (a pyoxigraph store), or taken from ``resolved`` (``{name: [titles]}``,
    for other engines), and bound as the exact titles found, sorted, so every engine runs the same text.
    With ``limit``, ``LIMIT limit + 1`` is appended (one more row than shown, so a cut result is still
    detected), which lets the engine stop sorting and fetching early; a line ``LIMIT <the header's limit>`` in
    the text (a ranking subquery's cut) becomes ``LIMIT limit + 1`` instead.

    >>> q = parse_named_query("# name: x\\n# param: t\\nSELECT ?s WHERE { ?s ?p ?t }")
    >>> bind(q, {"t": 'a" } DROP ALL'}).splitlines()[-1]
    'SELECT ?s WHERE { VALUES (?t) { ("a\\\\" } DROP ALL") } ?s ?p ?t }'
    >>> q = parse_named_query('# name: y\\n# param: l = "" (label)\\nSELECT ?e WHERE { ?e kg:nameKey ?l }')
    >>> bind(q, {"l": " Image  CLASSIFICATION"}).splitlines()[-1], bind(q, {}).splitlines()[-1]
    ('SELECT ?e WHERE { VALUES (?l) { ("image classification") } ?e kg:nameKey ?l }', 'SELECT ?e WHERE { VALUES (?l) { (UNDEF) } ?e kg:nameKey ?l }')
    """
    import pyoxigraph as ox

    terms = _values(query, values)
    found = dict(resolved or {})
    if store is not None:
        for name, text in lookups(query, values).items():
            if name not in found:
                found[name] = [row[0] for row in store.query(text)]
    subs: dict[str, list[Any]] = {}
    for name, term in terms.items():
        hits = found.get(name)
        if hits:
            subs[name] = [ox.Literal(t) for t in sorted({h if isinstance(h, str) else h.value for h in hits})]
        else:
            subs[name] = [term]
    text = query.text
    if limit is not None and limit >= 0 and query.limit is not None:
        # a query that ranks in a subquery says "LIMIT <its header's limit>" there: that cut follows --limit too
        # (done on the repository's own text, before any value is inserted)
        text = re.sub(rf"(?m)^(\s*LIMIT\s+){query.limit}\s*$", rf"\g<1>{limit + 1}", text)
    text = insert_values(text, subs, query.name)
    if limit is not None and limit >= 0:
        from kg.query.safety import tokens

        if not any(k == "word" and v.upper() == "LIMIT" for k, v, _ in tokens(text)):
            text = text.rstrip() + f"\nLIMIT {limit + 1}\n"
    return text


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
    rendered = {k: ["UNDEF" if t is None else str(t) for t in v] for k, v in terms.items()}
    rows = " ".join(f"({' '.join(combo)})" for combo in itertools.product(*rendered.values()))
    block = f" VALUES ({' '.join('?' + k for k in terms)}) {{ {rows} }}"
    for r in itertools.chain.from_iterable(rendered.values()):
        shape = [k if k != "other" else v for k, v, _ in tokens(r)]
        lang_tagged = shape[:2] == ["short", "@"] and all(x in ("word", "-") for x in shape[2:])
        if r == "UNDEF":
            continue
        if shape not in (["short"], ["iri"], ["short", "^", "^", "iri"]) and not lang_tagged:
            raise QueryError(f"{name}: parameter value {r!r} could not be bound safely")
    return text[:pos] + block + text[pos:]
