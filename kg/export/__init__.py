"""Exports of the graph to the tools people load graphs into, driven by one table (:data:`FORMATS`).

>>> import tempfile, pathlib
>>> from kg.records import Paper
>>> bundle = bundle_from_records([Paper("arxiv-2101.00001", "Tiny")], [], [])
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> [export(bundle, name, out / f.default_name)[0].name for name, f in FORMATS.items()][:3]
['graph.ttl', 'graph.nt', 'graph.jsonld']
"""

from kg.export.bundle import ExportBundle, bundle_from_inputs, bundle_from_records
from kg.export.formats import FORMATS, Format, export, get_format, guess_format

__all__ = [
    "FORMATS",
    "ExportBundle",
    "Format",
    "bundle_from_inputs",
    "bundle_from_records",
    "export",
    "get_format",
    "guess_format",
]
