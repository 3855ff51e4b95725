"""Extraction: paper text in, typed mentions with roles and evidence out (spaCy components over rules)."""

from kg.extract.pipeline import PaperExtraction, extract_all, extract_paper, extract_papers, make_nlp

__all__ = ["PaperExtraction", "extract_all", "extract_paper", "extract_papers", "make_nlp"]
