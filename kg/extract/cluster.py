"""Extraction on a Dask cluster: the same records as :func:`kg.extract.pipeline.extract_papers`, from many machines.

One machine extracts a few hundred abstracts a second per core; a corpus of millions wants more cores than a
machine has. Dask.distributed already schedules, retries and moves data between machines, so kg only cuts the
papers into batches of plain tuples, sends them to the workers and reads back the records, in input order.

    dask scheduler                                   # on one machine
    dask worker tcp://scheduler:8786 --nthreads 1    # on each worker machine, with kg installed
    kg build --dask tcp://scheduler:8786

Each worker process builds the pipeline once (about a second) and keeps it for later batches. Workers should run
one thread each (``--nthreads 1``, ``--nworkers`` = cores): the rules are Python code that holds the GIL, so
threads within one worker process would take turns rather than run in parallel. At most ``window`` batches are in
flight, so a corpus larger than memory streams through.

Needs the ``dask`` extra (``pip install 'kg[dask]'``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from kg.errors import KGError
from kg.extract.pipeline import PaperExtraction, batches, extract_many, make_nlp
from kg.records import Paper

_NLP: dict[str | None, Any] = {}  # per worker process: vocabulary folder -> pipeline


def extract_batch(batch: list[tuple[str, str, str]], vocab_dir: str | None = None) -> list[PaperExtraction]:
    """Run on a worker: extract (key, title, abstract) tuples with this process's pipeline."""
    nlp = _NLP.get(vocab_dir)
    if nlp is None:
        nlp = _NLP[vocab_dir] = make_nlp(vocab_dir)
    return extract_many(nlp, batch)


def connect(address: str, timeout: str = "10s") -> Any:
    """A ``distributed.Client`` for ``address`` (``tcp://host:8786``), with a one-line error when it fails."""
    try:
        from distributed import Client
    except ImportError:
        raise KGError("--dask needs the dask extra: pip install 'kg[dask]'") from None
    try:
        return Client(address, timeout=timeout)
    except (OSError, TimeoutError) as e:
        raise KGError(f"cannot reach the Dask scheduler at {address}: {e}") from None


def extract_on_cluster(
    papers: Iterable[Paper],
    client: Any,
    *,
    batch_size: int = 128,
    window: int | None = None,
    vocab_dir: str | None = None,
) -> Iterator[PaperExtraction]:
    """Extract ``papers`` on the cluster behind ``client``; yields records in input order.

    ``window`` (default: four batches per worker thread) bounds the batches submitted but not yet read back.
    """
    if window is None:
        threads = sum(client.nthreads().values()) or 1
        window = 4 * threads
    pending: deque[Any] = deque()
    for batch in batches(papers, batch_size):
        # pure=False: two equal batches are still two tasks (keys from content would merge them)
        pending.append(client.submit(extract_batch, batch, vocab_dir, pure=False))
        if len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()
