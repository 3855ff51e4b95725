"""Assemble records into graphs: the RDF projection (``kg.assemble.rdf``) and the NetworkX projection."""
