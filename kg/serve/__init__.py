"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over the built graph (Starlette + uvicorn)."""
