"""Name shapes: tokens that look like model or method names (GPT-4o, Llama-3.1 8B, PaliGemma, ViD-GPT, GPTQ)."""

from __future__ import annotations

import functools
import re
from itertools import filterfalse

from kg.extract.lexicon import HEAD_TYPES, MODEL_MARKERS, NOT_NAMES, USE_SUFFIXES
from kg.records import EntityType

_TOKEN = r"[A-Za-z][A-Za-z0-9]*(?:[-_.+/][A-Za-z0-9]+)*"
# Version and size tails that belong to the name: "Llama 3.1 8B", "GPT-3 XL", "SQuAD 2.0", "Phi-3 mini".
_TAIL = (
    r"(?:[ -](?:v?\d+(?:\.\d+)*[A-Za-z]?|\d+(?:\.\d+)?[BMKbmk]|XXL|XL|Large|Base|Small|Tiny|Mini|Nano|Pro|Ultra|"
    r"Turbo|Plus|Instruct|Chat|large|base|small|tiny|mini|nano|turbo|instruct|chat|xl|xxl))*"
)
NAME = re.compile(rf"(?<![\w-])({_TOKEN}{_TAIL})(?![\w-])")
# Cheap pre-filter: a word start followed by an inner capital or digit ("GPT", "ViD-GPT", "Llama-3"); NAME is
# tried only there, instead of at every word.
CANDIDATE = re.compile(r"(?<![\w-])[A-Za-z][a-z]*(?:[A-Z0-9]|[-_.+/][A-Z0-9])")
# whitespace-separated chunk -> its CANDIDATE matches with what NAME makes of each (see name_candidates), and the
# chunks without any; a corpus repeats its chunks ("the", "GPT-4", "(LLMs),"), so each is analysed once; both are
# cleared when full
_CHUNKS: dict[str, tuple[tuple[int, Analysis | None], ...]] = {}
_PLAIN: set[str] = set()
CHUNK_CACHE = 100_000
_CAMEL = re.compile(r"[a-z][A-Z]|[A-Z]{2,}[a-z]{2,}")
_UPPER2 = re.compile(r"[A-Z].*[A-Z]")
_DIGIT = re.compile(r"\d")
_UNIT = re.compile(r"^(?:\d|[A-Z]?\d+(?:\.\d+)?[xX%]?$|[A-Z]\d{2,5}$|[A-Z]{1,3}\d{1,2}$)")
_ROMAN = re.compile(r"^[IVX]+$")
# "INSTruction", "REPresentation" (acronym spelled out in a title) and "usIng" are styling, not names
_STYLED = re.compile(r"^(?:[A-Z]{2,}[a-z]{3,}|[a-z]{2,}[A-Z][a-z]+)$")
_UNITS = re.compile(r"(?:FLOPs?|FLOPS|Hz|bytes?|[KMGTP]B)$")
# hyphenated tails that describe a use of the name: "GPT-style", "BERT-like", "ImageNet-trained"
SUFFIX = re.compile(rf"-(?:{USE_SUFFIXES})$")


# a NAME match read as (offset, token) parts ("PubMedBERT/BioBERT" is two) and whether a use suffix ("-style") was
# cut off; None: the match was not found (NAME fails there)
Analysis = tuple[tuple[tuple[int, str], ...], bool]


def analyse(name: str) -> Analysis:
    """The parts of a NAME match (its group 1) that name things, and whether a use suffix was cut off."""
    tok = name.rstrip(".")
    sm = SUFFIX.search(tok)
    if sm is not None:
        tok = tok[: sm.start()]
    parts: tuple[tuple[int, str], ...] = ((0, tok),)
    if "/" in tok:
        # "PubMedBERT/BioBERT-v1.1" names two models; "TCP/IP" or "and/or" stay one token (and no name)
        split = tok.split("/")
        if all(looks_like_name(p) for p in split):
            offsets, off = [], 0
            for p in split:
                offsets.append((off, p))
                off += len(p) + 1
            parts = tuple(offsets)
    return parts, sm is not None


def _chunk_names(chunk: str) -> tuple[tuple[int, Analysis | None], ...]:
    out = []
    for c in CANDIDATE.finditer(chunk):
        m = NAME.match(chunk, c.start())
        if m is None:
            continue  # no match in the chunk: none in the text either (the text only adds tails after a space)
        # a match ending inside the chunk is the text's match too; one reaching the chunk's end may go on in the
        # text ("Llama 3.1 8B"), so the text decides (None)
        out.append((c.start(), analyse(m.group(1)) if m.end() < len(chunk) else None))
    return tuple(out)


def name_candidates(text: str) -> list[tuple[int, Analysis]]:
    """Where NAME matches at a CANDIDATE start, with :func:`analyse` of the match: the same as trying
    ``NAME.match`` at every ``CANDIDATE.finditer`` start, from cached whitespace-separated chunks.

    CPython's ``re`` tries a pattern opening with a look-behind at every character (70 µs per abstract for
    CANDIDATE); its matches never contain whitespace and whitespace is neither a word character nor "-", so a
    chunk can be scanned on its own, and a chunk seen before costs a set or dictionary lookup.
    """
    cache, plain = _CHUNKS, _PLAIN
    if len(cache) + len(plain) > CHUNK_CACHE:
        cache.clear()
        plain.clear()
    out: list[tuple[int, Analysis]] = []
    pos = 0
    n = len(text)
    find = text.find
    get = cache.get
    # most chunks are known to hold nothing: filterfalse drops them in C, the loop sees the rest
    for chunk in filterfalse(plain.__contains__, text.split()):
        hits = get(chunk)
        if hits is None:
            hits = _chunk_names(chunk)
            if not hits:
                plain.add(chunk)
                continue
            cache[chunk] = hits
        # the chunk's place: the first whole-chunk occurrence after the last chunk with hits (an identical
        # earlier chunk would have had the same hits and moved ``pos`` past itself)
        size = len(chunk)
        p = find(chunk, pos)
        while p > 0 and not text[p - 1].isspace() or p + size < n and not text[p + size].isspace():
            p = find(chunk, p + 1)
        for h, analysis in hits:
            if analysis is None:
                m = NAME.match(text, p + h)
                if m is None:  # cannot happen: the chunk's own match reaches its end, so the text has one
                    continue
                analysis = analyse(m.group(1))
            out.append((p + h, analysis))
        pos = p + size
    return out


@functools.lru_cache(maxsize=1 << 16)
def looks_like_name(tok: str) -> bool:
    """True for tokens shaped like a model/method name, not like prose, numbers, units or hardware.

    >>> [looks_like_name(t) for t in ("GPT-4o", "PaliGemma", "Attention", "A100", "FP16", "ViD-GPT")]
    [True, True, False, False, False, True]
    """
    head = tok.split(" ")[0]
    if (
        head in NOT_NAMES
        or tok in NOT_NAMES
        or _ROMAN.match(head)
        or _UNIT.match(head)
        or _UNITS.search(head)
    ):
        return False
    core = head.rstrip("s") if head.endswith("s") and head[:-1].isupper() else head
    letters = sum(c.isalpha() for c in core)
    if letters < 2:
        return False
    parts = core.split("-")
    if any(_CAMEL.search(p) for p in parts):
        return True
    if any(_UPPER2.search(p) for p in parts):
        return True
    return bool(_DIGIT.search(core) and core[0].isupper() and letters >= 2)


def is_styled(tok: str) -> bool:
    """ "INSTruction", "REPresentation", "usIng": an ordinary word with capitals marking an acronym's letters.

    Only a shape test; the caller checks that the lower-cased word is an ordinary word ("DSFormer" is a name).
    """
    return bool(_STYLED.match(tok))


def is_acronym(tok: str) -> bool:
    """All-capitals token (plural ``s`` allowed): typed only by definition or context, never alone."""
    core = tok[:-1] if tok.endswith("s") else tok
    return core.replace("-", "").isalpha() and core.isupper()


def strip_plural(name: str) -> str:
    """ "VDMs" -> "VDM", "LLMs" -> "LLM", "DiTs" -> "DiT", "MoEs" -> "MoE"; leaves "Llama", "LoRA-Ms" (no: a
    hyphenated tail) and lower-case words alone.

    >>> [strip_plural(n) for n in ("LLMs", "DiTs", "MoEs", "Llama", "Mars", "ViT-Ls", "transformers")]
    ['LLM', 'DiT', 'MoE', 'Llama', 'Mars', 'ViT-Ls', 'transformers']
    """
    if len(name) > 2 and name.endswith("s"):
        core = name[:-1]
        if core.isupper() or core.isalpha() and core[-1].isupper() and sum(c.isupper() for c in core) >= 2:
            return core
    return name


@functools.lru_cache(maxsize=1 << 16)
def type_from_shape(name: str) -> EntityType | None:
    """A guess from the name alone; None when the shape says nothing (bare acronyms)."""
    if any(m in name for m in MODEL_MARKERS):
        return EntityType.MODEL
    if _DIGIT.search(name) and not is_acronym(name):
        return EntityType.MODEL
    return None


def type_from_head(following: str) -> EntityType | None:
    """The type fixed by the word after a name: "X benchmark" -> Dataset, "X framework" -> Method."""
    words = following.split(maxsplit=1)
    return HEAD_TYPES.get(words[0].lower().strip(".,;:)")) if words else None
