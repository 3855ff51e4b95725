"""Run a cue regex only near the words it needs: the same matches as ``finditer``, a fraction of the time.

CPython's ``re`` tries a pattern that opens with ``\\b`` or a look-behind at every position of the text (about
50 ns each, 40-90 µs for one pattern over an abstract). Every cue pattern of the extractor contains one of a few
words ("we", "propose", "benchmark", "called"…) and its matches lie within a bounded distance of that word. The
vocabulary's PhraseMatcher already walks every token in C, so it reports where those words are (``Anchors``,
nearly free); :func:`near` then runs the pattern only in the windows around them.

Equal to ``pattern.finditer(text)`` whenever every match contains an anchor word and lies within ``before``
characters before and ``after`` characters after its start: windows are scanned in order with finditer's
non-overlapping rule, and a match ending near a window's cut (where the truncated string could fool a
look-ahead or ``\\b``) is re-checked against the whole text. The bounds are chosen for words of up to about twenty
letters; tests/test_scan.py compares both ways on random text. Anchors are tokens: a cue word glued to its
neighbour by punctuation the tokenizer keeps in one token ("e.g.,tasks such as") is not seen, as a rule over
tokens would not see it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

# word -> start offsets of its tokens (lower-cased), as the kg_vocab component reports them
Anchors = dict[str, list[int]]
# a match ending this close to a window's cut is re-checked on the whole text (look-aheads read one character)
_MARGIN = 4


@functools.lru_cache(maxsize=64)
def _word_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    # whole words, as tokens are; punctuation ("," "e.g.") needs no boundary on its side
    def alt(w: str) -> str:
        return (
            ("(?<![A-Za-z0-9])" if w[0].isalnum() else "")
            + re.escape(w)
            + ("(?![A-Za-z0-9])" if w[-1].isalnum() else "")
        )

    return re.compile("|".join(alt(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)


def find_words(text: str, words: tuple[str, ...], anchors: Anchors | None = None) -> list[int]:
    """Start offsets of ``words`` (lower case; matched in any case) in ``text``: from the pipeline's anchors when
    it found them, else by a regex over the text (for callers outside the pipeline)."""
    if anchors is None:
        return [m.start() for m in _word_regex(words).finditer(text)]
    out: list[int] = []
    for w in words:
        hits = anchors.get(w)
        if hits:
            out.extend(hits)
    return out


# (words, deltas): a match may start ``delta`` characters from one of the words ("The proposed …" four before
# "proposed"); the rules describe where their matches start with a tuple of these
StartGroups = tuple[tuple[tuple[str, ...], tuple[int, ...]], ...]


def word_starts(text: str, groups: StartGroups, anchors: Anchors | None = None) -> list[int]:
    """Where matches may start, sorted: each word's offsets (:func:`find_words`) moved by its group's deltas."""
    return sorted(p + d for words, deltas in groups for p in find_words(text, words, anchors) for d in deltas)


def literal_offsets(text: str, literal: str) -> list[int]:
    """Start offsets of a literal, by ``str.find`` (memory speed)."""
    out: list[int] = []
    i = text.find(literal)
    while i >= 0:
        out.append(i)
        i = text.find(literal, i + 1)
    return out


def around(hits: Iterable[int], before: int, after: int) -> list[tuple[int, int]]:
    """``[hit - before, hit + after)`` for each hit (clipped and merged by :func:`near`)."""
    return [(h - before, h + after) for h in hits]


def at_starts(
    pattern: re.Pattern[str], text: str, starts: Iterable[int], endpos: int | None = None
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` (or ``finditer(text, pos, endpos)`` when every start is at least ``pos``) when
    every match starts at one of ``starts``: ``match()`` is tried there only (negative starts, from look-backs at
    the text's start, are skipped)."""
    done = 0
    match = pattern.match
    end = len(text) if endpos is None else endpos
    for p in sorted(set(starts)):
        if p < done:
            continue
        m = match(text, p, end)
        if m is not None:
            yield m
            done = m.end() if m.end() > m.start() else m.end() + 1


def near(pattern: re.Pattern[str], text: str, wins: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` scanning only ``wins`` (see the module doc for when the two are equal)."""
    if not wins:
        return
    n = len(text)
    merged: list[list[int]] = []
    for lo, hi in sorted(wins):
        lo, hi = max(0, lo), min(n, hi + _MARGIN)
        if merged and lo <= merged[-1][1]:
            if hi > merged[-1][1]:
                merged[-1][1] = hi
        else:
            merged.append([lo, hi])
    done = 0  # end of the last match: matches do not overlap, as in finditer
    search, match = pattern.search, pattern.match
    for lo, hi in merged:
        pos = max(lo, done)
        while pos < hi:
            m = search(text, pos, hi)
            if m is None:
                break
            if hi < n and m.end() + _MARGIN > hi:
                start = m.start()
                m = match(text, start)  # the cut may have changed what matched here: ask the whole text
                if m is None:
                    pos = start + 1
                    continue
            yield m
            pos = done = m.end() if m.end() > m.start() else m.end() + 1
