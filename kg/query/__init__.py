"""SPARQL over the built graph: an embedded pyoxigraph store cached beside the Turtle, a read-only guard,
result formats, and the named-query library in ``kg/queries/*.rq``.

>>> from pathlib import Path
>>> from kg.query import execute, open_store, render   # doctest: +SKIP
>>> store = open_store(Path("exports/graph.ttl"))         # doctest: +SKIP
>>> print(render(execute(store, "ASK { ?p a kg:Paper }"), "json"))  # doctest: +SKIP
{"head": {}, "boolean": true}
"""

from kg.query.named import NamedQuery, bind, library
from kg.query.results import FORMATS, Result, execute, render
from kg.query.safety import check_read_only
from kg.query.store import open_store

__all__ = [
    "FORMATS",
    "NamedQuery",
    "Result",
    "bind",
    "check_read_only",
    "execute",
    "library",
    "open_store",
    "render",
]
