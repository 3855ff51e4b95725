"""The unit the extraction rules produce: a typed, scored character span, before in-paper grouping."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from kg.records import EntityType, Role
from kg.text import match_key

__all__ = [
    "Candidate", "DocState", "RULE_CONFIDENCE", "RULE_PRIORITY", "STATE_KEY", "TYPE_PRIORITY", "match_key", "state",
]  # fmt: skip

# Rule priority when candidates overlap or disagree on type (higher wins).
RULE_PRIORITY = {
    "title-prefix": 95,
    "proposal": 90,
    "design": 88,
    "naming": 90,
    "acronym": 85,
    "head-cue": 82,
    "acronym-use": 70,
    "list-cue": 80,
    "vocab": 75,
    "shape": 60,
    "np-head": 40,
}
# Which rule's type wins when the candidates of one entity disagree: explicit context beats the vocabulary,
# the vocabulary beats guesses from a name's shape or an acronym's long form.
TYPE_PRIORITY = {
    "head-cue": 90,
    "list-cue": 88,
    "title-prefix": 85,
    "naming": 84,
    "vocab": 80,
    "proposal": 70,
    "design": 70,
    "acronym": 60,
    "acronym-use": 55,
    "shape": 50,
    "np-head": 40,
}
RULE_CONFIDENCE = {
    "title-prefix": 0.85,
    "proposal": 0.8,
    "design": 0.7,
    "naming": 0.85,
    "acronym": 0.85,
    "acronym-use": 0.75,
    "head-cue": 0.8,
    "list-cue": 0.75,
    "vocab": 0.9,
    "shape": 0.6,
    "np-head": 0.55,
}


@dataclass(slots=True)
class Candidate:
    """A span of the paper text the rules think names an entity."""

    start: int
    end: int
    text: str
    type: EntityType | None
    rule: str
    role: Role = Role.USED
    canonical: str | None = None  # the vocabulary's name when a vocabulary term matched
    aliases: tuple[str, ...] = ()  # a tuple: candidates are many, and none is ever given more aliases
    generic: bool = False
    attrs: tuple[tuple[str, str], ...] = ()

    @property
    def priority(self) -> int:
        return RULE_PRIORITY.get(self.rule, 50)

    @property
    def type_priority(self) -> int:
        return TYPE_PRIORITY.get(self.rule, 50)


# spaCy keeps the value of ``doc._.kg`` in ``doc.user_data`` under this key; reading it there skips building an
# Underscore object per access (2 µs, about ten times per abstract). pipeline.register() checks that it holds.
STATE_KEY = ("._.", "kg", None, None)


def state(doc: Doc) -> DocState | None:
    """``doc._.kg``, read directly."""
    return doc.user_data.get(STATE_KEY)


@dataclass(slots=True)
class DocState:
    """What the components share about one Doc, kept as one ``doc._.kg`` value: each ``doc._.x`` access builds
    a new spaCy ``Underscore`` object, and dozens of them per abstract cost more than some rules."""

    text: str
    candidates: list[Candidate] = field(default_factory=list)
    proposal_regions: list[tuple[int, int]] = field(default_factory=list)
    masked: list[tuple[int, int]] = field(default_factory=list)
    self_type: EntityType | None = None
    entities: list = field(default_factory=list)  # list[decide.PaperEntity], filled by kg_decide
    # (start, end) -> the types of the vocabulary candidates there (always typed), filled by kg_vocab
    vocab_types: dict[tuple[int, int], set[EntityType]] = field(default_factory=dict)
    # where the cue rules' anchor words are (scan.Anchors), filled by kg_vocab; None: the rules find them
    anchors: dict[str, list[int]] | None = None
