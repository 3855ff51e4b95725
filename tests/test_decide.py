"""kg_decide's fast paths decide what the plain algorithms decide."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract import decide
from kg.extract.candidate import RULE_PRIORITY, Candidate
from kg.records import EntityType, Role

RULES = sorted(RULE_PRIORITY)


def _plain_spans(cands: list[Candidate]) -> list[tuple[int, int, int, list[int]]]:
    """Merge candidates by span, then keep spans greedily by rank over all of them at once."""
    by_span: dict[tuple[int, int], list[Candidate]] = {}
    for c in cands:
        if c.start < c.end:  # an empty span names nothing
            by_span.setdefault((c.start, c.end), []).append(c)
    spans = [(s, e, max(RULE_PRIORITY.get(c.rule, 50) for c in cs), cs) for (s, e), cs in by_span.items()]
    order = sorted(spans, key=lambda x: (x[2] >= 80, x[1] - x[0], x[2], -x[0]), reverse=True)
    taken: set[int] = set()
    out = []
    for s, e, p, cs in order:
        if taken & set(range(s, e)):
            continue
        taken |= set(range(s, e))
        out.append((s, e, p, [id(c) for c in cs]))
    return sorted(out, key=lambda x: x[0])


candidates = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 8), st.sampled_from(RULES)).map(
        lambda t: Candidate(t[0], t[0] + t[1], "x" * t[1], EntityType.METHOD, t[2])
    ),
    max_size=30,
)


@settings(max_examples=500, deadline=None)
@given(candidates)
def test_spans_equal_one_greedy_choice_over_all_spans(cands: list[Candidate]) -> None:
    fast = [(sp.start, sp.end, sp.prio, [id(c) for c in sp.cands]) for sp in decide._spans(cands)]
    assert fast == _plain_spans(cands)


def test_single_candidate_decisions_are_cached_by_what_they_depend_on() -> None:
    # the same surface and vocabulary term, once as a used mention and once under a proposal cue: the cache
    # must not hand the second the first one's answer
    used = Candidate(0, 4, "BERT", EntityType.MODEL, "vocab", Role.USED, "BERT", generic=True)
    cued = Candidate(0, 4, "BERT", EntityType.MODEL, "vocab", Role.PROPOSED, "BERT", generic=True)
    a = decide._single(decide._Span(0, 4, "BERT", [used]), used, None)
    b = decide._single(decide._Span(0, 4, "BERT", [cued]), cued, None)
    assert a is not None and b is not None
    assert (a.role, a.generic) == (Role.USED, True)
    assert (b.role, b.generic) == (Role.USED, False)  # a known name is not proposed, nor generic under a cue
    new = Candidate(0, 4, "Foo2", None, "shape", Role.PROPOSED)
    for self_type in (EntityType.DATASET, EntityType.MODEL, None):
        e = decide._single(decide._Span(0, 4, "Foo2", [new]), new, self_type)
        assert e is not None and e.type is (self_type or EntityType.METHOD) and e.role is Role.PROPOSED


types = st.sampled_from([*EntityType, None])


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(list(EntityType)),
    st.sampled_from(["BERT", "LLMs", "GPT-4", "image classification"]),
    st.booleans(),
    st.sampled_from(["shape", "np-head"]),
    types,
    types,
)
def test_a_shape_or_phrase_on_a_typed_vocabulary_span_changes_nothing(
    vocab_type, canonical, generic, rule, other_type, self_type
) -> None:
    # kg_names and kg_phrases leave such candidates out (components.py): check the claim they rely on
    vocab = Candidate(7, 8, "x", vocab_type, "vocab", Role.USED, canonical, (), generic, (("org", "A"),))
    other = Candidate(7, 8, "x", other_type, rule)
    regions = [(3, 9)]  # inside a proposal clause, the hardest case
    with_other = decide._spans([vocab, other])
    alone = decide._spans([vocab])
    for spans in (with_other, alone):
        decide._fill_keys(spans)
        decide._mark_proposals(spans, regions, 0)
    assert [decide._entity(g, self_type) for g in decide._group(with_other)] == [
        decide._entity(g, self_type) for g in decide._group(alone)
    ]
