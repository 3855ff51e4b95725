"""spaCy components: each one annotates the Doc with candidates from one kind of evidence.

They only append to ``doc._.kg.candidates``; ``kg_decide`` (decide.py) turns candidates into entities. Registration
happens in :func:`register`, called by ``pipeline.make_nlp`` (idempotent, no import side effects).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path

from spacy.attrs import IDX
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from kg.extract import cues, names, phrases
from kg.extract.acronyms import find_abbreviations
from kg.extract.candidate import Candidate, state
from kg.extract.lexicon import (
    HEAD_TYPES,
    METHOD_HEADS,
    METRIC_HEADS,
    NOT_NAMES,
    NP_STOP,
    TASK_HEADS,
    USE_SUFFIXES,
)
from kg.extract.relations import BASED_ANCHORS, OUTPERFORM_ANCHORS
from kg.extract.scan import word_starts
from kg.records import EntityType, Role
from kg.text import match_key
from kg.vocab import Term, load_terms, needs_exact_case

# Suffixes that keep a vocabulary name visible inside a hyphenated word ("GPT-style", "BERT-like").
_OK_SUFFIX = re.compile(rf"-(?:{USE_SUFFIXES})\b")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _title_end(text: str) -> int:
    i = text.find("\n\n")
    return len(text) if i < 0 else i


def _embedded(text: str, start: int, end: int) -> bool:
    """True when [start, end) is only part of a larger hyphenated or alphanumeric word."""
    if start > 0 and (
        text[start - 1].isalnum() or text[start - 1] in "-_" and start > 1 and text[start - 2].isalnum()
    ):
        return True
    if end < len(text) and text[end].isalnum():
        return True
    return (
        end + 1 < len(text)
        and text[end] in "-_"
        and text[end + 1].isalnum()
        and not _OK_SUFFIX.match(text, end)
    )


class VocabMatcher:
    """Vocabulary terms through one case-insensitive PhraseMatcher; case-sensitive terms are re-checked."""

    def __init__(self, nlp: Language, vocab_dir: str | None = None) -> None:

        self.terms = load_terms(Path(vocab_dir) if vocab_dir else None)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        # pattern id -> (surface form, case-sensitive?, term) for each term the lower-cased pattern stands for
        self.entries: dict[int, list[tuple[str, bool, Term]]] = {}
        surfaces: dict[str, list[tuple[str, bool, Term]]] = {}
        for term in self.terms:
            for form in {term.name, *term.aliases}:
                cs = _exact_case(form, term)
                for variant in _variants(form, term.type, cs):
                    surfaces.setdefault(variant.lower(), []).append((variant, cs, term))
        keys = sorted(surfaces)
        # The tokenizer caches the first N chunks it sees and never evicts: with spaCy's 10,000 the patterns'
        # words would fill the cache and every abstract afterwards would tokenize uncached (measured 6x slower),
        # so they stay out; with kg's 200,000 (make_nlp) they are welcome: abstracts use those words too.
        cache_size = nlp.tokenizer.max_cache_size
        nlp.tokenizer.max_cache_size = 0 if cache_size < 100_000 else cache_size
        try:
            for key, doc in zip(keys, nlp.tokenizer.pipe(keys), strict=True):
                mid = nlp.vocab.strings.add("kgv:" + key)
                self.entries[mid] = surfaces[key]
                self.matcher.add("kgv:" + key, [doc])
            # the cue rules' anchor words ride along: the matcher walks the tokens anyway (see scan.py)
            self.anchor_ids: dict[int, str] = {}
            words = {*cues.anchor_words(), *phrases.HEAD_WORDS, *phrases.DESIGN_WORDS, *OUTPERFORM_ANCHORS,
                     *BASED_ANCHORS}  # fmt: skip
            for word in sorted(words):
                key = "kgc:" + word
                self.anchor_ids[nlp.vocab.strings.add(key)] = word
                self.matcher.add(key, [nlp.tokenizer(word)])
        finally:
            nlp.tokenizer.max_cache_size = cache_size

    def __call__(self, doc: Doc) -> Doc:
        matches = self.matcher(doc)
        st = state(doc)
        anchors: dict[str, list[int]] = {}
        st.anchors = anchors
        if not matches:
            return doc
        text = st.text
        # token offsets as a Python list (indexing a numpy array costs more than the rest of the loop); a match
        # ends where the next token starts, less the one space spaCy keeps as the last token's whitespace
        idx = doc.to_array(IDX).tolist()
        n = len(text)
        idx.append(n)
        append = st.candidates.append
        vocab_types = st.vocab_types
        anchor_ids = self.anchor_ids
        entries = self.entries
        used = Role.USED
        for mid, s, e in matches:
            word = anchor_ids.get(mid)
            if word is not None:
                hits = anchors.get(word)
                if hits is None:
                    anchors[word] = [idx[s]]
                else:
                    hits.append(idx[s])
                continue
            start = idx[s]
            end = idx[e]
            if text[end - 1] == " ":
                end -= 1
            # most matches stand between spaces or punctuation: the full test only when a neighbour could glue
            before = text[start - 1] if start else " "
            after = text[end] if end < n else " "
            if (before.isalnum() or before in "-_" or after.isalnum() or after in "-_") and _embedded(
                text, start, end
            ):
                continue
            surface = text[start:end]
            for form, cs, term in entries.get(mid, ()):
                if cs and surface != form:
                    continue
                # positional arguments: this runs for every vocabulary match of every paper
                append(Candidate(start, end, surface, term.type, "vocab", used, term.name, (), term.generic,
                                 term.attrs))  # fmt: skip
                types = vocab_types.get((start, end))
                if types is None:
                    vocab_types[(start, end)] = {term.type}
                else:
                    types.add(term.type)
                break
        return doc


def _exact_case(form: str, term: Term) -> bool:
    """The vocabulary's rule (acronyms, mixed case like "PaLM"), plus: short forms and capitalised single words
    ("Falcon", "Primer") are names only as written, never the English word."""
    # one word made of two capitalised words ("LibriSpeech", "ImageNet", "DeepSpeed") is an invented name, safe
    # in any case ("Librispeech"); styled acronyms of English words ("DeViSE", "DeLiVER", "CoRe") are not
    humps = _CAMEL.split(form) if form.isalpha() and not term.case_sensitive else ()
    if len(humps) == 2 and min(len(humps[0]), len(humps[1])) >= 3:
        return False
    return needs_exact_case(form, term) or len(form) <= 4 or form[:1].isupper() and " " not in form


def _variants(form: str, ty: EntityType, cs: bool) -> set[str]:
    out = {form}
    if "-" in form:
        out.add(form.replace("-", " "))
        if not cs:
            out.add(form.replace("-", ""))
    elif not cs and form.count(" ") == 1 and form.islower():
        out.add(form.replace(" ", "-"))  # "question-answering", "fine-tuning" written with a hyphen
    if not cs and ty in (EntityType.METHOD, EntityType.TASK, EntityType.DATASET) and form[-1:].isalpha():
        for v in list(out):
            if not v.endswith("s"):
                out.add(v + "s")
            elif v.endswith("sis"):
                out.add(v[:-3] + "ses")
    return out


def acronyms_component(doc: Doc) -> Doc:
    """Acronym definitions become two linked candidates; later bare uses of the short form join them."""
    st = state(doc)
    text = st.text
    add = st.candidates.append
    seen: dict[str, int] = {}
    for ab in find_abbreviations(text):
        pair = f"pair:{ab.short}"
        ty = _type_of_long_form(ab.long)
        add(Candidate(ab.long_start, ab.long_end, ab.long, ty, "acronym", aliases=(pair,)))
        add(Candidate(ab.short_start, ab.short_end, ab.short, ty, "acronym", aliases=(pair,)))
        seen.setdefault(ab.short, ab.short_start)
    for short, first in seen.items():
        for m in _uses(text, names.strip_plural(short)):
            if m.start() != first and not _embedded(text, m.start(), m.end()):
                add(Candidate(m.start(), m.end(), m.group(0), None, "acronym-use",
                                                     aliases=(f"pair:{short}",)))  # fmt: skip
    return doc


@functools.lru_cache(maxsize=4096)
def _use_pattern(short: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(short)}s?(?![\w])")


def _uses(text: str, short: str) -> Iterator[re.Match[str]]:
    """Whole-word uses of a short form (plural "s" allowed), as ``finditer`` would find them; tried only where
    ``str.find`` sees the short form (a regex opening with a look-behind would be tried at every position)."""
    pattern = _use_pattern(short)
    pos = text.find(short)
    while pos >= 0:
        m = pattern.match(text, pos)
        if m is None:
            pos = text.find(short, pos + 1)
        else:
            yield m
            pos = text.find(short, m.end())


@functools.lru_cache(maxsize=1 << 14)
def _type_of_long_form(long: str) -> EntityType | None:
    words = long.lower().replace("-", " ").split()
    last = words[-1] if words else ""
    last_s = last[:-1] if last.endswith("s") and not last.endswith("ss") else last
    for w in (last, last_s):
        if w in HEAD_TYPES and HEAD_TYPES[w] in (EntityType.DATASET, EntityType.METRIC):
            return HEAD_TYPES[w]
        if w in TASK_HEADS:
            return EntityType.TASK
        if w in METRIC_HEADS:
            return EntityType.METRIC
        if w in (
            "transformer",
            "network",
            "autoencoder",
            "model",
            "gpt",
            "bert",
            "encoder",
            "agent",
            "policy",
        ):
            return EntityType.MODEL if any(c.isupper() for c in long[1:]) else EntityType.METHOD
        if w in METHOD_HEADS or w in HEAD_TYPES:
            return EntityType.METHOD
    return None


@functools.lru_cache(maxsize=8)
def vocab_words(vocab_dir: str | None = None) -> frozenset[str]:
    """Lower-case words of the task, method and metric vocabularies: the domain's ordinary words."""
    words: set[str] = set()
    for t in load_terms(Path(vocab_dir) if vocab_dir else None):
        if t.type in (EntityType.TASK, EntityType.METHOD, EntityType.METRIC):
            for form in (t.name, *t.aliases):
                words.update(w for w in re.split(r"[\s\-/]+", form.lower()) if w.isalpha())
    return frozenset(words)


@functools.lru_cache(maxsize=8)
def family_types(vocab_dir: str | None = None) -> dict[str, EntityType]:
    """Normalised names of vocabulary models and datasets -> type: the families a new variant belongs to."""
    out: dict[str, EntityType] = {}
    clash: set[str] = set()
    for t in load_terms(Path(vocab_dir) if vocab_dir else None):
        if t.type not in (EntityType.MODEL, EntityType.DATASET):
            continue
        for form in (t.name, *t.aliases):
            k = match_key(form)
            if len(k) < 3:
                continue
            if out.get(k, t.type) is not t.type:
                clash.add(k)
            out[k] = t.type
    return {k: v for k, v in out.items() if k not in clash}


def family_type(name: str, families: dict[str, EntityType]) -> EntityType | None:
    """The type of the longest known family a name extends: "ImageNet-1K" and "CelebA-HQ 1024" are datasets
    because ImageNet and CelebA-HQ are, "Qwen2-VL 7B" is a model because Qwen2 is."""
    for i in range(len(name) - 1, 1, -1):
        if name[i] in "- " and (t := families.get(match_key(name[:i]))) is not None:
            return t
    return None


TOKEN_CACHE = 100_000  # tokens NameFinder remembers before it starts afresh


class NameFinder:
    """Tokens shaped like model names; typed by the following head word, else by family, else by shape."""

    def __init__(self, vocab_dir: str | None = None) -> None:
        self.known = vocab_words(vocab_dir)
        self.families = family_types(vocab_dir)
        # token -> what it says alone (see names_component); names recur across papers, so kept across them
        self.tokens: dict[str, tuple[bool, EntityType | None]] = {}

    def __call__(self, doc: Doc) -> Doc:
        if len(self.tokens) > TOKEN_CACHE:
            self.tokens.clear()
        return names_component(doc, self.known, self.families, self.tokens)


def names_component(
    doc: Doc,
    known: frozenset[str] = frozenset(),
    families: dict[str, EntityType] | None = None,
    seen: dict[str, tuple[bool, EntityType | None]] | None = None,
) -> Doc:
    """Tokens shaped like model names; typed by the following head word, else by shape. ``seen`` caches what a
    token says alone (whether it looks like a name, the family it extends) for the given ``known`` and
    ``families``."""
    st = state(doc)
    text = st.text
    add = st.candidates.append
    on_items: set[int] | None = None  # computed at the first name that needs it
    if seen is None:
        seen = {}
    # a typed vocabulary match on the same span already says all a shape would (it wins every decision)
    known_spans = st.vocab_types
    for start0, (parts, cut) in names.name_candidates(text):
        for offset, tok in parts:
            start = start0 + offset
            end = start + len(tok)
            if (start, end) in known_spans:
                continue
            # shape needs internal capitals or digits, so a capitalised word opening a sentence ("Attention is …")
            # never qualifies
            info = seen.get(tok)
            if info is None:  # what the token alone says
                ok = names.looks_like_name(tok) and not (names.is_styled(tok) and tok.lower() in known)
                info = seen[tok] = (ok, family_type(tok, families) if ok and families else None)
            if not info[0]:
                continue
            ty = names.type_from_head(text[end : end + 30].lstrip(" ")) if not cut else None
            if ty is None:
                ty = info[1]
            if ty is None:
                if on_items is None:
                    on_items = cues.evaluated_on(text)
                ty = names.type_from_shape(tok)
                if start in on_items and not names.is_acronym(tok):  # bare acronyms stay untyped here too
                    ty = EntityType.DATASET
            add(Candidate(start, end, tok, ty, "shape"))
    return doc


def cues_component(doc: Doc) -> Doc:
    """Proposal cues, naming cues, lists ("datasets such as …"), head nouns ("X benchmark"), the title prefix."""
    st = state(doc)
    text = st.text
    add = st.candidates.append
    title_end = _title_end(text)
    anchors = st.anchors
    st.self_type = cues.self_description(text, anchors)
    regions = st.proposal_regions = list(cues.proposal_regions(text, anchors))
    tp = cues.title_prefix(text[:title_end])
    if tp is not None:
        s, e, ty = tp
        name = text[s:e]
        # a descriptive heading ("Representation Alignment for Generation: …") is a name only if the abstract
        # uses it again; a single word or a name-shaped token always is
        if " " not in name or names.looks_like_name(name) or text.find(name, title_end) >= 0:
            add(Candidate(s, e, name, ty, "title-prefix", role=Role.PROPOSED))
    design_at = word_starts(text, phrases.DESIGN_STARTS, anchors) if regions and anchors is not None else None
    for rs, re_ in regions:
        for s, e in phrases.proposal_phrases(text, rs, re_, design_at):
            add(Candidate(s, e, text[s:e], EntityType.METHOD, "design", role=Role.PROPOSED))
    # each regex runs only when its literal cue word occurs at all (a C-speed substring test)
    for m in cues.naming_matches(text, anchors):  # anchored on the cue words themselves
        name = m.group(1).rstrip(".,")
        s = m.start(1)
        ty = names.type_from_head(
            text[s + len(name) : s + len(name) + 30].lstrip(" ,")
        ) or names.type_from_shape(name)
        near = any(rs - 80 <= s <= re_ + 40 for rs, re_ in regions)
        role = Role.PROPOSED if near else Role.USED
        add(Candidate(s, s + len(name), name, ty, "naming", role=role))
    for m in cues.appositive_matches(text, anchors) if (", a " in text or ", an " in text) else ():
        name = m.group(1)
        if name.split()[0] in NOT_NAMES or not names.looks_like_name(name) and m.start(1) > title_end:
            continue
        ty = HEAD_TYPES.get(m.group(2).lower())
        if ty is EntityType.TASK:
            continue
        novel = "novel" in m.group(0) or "new" in m.group(0).split()
        role = Role.PROPOSED if novel else Role.USED
        add(Candidate(m.start(1), m.end(1), name, ty, "proposal" if novel else "head-cue",
                                             role=role))  # fmt: skip
    if cues.has_list_cue(text):
        vocab = st.vocab_types  # list cues do not override what the vocabulary knows for sure
        for s, e, ty in cues.list_items(text, anchors):
            name = text[s:e].rstrip(".")
            if name.split()[0] in NOT_NAMES or name.lower() in HEAD_TYPES:
                continue
            # "generative models (e.g., GANs, diffusion models)": a "models" list also holds architecture
            # classes, which the vocabulary knows as methods
            if ty is EntityType.MODEL and EntityType.METHOD in vocab.get((s, s + len(name)), ()):
                ty = EntityType.METHOD
            add(Candidate(s, s + len(name), name, ty, "list-cue"))
        for s, e in cues.task_list_items(text, anchors) if "task" in text else ():
            if not vocab.get((s, e), set()) - {EntityType.TASK} and text[s:e] not in NP_STOP:
                add(Candidate(s, e, text[s:e], EntityType.TASK, "list-cue"))
    for m in cues.head_cue_matches(text, anchors):  # anchored on the head words
        name = m.group(1)
        words = name.split()
        # drop a sentence-initial determiner-like word: "The GLUE benchmark"
        while words and (words[0] in NOT_NAMES or words[0] in ("The", "A", "An", "On", "In", "For", "Our")):
            words = words[1:]
        if not words:
            continue
        name = " ".join(words)
        s = m.end(1) - len(name)
        add(Candidate(s, m.end(1), name, HEAD_TYPES[m.group(2).lower()], "head-cue"))
    for m in cues.our_matches(text, anchors) if ("our " in text or "Our " in text) else ():
        name = m.group(1).rstrip(".")
        if names.looks_like_name(name):
            add(Candidate(m.start(1), m.start(1) + len(name), name, None, "proposal",
                                                 role=Role.PROPOSED))  # fmt: skip
    return doc


class PhraseFinder:
    """Lower-case noun phrases ending in a task or method head word, with modifiers the vocabularies know."""

    def __init__(self, vocab_dir: str | None = None) -> None:
        self.known = vocab_words(vocab_dir) - NP_STOP

    def __call__(self, doc: Doc) -> Doc:
        st = state(doc)
        text = st.text
        add = st.candidates.append
        # as for name shapes: a typed vocabulary match on the same span wins every decision a phrase could sway
        known_spans = st.vocab_types
        for s, e, ty in phrases.noun_phrases(text, self.known, anchors=st.anchors):
            if (s, e) not in known_spans:
                add(Candidate(s, e, text[s:e], ty, "np-head"))
        return doc
