"""Corpus-wide entity resolution: per-paper mentions in, one entity per thing out, with an explainable merge log.

Two mentions are the same entity when they have the same type and share a canonical key (``GPT-4`` = ``GPT4`` =
``GPT 4``; plural = singular) directly or through an alias a paper defined (``Generative Pre-trained Transformer
(GPT)``). Every surface form that is not the label is logged with the rule that merged it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from networkx.utils import UnionFind

from kg.records import Entity, EntityType, Evaluation, Link, Mention, Merge, Paper, Relation, Result, Role
from kg.text import match_key

ROLE_RELATIONS = {
    EntityType.DATASET: "evaluatesOn",
    EntityType.TASK: "addresses",
    EntityType.METRIC: "reportsMetric",
    EntityType.MODEL: "uses",
    EntityType.METHOD: "uses",
}


def entity_key(type_: EntityType, canonical: str) -> str:
    """``"model:gpt4"``: the type and the normalised name; the IRI is minted from it."""
    return f"{type_.value.lower()}:{canonical}"


def paper_relation(m: Mention) -> str:
    return "proposes" if m.role is Role.PROPOSED else ROLE_RELATIONS[m.type]


@dataclass
class Resolution:
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)
    # (paper key, mention name, type) -> entity key, so later stages can find a mention's node
    index: dict[tuple[str, str, EntityType], str] = field(default_factory=dict)


def _family_parent(label: str, keys: Mapping[str, str]) -> str | None:
    """ "Llama 3.1 8B" -> "Llama 3.1" -> "Llama": the nearest shorter prefix that is itself an entity."""
    words = label.replace("-", " ").split()
    while len(words) > 1:
        words = words[:-1]
        k = match_key(" ".join(words))
        if k in keys:
            return keys[k]
    return None


def resolve(
    papers: Sequence[Paper],
    mentions: Iterable[Mention],
    attributes: Mapping[tuple[EntityType, str], tuple[tuple[str, str], ...]] | None = None,
    *,
    links: Iterable[Link] = (),
    results: Iterable[Result] = (),
    hierarchy: Mapping[str, str] | None = None,
) -> Resolution:
    """Group mentions into entities, link papers to them, and log every merge.

    ``attributes`` maps (type, normalised vocabulary name) to extra facts (organisation, date, parameters);
    ``links`` and ``results`` (by mention names) become entity→entity relations and model evaluations;
    ``hierarchy`` (task name -> parent task name) adds ``subtaskOf`` between tasks that are both in the graph.
    """
    mentions = sorted(mentions, key=lambda m: (m.paper, m.start, m.type.value, m.name))
    uf = UnionFind()
    for m in mentions:
        base = f"{m.type.value}|{match_key(m.name)}"
        uf.union(base, *(f"{m.type.value}|{k}" for a in m.aliases if len(k := match_key(a)) > 1))

    # a group is named by its smallest key, so grouping does not depend on which root the union-find chose
    rep = {k: min(members) for members in uf.to_sets() for k in members}
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if not match_key(m.name):
            continue
        groups[rep[f"{m.type.value}|{match_key(m.name)}"]].append(m)

    res = Resolution()
    by_type_key: dict[EntityType, dict[str, str]] = defaultdict(dict)
    staged: list[tuple[str, EntityType, str, list[Mention]]] = []
    for root in sorted(groups):
        ms = groups[root]
        ty = ms[0].type
        names = Counter(m.name for m in ms)
        label = min(names, key=lambda n: (-names[n], n))
        key = entity_key(ty, match_key(label))
        staged.append((key, ty, label, ms))
        for m in ms:
            by_type_key[ty][match_key(m.name)] = key
            for a in m.aliases:
                by_type_key[ty].setdefault(match_key(a), key)

    attributes = attributes or {}
    for key, ty, label, ms in staged:
        forms = sorted({m.name for m in ms} | {a for m in ms for a in m.aliases})
        aliases = tuple(f for f in forms if f != label)
        paper_keys = tuple(sorted({m.paper for m in ms}))
        broader = None
        if ty is EntityType.MODEL:
            parent = _family_parent(label, by_type_key[ty])
            broader = parent if parent and parent != key else None
        attrs = attributes.get((ty, match_key(label)), ())
        res.entities.append(Entity(key, ty, label, aliases, paper_keys, broader, tuple(attrs)))
        label_key = match_key(label)
        seen_forms: set[str] = set()
        for m in ms:
            res.index[(m.paper, m.name, m.type)] = key
            for form, rule in ((m.name, "same-key"), *((a, "acronym-or-alias") for a in m.aliases)):
                if form == label or form in seen_forms:
                    continue
                seen_forms.add(form)
                if rule == "same-key" and match_key(form) != label_key:
                    rule = "alias-chain"
                res.merges.append(Merge(form, key, rule, m.paper))
            res.relations.append(
                Relation(m.paper, paper_relation(m), key, paper=m.paper, sentence=m.sentence, start=m.start,
                         end=m.end, rule=m.rule, confidence=m.confidence)
            )  # fmt: skip
        if broader:
            res.relations.append(Relation(key, "broader", broader, rule="family-prefix", confidence=0.7))
    _add_links(res, links, results)
    if hierarchy:
        _add_subtasks(res, hierarchy)
    res.entities.sort(key=lambda e: e.key)
    res.relations.sort(key=lambda r: (r.source, r.relation, r.target, r.paper or "", r.start))
    res.merges.sort(key=lambda m: (m.entity_key, m.form, m.paper))
    return res


def _add_links(res: Resolution, links: Iterable[Link], results: Iterable[Result]) -> None:
    """Map the ends of per-paper statements to entity keys; statements whose ends were not kept are dropped."""
    idx = res.index
    seen: set[tuple[str, str, str, str]] = set()
    for ln in links:
        src = idx.get((ln.paper, ln.source, ln.source_type))
        dst = idx.get((ln.paper, ln.target, ln.target_type))
        if src is None or dst is None or src == dst or (src, ln.relation, dst, ln.paper) in seen:
            continue
        seen.add((src, ln.relation, dst, ln.paper))
        res.relations.append(Relation(src, ln.relation, dst, paper=ln.paper, sentence=ln.sentence, start=ln.start,
                                      end=ln.end, rule=ln.rule, confidence=ln.confidence))  # fmt: skip
    done: set[tuple] = set()
    for r in results:
        model = idx.get((r.paper, r.model, r.model_type))
        if model is None:
            continue
        metric = idx.get((r.paper, r.metric, EntityType.METRIC)) if r.metric else None
        dataset = idx.get((r.paper, r.dataset, EntityType.DATASET)) if r.dataset else None
        key = (r.paper, model, dataset, metric, r.value_text, r.sentence)
        if key in done:
            continue
        done.add(key)
        res.evaluations.append(Evaluation(r.paper, model, dataset, metric, r.value, r.value_text, r.sentence))
    res.evaluations.sort(key=lambda e: (e.paper, e.model_key, e.metric_key or "", e.value_text, e.sentence))


def _add_subtasks(res: Resolution, hierarchy: Mapping[str, str]) -> None:
    """``subtaskOf`` from the curated task hierarchy, between tasks the corpus mentions."""
    tasks = {e.key.split(":", 1)[1]: e.key for e in res.entities if e.type is EntityType.TASK}
    for child, parent in sorted(hierarchy.items()):
        c, p = tasks.get(match_key(child)), tasks.get(match_key(parent))
        if c and p and c != p:
            res.relations.append(
                Relation(c, "subtaskOf", p, rule="vocabulary:task-hierarchy", confidence=0.9)
            )
