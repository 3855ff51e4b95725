"""Median warm latency of every named query on a synthetic ~1M-triple graph: pyoxigraph vs rdflib, side by side.

    python bench/bench_query.py [--triples 1000000] [--repeat 5] [--no-rdflib]
    python bench/bench_query.py --load-test [--clients 100] [--seconds 30] [--graph exports/graph.ttl]

The graph is shaped like ``kg build``'s output (papers with titles, listing dates, proposes/uses/evaluatesOn/
addresses/reportsMetric links also stated as schema:mentions, an Evidence node per link, entities with types,
labels, aliases, paper counts and model families, ModelEvaluations, and the precomputed statistics of
``kg/assemble/stats.py`` made by the same function the build calls), with Zipf-like entity popularity, seeded.
The same triples go into pyoxigraph in memory (the store ``kg serve``'s workers use), pyoxigraph on disk (the
read-only store ``kg query`` opens) and rdflib's in-memory graph; each named query runs once to warm up, then
``--repeat`` times, through the same path as ``kg query`` (title look-up, VALUES binding, read-only check, row
cap). rdflib runs the identical query text (checked), its own title look-up included. Prints a Markdown table to stdout.
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KG = "https://w3id.org/kg-ml/ontology#"
ID = "https://w3id.org/kg-ml/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "https://schema.org/"
MLS = "http://www.w3.org/ns/mls#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"

TYPES = {  # type: (how many per 1M triples, ML-Schema class, links per paper (min, max), paper predicate)
    "Model": (3000, "Model", (1, 3), "uses"),
    "Method": (4000, "Algorithm", (3, 7), "uses"),
    "Dataset": (800, "Dataset", (1, 3), "evaluatesOn"),
    "Task": (600, "Task", (1, 3), "addresses"),
    "Metric": (200, "EvaluationMeasure", (0, 2), "reportsMetric"),
}
WORDS = ("vision language graph neural sparse diffusion contrastive efficient robust multimodal federated causal "
         "generative adaptive hierarchical temporal retrieval reinforcement transformer attention").split()  # fmt: skip
# Rates measured on the seed build (257 papers, 2026-11-26): 385 aliases for 1,273 entities, 56 stated results
# and 47 kg:evaluatedOn links for 257 papers.
ALIASES = (0,) * 9 + (1, 1, 2)  # 0.33 aliases per entity (seeds: 0.30)
RESULTS_PER_PAPER = 0.22  # ModelEvaluations per paper (seeds: 56 / 257)
EVALUATED_ON_PER_RESULT = 0.8  # model kg:evaluatedOn dataset, per result (seeds: 47 / 56)
PAPERS_PER_LISTING = 51  # seeds: 257 papers on 5 listing dates
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def synthetic_triples(target: int, seed: int = 7) -> tuple[list[tuple], dict[str, str]]:
    """About ``target`` (s, p, o) tuples of ('iri', x) / ('lit', value, datatype) terms, statistics included,
    and parameter values for the queries.

    The statistics triples come from :func:`kg.assemble.stats.statistics_triples`, the function ``kg build``
    calls, so the benchmark graph carries exactly what a build writes. They are ~15% of the graph, so the base
    graph is first generated to ``target``, then again (same seed: a prefix of the same papers) to the size
    that makes base + statistics come out at ``target``.
    """
    base, params = _base_triples(target, seed)
    extra = len(_statistics(base)) + len(_history(base))
    base, params = _base_triples(int(target * len(base) / (len(base) + extra)), seed)
    return base + _statistics(base) + _history(base), params


def _to_rdflib(t: tuple):
    import rdflib

    if t[0] == "iri":
        return rdflib.URIRef(t[1])
    return rdflib.Literal(t[1], datatype=rdflib.URIRef(t[2]) if t[2] else None)


def _back(t) -> tuple:
    import rdflib

    if isinstance(t, rdflib.URIRef):
        return ("iri", str(t))
    return ("lit", str(t), str(t.datatype) if t.datatype else None)


def _history(triples: list[tuple]) -> list[tuple]:
    """The build-history triples of two builds, made by the build's own functions: the last tenth of the papers
    (and the entities they brought) are new in build 2."""
    from kg.assemble.history import History, history_triples
    from kg.records import Entity, EntityType, Paper

    papers = [s[1] for s, p, o in triples if p[1] == RDF + "type" and o[1] == KG + "Paper"]
    papers.sort(key=lambda iri: int(iri.rsplit("-", 1)[1]))
    cut = papers[int(len(papers) * 0.9)] if papers else ""
    first: dict[str, str] = {}  # entity -> first paper mentioning it
    for s, p, o in triples:
        if p[1] == SCHEMA + "mentions":
            key = int(s[1].rsplit("-", 1)[1])
            if o[1] not in first or key < int(first[o[1]].rsplit("-", 1)[1]):
                first[o[1]] = s[1]
    ents = [s[1] for s, p, o in triples if p[1] == KG + "key"]
    late = {e for e in ents if e in first and int(first[e].rsplit("-", 1)[1]) >= int(cut.rsplit("-", 1)[1])}
    pkey = lambda iri: iri.rsplit("/", 1)[1]  # noqa: E731
    ekey = lambda iri: iri[len(ID) :].replace("/", ":", 1)  # noqa: E731
    h = History()
    h.advance([pkey(p) for p in papers[: int(len(papers) * 0.9)]], [ekey(e) for e in ents if e not in late])
    h.advance([pkey(p) for p in papers], [ekey(e) for e in ents])
    recs_p = [Paper(pkey(p), "") for p in papers]
    recs_e = [Entity(ekey(e), EntityType(ekey(e).split(":")[0].title()), "") for e in ents]
    return sorted((_back(s), _back(p), _back(o)) for s, p, o in history_triples(h, recs_p, recs_e, ID))


def _statistics(triples: list[tuple]) -> list[tuple]:
    """The build's statistics triples of ``triples`` (converted to rdflib terms and back)."""
    from kg.assemble.stats import statistics_triples

    cache: dict[tuple, object] = {}
    conv = lambda t: cache[t] if t in cache else cache.setdefault(t, _to_rdflib(t))  # noqa: E731
    stats = statistics_triples(((conv(s), conv(p), conv(o)) for s, p, o in triples), ID)
    return sorted((_back(s), _back(p), _back(o)) for s, p, o in stats)


def listing_day(n: int) -> str:
    """The listing date of the n-th paper: a new date every PAPERS_PER_LISTING papers, written like listings."""
    import datetime

    d = datetime.date(2025, 1, 1) + datetime.timedelta(days=n // PAPERS_PER_LISTING)
    return f"{MONTHS[d.month - 1]} {d.day}"


def _base_triples(target: int, seed: int) -> tuple[list[tuple], dict[str, str]]:
    """The graph without statistics: entities, then papers until ``target`` triples."""
    rng = random.Random(seed)
    scale = target / 1_000_000
    out: list[tuple] = []
    iri = lambda x: ("iri", x)  # noqa: E731
    lit = lambda v, dt=None: ("lit", str(v), dt)  # noqa: E731
    a = iri(RDF + "type")
    ents: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for t, (n, mls_cls, _, _) in TYPES.items():
        ents[t] = []
        for i in range(max(5, int(n * scale))):
            e = f"{ID}{t.lower()}/e{i}"
            label = f"{t} {rng.choice(WORDS)} {i}"
            ents[t].append(e)
            labels[e] = label
            out += [(iri(e), a, iri(KG + t)), (iri(e), a, iri(KG + "Entity")), (iri(e), a, iri(MLS + mls_cls)),
                    (iri(e), iri(RDFS + "label"), lit(label)), (iri(e), iri(SKOS + "prefLabel"), lit(label)),
                    (iri(e), iri(KG + "key"), lit(f"{t.lower()}:e{i}"))]  # fmt: skip
            for k in range(rng.choice(ALIASES)):
                out.append((iri(e), iri(SKOS + "altLabel"), lit(f"{label} alias {k}")))
    for i, m in enumerate(ents["Model"]):
        if i >= 50 and rng.random() < 0.3:  # families: sizes and versions of popular models
            out.append((iri(m), iri(SKOS + "broader"), iri(ents["Model"][rng.randrange(min(i, 200))])))
    paper_count: dict[str, int] = {}
    weights = {t: [1 / (r + 1) for r in range(len(v))] for t, v in ents.items()}
    n_papers = 0
    titles = []
    while len(out) < target:
        p = f"{ID}paper/syn-{n_papers}"
        title = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} for {rng.choice(WORDS)} paper {n_papers}"
        titles.append(title)
        out += [(iri(p), a, iri(KG + "Paper")), (iri(p), a, iri(SCHEMA + "ScholarlyArticle")),
                (iri(p), iri(DCT + "title"), lit(title)),
                (iri(p), iri(KG + "listingDate"), lit(listing_day(n_papers)))]  # fmt: skip
        linked: list[tuple[str, str]] = []
        for t, (_, _, (lo, hi), pred) in TYPES.items():
            # dict, not set: draw order, so the graph does not depend on PYTHONHASHSEED
            for e in dict.fromkeys(rng.choices(ents[t], weights[t], k=rng.randint(lo, hi))):
                role = "proposes" if t in ("Model", "Method") and rng.random() < 0.1 else pred
                linked.append((role, e))
        for role, e in linked:
            paper_count[e] = paper_count.get(e, 0) + 1
            out += [(iri(p), iri(KG + role), iri(e)), (iri(p), iri(SCHEMA + "mentions"), iri(e))]
            ev = iri(f"{ID}evidence/{n_papers}-{len(out)}")
            out += [(ev, a, iri(KG + "Evidence")), (ev, iri(RDF + "subject"), iri(p)),
                    (ev, iri(RDF + "predicate"), iri(KG + role)), (ev, iri(RDF + "object"), iri(e)),
                    (ev, iri(KG + "sentence"), lit(f"We {role} {labels[e]} in paper {n_papers}.")),
                    (ev, iri(KG + "rule"), lit("cue")), (ev, iri(KG + "confidence"), lit("0.8", XSD + "decimal"))]  # fmt: skip
        models = [e for _, e in linked if "/model/" in e]
        datasets = [e for _, e in linked if "/dataset/" in e]
        if models and datasets and rng.random() < RESULTS_PER_PAPER:
            r = iri(f"{ID}evaluation/{n_papers}")
            out += [(r, a, iri(KG + "ModelEvaluation")), (r, iri(KG + "evaluatedModel"), iri(models[0])),
                    (r, iri(KG + "onDataset"), iri(datasets[0])), (r, iri(KG + "valueText"), lit("91.2%")),
                    (r, iri(KG + "value"), lit("91.2", XSD + "decimal")), (r, iri(PROV + "wasDerivedFrom"), iri(p))]  # fmt: skip
            if rng.random() < EVALUATED_ON_PER_RESULT:
                out.append((iri(models[0]), iri(KG + "evaluatedOn"), iri(datasets[0])))
        n_papers += 1
    for e, n in paper_count.items():
        out.append((iri(e), iri(KG + "paperCount"), lit(n, XSD + "integer")))
    children = {o[1] for _, p, o in out if p[1] == SKOS + "broader"}
    parents = {s[1] for s, p, _ in out if p[1] == SKOS + "broader"}
    root = min(children - parents, key=ents["Model"].index)
    params = {"task": labels[ents["Task"][0]], "type": "Model", "title": titles[len(titles) // 2][-12:],
              "dataset": labels[ents["Dataset"][0]], "model": labels[ents["Model"][0]],
              "a": labels[ents["Model"][0]], "b": labels[ents["Dataset"][0]], "family": labels[root]}  # fmt: skip
    return out, params


def to_oxigraph(triples: list[tuple], path: str | None):
    import pyoxigraph as ox

    def term(t: tuple):
        if t[0] == "iri":
            return ox.NamedNode(t[1])
        return ox.Literal(t[1], datatype=ox.NamedNode(t[2])) if t[2] else ox.Literal(t[1])

    store = ox.Store(path) if path else ox.Store()
    store.bulk_extend(ox.Quad(term(s), term(p), term(o)) for s, p, o in triples)
    return store


def to_rdflib(triples: list[tuple]):
    import rdflib

    def term(t: tuple):
        if t[0] == "iri":
            return rdflib.URIRef(t[1])
        return rdflib.Literal(t[1], datatype=rdflib.URIRef(t[2]) if t[2] else None)

    g = rdflib.Graph()
    g.addN((term(s), term(p), term(o), g) for s, p, o in triples)
    return g


def median_ms(fn, repeat: int) -> tuple[float, int]:
    rows = fn()  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), rows


def median_ms_budget(fn, repeat: int, budget: float) -> tuple[float | None, int]:
    """:func:`median_ms` in a forked child killed after ``budget`` s (rdflib has no timeout); None if killed."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe()

    def target() -> None:
        child.send(median_ms(fn, repeat))

    proc = ctx.Process(target=target)
    proc.start()
    got = parent.recv() if parent.poll(budget) else (None, -1)
    proc.kill()
    proc.join()
    return got


def load_test(graph: Path, clients: int, seconds: float) -> None:
    """``kg serve`` on loopback; ``clients`` threads query in a bounded loop for ``seconds`` while one client
    sends a deliberately endless query; prints requests, errors, p50/p99 latency and what the endless query got."""
    import socket
    import subprocess
    import threading

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code = ("import sys; from kg.serve.cli import serve_command; "
            f"serve_command(['--graph', {str(graph)!r}, '--port', '{port}', '--timeout', '10'])")  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/sparql"
    try:
        for _ in range(300):
            try:
                httpx.get(base, params={"query": "ASK {}"}, trust_env=False, timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        queries = ["SELECT ?l ?n WHERE { ?d a kg:Dataset ; rdfs:label ?l ; kg:paperCount ?n } ORDER BY DESC(?n) LIMIT 10",
                   "SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:Paper }",
                   "SELECT ?t WHERE { ?p kg:proposes ?m ; dcterms:title ?t . ?m a kg:Model } LIMIT 20"]  # fmt: skip
        lat: list[float] = []
        errors: list[str] = []
        stop = time.monotonic() + seconds
        lock = threading.Lock()

        def client(i: int) -> None:
            with httpx.Client(trust_env=False, timeout=60) as c:
                while time.monotonic() < stop:  # bounded by the clock
                    t = time.perf_counter()
                    try:
                        r = c.get(base, params={"query": queries[i % len(queries)]})
                        ok = r.status_code == 200
                        err = f"HTTP {r.status_code}"
                    except httpx.HTTPError as exc:
                        ok, err = False, type(exc).__name__
                    with lock:
                        (lat.append((time.perf_counter() - t) * 1000) if ok else errors.append(err))

        endless: dict = {}

        def slow() -> None:
            time.sleep(1)
            t = time.perf_counter()
            q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
            r = httpx.get(base, params={"query": q}, trust_env=False, timeout=120)
            endless.update(status=r.status_code, seconds=time.perf_counter() - t, text=r.text.strip())

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)] + [
            threading.Thread(target=slow)
        ]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    finally:
        proc.terminate()
        proc.wait(30)
    lat.sort()
    pct = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] if lat else float("nan")  # noqa: E731
    print(f"## kg serve load test: {clients} clients for {seconds:g} s on loopback ({graph})\n")
    print("| requests | errors | req/s | p50 ms | p99 ms | max ms | endless query |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {len(lat)} | {len(errors)} {sorted(set(errors))[:3] if errors else ''} | {len(lat) / seconds:.0f} | "
          f"{pct(0.5):.0f} | {pct(0.99):.0f} | {lat[-1] if lat else float('nan'):.0f} | "
          f"HTTP {endless.get('status')} after {endless.get('seconds', 0):.1f} s |")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-rdflib", action="store_true")
    ap.add_argument("--load-test", action="store_true", help="load-test kg serve instead")
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--graph", type=Path, default=ROOT / "exports" / "graph.ttl")
    ap.add_argument(
        "--rdflib-budget", type=float, default=60.0, help="seconds per query for rdflib (killed past it)"
    )
    args = ap.parse_args()
    if args.load_test:
        load_test(args.graph, args.clients, args.seconds)
        return

    import pyoxigraph as ox

    from kg.query.named import bind, library, lookups
    from kg.query.results import execute

    t = time.perf_counter()
    triples, params = synthetic_triples(args.triples)
    print(f"synthetic graph: {len(triples):,} triples in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    t = time.perf_counter()
    mem = to_oxigraph(triples, None)
    t_mem = time.perf_counter() - t
    tmp = tempfile.mkdtemp(prefix="kg-bench-")
    t = time.perf_counter()
    disk_rw = to_oxigraph(triples, tmp + "/store")
    disk_rw.flush()
    del disk_rw
    gc.collect()
    disk = ox.Store.read_only(tmp + "/store")
    t_disk = time.perf_counter() - t
    graph, t_rdf = None, float("nan")
    if not args.no_rdflib:
        t = time.perf_counter()
        graph = to_rdflib(triples)
        t_rdf = time.perf_counter() - t
    del triples
    gc.collect()
    gc.freeze()  # the loaded graphs are long-lived: keep the collector from rescanning them (helps both engines)
    print(
        f"load: pyoxigraph memory {t_mem:.1f} s, on disk {t_disk:.1f} s, rdflib {t_rdf:.1f} s",
        file=sys.stderr,
    )

    print(f"## Named queries on {args.triples:,} synthetic triples (median of {args.repeat} warm runs, ms)\n")
    print(f"{platform.python_implementation()} {platform.python_version()}, pyoxigraph {ox.__version__}, "
          f"{time.strftime('%Y-%m-%d')}\n")  # fmt: skip
    print(
        "| query | rows | pyoxigraph in memory (kg serve) | pyoxigraph on disk (kg query) | rdflib | rdflib / in memory |"
    )
    print("|---|---|---|---|---|---|")
    # pyoxigraph first for every query, then rdflib (each run in a forked child it can be stopped in): in a run
    # that interleaved them, pyoxigraph's medians after rdflib children were 1-19 ms higher (load also varied)
    lib = library()
    values = {name: {p.name: params[p.name] for p in q.params if p.name in params} for name, q in lib.items()}
    ours_ms: dict[str, tuple[float, float, int]] = {}
    for name, q in lib.items():

        def ours(s, q=q, v=values[name]) -> int:  # what `kg query NAME --param …` does: look up, bind, run
            return len(execute(s, bind(q, v, s, limit=q.limit), limit=q.limit).rows)

        om, rows = median_ms(lambda: ours(mem), args.repeat)
        od, _ = median_ms(lambda: ours(disk), args.repeat)
        ours_ms[name] = (om, od, rows)
        print(f"{name}: pyoxigraph {om:.1f} ms in memory, {od:.1f} ms on disk, {rows} rows", file=sys.stderr)
    for name, q in lib.items():
        om, od, rows = ours_ms[name]
        if graph is None:
            print(f"| {name} | {rows} | {om:.1f} | {od:.1f} | – | – |")
            continue

        def theirs(q=q, v=values[name]) -> int:  # the same steps on rdflib: its own title look-up, same text
            resolved = {k: [str(r[0]) for r in graph.query(t)] for k, t in lookups(q, v).items()}
            return len(list(graph.query(bind(q, v, resolved=resolved, limit=q.limit)))[: q.limit])

        resolved = {k: [str(r[0]) for r in graph.query(t)] for k, t in lookups(q, values[name]).items()}
        same = bind(q, values[name], resolved=resolved, limit=q.limit) == bind(
            q, values[name], mem, limit=q.limit
        )
        assert same, f"{name}: the engines would run different query text"
        rd, rrows = median_ms_budget(theirs, args.repeat, args.rdflib_budget)
        if rd is None:  # warm-up + repeats did not fit in the budget: each run took more than this
            bound = args.rdflib_budget * 1000 / (args.repeat + 1)
            print(
                f"| {name} | {rows} | {om:.1f} | {od:.1f} | > {bound:.0f} (stopped) | > {bound / om:.0f}x |"
            )
        else:
            assert rrows == rows, f"{name}: rdflib {rrows} rows, pyoxigraph {rows}"
            print(f"| {name} | {rows} | {om:.1f} | {od:.1f} | {rd:.0f} | {rd / om:.1f}x |")
        sys.stdout.flush()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
