"""Memory benchmark: peak RSS of a scrubbing run for 1x and 10x the input, and for one long document.

Not a test. Each run is a separate child process (``scrubber.run.run``, what the
CLI runs, over a JSONL file written to a temporary folder); its peak RSS is the
child's ``ru_maxrss`` as returned by ``os.wait4``, so runs do not see each other.

    python benchmarks/memory.py --docs 100               # 1x = 100 MTSamples texts, 10x = them repeated
    python benchmarks/memory.py --docs 100 --distinct    # 10x = 1,000 different texts (vocabulary grows)
    python benchmarks/memory.py --docs 100 --distinct --no-memory-zone   # without spaCy memory zones
    python benchmarks/memory.py --long-document 10       # one 10 MB document made of MTSamples texts

See benchmarks/README.md for what the figures mean.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import DEFAULT_CORPUS, load_texts, machine  # noqa: E402


def child(args: argparse.Namespace) -> int:
    """Inside the child: scrub ``args.input`` and print one JSON line of counts and timings."""
    import resource

    if args.no_memory_zone:
        import contextlib

        from spacy.language import Language

        Language.memory_zone = lambda self, mem=None: contextlib.nullcontext()  # type: ignore[method-assign]
    from scrubber import Scrubber
    from scrubber.io.readers import InputFile, ReadOptions
    from scrubber.run import run

    started = time.perf_counter()
    options = {} if args.chunk_chars is None else {"chunk_chars": args.chunk_chars}
    scrubber = Scrubber(key=b"memory-benchmark-key-0123", **options)
    loaded = time.perf_counter()
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu = time.process_time()
    path = Path(args.input)
    summary = run([InputFile(path, Path(path.name), "jsonl")], scrubber=scrubber, out_dir=Path(args.out), options=ReadOptions(id_field="id"))
    print(json.dumps({
        "docs": summary.read,
        "written": summary.written,
        "quarantined": summary.quarantined,
        "chars": summary.characters,
        "findings": sum(summary.entities.values()),
        "load_seconds": loaded - started,
        "seconds": time.perf_counter() - loaded,
        "cpu_seconds": time.process_time() - cpu,
        "rss_after_load_kib": rss_loaded,
        "vocab_strings": len(scrubber.nlp.vocab.strings),
    }))
    return 0


def measure(label: str, texts: list[str], workdir: Path, args: argparse.Namespace) -> dict:
    """Write ``texts`` as JSONL, scrub them in a child process, return its figures and peak RSS."""
    source = workdir / f"{label}.jsonl"
    with source.open("w", encoding="utf-8") as handle:
        for index, text in enumerate(texts):
            handle.write(json.dumps({"id": f"{label}-{index}", "text": text}) + "\n")
    command = [sys.executable, __file__, "--child", "--input", str(source), "--out", str(workdir / f"out-{label}")]
    command += ["--chunk-chars", str(args.chunk_chars)] if args.chunk_chars is not None else []
    command += ["--no-memory-zone"] if args.no_memory_zone else []
    print(f"  running {label}: {len(texts)} docs, {source.stat().st_size / 1e6:.1f} MB ...", file=sys.stderr, flush=True)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    source.unlink()
    if process.returncode != 0:
        return {"label": label, "error": f"child exit code {process.returncode}"}
    result = json.loads(output.strip().splitlines()[-1])
    result.update(label=label, peak_rss_mb=usage.ru_maxrss / 1024, rss_after_load_mb=result.pop("rss_after_load_kib") / 1024)
    return result


def table(results: list[dict]) -> str:
    lines = [
        "| run | docs | chars | findings | quarantined | seconds | cpu s | RSS after load MB | peak RSS MB | strings in vocab |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['label']} | FAILED: {r['error']} | | | | | | | | |")
            continue
        lines.append(
            f"| {r['label']} | {r['docs']:,} | {r['chars']:,} | {r['findings']:,} | {r['quarantined']} | {r['seconds']:.1f} | "
            f"{r['cpu_seconds']:.1f} | {r['rss_after_load_mb']:.0f} | {r['peak_rss_mb']:.0f} | {r['vocab_strings']:,} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100, help="documents in the 1x input (default 100)")
    parser.add_argument("--factor", type=int, default=10, help="size of the large input, in multiples of 1x (default 10)")
    parser.add_argument("--distinct", action="store_true", help="large input = that many different texts, not 1x repeated")
    parser.add_argument("--long-document", type=float, default=0, metavar="MB", help="instead: one document of this many MB")
    parser.add_argument("--chunk-chars", type=int, default=None, help="Scrubber(chunk_chars=...) (default: the engine's)")
    parser.add_argument("--no-memory-zone", action="store_true", help="switch spaCy's memory zones off (to see what they save)")
    parser.add_argument("--corpus", type=Path, default=None, help=f"JSONL with a 'transcription' field (default {DEFAULT_CORPUS})")
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)

    info = machine()
    print("# Memory benchmark\n")
    print(f"command: {' '.join(shlex.quote(a) for a in [sys.executable, *sys.argv])}")
    print(f"machine: {info['cpu']}, {info['cores']} cores, {info['platform']}; python {info['python']}, spacy {info['spacy']}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="scrubber-memory-") as tmp:
        workdir = Path(tmp)
        if args.long_document:
            texts, source = load_texts(args.corpus, 5_000)
            target = int(args.long_document * 1_000_000)
            parts, size, index = [], 0, 0
            while size < target:
                parts.append(texts[index % len(texts)])
                size += len(parts[-1]) + 2
                index += 1
            document = "\n\n".join(parts)[:target]
            print(f"document: {len(document):,} characters, {index:,} texts from {source}")
            results.append(measure(f"1 document, {args.long_document:g} MB", [document], workdir, args))
        else:
            wanted = args.docs * args.factor if args.distinct else args.docs
            texts, source = load_texts(args.corpus, wanted)
            if len(texts) < wanted:
                sys.exit(f"error: only {len(texts)} distinct texts, {wanted} wanted")
            small = texts[: args.docs]
            large = texts if args.distinct else small * args.factor
            kind = "different texts" if args.distinct else "1x repeated"
            print(f"documents: 1x = {len(small)} docs ({sum(map(len, small)):,} chars); {args.factor}x = {len(large)} docs, {kind}; from {source}")
            results.append(measure("1x", small, workdir, args))
            results.append(measure(f"{args.factor}x", large, workdir, args))
    import scrubber

    chunking = "engine default" if args.chunk_chars is None else f"{args.chunk_chars:,}"
    print(f"scrubber from {Path(scrubber.__file__).parent}; chunk_chars: {chunking}; memory zones {'off' if args.no_memory_zone else 'on'}")
    print()
    print(table(results))
    ok = [r for r in results if "error" not in r]
    if len(ok) == 2:
        print(f"\npeak RSS {ok[1]['label']} / {ok[0]['label']} = {ok[1]['peak_rss_mb'] / ok[0]['peak_rss_mb']:.3f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"machine": info, "args": {k: str(v) for k, v in vars(args).items()}, "results": results}, indent=2) + "\n")
    return 1 if len(ok) < len(results) else 0


if __name__ == "__main__":
    sys.exit(main())
