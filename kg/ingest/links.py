"""Find URLs in abstracts (code, data and project pages) so they become ``Paper.links`` edges.

The text itself is not changed: links stay in the abstract; this only lists them.
"""

from __future__ import annotations

import re

_URL = re.compile(r"https?://[^\s<>\"'`{}|\\^\[\]]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\"*"
_PAIRS = {")": "(", "]": "["}


def _trim(url: str) -> str:
    """Drop sentence punctuation after a URL; keep a closing bracket only if the URL opened it."""
    while url:
        last = url[-1]
        if last in _TRAILING or last in _PAIRS and url.count(last) > url.count(_PAIRS[last]):
            url = url[:-1]
        else:
            break
    return url


def find_links(text: str) -> tuple[str, ...]:
    """Sorted unique http(s) URLs in ``text``.

    >>> find_links("Code: https://github.com/a/b. Data (https://x.org/d), again https://github.com/a/b")
    ('https://github.com/a/b', 'https://x.org/d')
    """
    found = {_trim(m.group(0)) for m in _URL.finditer(text)}
    return tuple(sorted(u for u in found if u.partition("://")[2]))
