"""Ingest: input files -> ``Paper`` records (listing text, JSON/JSON Lines, CSV/TSV, BibTeX, arXiv Atom).

>>> from kg.records import Report
>>> report = Report()
>>> papers = dedupe(iter_papers(["seeds"], report), report)
>>> len(papers)
257
"""

from __future__ import annotations

from kg.ingest.dedup import dedupe, paper_key
from kg.ingest.detect import FORMATS, SUPPORTED_EXTENSIONS, detect_format, find_inputs
from kg.ingest.reader import iter_papers, read_file

__all__ = [
    "FORMATS",
    "SUPPORTED_EXTENSIONS",
    "dedupe",
    "detect_format",
    "find_inputs",
    "iter_papers",
    "paper_key",
    "read_file",
]
