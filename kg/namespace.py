"""The vocabulary as code: a Python mirror of ``ontology/kg.ttl`` plus the external vocabularies kg uses.

``KG`` is a closed namespace (``_fail = True``), so a typo such as ``KG.evaluateOn`` raises instead of minting
a new term. ``tests/test_ontology.py`` checks that the names below and the ``kg:`` terms of ``kg.ttl`` agree.

>>> KG.Paper
rdflib.term.URIRef('https://w3id.org/kg-ml/ontology#Paper')
>>> KG.Papers
Traceback (most recent call last):
...
AttributeError: term 'Papers' not in namespace 'https://w3id.org/kg-ml/ontology#'
"""

# No ``from __future__ import annotations``: DefinedNamespace reads the annotations as real classes.

from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace, Namespace
from rdflib.namespace import SDO as SCHEMA

__all__ = [
    "DCTERMS",
    "FABIO",
    "KG",
    "KG_ONTOLOGY",
    "MLS",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "XSD",
]

#: IRI of the ontology document itself (``owl:Ontology``); terms live under ``KG`` (with ``#``).
KG_ONTOLOGY = URIRef("https://w3id.org/kg-ml/ontology")


class KG(DefinedNamespace):
    """Terms of ``ontology/kg.ttl``."""

    _fail = True
    _NS = Namespace("https://w3id.org/kg-ml/ontology#")

    # Classes
    Paper: URIRef
    Entity: URIRef
    Model: URIRef
    Method: URIRef
    Dataset: URIRef
    Task: URIRef
    Metric: URIRef
    Evidence: URIRef
    SourceRecord: URIRef
    ModelEvaluation: URIRef
    MergeDecision: URIRef
    CoOccurrence: URIRef
    ListingDay: URIRef
    Build: URIRef

    # Paper -> entity
    mentions: URIRef
    proposes: URIRef
    uses: URIRef
    evaluatesOn: URIRef
    addresses: URIRef
    reportsMetric: URIRef
    hasEvaluation: URIRef

    # Entity -> entity
    basedOn: URIRef
    variantOf: URIRef
    outperforms: URIRef
    appliedTo: URIRef
    evaluatedOn: URIRef
    subtaskOf: URIRef

    # Evaluation / merge object properties
    evaluatedModel: URIRef
    onDataset: URIRef
    withMetric: URIRef
    mergedInto: URIRef

    # Paper and source-record data
    arxivId: URIRef
    doi: URIRef
    venue: URIRef
    listingDate: URIRef
    sourceFile: URIRef
    sourceLine: URIRef

    # Entity data
    key: URIRef
    paperCount: URIRef
    organization: URIRef
    publicationDate: URIRef
    parameterCount: URIRef

    # Evidence data
    sentence: URIRef
    charStart: URIRef
    charEnd: URIRef
    rule: URIRef
    confidence: URIRef
    supportCount: URIRef

    # Evaluation / merge data
    value: URIRef
    valueText: URIRef
    mergedForm: URIRef

    # Precomputed statistics (kg/assemble/stats.py)
    nameKey: URIRef
    aliasCount: URIRef
    familyRoot: URIRef
    hasCoOccurrence: URIRef
    coEntity: URIRef
    sharedPapers: URIRef
    listedPapers: URIRef

    # Build history (kg/assemble/history.py)
    buildNumber: URIRef
    isLatestBuild: URIRef
    firstSeenIn: URIRef


class MLS(DefinedNamespace):
    """ML-Schema (W3C ML Schema Community Group), the core terms."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/mls#")

    Algorithm: URIRef
    Data: URIRef
    DataCharacteristic: URIRef
    Dataset: URIRef
    DatasetCharacteristic: URIRef
    EvaluationMeasure: URIRef
    EvaluationProcedure: URIRef
    EvaluationSpecification: URIRef
    Experiment: URIRef
    Feature: URIRef
    FeatureCharacteristic: URIRef
    HyperParameter: URIRef
    HyperParameterSetting: URIRef
    Implementation: URIRef
    ImplementationCharacteristic: URIRef
    Model: URIRef
    ModelCharacteristic: URIRef
    ModelEvaluation: URIRef
    Quality: URIRef
    Run: URIRef
    Software: URIRef
    Study: URIRef
    Task: URIRef

    achieves: URIRef
    defines: URIRef
    definedOn: URIRef
    executes: URIRef
    hasHyperParameter: URIRef
    hasInput: URIRef
    hasOutput: URIRef
    hasPart: URIRef
    hasQuality: URIRef
    hasValue: URIRef
    implements: URIRef
    realizes: URIRef
    specifiedBy: URIRef


class FABIO(DefinedNamespace):
    """FaBiO (FRBR-aligned Bibliographic Ontology), the terms kg uses."""

    _fail = True
    _NS = Namespace("http://purl.org/spar/fabio/")

    ResearchPaper: URIRef
    JournalArticle: URIRef
    ConferencePaper: URIRef
    Preprint: URIRef
