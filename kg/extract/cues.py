"""Context cues: what a sentence says about a name (proposed here, a dataset, one of a list of models…)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract.lexicon import HEAD_TYPES, NAMING_CUES, PROPOSAL_VERBS
from kg.extract.names import looks_like_name
from kg.extract.scan import Anchors, around, at_starts, find_words, literal_offsets, near, word_starts
from kg.records import EntityType

# "we propose …", "this paper introduces …", "in this work, we present …"
PROPOSAL = re.compile(
    rf"\b(?:[Ww]e|[Tt]his (?:paper|work|study|article|report)|[Oo]ur (?:paper|work))\s+(?:\w+\s+){{0,2}}?"
    rf"(?:{PROPOSAL_VERBS})\b"
    r"|\b(?:(?:[Bb]y|[Tt]hrough|[Vv]ia)\s+)?(?:introducing|proposing|presenting|developing|designing|devising)\b"
    rf"|\b(?:then|also|further|additionally)\s+(?:{PROPOSAL_VERBS})\b"
    r"|\b(?:a|an)\s+(?:novel|new)\b,?"
)
# the words a PROPOSAL match starts with (tried with match() right there, see scan.at_starts)
_PROPOSAL_STARTS = (
    (("we", "this", "our", "by", "through", "via", "introducing", "proposing", "presenting", "developing",
      "designing", "devising", "then", "also", "further", "additionally"), (0,)),
)  # fmt: skip
# "called X", "named X", "dubbed X" (X may be quoted)
_NAME_WORD = r"[A-Z][\w\-]*(?:\.\d[\w\-]*)*"
_NAME = rf"{_NAME_WORD}(?:[ -](?:{_NAME_WORD}|\d[\w.\-]*)){{0,3}}"
NAMING = re.compile(rf"\b(?:{'|'.join(NAMING_CUES)})\s+[\"“']?({_NAME})")
# "X, a novel …", "X, an efficient …", "X, which is a …"
APPOSITIVE = re.compile(
    rf"({_NAME_WORD}(?: (?:{_NAME_WORD}|\d[\w.\-]*)){{0,2}}),\s+(?:a|an)\s+(?:\w+[ -]){{0,5}}?"
    r"(" + "|".join(sorted(HEAD_TYPES, key=len, reverse=True)) + r")\b"
)
_LIST_HEAD = r"(?P<head>datasets|benchmarks|corpora|models|transformers|LLMs|VLMs|MLLMs|baselines|methods|metrics|tasks|architectures)"
# "datasets such as X, Y, and Z" / "models like X and Y" / "benchmarks (X, Y)"
LIST_CUE = re.compile(
    _LIST_HEAD + r",?\s+(?:such as|like|including|e\.g\.,?|namely|\(e\.g\.,?|\(including)(?![A-Za-z0-9])\s*"
)
_LIST_ANCHORS = ((("such as", "like", "including", "e.g.", "namely"), 40, 32),)
LIST_ITEM = re.compile(
    rf"\s*(?:and\s+|or\s+)?({_NAME_WORD}(?:[ -](?:{_NAME_WORD}|\d[\w.\-]*)){{0,3}})\s*(,|\band\b|\bor\b|\))?"
)
LIST_TYPES = {
    "datasets": EntityType.DATASET,
    "benchmarks": EntityType.DATASET,
    "corpora": EntityType.DATASET,
    "models": EntityType.MODEL,
    "transformers": EntityType.MODEL,
    "llms": EntityType.MODEL,
    "vlms": EntityType.MODEL,
    "mllms": EntityType.MODEL,
    "baselines": EntityType.MODEL,
    "methods": EntityType.METHOD,
    "architectures": EntityType.METHOD,
    "metrics": EntityType.METRIC,
}
# "the X dataset", "X benchmark" with a capitalised X of up to four words
# (written to open with [A-Z] rather than \b, so CPython's re skips to the next capital in C; the look-behind
# after the first letter is that \b: no word character before it; tests/test_scan.py checks the two agree)
_HEADS_OF_DATA = "dataset|datasets|benchmark|benchmarks|corpus|suite|challenge"
HEAD_CUE = re.compile(rf"([A-Z](?<!\w[A-Z]){_NAME.removeprefix('[A-Z]')})\s+({_HEADS_OF_DATA})\b")
OUR = re.compile(r"\b[Oo]ur\s+(?:\w+\s+){0,1}?([A-Z][\w\-]*[A-Z0-9][\w\-]*(?:\.\d+)*)")
TITLE_PREFIX = re.compile(r"^\s*([^:]{2,60}?)\s*:\s+\S")
# subtitle words that say what a title's "X:" is; weaker words (method, approach) say too little
_SUBTITLE_TYPES = {
    "benchmark": EntityType.DATASET, "benchmarks": EntityType.DATASET, "dataset": EntityType.DATASET,
    "datasets": EntityType.DATASET, "corpus": EntityType.DATASET, "suite": EntityType.DATASET,
    "testbed": EntityType.DATASET, "leaderboard": EntityType.DATASET, "framework": EntityType.METHOD,
    "toolkit": EntityType.METHOD, "library": EntityType.METHOD, "accelerator": EntityType.METHOD,
}  # fmt: skip
_SUBTITLE_HEAD = re.compile(r"(?<![\w-])(" + "|".join(_SUBTITLE_TYPES) + r")(?![\w-])", re.I)
# how a paper refers to its own contribution: "our benchmark", "the proposed framework", "a novel model"
_SELF = re.compile(
    r"\b(?:[Oo]ur|[Tt]he proposed|a novel|a new|an? (?:simple|efficient|unified|general|effective))\s+"
    r"(?:[\w-]+\s+){0,3}?(dataset|benchmark|corpus|suite|framework|method|approach|algorithm|technique|"
    r"architecture|pipeline|toolkit|library|system|accelerator|model|LLM)\b"
)
# where a _SELF match starts relative to its words: "our", "The proposed", "a novel", "an efficient"
_SELF_STARTS = (
    (("our",), (0,)),
    (("proposed",), (-4,)),
    (("novel", "new"), (-2,)),
    (("simple", "efficient", "unified", "general", "effective"), (-2, -3)),
)
_SELF_TYPES = {"dataset": EntityType.DATASET, "benchmark": EntityType.DATASET, "corpus": EntityType.DATASET,
               "suite": EntityType.DATASET, "model": EntityType.MODEL, "llm": EntityType.MODEL}  # fmt: skip


def _windows(text: str, groups: tuple, anchors: Anchors | None) -> list[tuple[int, int]]:
    return [
        w for words, before, after in groups for w in around(find_words(text, words, anchors), before, after)
    ]


def _proposal_starts(text: str, anchors: Anchors | None) -> list[int]:
    starts = word_starts(text, _PROPOSAL_STARTS, anchors)
    # "a novel", "a new": the article before the adjective ("a"/"an" themselves are too common to anchor on)
    for p in find_words(text, ("novel", "new"), anchors):
        j = p
        while j > 0 and text[j - 1].isspace():
            j -= 1
        if j < p:
            starts += (j - 1, j - 2)
    return starts


def proposal_regions(text: str, anchors: Anchors | None = None) -> Iterator[tuple[int, int]]:
    """Character ranges right after a proposal verb, up to the end of the clause."""
    for m in at_starts(PROPOSAL, text, _proposal_starts(text, anchors)):
        end = m.end()
        if text.startswith(" to ", end):  # "we propose to pretrain X with Y": the clause goes on after "to"
            end += 3
        stop = min(len(text), end + 220)
        for pat in (". ", ".\n", "; ", " that ", " which ", " to ", " where ", " in order "):
            i = text.find(pat, end, stop)  # bounded: unbounded searches made long texts quadratic
            if i >= 0:
                stop = i
        yield end, stop


def _enumeration(
    item: re.Pattern[str], text: str, pos: int, last: tuple[str | None, ...] = (None, ")")
) -> Iterator[re.Match[str]]:
    """The items of a list that starts at ``pos`` (at most 12): matches of ``item``, whose group 1 is the item
    and group 2 what follows it; the list ends after an item followed by one of ``last``."""
    for _ in range(12):
        im = item.match(text, pos)
        if im is None:
            return
        yield im
        if im.group(2) in last:
            return
        pos = im.end()


def list_items(text: str, anchors: Anchors | None = None) -> Iterator[tuple[int, int, EntityType]]:
    """Names enumerated after "datasets such as", "models like" …"""
    for m in near(LIST_CUE, text, _windows(text, _LIST_ANCHORS, anchors)):
        head = m.group("head").lower()
        ty = LIST_TYPES.get(head)
        if ty is None:
            continue
        for im in _enumeration(LIST_ITEM, text, m.end()):
            # "transformers, namely Emergent Modularity" names a concept; transformers listed by name look like
            # names ("DiTs and SiTs")
            if head != "transformers" or looks_like_name(im.group(1)):
                yield im.start(1), im.end(1), ty


# "tasks such as chatting, reasoning, and question-answering": lower-case task names in a list
TASK_LIST_CUE = re.compile(
    r"\btasks?,?\s+(?:such as|like|including|e\.g\.,?|namely|\(e\.g\.,?|\(including)(?![A-Za-z0-9])\s*"
)
_TASK_ITEM = re.compile(
    r"\s*(?:and\s+|or\s+)?([a-z][a-z0-9\-]*(?: (?!and\b|or\b)[a-z][a-z0-9\-]*){0,3})\s*(,|\band\b|\bor\b|[).;:])?"
)


def task_list_items(text: str, anchors: Anchors | None = None) -> Iterator[tuple[int, int]]:
    """Lower-case items after "tasks such as …"; an item must end at a list separator or the end of the clause,
    so "tasks such as summarization and translation show …" yields only "summarization"."""
    for m in at_starts(TASK_LIST_CUE, text, word_starts(text, _TASK_STARTS, anchors)):
        for im in _enumeration(_TASK_ITEM, text, m.end(), (None, ")", ".", ";", ":")):
            if im.group(2) is None:
                break  # an item running on into the clause ("translation show …")
            if _task_like(im.group(1)):
                yield im.start(1), im.end(1)


_TASK_STARTS = ((("task", "tasks"), (0,)),)
_QUANTIFIERS = frozenset("various other several many different more most some all such these those".split())
_TASK_ENDINGS = ("ing", "tion", "ment", "ysis", "ssion")


def _task_like(item: str) -> bool:
    """Not "graph-" (a suspended hyphen), "various …", an adjective alone ("generative") or a model class."""
    words = item.split()
    if item.endswith("-") or words[0] in _QUANTIFIERS or words[-1] in ("models", "model", "transformers"):
        return False
    return len(words) > 1 or item.endswith(_TASK_ENDINGS)


# "based on X", "focus on X": what follows "on" is not where something is evaluated
_NOT_EVAL_ON = frozenset(
    "based built build builds relies rely relying depend depends depending focus focuses focused focusing top "
    "conditioned conditioning centered centred hinge hinges draw draws drawing acts act operates operate "
    "run runs running deployed implemented".split()
)


def evaluated_on(text: str) -> set[int]:
    """Start offsets of the names listed after "on" ("experiments on ImageNet-1K, ADE20K and NYUv2",
    "excels over StyleGAN on CelebA-HQ"): where papers name the data they evaluate or train on."""
    out: set[int] = set()
    pos = text.find(" on ")
    while pos >= 0:
        before = text[max(0, pos - 20) : pos].rsplit(None, 1)
        if not before or before[-1].lower() not in _NOT_EVAL_ON:
            at = pos + 4
            if text.startswith("the ", at):
                at += 4
            out.update(im.start(1) for im in _enumeration(LIST_ITEM, text, at))
        pos = text.find(" on ", pos + 4)
    return out


_SUBTITLE_NP_END = re.compile(
    r"\s(?:for|with|via|in|on|to|from|of|using|through|and|that|is|are)\s|[,:;.?!(]"
)
_MODEL_HEADS = frozenset(["transformer", "gan", "llm", "gpt", "bert", "autoencoder", "network"])


def title_prefix(title: str) -> tuple[int, int, EntityType | None] | None:
    """A title "X: …" names what the paper proposes; the subtitle's head word may say what X is."""
    m = TITLE_PREFIX.match(title) if ":" in title else None  # (the test spares the regex's lazy scan)
    if m is None:
        return None
    name = m.group(1)
    if len(name.split()) > 4 or not any(c.isupper() for c in name) or name.endswith("?"):
        return None
    words = name.split()
    # "Is Model Collapse Inevitable? …" style questions and plain English headings are not names
    if len(words) > 1 and all(w[:1].isupper() and w[1:].islower() for w in words) and len(words) > 3:
        return None
    sub = title[m.end() - 1 :]
    hm = _SUBTITLE_HEAD.search(sub[:80])
    ty = _SUBTITLE_TYPES[hm.group(1).lower()] if hm else None
    if ty is None:
        # "SSAST: Self-Supervised Audio Spectrogram Transformer": a subtitle whose first noun phrase ends in a
        # network word says X is a model (an instance with weights), not a technique
        head = _SUBTITLE_NP_END.split(sub, 1)[0].split()
        if head and head[-1].lower().rstrip("s") in _MODEL_HEADS:
            ty = EntityType.MODEL
    start, end = m.start(1), m.end(1)
    if len(words) > 1:
        # "Use Your INSTINCT: …" names INSTINCT; the other words are a slogan
        named = [w for w in words if sum(c.isupper() for c in w) >= 2 or any(c.isdigit() for c in w)]
        if named and len(named) < len(words) and all(w[0].isupper() or w in named for w in words):
            last = named[-1]
            start = title.index(last, start)
            end = start + len(last)
    return start, end, ty


def self_description(text: str, anchors: Anchors | None = None) -> EntityType | None:
    """The type a paper gives its own contribution most often ("our benchmark" -> Dataset)."""
    if anchors is None and not any(
        w in text for w in (" a ", "our ", "Our ", "proposed", " novel ", " new ", " an ")
    ):
        return None  # (with anchors, the starts below are already only where the words are)
    counts: dict[EntityType, int] = {}
    for m in at_starts(_SELF, text, word_starts(text, _SELF_STARTS, anchors)):
        ty = _SELF_TYPES.get(m.group(1).lower(), EntityType.METHOD)
        counts[ty] = counts.get(ty, 0) + 1
    if not counts:
        return None
    return max(sorted(counts, key=lambda t: t.value), key=lambda t: counts[t])


def naming_matches(text: str, anchors: Anchors | None = None) -> Iterator[re.Match[str]]:
    """NAMING matches: the name follows its cue word within a few words."""
    return at_starts(NAMING, text, word_starts(text, ((NAMING_CUES, (0,)),), anchors))


_APPOS_COMMA = re.compile(r",\s+an?\s")


def appositive_matches(text: str, anchors: Anchors | None = None) -> Iterator[re.Match[str]]:
    """APPOSITIVE matches, looked for around the commas followed by "a"/"an" only."""
    commas = [i for i in literal_offsets(text, ",") if _APPOS_COMMA.match(text, i)]
    return near(APPOSITIVE, text, around(commas, 100, 128))


_HEAD_ANCHORS = (
    (("dataset", "datasets", "benchmark", "benchmarks", "corpus", "suite", "challenge"), 160, 12),
)


def head_cue_matches(text: str, anchors: Anchors | None = None) -> Iterator[re.Match[str]]:
    """HEAD_CUE matches: a name of up to four words right before its head word."""
    return near(HEAD_CUE, text, _windows(text, _HEAD_ANCHORS, anchors))


def our_matches(text: str, anchors: Anchors | None = None) -> Iterator[re.Match[str]]:
    """OUR matches: "our" and at most one word before the name."""
    return at_starts(OUR, text, word_starts(text, ((("our",), (0,)),), anchors))


def anchor_words() -> frozenset[str]:
    """Every word the cue rules anchor on: the vocabulary's PhraseMatcher reports where they occur."""
    groups = (*_PROPOSAL_STARTS, *_LIST_ANCHORS, *_TASK_STARTS, *_SELF_STARTS, *_HEAD_ANCHORS)
    return frozenset({w for words, *_ in groups for w in words} | set(NAMING_CUES) | {"our", "novel", "new"})


def has_list_cue(text: str) -> bool:
    return any(w in text for w in ("such as", "like ", "including", "e.g.", "namely"))
