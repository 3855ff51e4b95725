"""Read-only guard: refuse SPARQL Update, LOAD, SERVICE and odd FROM clauses *before* evaluation.

pyoxigraph 0.5 has no parse-only API (``Store.query`` parses and evaluates in one call, and it really sends
``SERVICE`` requests), so the check is a lexer over the SPARQL terminals that can hide keywords: it applies
the ``\\uXXXX`` escapes first (SPARQL processes them before parsing), then walks the text left to right,
skipping string literals (all four quote forms), IRI references and comments exactly as the grammar defines
them, and looks at the remaining words. A word counts as a keyword unless it is part of a variable
(``?x``/``$x``), a prefixed or blank-node name (``ex:load``, ``_:b``) or a language tag. Where the lexer and
the real parser could disagree (``<`` as "less than"), the lexer sees *more* code, never less, so a mistake
can only refuse a harmless query, not let an unsafe one through.
"""

from __future__ import annotations

import re

from kg.errors import QueryError

MAX_QUERY_CHARS = 256 * 1024

#: keywords that only occur in SPARQL Update
UPDATE_WORDS = frozenset("INSERT DELETE LOAD CLEAR DROP CREATE ADD MOVE COPY WITH USING SILENT".split())
_ALLOWED_FROM = re.compile(r"^(?:https?://|urn:)[^\s]*$", re.IGNORECASE)

_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""
    (?P<long>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
  | (?P<short>'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<comment>\#[^\n\r]*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _unescape(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else m.group(0)

    return _UNICODE_ESCAPE.sub(repl, text)


def tokens(text: str) -> list[tuple[str, str, int]]:
    """Split ``text`` into (kind, value, offset) with strings, IRIs and comments as single tokens.

    >>> [v for k, v, _ in tokens("SELECT * { ?s ?p 'SERVICE' } # LOAD") if k in ("short", "comment")]
    ["'SERVICE'", '# LOAD']
    """
    out: list[tuple[str, str, int]] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind == "other" and m.group().isspace():
            continue
        out.append((kind, m.group(), m.start()))
    return out


def _keywords(toks: list[tuple[str, str, int]], text: str) -> list[tuple[str, int]]:
    words = []
    for kind, value, pos in toks:
        if kind != "word":
            continue
        before = text[pos - 1] if pos > 0 else " "
        if before in "?$:@-." or (before.isalnum() and pos > 0):
            continue  # ?var, ex:local, _:b, @lang, part of a longer name
        words.append((value.upper(), pos))
    return words


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"{line}:{col}"


def check_read_only(query: str, graph_uris: tuple[str, ...] = ()) -> None:
    """Raise :class:`QueryError` ("read-only: …") if ``query`` could write, load, fetch or read files.

    ``graph_uris`` are protocol dataset parameters (``default-graph-uri``/``named-graph-uri``); they follow
    the rules of ``FROM``.

    >>> check_read_only("SELECT * WHERE { ?s ?p ?o }")
    >>> check_read_only("DROP ALL")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: read-only: DROP at 1:1 is SPARQL Update; the graph is read-only (queries only)
    """
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long ({len(query)} characters, at most {MAX_QUERY_CHARS})")
    if "\x00" in query:
        raise QueryError("query contains a NUL character")
    text = _unescape(query)
    toks = tokens(text)
    for word, pos in _keywords(toks, text):
        if word in UPDATE_WORDS:
            raise QueryError(
                f"read-only: {word} at {_where(text, pos)} is SPARQL Update; the graph is read-only (queries only)"
            )
        if word == "SERVICE":
            raise QueryError(
                f"read-only: SERVICE at {_where(text, pos)} is refused (federated queries would reach other servers)"
            )
    _check_from(toks, text)
    for uri in graph_uris:
        if not _ALLOWED_FROM.match(uri):
            raise QueryError(f"read-only: graph {uri!r} refused (only http(s) and urn graph names)")


def _check_from(toks: list[tuple[str, str, int]], text: str) -> None:
    sig = [t for t in toks if t[0] != "comment"]
    for i, (kind, value, pos) in enumerate(sig):
        if kind != "word" or value.upper() != "FROM":
            continue
        if pos > 0 and text[pos - 1] in "?$:@-.":
            continue
        j = i + 1
        if j < len(sig) and sig[j][0] == "word" and sig[j][1].upper() == "NAMED":
            j += 1
        target = sig[j] if j < len(sig) else None
        if target is None or target[0] != "iri" or not _ALLOWED_FROM.match(target[1][1:-1]):
            shown = target[1] if target else "nothing"
            raise QueryError(
                f"read-only: FROM {shown} at {_where(text, pos)} refused (only absolute http(s) or urn "
                "graph names; nothing is ever read from files or the network)"
            )
