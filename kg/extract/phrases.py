"""Lower-case noun phrases ending in a task, method or metric head word ("long video generation")."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator

from kg.extract.lexicon import (
    METHOD_HEADS,
    METRIC_HEADS,
    NP_STOP,
    PHRASE_METRIC_HEADS,
    TASK_HEADS,
    WEAK_HEADS,
)
from kg.extract.scan import Anchors, at_starts
from kg.records import EntityType

# the word that ends right before a position (the regex is anchored at the end of the searched slice)
_PREV_WORD = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*$")
# lower-case words, hyphenated ones whole; a dictionary test per word beats a hundred-way regex alternation
_LOWER_WORD = re.compile(r"(?<![A-Za-z0-9-])[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_ALL_HEADS = TASK_HEADS | METHOD_HEADS | PHRASE_METRIC_HEADS
# the head words the kg_vocab PhraseMatcher reports as anchors (see scan.py)
HEAD_WORDS = tuple(sorted(_ALL_HEADS - WEAK_HEADS))
_HEAD_SET = frozenset(HEAD_WORDS)
# -ing / -ed / -s words are verbs or plurals inside prose unless they are the usual noun modifiers.
_OK_ING = frozenset(
    [
        "learning",
        "training",
        "processing",
        "reasoning",
        "computing",
        "modeling",
        "modelling",
        "answering",
        "tracking",
        "matching",
        "planning",
        "driving",
        "engineering",
        "mining",
        "sampling",
        "pruning",
        "tuning",
        "prompting",
        "decoding",
        "embedding",
        "understanding",
        "clustering",
        "ranking",
        "rendering",
        "editing",
        "forecasting",
        "captioning",
        "parsing",
        "tagging",
        "labeling",
        "labelling",
        "recommending",
        "programming",
        "scheduling",
        "routing",
        "grounding",
        "pooling",
        "gating",
    ]
)
_OK_ED = frozenset(
    [
        "supervised",
        "unsupervised",
        "self-supervised",
        "semi-supervised",
        "weakly-supervised",
        "structured",
        "unstructured",
        "learned",
        "pretrained",
        "pre-trained",
        "masked",
        "guided",
        "distributed",
        "federated",
        "constrained",
        "conditioned",
        "augmented",
        "retrieval-augmented",
        "instruction-tuned",
        "fine-tuned",
        "finetuned",
        "grounded",
        "embodied",
        "labeled",
        "labelled",
        "unlabeled",
        "unlabelled",
        "shared",
        "mixed",
    ]
)


def _ok_modifier(lw: str) -> bool:
    if lw.endswith("ing"):
        return lw in _OK_ING or "-" in lw
    if lw.endswith("ed"):
        return lw in _OK_ED or ("-" in lw and lw.split("-")[-1] in _OK_ED)
    return not lw.endswith("s") or lw.endswith(("ss", "us", "is", "ics", "ous"))


def head_type(head: str) -> EntityType | None:
    h = head.lower()
    if h in PHRASE_METRIC_HEADS:
        return EntityType.METRIC
    if h in TASK_HEADS:
        return EntityType.TASK
    if h in METHOD_HEADS:
        return EntityType.METHOD
    if h in METRIC_HEADS:
        return EntityType.METRIC
    return None


def noun_phrases(
    text: str, known: frozenset[str] | None = None, max_modifiers: int = 3, anchors: Anchors | None = None
) -> Iterator[tuple[int, int, EntityType]]:
    """Yield (start, end, type) for "modifier+ head" phrases; a head word alone is never a phrase.

    Without a part-of-speech tagger, adjectives of praise ("additional training") are told from domain
    modifiers ("causal temporal attention") by ``known``: the words of the task/method/metric vocabularies.
    A modifier outside it ends the phrase. ``None`` accepts any word (used by the unit tests). ``anchors`` (from
    the pipeline) says where the head words are; without it every lower-case word is looked at.

    >>> text = "it achieves long video generation at scale"
    >>> [(text[s:e], t.value) for s, e, t in noun_phrases(text)]
    [('video generation', 'Task')]
    """
    types = _HEAD_TYPES
    for m in _head_words(text, anchors):
        ty = types.get(m.group(0))
        if ty is None:
            continue
        start = _modifiers_start(text, m.start(), known, max_modifiers)
        if start < m.start() and not _SIZE_BEFORE.search(text, max(0, start - 20), start):
            yield start, m.end(), ty


# head word -> the type of its phrases (head_type, once per word)
_HEAD_TYPES = {h: t for h in _ALL_HEADS - WEAK_HEADS if (t := head_type(h)) is not None}


def _head_words(text: str, anchors: Anchors | None) -> Iterator[re.Match[str]]:
    """The lower-case words that may be heads, in text order: all of them, or only those at the anchors."""
    if anchors is None:
        yield from _LOWER_WORD.finditer(text)
        return
    starts = sorted(p for w, hits in anchors.items() if w in _HEAD_SET for p in hits)
    for p in starts:
        m = _LOWER_WORD.match(text, p)  # the whole (hyphenated) word, lower case, at a word start
        if m is not None:
            yield m


# "an 8.3 billion parameter transformer": a size description, not a named technique
_SIZE_BEFORE = re.compile(r"(?:\d|\b(?:billion|million|thousand|trillion|[BMK]))\s$")


def _modifiers_start(
    text: str, head_start: int, known: frozenset[str] | None, max_modifiers: int, strict: bool = True
) -> int:
    """Walk left from a head word over up to ``max_modifiers`` modifier words; return where the phrase starts."""
    start = pos = head_start
    for _ in range(max_modifiers):
        # previous word must be separated by exactly one space
        if pos < 2 or text[pos - 1] != " ":
            break
        # a word holds no space: searching from the last one gives the same match in a few steps
        lo = max(0, pos - 41)
        wm = _PREV_WORD.search(text, max(lo, text.rfind(" ", lo, pos - 1) + 1), pos - 1)
        if wm is None or not _is_modifier(wm.group(0), known, strict):
            break
        start = pos = wm.start()
    return start


@functools.lru_cache(maxsize=1 << 16)
def _is_modifier(w: str, known: frozenset[str] | None, strict: bool) -> bool:
    """Whether a word may modify a head; depends on the word alone, so it is decided once per word."""
    lw = w.lower()
    if lw in NP_STOP or not w[0].islower() or lw.endswith("ly") or strict and not _ok_modifier(lw):
        return False
    return known is None or (
        lw in known if "-" not in lw else all(part in known for part in lw.split("-") if part)
    )


# What a paper calls the parts of its own method: "an alternating training scheme", "a gating mechanism".
DESIGN_WORDS = (
    "scheme", "mechanism", "loss", "module", "strategy", "objective", "regularizer", "regularization", "operator",
    "attention", "distillation", "sparsity", "sparsification", "pruning", "quantization", "decoding", "sampling",
    "sampler", "parallelism", "embedding", "prompting", "alignment", "pre-training", "pretraining", "fine-tuning",
    "tuning", "inference",
)  # fmt: skip
DESIGN_STARTS = ((DESIGN_WORDS, (0,)),)  # a design head's match starts at its word (scan.word_starts)
_DESIGN_HEADS = re.compile(rf"\b({'|'.join(re.escape(w) for w in DESIGN_WORDS)})\b")


def proposal_phrases(
    text: str, start: int, end: int, heads_at: list[int] | None = None
) -> Iterator[tuple[int, int]]:
    """Noun phrases ending in a design word inside a "we propose …" clause: the paper's own unnamed parts.

    Any modifier is allowed here (the clause already says the phrase is a contribution). With ``heads_at``
    (``scan.word_starts`` of DESIGN_STARTS, from the pipeline's anchors) the head words are tried only where they
    are.

    >>> text = "we propose an alternating training scheme for it"
    >>> [text[s:e] for s, e in proposal_phrases(text, 10, len(text))]
    ['alternating training scheme']
    """
    if heads_at is None:
        heads: Iterable[re.Match[str]] = _DESIGN_HEADS.finditer(text, start, end)
    else:
        starts = heads_at[bisect.bisect_left(heads_at, start) : bisect.bisect_left(heads_at, end)]
        heads = at_starts(_DESIGN_HEADS, text, starts, end) if starts else ()
    for m in heads:
        s = _modifiers_start(text, m.start(), None, 4, strict=False)
        if s < m.start():
            yield s, m.end()
