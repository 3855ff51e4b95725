"""Statements between the entities of one paper: applied to, evaluated on, outperforms, based on, and numbers.

Rules over sentences and the entity spans ``kg_decide`` found; each statement keeps its sentence and the rule
that made it, and a confidence that says how much the rule is to be trusted.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from operator import itemgetter

from kg.extract.decide import PaperEntity
from kg.extract.scan import Anchors, at_starts, word_starts
from kg.records import EntityType, Link, Result, Role

_OUTPERFORM = re.compile(
    r"\b(?:outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|beat(?:s|ing)?|exceed(?:s|ed|ing)?|better than|"
    r"superior to|improves? (?:up)?on)\b"
)
_BASED = re.compile(
    r"\b(?:based on|built (?:up)?on|builds? (?:up)?on|extends?|extending|on top of|initiali[sz]ed (?:from|with)|"
    r"fine-tuned from|derived from|variant of|adapts?|adapting)\b"
)
# each regex above runs on a sentence only when one of its literal words is there (a C-speed substring test)
_OUTPERFORM_WORDS = ("outperform", "surpass", "beat", "exceed", "better than", "superior to", "improve")
_BASED_WORDS = ("based on", "buil", "extend", "on top of", "initiali", "fine-tuned from", "derived from",
                "variant of", "adapt")  # fmt: skip
# or, in the pipeline, only when one of these tokens is in the sentence (every match holds one; the kg_vocab
# PhraseMatcher reports where they are, see scan.py)
OUTPERFORM_ANCHORS = (
    "outperform", "outperforms", "outperformed", "outperforming", "surpass", "surpasses", "surpassed",
    "surpassing", "beat", "beats", "beating", "exceed", "exceeds", "exceeded", "exceeding", "better", "superior",
    "improve", "improves",
)  # fmt: skip
BASED_ANCHORS = (
    "based", "built", "build", "builds", "extend", "extends", "extending", "top", "initialized", "initialised",
    "fine-tuned", "derived", "variant", "adapt", "adapts", "adapting",
)  # fmt: skip
# where their matches start (scan.word_starts): at the word, or three characters before "top" ("on top of")
_OUTPERFORM_STARTS = ((OUTPERFORM_ANCHORS, (0,)),)
_BASED_STARTS = ((tuple(w for w in BASED_ANCHORS if w != "top"), (0,)), (("top",), (-3,)))
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d+)?)\s?(%|\s?points?|x\b)?")
_FROM_TO = re.compile(r"from\s+(\d+(?:\.\d+)?)\s?%?\s+to\s+(\d+(?:\.\d+)?)\s?(%?)")
_ACTORS = (EntityType.MODEL, EntityType.METHOD)


_first = itemgetter(0)


def find_links(
    paper: str,
    text: str,
    entities: Sequence[PaperEntity],
    bounds: Sequence[int],
    anchors: Anchors | None = None,
) -> tuple[list[Link], list[Result]]:
    """Entity→entity links and stated results of one paper (``bounds``: sentence start offsets; ``anchors``:
    the pipeline's, which include the cue words)."""
    cues_at: tuple[list[int], list[int]] | None = None  # where the cue words are, made when first needed
    mentions = sorted(((s, e, ent) for ent in entities if not ent.generic for s, e in ent.spans), key=_first)
    proposed = [e for e in entities if e.role is Role.PROPOSED and e.type in _ACTORS]
    links: dict[tuple[str, str, str, str, str], Link] = {}
    results: list[Result] = []

    def add(
        src: PaperEntity, rel: str, dst: PaperEntity, sent: tuple[int, int], rule: str, conf: float
    ) -> None:
        if src is dst or src.name == dst.name:
            return
        key = (src.name, src.type.value, rel, dst.name, dst.type.value)
        if key not in links:
            links[key] = Link(paper, src.name, src.type, rel, dst.name, dst.type, text[sent[0] : sent[1]].strip(),
                              sent[0], sent[1], rule, conf)  # fmt: skip

    # the mentions sentence by sentence, in text order
    n, k = len(mentions), 0
    while k < n:
        i = max(0, bisect.bisect_right(bounds, mentions[k][0]) - 1)  # the sentence of the next mention
        sent = (bounds[i], bounds[i + 1] if i + 1 < len(bounds) else len(text))
        j = k + 1
        while j < n and mentions[j][0] < sent[1]:
            j += 1
        spans = mentions[k:j]
        k = j
        if len(spans) == 1:
            # one mention links to nothing; it can only be a metric with a number for the proposed model
            if proposed and spans[0][2].type is EntityType.METRIC:
                results.extend(_results(paper, text[sent[0] : sent[1]], sent[0], spans, proposed))
            continue
        types = {e.type for _, _, e in spans}
        if proposed:
            here = {id(e) for _, _, e in spans}
            for subj in [e for e in proposed if id(e) in here]:
                for _, _, other in spans:
                    if other.type is EntityType.TASK:
                        add(subj, "appliedTo", other, sent, "same-sentence:proposed+task", 0.6)
                    elif other.type is EntityType.DATASET:
                        add(subj, "evaluatedOn", other, sent, "same-sentence:proposed+dataset", 0.65)
        sentence = text[sent[0] : sent[1]]
        if EntityType.METRIC in types:
            results.extend(_results(paper, sentence, sent[0], spans, proposed))
        # both cues need an actor on each side: a sentence with fewer than two is not scanned for them
        if sum(1 for _, _, e in spans if e.type in _ACTORS) < 2:
            continue
        if anchors is None:
            outperform_cues: Iterable[re.Match[str]] = (
                _OUTPERFORM.finditer(sentence) if any(w in sentence for w in _OUTPERFORM_WORDS) else ()
            )
            based_cues: Iterable[re.Match[str]] = (
                _BASED.finditer(sentence) if any(w in sentence for w in _BASED_WORDS) else ()
            )
        else:
            # every match starts at a cue word ("on top of": three characters before "top"): tried there only
            if cues_at is None:
                cues_at = (
                    word_starts(text, _OUTPERFORM_STARTS, anchors),
                    word_starts(text, _BASED_STARTS, anchors),
                )
            outperform_cues = _cues_in(_OUTPERFORM, sentence, sent[0], cues_at[0])
            based_cues = _cues_in(_BASED, sentence, sent[0], cues_at[1])
        for m in outperform_cues:
            cue = sent[0] + m.start()
            left = [e for s, _, e in spans if s < cue and e.type in _ACTORS]
            right = [e for s, _, e in spans if s > cue and e.type in _ACTORS]
            if not left or not right:
                continue
            subj = next((e for e in reversed(left) if e.role is Role.PROPOSED), left[-1])
            for obj in right:
                if any(c.isupper() for c in obj.name):  # named systems, not techniques ("fine-tuning")
                    add(subj, "outperforms", obj, sent, "cue:outperforms", 0.7)
        for m in based_cues:
            cue = sent[0] + m.start()
            left = [e for s, _, e in spans if s < cue and e.type in _ACTORS]
            right = [e for s, _, e in spans if s > cue + len(m.group(0)) - 1 and e.type in _ACTORS]
            if not left or not right:
                continue
            subj = next((e for e in reversed(left) if e.role is Role.PROPOSED), left[-1])
            add(subj, "basedOn", right[0], sent, "cue:based-on", 0.6)
    return sorted(links.values(), key=lambda k: (k.start, k.relation, k.source, k.target)), results


def _cues_in(
    pattern: re.Pattern[str], sentence: str, offset: int, starts: list[int]
) -> Iterable[re.Match[str]]:
    """``pattern.finditer(sentence)`` when its matches start only at ``starts`` (text offsets, sorted)."""
    lo = bisect.bisect_left(starts, offset)
    hi = bisect.bisect_left(starts, offset + len(sentence))
    return at_starts(pattern, sentence, [p - offset for p in starts[lo:hi]]) if lo < hi else ()


def _results(
    paper: str,
    sentence: str,
    offset: int,
    spans: list[tuple[int, int, PaperEntity]],
    proposed: list[PaperEntity],
) -> list[Result]:
    """Numbers stated next to a metric: "improves the success rate from 88.9% to 94.9%", "81.1% accuracy"."""
    metrics = [(s, e, ent) for s, e, ent in spans if ent.type is EntityType.METRIC]
    if not metrics:
        return []
    actors = [ent for _, _, ent in spans if ent.type in _ACTORS]
    model = next((e for e in actors if e.role is Role.PROPOSED), None) or (proposed[0] if proposed else None)
    if model is None:
        return []
    dataset = next((ent.name for _, _, ent in spans if ent.type is EntityType.DATASET), None)
    out = []
    for s, e, metric in metrics:
        ls, le = s - offset, e - offset
        window = sentence[le : le + 40]
        m = _FROM_TO.search(window)
        if m:
            value_text = m.group(2) + m.group(3)
        else:
            before = sentence[max(0, ls - 25) : ls]
            after = _NUMBER.match(window.lstrip(" of:="))
            nums = list(_NUMBER.finditer(before))
            if after and after.group(2) in ("%", None) and "." in after.group(1) + (after.group(2) or "."):
                value_text = after.group(1) + (after.group(2) or "")
            elif nums and nums[-1].group(2) == "%":
                value_text = nums[-1].group(1) + "%"
            else:
                continue
        value = float(value_text.rstrip("%"))
        out.append(Result(paper, model.name, model.type, metric.name, dataset, value, value_text.strip(),
                          sentence.strip()))  # fmt: skip
    return out
