"""Throughput of the Spark path (``scrubber.spark.scrub_dataframe``) in local mode.

Not a test. The same documents as ``benchmarks/throughput.py`` (its loader is reused), run through
a local SparkSession (``local[WORKERS]``) in a spawned child process. Timed: one Spark job that
scrubs every document and aggregates the findings (so every row is computed). Not timed, reported
as ``load s``: starting Spark, caching the input in the JVM and a warm-up job in which each
Python worker builds its engine.

Peak RSS is the sum of the resident set sizes of the child's whole process tree (the driver
Python process, the JVM, Spark's Python daemon and its workers), sampled every 0.1 s; the sum of
proportional set sizes (PSS: shared pages split between the processes) is reported beside it.

Usage (from the repo root, with ``pip install -e '.[spark]'`` and Java 17+):

    python benchmarks/spark_bench.py --limit 300
    python benchmarks/spark_bench.py --limit 100 --workers 2 --policy surrogate --json /tmp/spark.json

The suite wires :func:`bench_spark` into its table.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shlex
import sys
import threading
import time
from pathlib import Path

# Keep the top level light: the spawned child re-imports this module.
BENCH_DIR = Path(__file__).resolve().parent
TASKS_PER_WORKER = 4  # partitions per worker slot: small enough tasks to balance the load


def bench_spark(texts: list[str], *, policy: str = "tags", workers: int = 2, warmup: int = 5) -> dict:
    """Scrub ``texts`` through Spark in local mode in a child process; throughput and peak memory.

    Returns:
        ``{"docs_per_s", "chars_per_s", "peak_rss_mb", ...}``: also ``docs``, ``chars``,
        ``seconds`` (the timed job), ``load_seconds``, ``cpu_seconds`` (the process tree's CPU time
        during the timed job), ``peak_pss_mb``, ``findings``, ``quarantined``, ``workers``,
        ``partitions``; or ``{"error": ...}`` when the run failed.

    Example:
        >>> bench_spark(["Seen by Dr. Patel on 03/14/2024."] * 20)["docs_per_s"] > 0  # doctest: +SKIP
        True
    """
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(texts, policy, workers, warmup, send), name="bench-spark")
    process.start()
    send.close()
    try:
        result = receive.recv()
    except EOFError:
        result = {"error": "child exited without a result"}
    process.join()
    if process.exitcode and "error" not in result:
        result["error"] = f"child exit code {process.exitcode}"
    if "error" not in result:
        result["docs_per_s"] = result["docs"] / result["seconds"]
        result["chars_per_s"] = result["chars"] / result["seconds"]
    return result


# -- the child process ---------------------------------------------------------------------
def _tree(root: int) -> list[int]:
    """``root`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue  # gone meanwhile
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB; (0, 0) when it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            fields = dict(line.split(":", 1) for line in handle if ":" in line)
        return int(fields["Rss"].split()[0]), int(fields["Pss"].split()[0])
    except (OSError, KeyError, ValueError):
        return 0, 0


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2 :].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


class _Sampler(threading.Thread):
    """Peak summed RSS and PSS of a process tree, sampled every ``interval`` seconds."""

    def __init__(self, root: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.peak_rss = self.peak_pss = 0
        self.processes = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.sample()
            self._done.wait(self.interval)

    def sample(self) -> None:
        pids = _tree(self.root)
        rss = pss = 0
        for pid in pids:
            r, p = _memory_kib(pid)
            rss, pss = rss + r, pss + p
        self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
        self.processes = max(self.processes, len(pids))

    def stop(self) -> None:
        self._done.set()
        self.join()
        self.sample()


def _child(texts: list[str], policy: str, workers: int, warmup: int, conn) -> None:
    sampler = _Sampler(os.getpid())
    sampler.start()
    try:
        os.environ["PYSPARK_PYTHON"] = sys.executable  # the workers run this interpreter
        from pyspark.sql import SparkSession
        from pyspark.sql import functions as F

        from scrubber.keys import make_key
        from scrubber.spark import scrub_dataframe

        t0 = time.perf_counter()
        spark = (
            SparkSession.builder.master(f"local[{workers}]")
            .appName("scrubber-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", str(workers))
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        key = make_key(None)  # one random key, drawn here, for the warm-up and the timed job
        partitions = workers * TASKS_PER_WORKER
        docs = spark.createDataFrame([(str(i), t) for i, t in enumerate(texts)], "id string, text string")
        docs = docs.repartition(partitions).cache()
        docs.count()
        # Warm-up: one task per worker slot, so each Python worker builds its engine untimed.
        first = max(1, min(warmup, len(texts)))
        sample = spark.createDataFrame([(str(i), texts[i % first]) for i in range(workers * first)], "id string, text string")
        _consume(scrub_dataframe(sample.repartition(workers), id_col="id", policy=policy, key=key), F)
        load_s = time.perf_counter() - t0

        tree = _tree(os.getpid())
        cpu0 = _cpu_seconds(tree)
        t1 = time.perf_counter()
        findings, quarantined, rows = _consume(scrub_dataframe(docs, id_col="id", policy=policy, key=key), F)
        seconds = time.perf_counter() - t1
        cpu_s = _cpu_seconds(tree) - cpu0  # processes alive before and after the job (Spark keeps its workers)
        spark.stop()
        sampler.stop()
        conn.send(
            {
                "engine": "spark",
                "docs": rows,
                "chars": sum(len(t) for t in texts),
                "seconds": seconds,
                "cpu_seconds": cpu_s,
                "load_seconds": load_s,
                "peak_rss_mb": sampler.peak_rss / 1024,
                "peak_pss_mb": sampler.peak_pss / 1024,
                "processes": sampler.processes,
                "findings": findings,
                "quarantined": quarantined,
                "workers": workers,
                "partitions": partitions,
                "policy": policy,
            }
        )
    except BaseException as exc:  # report, don't hang the parent
        conn.send({"engine": "spark", "error": f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"})
        raise
    finally:
        conn.close()


def _consume(scrubbed, F) -> tuple[int, int, int]:
    """Run the job: every row is scrubbed; only counts come back to the driver."""
    row = scrubbed.agg(
        F.sum(F.when(F.col("scrub_error").isNull(), F.size("findings")).otherwise(0)).alias("findings"),
        F.count("scrub_error").alias("quarantined"),
        F.count(F.lit(1)).alias("rows"),
    ).collect()[0]
    return int(row.findings or 0), int(row.quarantined), int(row.rows)


# -- command line --------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(BENCH_DIR))
    from throughput import DEFAULT_CORPUS, machine, load_texts

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=300, help="number of distinct documents (default 300)")
    parser.add_argument("--corpus", type=Path, default=None, help=f"JSONL with a 'transcription' field (default {DEFAULT_CORPUS})")
    parser.add_argument("--workers", type=int, default=2, help="local[N]: concurrent tasks, one Python worker each (default 2)")
    parser.add_argument("--policy", default="tags", help="policy preset or TOML file (default tags)")
    parser.add_argument("--warmup", type=int, default=5, help="documents per worker in the untimed warm-up job (default 5)")
    parser.add_argument("--json", type=Path, default=None, help="also write the result as JSON here")
    args = parser.parse_args(argv)
    if args.limit < 1 or args.workers < 1:
        parser.error("--limit and --workers must be >= 1")

    texts, source = load_texts(args.corpus, args.limit)
    if not texts:
        sys.exit("error: no documents")
    info = machine()
    from importlib import metadata

    try:
        pyspark_version = metadata.version("pyspark")
    except metadata.PackageNotFoundError:
        sys.exit("error: pyspark is not installed (pip install -e '.[spark]')")
    chars = sum(len(t) for t in texts)
    print("# Spark benchmark (local mode)\n")
    print(f"command: {' '.join(shlex.quote(a) for a in [sys.executable, *sys.argv])}")
    print(f"machine: {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable), {info['platform']}")
    print(f"versions: python {info['python']}, pyspark {pyspark_version}, spacy {info['spacy']}, model {info['model']}, "
          f"clinical-scrubber {info['clinical_scrubber']}")
    print(f"documents: {len(texts)} docs, {chars:,} chars (mean {chars / len(texts):,.0f}) from {source}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    result = bench_spark(texts, policy=args.policy, workers=args.workers, warmup=args.warmup)
    print()
    if "error" in result:
        print(f"FAILED: {result['error']}")
        return 1
    print("| engine | docs | seconds | docs/s | chars/s | peak RSS MB | peak PSS MB | load s | cpu s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| spark local[{result['workers']}], {result['partitions']} partitions | {result['docs']} | {result['seconds']:.2f} | "
        f"{result['docs_per_s']:.2f} | {result['chars_per_s']:,.0f} | {result['peak_rss_mb']:.0f} | {result['peak_pss_mb']:.0f} | "
        f"{result['load_seconds']:.2f} | {result['cpu_seconds']:.2f} |"
    )
    print()
    print(f"- policy={result['policy']}; findings={result['findings']}; quarantined={result['quarantined']}; "
          f"processes in the tree at most={result['processes']}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("note: peak RSS sums the resident sets of the driver, the JVM and the Python workers (shared pages counted "
          "once per process); PSS splits shared pages. cpu s is the tree's CPU time during the timed job.")
    if args.json:
        payload = {"source": source, "machine": {**info, "pyspark": pyspark_version}, "result": result}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"JSON written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
