"""Text hygiene shared by every stage: untrusted text is cleaned once, at ingest, and keys are normalised here."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

# C0/C1 controls except TAB, LF, CR; lone surrogates; non-characters U+FFFE/U+FFFF (and the other non-characters).
_BAD_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U000efffe\U000effff"
    "\U000ffffe\U000fffff\U0010fffe\U0010ffff]"
)
REPLACEMENT = "\ufffd"


def clean_text(text: str) -> tuple[str, int]:
    """Replace characters no output format can carry by U+FFFD; return the text and how many were replaced.

    TAB, LF and CR are kept. NFC normalisation makes composed and decomposed input identical downstream.

    >>> clean_text("a\\x00b")
    ('a\\ufffdb', 1)
    """
    cleaned, n = _BAD_CHARS.subn(REPLACEMENT, text)
    return unicodedata.normalize("NFC", cleaned), n


def collapse_ws(text: str) -> str:
    """Collapse runs of whitespace to one space and strip the ends."""
    return " ".join(text.split())


def title_key(title: str) -> str:
    """Normalised title used to find the same paper under different spellings (NFKC, casefold, alnum only).

    >>> title_key("  Attention Is All You Need! ") == title_key("attention is all you need")
    True
    """
    t = unicodedata.normalize("NFKC", title).casefold()
    return "".join(ch for ch in t if ch.isalnum())


def short_hash(text: str, n: int = 16) -> str:
    """Stable hex digest (not Python's salted ``hash``), so identifiers do not change between runs."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:n]


_HEADS = {
    "dataset", "datasets", "benchmark", "benchmarks", "corpus", "model", "models", "method",
    "framework", "task", "tasks", "architecture",
}  # fmt: skip


@functools.lru_cache(maxsize=1 << 17)
def match_key(text: str) -> str:
    """Normalised key used to group surface forms of one entity inside a paper.

    The same normalisation as the evaluation guidelines (NFKC, casefold, separators dropped, head word and plural
    ``s`` dropped), so grouping and scoring agree.

    >>> match_key("the GPT-4 models") == match_key("GPT4")
    True
    """
    t = unicodedata.normalize("NFKC", text).casefold()
    t = re.sub(r"[-_./\u2010-\u2015]", " ", t)
    t = re.sub(r"[^\w\s+#@]", "", t)
    words = t.split()
    if words and words[0] == "the":
        words = words[1:]
    if len(words) > 1 and words[-1] in _HEADS:
        words = words[:-1]
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return "".join(words)
