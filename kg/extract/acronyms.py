"""Acronym definitions ("Generative Pre-trained Transformer (GPT)") by the Schwartz–Hearst algorithm.

Hand-written because the algorithm is twenty lines and the library that packages it (scispaCy) needs a trained
pipeline; see Schwartz & Hearst, "A simple algorithm for identifying abbreviation definitions", PSB 2003.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.scan import at_starts, literal_offsets

# "long form (SF)" and "long form(SF)"; SF: 2-12 chars, starts alphanumeric, has a capital, at most 2 words.
_PAREN = re.compile(r"\(\s*([A-Za-z][\w\-.+&/]*(?: [\w\-.+&/]+)?)\s*\)")
# "SF (long form)" where SF is an all-caps token.
_REVERSE = re.compile(r"\b([A-Z][A-Za-z0-9\-]*[A-Z][A-Za-z0-9\-]*s?)\s+\(([A-Za-z][^()]{4,100}?)\)")
# "(abbreviated as AlgoFormer)", "(AlgoFormer for short)", "(denoted X)", "(or X)"
_PAREN_PHRASE = re.compile(
    r"\(\s*(?:abbreviated(?: as)?|short for|denoted(?: as| by)?|dubbed|termed|or|hereafter|henceforth)\s+"
    r"([A-Za-z][\w\-.+&/]*)\s*\)|\(\s*([A-Za-z][\w\-.+&/]*)\s+for short\s*\)"
)


@dataclass(frozen=True, slots=True)
class Abbreviation:
    short: str
    short_start: int
    long: str
    long_start: int

    @property
    def long_end(self) -> int:
        return self.long_start + len(self.long)

    @property
    def short_end(self) -> int:
        return self.short_start + len(self.short)


def _valid_short(sf: str) -> bool:
    if not (2 <= len(sf) <= 12) or not any(c.isupper() for c in sf):
        return False
    if len(sf.split()) > 2 or not sf[0].isalnum():
        return False
    # "(e.g. …)" or plain words in parentheses are not acronyms
    letters = [c for c in sf if c.isalpha()]
    return sum(c.isupper() for c in letters) >= max(1, len(letters) // 3)


def best_long_form(short: str, candidate: str) -> str | None:
    """Schwartz–Hearst: the shortest suffix of ``candidate`` whose word initials cover ``short``'s letters.

    >>> best_long_form("GPT", "models such as Generative Pre-trained Transformer")
    'Generative Pre-trained Transformer'
    """
    s = short.lower().rstrip("s") if short.endswith("s") and short[:-1].isupper() else short.lower()
    lf = candidate.lower()
    l_idx = backward_walk(s, lf)
    if l_idx is None:
        return None
    start = lf.rfind(" ", 0, l_idx + 1) + 1
    result = candidate[start:].strip()
    if not result or len(result) <= len(short):
        return None
    return result


def backward_walk(s: str, lf: str) -> int | None:
    """Match the short form's letters right to left in ``lf`` (both lower case), the first one at a word start;
    the index just before the first letter's match, or None when a letter is missing."""
    s_idx, l_idx = len(s) - 1, len(lf) - 1
    while s_idx >= 0:
        c = s[s_idx]
        if not c.isalnum():
            s_idx -= 1
            continue
        # the last c at or before l_idx (str.rfind: C speed); the first letter must also start a word
        l_idx = lf.rfind(c, 0, l_idx + 1)
        if s_idx == 0:
            while l_idx > 0 and lf[l_idx - 1].isalnum():
                l_idx = lf.rfind(c, 0, l_idx)
        if l_idx < 0:
            return None
        l_idx -= 1
        s_idx -= 1
    return l_idx


def _reverse_starts(text: str) -> list[int]:
    """Where a _REVERSE match can start: in the run of [A-Za-z0-9-] that whitespace separates from a "(", at its
    start or after one of its hyphens (the only places ``\\b`` holds inside it)."""
    out: list[int] = []
    for q in literal_offsets(text, "("):
        e = q
        while e > 0 and text[e - 1].isspace():
            e -= 1
        if e == q:
            continue
        r = e
        while r > 0 and (text[r - 1] == "-" or text[r - 1].isascii() and text[r - 1].isalnum()):
            r -= 1
        out.append(r)
        out.extend(i + 1 for i in range(r, e) if text[i] == "-")
    return out


def find_abbreviations(text: str) -> list[Abbreviation]:
    """All "long form (SF)" and "SF (long form)" definitions in ``text`` with character offsets."""
    out: list[Abbreviation] = []
    matches = [(m.start(), m.start(1), m.group(1)) for m in _PAREN.finditer(text)]
    for m in _PAREN_PHRASE.finditer(text):
        g = 1 if m.group(1) else 2
        matches.append((m.start(), m.start(g), m.group(g)))
    for paren_start, sf_start, sf_text in sorted(matches):
        sf = sf_text.strip()
        if not _valid_short(sf):
            continue
        n_words = min(len(sf) + 5, len(sf) * 2)
        window_start = max(0, paren_start - 200)
        before = text[window_start:paren_start]
        # stop at a sentence or clause boundary
        cut = max(before.rfind(". "), before.rfind("; "), before.rfind(": "), before.rfind("("))
        if cut >= 0:
            before = before[cut + 2 :] if before[cut] != "(" else before[cut + 1 :]
        words = before.split()  # the \S+ runs (str.split and re's \s agree on what is whitespace)
        cand = " ".join(words[-n_words:])
        if not cand:
            continue
        lf = best_long_form(sf, cand)
        if lf is None:
            continue
        lf = lf.strip(" ,\"'“”")
        pos = text.rfind(lf, window_start, paren_start)
        if pos < 0 or len(lf.split()) < 2 and not any(c.isupper() for c in lf[1:]):
            continue
        out.append(Abbreviation(sf, sf_start, lf, pos))
    for m in at_starts(_REVERSE, text, _reverse_starts(text)):
        sf, lf = m.group(1), m.group(2).strip()
        if best_long_form(sf, lf) == lf and len(lf.split()) >= 2:
            out.append(Abbreviation(sf, m.start(1), lf, m.start(2)))
    return out
