"""Per-paper predictions in the annotation-guidelines format (one JSON object per paper), for eval and export."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from kg.records import Mention, Paper


def prediction_records(
    papers: Sequence[Paper], mentions: Iterable[Mention], *, include_generic: bool = True
) -> Iterator[dict]:
    """``{"id", "title", "entities": [{"name", "type", "role", "aliases", "generic"?}]}`` in paper order."""
    by_paper: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_paper[m.paper].append(m)
    for p in papers:
        ents = []
        for m in sorted(by_paper.get(p.key, ()), key=lambda m: m.start):
            if m.generic and not include_generic:
                continue
            ent = {"name": m.name, "type": m.type.value, "role": m.role.value, "aliases": list(m.aliases)}
            if m.generic:
                ent["generic"] = True
            ents.append(ent)
        yield {"id": p.key, "title": p.title, "entities": ents}


def dumps_jsonl(records: Iterable[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
