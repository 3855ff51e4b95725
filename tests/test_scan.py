"""The fast scans (kg/extract/scan.py and the rewritten regexes) find exactly what the plain regexes find."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract import acronyms, cues, phrases
from kg.extract.components import _uses
from kg.extract.pipeline import _NONSPACE, _SENT_END, _URLISH, run, sentence_bounds, url_spans
from kg.extract.relations import find_links
from kg.extract.scan import at_starts, near, word_starts

WORDS = [
    "we", "We", "This paper", "this work", "Our", "our", "propose", "proposed", "introduce", "present", "a", "an",
    "novel", "new", "By", "introducing", "also", "then", "further", "called", "named", "dubbed", "namely", ",",
    ".", "(", ")", "datasets", "models", "such as", "like", "including", "e.g.,", "(e.g.", "tasks", "task",
    "benchmark", "dataset", "corpus", "GPT-4", "ImageNet", "X", "Foo", "BERT", "Llama 3", "SQuAD 2.0", "model",
    "framework", "method", "simple", "efficient", "the", "The", "The proposed", "and", "or", "on", "1.5", "\n",
    "\n\n", "-", "summarization", "translation", "Graph Neural Network", "GNN", "(GNN)", "LLMs", "!", "?", "'",
    "https://x.org/a", "www.site", "a@b.io", "x.com", "/", "\u00a0", "training", "tasks such as summarization",
    "Foo, a novel framework", "X-Net, an efficient graph method", "our GNN", "Our new BERT", "a simple model",
    "our proposed Foo-2", "the CIFAR-10 dataset", "scheme", "alternating training scheme", "self-attention",
    "fine-tuning", "pre-training", "tuning", "gating mechanism", "outperforms", "surpassing", "better than",
    "improves on", "based on", "builds upon", "fine-tuned from", "on top of", "extends", "adapting", "Llama-2",
    "Llama-3.1", "8B", "v1.1", "XL", "Large", "mini", "GPT-style", "PubMedBERT/BioBERT", "Qwen2-VL",
]  # fmt: skip
SEPS = [" ", " ", " ", "", "\n", ", ", "  ", "\t"]
texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPS)), max_size=40).map(
    lambda parts: "".join(w + s for w, s in parts)
)
# words apart, as the tokenizer needs them to see a cue word as a token ("e.g.,tasks" is one token)
spaced = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from([s for s in SEPS if s.strip() != s])), max_size=40
).map(lambda parts: "".join(w + s for w, s in parts))
SLOW = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _spans(ms) -> list[tuple[int, int]]:
    return [m.span() for m in ms]


def _cue_scans(text: str, anchors) -> dict[str, tuple[list, list]]:
    """(windowed, plain) match spans of every anchored cue pattern."""
    w, at = cues._windows, word_starts
    pairs = {
        "proposal": (cues.PROPOSAL, None, cues._proposal_starts(text, anchors)),
        "list": (cues.LIST_CUE, w(text, cues._LIST_ANCHORS, anchors), None),
        "task-list": (cues.TASK_LIST_CUE, None, at(text, cues._TASK_STARTS, anchors)),
        "self": (cues._SELF, None, at(text, cues._SELF_STARTS, anchors)),
        "head": (cues.HEAD_CUE, w(text, cues._HEAD_ANCHORS, anchors), None),
    }
    out = {
        k: (
            _spans(near(p, text, wins) if wins is not None else at_starts(p, text, starts)),
            _spans(p.finditer(text)),
        )
        for k, (p, wins, starts) in pairs.items()
    }
    out["naming"] = (_spans(cues.naming_matches(text, anchors)), _spans(cues.NAMING.finditer(text)))
    out["appositive"] = (
        _spans(cues.appositive_matches(text, anchors)),
        _spans(cues.APPOSITIVE.finditer(text)),
    )
    out["our"] = (_spans(cues.our_matches(text, anchors)), _spans(cues.OUR.finditer(text)))
    return out


@SLOW
@given(texts)
def test_cue_scans_equal_finditer_with_regex_anchors(text: str) -> None:
    for name, (fast, plain) in _cue_scans(text, None).items():
        assert fast == plain, name


def test_cue_scans_equal_finditer_with_pipeline_anchors(nlp) -> None:
    # the anchors the kg_vocab PhraseMatcher reports (tokens), on generated texts
    @SLOW
    @given(spaced)
    def check(text: str) -> None:
        anchors = run(nlp, text)._.kg.anchors
        for name, (fast, plain) in _cue_scans(text, anchors).items():
            assert fast == plain, name
        for lo, hi in ((0, len(text)), (len(text) // 3, 2 * len(text) // 3)):
            fast_design = list(
                phrases.proposal_phrases(text, lo, hi, word_starts(text, phrases.DESIGN_STARTS, anchors))
            )
            assert fast_design == list(phrases.proposal_phrases(text, lo, hi)), "design"
        st_ = run(nlp, text)._.kg
        bounds = sentence_bounds(text)
        assert find_links("p", text, st_.entities, bounds, anchors) == find_links(
            "p", text, st_.entities, bounds
        )

    check()


@SLOW
@given(texts)
def test_reverse_acronyms_and_uses_equal_finditer(text: str) -> None:
    fast = _spans(at_starts(acronyms._REVERSE, text, acronyms._reverse_starts(text)))
    assert fast == _spans(acronyms._REVERSE.finditer(text))
    for short in ("GNN", "BERT", "X"):
        plain = re.finditer(rf"(?<![\w-]){re.escape(short)}s?(?![\w])", text)
        assert _spans(_uses(text, short)) == _spans(plain)


@SLOW
@given(texts)
def test_head_cue_opening_with_a_capital_equals_the_word_boundary_form(text: str) -> None:
    plain = re.compile(rf"\b({cues._NAME})\s+({cues._HEADS_OF_DATA})\b")
    fast = [(m.span(), m.groups()) for m in cues.HEAD_CUE.finditer(text)]
    assert fast == [(m.span(), m.groups()) for m in plain.finditer(text)]
    for pos in range(0, len(text), 7):  # also from inside the text, as near() searches
        a, b = cues.HEAD_CUE.search(text, pos), plain.search(text, pos)
        assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))


_OLD_SENT_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[])|\n\n")


@SLOW
@given(texts)
def test_sentence_ends_and_urls_equal_the_plain_rules(text: str) -> None:
    assert [m.end() for m in _SENT_END.finditer(text)] == [m.end() for m in _OLD_SENT_END.finditer(text)]
    assert sentence_bounds(text) == [0, *(m.end() for m in _OLD_SENT_END.finditer(text))]
    plain = (
        [m.span() for m in _NONSPACE.finditer(text) if _URLISH.search(m.group())]
        if ("/" in text or "@" in text or "www." in text)
        else []
    )
    assert url_spans(text) == plain


def test_near_rechecks_a_match_cut_by_its_window() -> None:
    # the window ends inside "datasets": on the truncated string "dataset" + end-of-string would satisfy \b
    pattern = re.compile(r"\bdataset\b")
    text = "the datasets here"
    assert _spans(near(pattern, text, [(0, 7)])) == []
    assert _spans(near(pattern, "the dataset here", [(0, 7)])) == [(4, 11)]


def test_latex_ties_and_markup_do_not_hide_words(nlp) -> None:
    # the rules anchor on tokens: "~", "{", "}", "\" and "$" glued to a word must not make it invisible
    doc = run(nlp, r"We study content reconstruction~-- and \emph{video generation} with $\sim$training.")
    names = {e.name for e in doc._.kg.entities}
    assert {"content reconstruction", "video generation"} <= names


def test_extraction_restores_the_garbage_collector(nlp) -> None:
    import gc

    from kg.extract.pipeline import extract_papers
    from kg.records import Paper

    before = (gc.get_threshold(), gc.get_freeze_count())
    papers = [Paper(key=f"p{i}", title=f"GPT-{i}: a model", abstract="We propose X-Net.") for i in range(3)]
    it = extract_papers(papers, nlp=nlp)
    next(it)
    assert gc.get_threshold()[0] >= 50_000 and gc.get_freeze_count() > 0  # while extracting
    assert len(list(it)) == 2
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def _plain_names(text: str) -> list[tuple[int, tuple]]:
    """NAME tried at every CANDIDATE start of the whole text, as the extractor did before the chunk cache."""
    from kg.extract import names

    out = []
    for c in names.CANDIDATE.finditer(text):
        m = names.NAME.match(text, c.start())
        if m is not None:
            out.append((m.start(1), names.analyse(m.group(1))))
    return out


@SLOW
@given(texts)
def test_name_candidates_from_cached_chunks_equal_the_whole_text_scan(text: str) -> None:
    from kg.extract import names

    plain = _plain_names(text)
    assert names.name_candidates(text) == plain
    assert names.name_candidates(text) == plain  # again, from the cache


def test_name_candidates_skip_chunks_that_only_contain_a_cached_one(monkeypatch) -> None:
    from kg.extract import names

    # "GPT" has hits; inside "1GPT" and "xGPT-4" the same letters are no chunk of their own; "Llama-3.1" goes
    # on past its chunk ("Llama-3.1 8B") in one place and not in the other
    text = "1GPT xGPT-4 GPT and\u2003GPT Llama-3.1 8B, Llama-3.1, PubMedBERT/BioBERT-style"
    assert names.name_candidates(text) == _plain_names(text)
    monkeypatch.setattr(names, "CHUNK_CACHE", 0)  # a full cache is emptied, not trusted
    assert names.name_candidates(text) == _plain_names(text)


def test_vocabulary_matches_end_where_the_term_ends(nlp) -> None:
    # a match's end is read from the next token's start: every kind of space after the term must give the term
    for sep in (" ", "  ", "\n", " \n ", "\t", "\u00a0", ",", " ,"):
        text = f"We train BERT{sep}and ImageNet{sep}"
        spans = {(e.name, text[s:t]) for e in run(nlp, text)._.kg.entities for s, t in e.spans}
        assert ("BERT", "BERT") in spans and ("ImageNet", "ImageNet") in spans, repr(sep)


def test_caches_across_papers_do_not_change_results(nlp) -> None:
    # the chunk, token and decision caches persist from paper to paper: a text's entities must not depend on
    # which texts came before it
    from kg.extract import decide, names

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(spaced, min_size=2, max_size=4))
    def check(batch: list[str]) -> None:
        forward = [run(nlp, t)._.kg.entities for t in batch]
        names._CHUNKS.clear()
        names._PLAIN.clear()
        decide._SINGLE.clear()
        nlp.get_pipe("kg_names").tokens.clear()
        backward = [run(nlp, t)._.kg.entities for t in reversed(batch)]
        assert forward == backward[::-1]

    check()


def _plain_walk(s: str, lf: str) -> int | None:
    """The walk by its definition: each letter, right to left, at the last place before the previous letter's
    (the first letter at a word start); the index before the first letter's place."""
    l_idx = len(lf) - 1
    for i in reversed(range(len(s))):
        if not s[i].isalnum():
            continue
        places = [
            j for j in range(l_idx + 1) if lf[j] == s[i] and (i > 0 or j == 0 or not lf[j - 1].isalnum())
        ]
        if not places:
            return None
        l_idx = places[-1] - 1
    return l_idx


@SLOW
@given(st.sampled_from(["gpt", "gnn", "llm", "vit", "x-net", "rlhf", "a2c", "ab"]), texts)
def test_the_backward_walk_with_rfind_equals_the_character_walk(short: str, text: str) -> None:
    assert acronyms.backward_walk(short, text.lower()) == _plain_walk(short, text.lower())
