"""Typed, frozen records passed between stages. No spaCy or rdflib objects cross a module boundary."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class EntityType(StrEnum):
    MODEL = "Model"
    METHOD = "Method"
    DATASET = "Dataset"
    TASK = "Task"
    METRIC = "Metric"


class Role(StrEnum):
    PROPOSED = "proposed"
    USED = "used"


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record came from: file, 1-based line, and the listing date if the file had one."""

    path: str
    line: int
    listing_date: str | None = None


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper after ingest. ``key`` is the dedup / IRI key (``arxiv-…``, ``doi-…`` or ``title-<hash>``)."""

    key: str
    title: str
    abstract: str = ""
    arxiv_id: str | None = None
    doi: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None
    venue: str | None = None
    links: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True, slots=True)
class Mention:
    """One entity found in one paper: the extractor's output, before corpus-wide resolution.

    ``start``/``end`` are character offsets into ``title + "\\n\\n" + abstract`` (the text the extractor saw);
    ``sentence`` is the evidence sentence; ``rule`` names the component/rule that found it.
    """

    paper: str
    name: str
    type: EntityType
    role: Role
    aliases: tuple[str, ...] = ()
    start: int = 0
    end: int = 0
    sentence: str = ""
    rule: str = ""
    confidence: float = 0.5
    generic: bool = False


@dataclass(frozen=True, slots=True)
class Entity:
    """A resolved node: one canonical key per type across the corpus."""

    key: str
    type: EntityType
    label: str
    aliases: tuple[str, ...] = ()
    papers: tuple[str, ...] = ()
    broader: str | None = None
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed edge between two node keys (paper→entity or entity→entity) with its evidence."""

    source: str
    relation: str
    target: str
    paper: str | None = None
    sentence: str = ""
    start: int = 0
    end: int = 0
    rule: str = ""
    confidence: float = 0.5


@dataclass(slots=True)
class Issue:
    """A warning or a skipped record, kept for the build report (never a silent drop)."""

    kind: str
    message: str
    location: str = ""
    severity: str = "warning"

    def as_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "location": self.location,
            "message": self.message,
        }


@dataclass(slots=True)
class Report:
    """Collects what happened during a run; written to ``build-report.json``."""

    issues: list[Issue] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def warn(self, kind: str, message: str, location: str = "") -> None:
        self.issues.append(Issue(kind, message, location))

    def skip(self, kind: str, message: str, location: str = "") -> None:
        self.issues.append(Issue(kind, message, location, severity="skipped"))

    def bump(self, counter: str, by: int = 1) -> None:
        self.counts[counter] = self.counts.get(counter, 0) + by


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A numeric result stated in an abstract. Keys are ``Paper.key`` / ``Entity.key`` values."""

    paper: str
    model_key: str
    dataset_key: str | None
    metric_key: str | None
    value: float
    value_text: str
    sentence: str = ""


@dataclass(frozen=True, slots=True)
class Merge:
    """An entity-resolution decision: ``form`` (seen in ``paper``) was merged into ``entity_key`` by ``rule``."""

    form: str
    entity_key: str
    rule: str
    paper: str


@dataclass(frozen=True, slots=True)
class Link:
    """An entity→entity statement found in one paper, naming both ends as the paper's mentions do.

    Resolution turns the (name, type) ends into entity keys; ``relation`` is an ontology property name
    (``appliedTo``, ``evaluatedOn``, ``outperforms``, ``basedOn``).
    """

    paper: str
    source: str
    source_type: EntityType
    relation: str
    target: str
    target_type: EntityType
    sentence: str = ""
    start: int = 0
    end: int = 0
    rule: str = ""
    confidence: float = 0.5


@dataclass(frozen=True, slots=True)
class Result:
    """A number an abstract states for a metric ("from 88.9% to 94.9%"), by mention names."""

    paper: str
    model: str
    model_type: EntityType
    metric: str | None
    dataset: str | None
    value: float
    value_text: str
    sentence: str = ""
