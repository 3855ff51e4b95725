"""Turn overlapping, partly typed candidates into the paper's entities: one per thing, typed, with a role."""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from operator import attrgetter

from spacy.tokens import Doc

from kg.extract.candidate import RULE_CONFIDENCE, RULE_PRIORITY, TYPE_PRIORITY, Candidate, match_key, state
from kg.extract.names import is_acronym, strip_plural
from kg.records import EntityType, Role


@dataclass(slots=True)
class PaperEntity:
    """One entity of one paper, with every span that mentions it."""

    name: str
    type: EntityType
    role: Role
    aliases: list[str]
    generic: bool
    start: int
    end: int
    rule: str
    confidence: float
    canonical: str | None = None
    attrs: tuple[tuple[str, str], ...] = ()
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class _Span:
    start: int
    end: int
    text: str
    cands: list[Candidate]
    prio: int = 0  # the highest rule priority among cands
    canonical: Candidate | None = None  # the first candidate carrying a vocabulary name
    keys: tuple[str, ...] = ()  # grouping keys (see _fill_keys)
    aliased: bool = False  # some candidate has aliases (acronym pairs)

    @property
    def type(self) -> EntityType | None:
        typed = [c for c in self.cands if c.type is not None]
        return max(typed, key=lambda c: c.type_priority).type if typed else None


_START = attrgetter("start")
_SPAN = attrgetter("start", "end")


def _spans(cands: list[Candidate]) -> list[_Span]:
    """Candidates of one span merged into a ``_Span``; where spans overlap, the greedy choice of
    :func:`_choose` keeps some. In text order; empty candidates are dropped.

    One pass over the candidates sorted by offsets: spans that overlap nothing (most of them) are kept without
    the choice's sort, and the choice runs per cluster of spans linked by overlaps, which gives what one choice
    over all spans would (a span's fate depends only on the spans it overlaps).
    """
    out: list[_Span] = []
    cluster: list[_Span] = []
    cluster_end = -1
    prio = RULE_PRIORITY.get
    sp: _Span | None = None
    for c in sorted(cands, key=_SPAN):  # stable: a span's candidates stay in their order
        s, e = c.start, c.end
        if s >= e:
            continue  # an empty span names nothing
        if sp is not None and s == sp.start and e == sp.end:
            sp.cands.append(c)
            if c.aliases:
                sp.aliased = True
            p = prio(c.rule, 50)
            if p > sp.prio:
                sp.prio = p
            if sp.canonical is None and c.canonical:
                sp.canonical = c
            continue
        sp = _Span(s, e, c.text, [c], prio(c.rule, 50), c if c.canonical else None, (), bool(c.aliases))
        if s >= cluster_end:
            if len(cluster) == 1:
                out.append(cluster[0])
            elif cluster:
                out.extend(_choose(cluster))
            cluster = [sp]
            cluster_end = e
        else:
            cluster.append(sp)
            if e > cluster_end:
                cluster_end = e
    if len(cluster) == 1:
        out.append(cluster[0])
    elif cluster:
        out.extend(_choose(cluster))
    return out


def _rank(s: _Span) -> tuple[bool, int, int, int]:
    return s.prio >= 80, s.end - s.start, s.prio, -s.start


def _choose(spans: list[_Span]) -> list[_Span]:
    """Strong cues first, then longer spans, then rule priority; a span overlapping an accepted one is dropped.
    In text order."""
    if len(spans) == 2:  # most clusters: two overlapping spans, the better one stays
        a, b = spans
        return [a] if _rank(a) > _rank(b) else [b]
    order = sorted(spans, key=_rank, reverse=True)
    taken: list[tuple[int, int]] = []
    out: list[_Span] = []
    for sp in order:
        s, e = sp.start, sp.end
        if any(max(s, ts) < min(e, te) for ts, te in taken):
            continue
        taken.append((s, e))
        out.append(sp)
    out.sort(key=_START)
    return out


def _fill_keys(spans: list[_Span]) -> None:
    """Each span's text key (match_key: never contains ":") and acronym-pair keys ("pair:GPT"); made once: the
    candidates that _mark_proposals drops or adds carry no aliases, so the keys never change."""
    for sp, key in zip(spans, map(match_key, [sp.text for sp in spans]), strict=True):
        if sp.aliased:
            keys: tuple[str, ...] = (key,)
            for c in sp.cands:
                if c.aliases:
                    keys += tuple(a for a in c.aliases if a.startswith("pair:"))
            sp.keys = keys
        else:
            sp.keys = (key,)


_NAME_RULES = frozenset({"shape", "acronym", "naming", "head-cue", "title-prefix"})


def _mark_proposals(spans: list[_Span], regions: list[tuple[int, int]], title_end: int) -> None:
    """In "we propose …" clauses the first new (non-vocabulary) thing, and any new name, is proposed.

    A name the abstract already used before the clause was not introduced by it ("… into VDMs").
    """
    if not regions:
        return
    first_seen: dict[str, int] = {}
    for sp in spans:
        if sp.start >= title_end:
            for k in sp.keys:
                first_seen.setdefault(k, sp.start)
    starts = [sp.start for sp in spans]  # spans are sorted by start
    for rs, re_ in regions:
        window = spans[bisect.bisect_left(starts, rs) : bisect.bisect_left(starts, re_)]
        inside = [
            s for s in window
            if s.canonical is None and min(first_seen.get(k, rs) for k in s.keys) >= rs
        ]  # fmt: skip
        named = [sp for sp in inside if any(c.rule in _NAME_RULES for c in sp.cands)]
        # "we propose LargeGT, a graph transformer …": the name is the contribution, not the phrases around it
        if named:
            for sp in window:
                if sp not in named:
                    sp.cands = [c for c in sp.cands if c.rule != "design"]  # may leave it empty: dropped
        first = next((sp for sp in inside if sp.type not in (EntityType.TASK, EntityType.METRIC)), None)
        for sp in named or ([first] if first is not None else ()):
            sp.cands.append(Candidate(sp.start, sp.end, sp.text, None, "proposal", role=Role.PROPOSED))


_SIZE = re.compile(r"(?:\b|[-_])(XXL|XL|[LBSTHG]|large|base|small|tiny|huge|mini|nano|giant)\b", re.I)


@functools.lru_cache(maxsize=1 << 16)
def _variant(text: str) -> tuple[str, tuple[str, ...]]:
    return "".join(c for c in text if c.isdigit()), tuple(sorted(m.lower() for m in _SIZE.findall(text)))


@functools.lru_cache(maxsize=1 << 16)
def _same_version(surface: str, canonical: str) -> bool:
    """Versions and sizes must agree before a vocabulary alias may merge two surface forms: "Kinetics-600" is
    not its family "Kinetics", nor is "Swin-L" "Swin Transformer"."""
    return _variant(surface) == _variant(canonical)


@functools.lru_cache(maxsize=1 << 16)
def _canonical_key(surface: str, canonical: str) -> str | None:
    """The vocabulary name's key, by which a surface form joins the other forms of its term, when the versions
    agree (see :func:`_same_version`)."""
    return match_key(canonical) if _same_version(surface, canonical) else None


def _group(spans: list[_Span]) -> list[list[_Span]]:
    parent = list(range(len(spans)))  # union-find over span indexes; the root is a group's first span

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = i = parent[parent[i]]
        return i

    first: dict[str, int] = {}
    for i, sp in enumerate(spans):
        keys = sp.keys
        canon = sp.canonical
        if canon is not None and (ck := _canonical_key(sp.text, canon.canonical or "")) is not None:
            keys = (*keys, ck)
        for k in keys:
            if k == "" or k == "pair:":
                continue
            j = first.get(k)
            if j is None:
                first[k] = i
            else:
                a = j if parent[j] == j else root(j)
                b = i if parent[i] == i else root(i)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[_Span]] = {}
    for i, sp in enumerate(spans):  # groups in order of their first span, spans in text order
        r = i if parent[i] == i else root(i)
        g = groups.get(r)
        if g is None:
            groups[r] = [sp]
        else:
            g.append(sp)
    return list(groups.values())


# (text, type, rule, role, canonical, self_type) -> what _decide_single says; the same one-candidate span recurs
# across a corpus ("LLMs" from the vocabulary), and its decision does not depend on where it is
_SINGLE: dict[tuple, tuple[str, EntityType, bool, tuple[str, ...], float, str | None] | None] = {}
_SINGLE_CACHE = 100_000
_MISS = object()


def _single(sp: _Span, c: Candidate, self_type: EntityType | None) -> PaperEntity | None:
    """:func:`_entity` for a group of one span with one candidate and no aliases (close to half of all groups):
    the same decisions, without the bookkeeping for many, cached by everything they depend on."""
    key = (sp.text, c.type, c.rule, c.role, c.canonical, self_type)
    hit = _SINGLE.get(key, _MISS)
    if hit is _MISS:
        if len(_SINGLE) >= _SINGLE_CACHE:
            _SINGLE.clear()
        hit = _SINGLE[key] = _decide_single(sp.text, c, self_type)
    if hit is None:
        return None
    name, ty, proposed, aliases, conf, canon = hit
    generic = c.generic and c.role is not Role.PROPOSED and bool(c.canonical)
    attrs = c.attrs if c.canonical and c.attrs and c.type is ty else ()
    return PaperEntity(name, ty, Role.PROPOSED if proposed else Role.USED, list(aliases), generic, sp.start,
                       sp.end, c.rule, conf, canon, attrs, [(sp.start, sp.end)])  # fmt: skip


def _decide_single(
    text: str, c: Candidate, self_type: EntityType | None
) -> tuple[str, EntityType, bool, tuple[str, ...], float, str | None] | None:
    proposed = c.role is Role.PROPOSED and (c.rule == "title-prefix" or not c.canonical)
    ty = c.type
    if proposed and (ty is None or c.rule == "shape"):
        ty = self_type or ty or EntityType.METHOD
    if ty is None:
        return None
    if proposed and ty is EntityType.TASK:
        ty = EntityType.METHOD
    canon = c.canonical if c.canonical and c.type is ty and _same_version(text, c.canonical) else None
    name = canon or strip_plural(text)
    aliases: tuple[str, ...] = ()
    if text != name:
        k = match_key(text)
        if k and k != match_key(name):
            aliases = (text,)
    return name, ty, proposed, aliases, _confidence(c.rule, 1), canon


def _entity(group: list[_Span], self_type: EntityType | None = None) -> PaperEntity | None:
    if len(group) == 1 and len(group[0].cands) == 1 and not group[0].cands[0].aliases:
        return _single(group[0], group[0].cands[0], self_type)
    cands = [c for sp in group for c in sp.cands]
    # one pass for what the rest needs (this runs for every group of every paper)
    proposed_cue = any_canon = any_pair = any_generic = False
    best: Candidate | None = None
    best_key = (0, 0)
    tp = TYPE_PRIORITY.get
    for c in cands:
        if c.role is Role.PROPOSED:
            proposed_cue = True
        if c.canonical:
            any_canon = True
            if c.generic:
                any_generic = True
        if c.aliases and not any_pair:
            any_pair = any(a.startswith("pair:") for a in c.aliases)
        if c.type is not None:
            key = (tp(c.rule, 50), -c.start)
            if best is None or key > best_key:  # the first of the best, as max() picks
                best, best_key = c, key
    role = Role.USED
    if proposed_cue:
        # "our BERT model" does not make BERT new: context cues propose only names the vocabularies do not know
        known = {(c.start, c.end) for c in cands if c.canonical}
        for c in cands:
            if c.role is Role.PROPOSED and (c.rule == "title-prefix" or (c.start, c.end) not in known):
                role = Role.PROPOSED
                break
    typed = best is not None
    if best is None:
        best = cands[0]
    ty = best.type
    # a new name typed only by its shape takes the type the paper gives its contribution ("our benchmark")
    # (names only: a noun phrase keeps the type of its head word)
    if role is Role.PROPOSED and (not typed or best.rule == "shape"):
        ty = (
            self_type or ty or EntityType.METHOD
        )  # a new name with no evidence: frameworks are the usual case
    if ty is None:
        return None
    if role is Role.PROPOSED and ty is EntityType.TASK:
        # a contribution named like a task ("Soft Prompt Generation (SPG)", "Future Token Prediction") is the
        # paper's method or training objective; new tasks come with a dataset or benchmark, typed as such
        ty = EntityType.METHOD
    canon = (
        [c.canonical for c in cands if c.canonical and c.type is ty and _same_version(c.text, c.canonical)]
        if any_canon
        else []
    )
    surfaces = [sp.text for sp in group]
    if canon:
        name = canon[0] if canon.count(canon[0]) == len(canon) else Counter(canon).most_common(1)[0][0]
    elif any_pair:
        pair_longs = [t for t in surfaces if " " in t and not is_acronym(strip_plural(t))]
        shorts = [strip_plural(s) for s in surfaces if is_acronym(strip_plural(s)) or " " not in s]
        if ty in (EntityType.MODEL, EntityType.DATASET) and shorts or not pair_longs:
            name = Counter(shorts or surfaces).most_common(1)[0][0]
        else:
            name = pair_longs[0]
    elif surfaces.count(surfaces[0]) == len(surfaces):
        name = strip_plural(surfaces[0])
    else:
        name = Counter(strip_plural(s) for s in surfaces).most_common(1)[0][0]
    aliases: list[str] = []
    if len(surfaces) > 1 or surfaces[0] != name:
        seen = {match_key(name)}
        for s in dict.fromkeys(surfaces):  # each surface once, in order
            k = match_key(s)
            if k and k not in seen:
                seen.add(k)
                aliases.append(s)
    generic = any_generic and not proposed_cue
    rule = best.rule
    attrs = next((c.attrs for c in cands if c.attrs and c.type is ty), ()) if any_canon else ()  # vocab only
    first = group[0]
    return PaperEntity(name, ty, role, aliases, generic, first.start, first.end, rule, _confidence(rule, len(group)),
                       canon[0] if canon else None, attrs, [(sp.start, sp.end) for sp in group])  # fmt: skip


@functools.lru_cache(maxsize=1024)
def _confidence(rule: str, spans: int) -> float:
    """The rule's confidence, a little more for each further mention in the paper."""
    return round(min(0.99, RULE_CONFIDENCE.get(rule.split(":")[0], 0.5) + 0.03 * (spans - 1)), 3)


def decide_component(doc: Doc) -> Doc:
    """Resolve ``doc._.kg.candidates`` into ``doc._.kg.entities`` (see :func:`entity_spans` for spaCy spans)."""
    st = state(doc)
    masked = st.masked
    cands = (
        [c for c in st.candidates if not any(s <= c.start < e for s, e in masked)]
        if masked
        else st.candidates
    )
    spans = _spans(cands)
    _fill_keys(spans)
    title_end = st.text.find("\n\n")
    _mark_proposals(spans, st.proposal_regions, title_end if title_end >= 0 else len(st.text))
    spans = [sp for sp in spans if sp.cands]
    self_type = st.self_type
    entities = [e for g in _group(spans) if (e := _entity(g, self_type)) is not None and len(e.name) >= 2]
    entities.sort(key=_START)
    _propose_variants(entities)
    st.entities = entities
    return doc


def _propose_variants(entities: list[PaperEntity]) -> None:
    """Sizes and versions of a proposed name are proposed too: "Bioformer" -> "Bioformer8L", "Bioformer-16L"."""
    proposed = [e.name for e in entities if e.role is Role.PROPOSED and len(e.name) >= 3]
    if not proposed:
        return
    for e in entities:
        if e.role is Role.PROPOSED or e.canonical is not None:
            continue
        for p in proposed:
            if (
                len(e.name) > len(p)
                and e.name.startswith(p)
                and (e.name[len(p)] in "-_ ." or e.name[len(p)].isdigit())
            ):
                e.role = Role.PROPOSED
                break


def entity_spans(doc: Doc) -> list:
    """The entities as spaCy spans labelled by type (for displaCy or spaCy tooling; not needed by kg itself)."""
    out = []
    for ent in doc._.kg.entities if doc._.kg is not None else ():
        for s, e in ent.spans:
            span = doc.char_span(s, e, label=ent.type.value, alignment_mode="expand")
            if span is not None:
                out.append(span)
    return out
