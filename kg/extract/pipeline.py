"""The extraction pipeline, assembled in one place: a blank English tokenizer plus kg's rule components.

>>> nlp = make_nlp()
>>> [(m.name, m.type.value, m.role.value) for m in extract_paper(nlp, "p1", "GPTQ: Accurate Quantization", "")]
[('GPTQ', 'Method', 'proposed'), ('quantization', 'Method', 'used')]
"""

from __future__ import annotations

import bisect
import gc
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex
from spacy.vocab import Vocab

from kg.extract.candidate import STATE_KEY, DocState, state
from kg.extract.scan import literal_offsets
from kg.records import EntityType, Link, Mention, Paper, Result

PIPE_NAMES = ("kg_start", "kg_vocab", "kg_acronyms", "kg_names", "kg_cues", "kg_phrases", "kg_decide")
# Sentence starts for evidence: after . ! ? and a space before a capital, digit, quote or bracket. A regex on the
# text is ten times cheaper than a sentencizer that visits every token, and evidence needs nothing better.
# (Written to open with a character class, so CPython's re skips to the next [.!?\n] in C: four times faster
# than the same rule opening with a look-behind; tests/test_scan.py checks the two agree.)
_SENT_END = re.compile(r"[.!?\n](?:(?<=[.!?])\s+(?=[A-Z0-9\"'(\[])|(?<=\n)\n)")
# spaCy refuses texts over nlp.max_length and slows on huge ones; longer abstracts are read in chunks.
CHUNK_CHARS = 100_000
RUN_BATCH = 128  # papers run component by component (run_many): measured faster than 32 or 64
TOKENIZER_CACHE = 200_000  # chunks; about 40 MB when full
_registered = False
# URLs and e-mail addresses are paper attributes, never entity names.
_NONSPACE = re.compile(r"\S+")
_URLISH = re.compile(r"://|^www\.|\.(?:com|org|io|ai|net|edu)(?:/|$)|@\w[\w-]*\.\w")
# every chunk _URLISH accepts contains one of these (found with str.find, far cheaper than a regex scan)
_URL_LITERALS = ("://", "www.", "@", ".com", ".org", ".io", ".ai", ".net", ".edu")


def url_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of URLs and e-mail addresses (whitespace-delimited chunks that look like one)."""
    if "/" not in text and "@" not in text and "www." not in text:
        return []
    starts: set[int] = set()
    for lit in _URL_LITERALS:
        i = text.find(lit)
        while i >= 0:
            s = i
            while s > 0 and not text[s - 1].isspace():
                s -= 1
            starts.add(s)
            i = text.find(lit, i + 1)
    out = []
    for s in sorted(starts):
        m = _NONSPACE.match(text, s)
        if m is not None and _URLISH.search(m.group()):
            out.append(m.span())
    return out


def register() -> None:
    """Register kg's components and Doc extensions with spaCy (safe to call many times)."""
    global _registered
    if _registered:
        return
    from kg.extract import components
    from kg.extract.decide import decide_component

    if not Doc.has_extension("kg"):
        Doc.set_extension("kg", default=None)  # a candidate.DocState, made by kg_start
    probe = Doc(Vocab(), words=["x"])
    probe._.kg = marker = DocState("x")
    if probe.user_data.get(STATE_KEY) is not marker:  # components read doc._.kg through candidate.state()
        raise RuntimeError(
            "this spaCy keeps extension values elsewhere: update kg.extract.candidate.STATE_KEY"
        )

    @Language.factory("kg_vocab", default_config={"vocab_dir": None})
    def _make_vocab(nlp: Language, name: str, vocab_dir: str | None) -> components.VocabMatcher:
        return components.VocabMatcher(nlp, vocab_dir)

    @Language.component("kg_start")
    def _start(doc: Doc) -> Doc:
        # Doc.text joins every token on each access: read it once (or take the string the Doc was made from,
        # see run()) and share it with the other components
        st = state(doc)
        if st is None:
            st = DocState(doc.text)
            doc.user_data[STATE_KEY] = st
        st.masked = url_spans(st.text)
        return doc

    Language.component("kg_acronyms", func=components.acronyms_component)

    @Language.factory("kg_names", default_config={"vocab_dir": None})
    def _make_names(nlp: Language, name: str, vocab_dir: str | None) -> components.NameFinder:
        return components.NameFinder(vocab_dir)

    Language.component("kg_cues", func=components.cues_component)

    @Language.factory("kg_phrases", default_config={"vocab_dir": None})
    def _make_phrases(nlp: Language, name: str, vocab_dir: str | None) -> components.PhraseFinder:
        return components.PhraseFinder(vocab_dir)

    Language.component("kg_decide", func=decide_component)
    _registered = True


def make_nlp(vocab_dir: str | None = None) -> Language:
    """A fresh pipeline; building the vocabulary matcher costs about a second, so build once per process."""
    register()
    nlp = spacy.blank("en")
    # "FID=1.42", "accuracy=92.1%": split at "=" so the metric is a token of its own; LaTeX ties and markup
    # ("reconstruction~--", "\emph{training}") are not part of words either, and the rules anchor on tokens
    # (scan.py). Set before any pattern is tokenized, so the vocabulary and the text are cut alike.
    nlp.tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, r"=", r"[~{}\\$]"]).finditer
    # the tokenizer caches the analysis of the first N distinct chunks it sees (never evicting): spaCy's 10,000
    # are full after a few hundred abstracts, and every rarer word is then re-analysed each time it occurs
    nlp.tokenizer.max_cache_size = TOKENIZER_CACHE
    nlp.add_pipe("kg_start")
    nlp.add_pipe("kg_vocab", config={"vocab_dir": vocab_dir})
    for name in PIPE_NAMES[2:]:
        nlp.add_pipe(name, config={"vocab_dir": vocab_dir} if name in ("kg_phrases", "kg_names") else {})
    return nlp


def paper_text(title: str, abstract: str) -> str:
    """The text the extractor reads; mention offsets point into it."""
    return f"{title}\n\n{abstract}" if abstract else title


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    while pos < len(text):
        end = min(len(text), pos + CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind(". ", pos, end)
            end = cut + 2 if cut > pos else end
        yield pos, text[pos:end]
        pos = end


def sentence_bounds(text: str) -> list[int]:
    """Character offsets where sentences start.

    >>> sentence_bounds("A b. C d? e. F")
    [0, 5, 13]
    """
    # every sentence end opens with one of four characters: str.find locates them at memory speed, and the
    # pattern is tried there only, as scan.at_starts does (equal to finditer, tests/test_scan.py)
    starts = [*literal_offsets(text, "."), *literal_offsets(text, "\n"), *literal_offsets(text, "!"),
              *literal_offsets(text, "?")]  # fmt: skip
    starts.sort()
    out = [0]
    done = 0
    match = _SENT_END.match
    for p in starts:
        if p >= done and (m := match(text, p)) is not None:
            done = m.end()
            out.append(done)
    return out


def _mentions(doc: Doc, key: str, offset: int, bounds: list[int] | None = None) -> list[Mention]:
    st = doc.user_data[STATE_KEY]
    text = st.text
    bounds = bounds if bounds is not None else sentence_bounds(text)
    out = []
    sentences: dict[int, str] = {}
    for e in st.entities:
        i = max(0, bisect.bisect_right(bounds, e.start) - 1)
        sentence = sentences.get(i)
        if sentence is None:
            end = bounds[i + 1] if i + 1 < len(bounds) else len(text)
            sentence = sentences[i] = text[bounds[i] : end].strip()
        # positional: paper, name, type, role, aliases, start, end, sentence, rule, confidence, generic
        out.append(Mention(key, e.name, e.type, e.role, tuple(e.aliases), e.start + offset, e.end + offset, sentence,
                           e.rule, e.confidence, e.generic))  # fmt: skip
    return out


@dataclass
class PaperExtraction:
    """What the extractor found in one paper: records only, cheap to send between processes."""

    key: str
    mentions: list[Mention] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)


def run(nlp: Language, text: str) -> Doc:
    """``nlp(text)``, but handing the components the original string so none has to rebuild ``Doc.text``."""
    doc = nlp.make_doc(text)
    doc.user_data[STATE_KEY] = DocState(text)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def run_many(nlp: Language, texts: list[str]) -> list[Doc]:
    """:func:`run` over several texts, component by component: each component's tables (the tokenizer cache,
    the PhraseMatcher's trie, the rules' dictionaries) stay in the CPU cache across the batch; measured about 7%
    faster than one text at a time."""
    docs = []
    for text in texts:
        doc = nlp.make_doc(text)
        doc.user_data[STATE_KEY] = DocState(text)
        docs.append(doc)
    for _, proc in nlp.pipeline:
        docs = [proc(doc) for doc in docs]
    return docs


def extract_many(nlp: Language, papers: list[tuple[str, str, str]]) -> list[PaperExtraction]:
    """:func:`extract_all` for a batch of (key, title, abstract), through :func:`run_many`."""
    from kg.extract.relations import find_links

    jobs: list[tuple[int, int, str]] = []  # (paper, offset of the chunk, chunk)
    for i, (_, title, abstract) in enumerate(papers):
        text = paper_text(title, abstract)
        for offset, chunk in _chunks(text) if len(text) > CHUNK_CHARS else ((0, text),):
            jobs.append((i, offset, chunk))
    outs = [PaperExtraction(key) for key, _, _ in papers]
    merged: list[dict[tuple[EntityType, str], Mention]] = [{} for _ in papers]
    for (i, offset, chunk), doc in zip(jobs, run_many(nlp, [c for _, _, c in jobs]), strict=True):
        key, out = papers[i][0], outs[i]
        bounds = sentence_bounds(chunk)
        for m in _mentions(doc, key, offset, bounds):
            merged[i].setdefault((m.type, m.name.casefold()), m)
        st = doc.user_data[STATE_KEY]
        links, results = find_links(key, chunk, st.entities, bounds, st.anchors)
        out.links.extend(links)
        out.results.extend(results)
    for out, found in zip(outs, merged, strict=True):
        out.mentions = sorted(found.values(), key=attrgetter("start"))
    return outs


def extract_all(nlp: Language, key: str, title: str, abstract: str) -> PaperExtraction:
    """Mentions (one per entity, in text order), entity→entity links and stated results of one paper."""
    return extract_many(nlp, [(key, title, abstract)])[0]


def extract_paper(nlp: Language, key: str, title: str, abstract: str) -> list[Mention]:
    """Mentions of one paper, one per entity, in text order."""
    return extract_all(nlp, key, title, abstract).mentions


_WORKER_NLP: Language | None = None


def batches(papers: Iterable[Paper], size: int) -> Iterator[list[tuple[str, str, str]]]:
    """(key, title, abstract) tuples in lists of ``size``: what workers get (plain data, cheap to pickle)."""
    batch: list[tuple[str, str, str]] = []
    for p in papers:
        batch.append((p.key, p.title, p.abstract))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _work(batch: list[tuple[str, str, str]]) -> list[PaperExtraction]:
    assert _WORKER_NLP is not None
    return extract_many(_WORKER_NLP, batch)


def extract_papers(
    papers: Iterable[Paper],
    *,
    processes: int = 1,
    vocab_dir: str | None = None,
    batch_size: int = 64,
    nlp: Language | None = None,
    dask: str | None = None,
) -> Iterator[PaperExtraction]:
    """Extract each paper, in input order. With ``processes > 1`` workers return records, not Docs.

    The pipeline (``nlp``, else a new one) is built once, before the workers fork: they share it copy-on-write
    instead of each spending a second building its own. ``dask`` (a scheduler address) sends the work to a Dask
    cluster instead (see :mod:`kg.extract.cluster`).
    """
    global _WORKER_NLP
    if dask is not None:
        from kg.extract.cluster import connect, extract_on_cluster

        with connect(dask) as client:
            yield from extract_on_cluster(papers, client, vocab_dir=vocab_dir)
        return
    nlp = nlp if nlp is not None else make_nlp(vocab_dir)
    with gc_for_extraction():
        if processes <= 1:
            for batch in batches(papers, RUN_BATCH):
                yield from extract_many(nlp, batch)
            return
        import multiprocessing as mp

        _WORKER_NLP = nlp  # inherited by the forked workers
        try:
            with mp.get_context("fork").Pool(processes) as pool:
                for result in pool.imap(_work, batches(papers, batch_size)):
                    yield from result
        finally:
            _WORKER_NLP = None


@contextmanager
def gc_for_extraction() -> Iterator[None]:
    """Extraction allocates millions of short-lived objects beside a large long-lived pipeline (the vocabulary,
    the matcher's tables): freezing what exists keeps the cycle collector from walking the pipeline again and
    again, and collecting the young generation less often costs little memory (measured 8-10% faster; frozen
    before forking, workers also share those pages instead of copying them). Both are undone afterwards unless
    someone had frozen objects before."""
    old = gc.get_threshold()
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    gc.set_threshold(max(old[0], 50_000), old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        if not frozen_before:
            gc.unfreeze()
