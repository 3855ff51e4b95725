"""Recognise arXiv ids and DOIs wherever sources put them, so the same paper gets the same key.

arXiv versions are dropped (``2101.00001v2`` -> ``2101.00001``): v1 and v2 are one paper. DOIs are
case-insensitive by definition, so they are lower-cased.
"""

from __future__ import annotations

import re

_NEW = r"\d{4}\.\d{4,5}"
_OLD = r"[a-z][a-z\-]*(?:\.[a-z]{2})?/\d{7}"  # hep-th/9901001, math.GT/0309136
_ARXIV = re.compile(
    r"^(?:arxiv:\s*|(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/|10\.48550/arxiv\.)?"
    rf"(?P<id>{_NEW}|{_OLD})(?:v\d+)?(?:\.pdf)?/?$",
    re.IGNORECASE,
)
_DOI_PREFIX = re.compile(r"^(?:doi:\s*|(?:https?://)?(?:dx\.)?doi\.org/)", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}/[^\s\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]+$")  # no controls


def normalize_arxiv(value: object) -> str | None:
    """The version-less arXiv id in ``value`` (bare id, ``arXiv:`` id, abs/pdf URL or arXiv DOI), else None.

    >>> normalize_arxiv("http://arxiv.org/abs/2101.00001v2"), normalize_arxiv("10.48550/arXiv.2101.00001")
    ('2101.00001', '2101.00001')
    >>> normalize_arxiv("P123") is None
    True
    """
    if not isinstance(value, str):
        return None
    text = _DOI_PREFIX.sub("", value.strip())
    m = _ARXIV.match(text)
    return m.group("id") if m else None


def normalize_doi(value: object) -> str | None:
    """Lower-cased DOI without ``doi:`` / ``https://doi.org/`` prefix, or None if ``value`` is not a DOI.

    >>> normalize_doi("https://doi.org/10.1000/ABC")
    '10.1000/abc'
    """
    if not isinstance(value, str):
        return None
    text = _DOI_PREFIX.sub("", value.strip())
    return text.lower() if _DOI.match(text) else None
