"""Extraction on a real (local) Dask cluster returns what one process returns, in input order."""

from __future__ import annotations

import importlib

import pytest

from kg.errors import KGError
from kg.extract.pipeline import extract_papers, make_nlp
from kg.pipeline import read_corpus
from kg.records import Report
from tests.conftest import SEEDS

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def papers():
    return read_corpus([SEEDS], Report())[:120]


@pytest.mark.slow
def test_cluster_of_two_worker_processes_matches_one_process(papers) -> None:
    from kg.extract.cluster import extract_on_cluster

    expected = list(extract_papers(papers, nlp=make_nlp()))
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        got = list(extract_on_cluster(papers, client, batch_size=16, window=3))
        # both workers took part: each built its own pipeline and extracted some batches
        built = client.run(lambda: len(importlib.import_module("kg.extract.cluster")._NLP))
        assert sorted(built.values()) == [1, 1]
    assert [x.key for x in got] == [p.key for p in papers]
    assert got == expected


def test_unreachable_scheduler_is_a_one_line_error() -> None:
    from kg.extract.cluster import connect

    with pytest.raises(KGError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        connect("tcp://127.0.0.1:9", timeout="1s")


@pytest.mark.slow
def test_extract_papers_sends_work_to_a_scheduler_address(papers) -> None:
    """The address form users give on the command line: a real scheduler on a loopback port."""
    from kg.extract.pipeline import extract_papers

    expected = list(extract_papers(papers[:40], nlp=make_nlp()))
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        got = list(extract_papers(papers[:40], dask=cluster.scheduler_address))
    assert got == expected


@pytest.mark.slow
def test_kg_build_on_a_cluster_writes_the_same_graph(tmp_path) -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    seed_file = str(SEEDS / "000_e30ead69c02cfd1f.txt")
    local = CliRunner().invoke(cli, ["build", seed_file, "-o", str(tmp_path / "local"), "-q"])
    assert local.exit_code == 0, local.output
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        remote = CliRunner().invoke(
            cli, ["build", seed_file, "-o", str(tmp_path / "dask"), "-q", "--dask", cluster.scheduler_address]
        )
    assert remote.exit_code == 0, remote.output
    assert (tmp_path / "dask" / "graph.ttl").read_bytes() == (tmp_path / "local" / "graph.ttl").read_bytes()
