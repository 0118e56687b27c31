"""Name recall on notes whose names were replaced: see :mod:`scrubber.resample`.

This is not a test: it asserts nothing. It reads the corpus from ``../shared/corpora``; the rewritten
notes (corpus text) go to a temporary file only, and ``--errors`` (misses, with their context) must
be written outside the repository.

Examples:
    python benchmarks/resample_names.py --pool world --seed 2 --errors /tmp/resampled-errors.jsonl
    python benchmarks/resample_names.py --pool none --case lower   # the same notes, all in lower case
    python benchmarks/resample_names.py --name-leak --pool world --seed 2   # ACI-Bench visits, patients renamed
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared/corpora/physionet-deid-nursing/dev.jsonl"
ACI_CORPUS = Path(__file__).resolve().parents[1].parent / "shared/corpora/aci-bench/dev.jsonl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help=f"default: {DEFAULT_CORPUS} ({ACI_CORPUS} with --name-leak)")
    parser.add_argument("--name-leak", action="store_true",
                        help="a visit-dialogue corpus (ACI-Bench): rename each patient (pool tail or world) and count "
                             "the encounters whose new name survives scrubbing")
    parser.add_argument("--pool", choices=("mixed", "frequent", "tail", "world", "none"), default="mixed",
                        help="where the new names come from (none: the corpus's names stay)")
    parser.add_argument("--case", choices=("as-is", "lower", "upper"), default="as-is", help="put every note in this case")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--errors", type=Path, help="write misses and false positives here (corpus text: keep outside the repo)")
    args = parser.parse_args(argv)
    args.corpus = args.corpus or (ACI_CORPUS if args.name_leak else DEFAULT_CORPUS)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    from scrubber import Scrubber
    from scrubber.evaluate import evaluate
    from scrubber.resample import LEAK_POOLS, renamed_encounters, resampled

    if args.name_leak:
        if args.pool not in LEAK_POOLS or args.case != "as-is":
            parser.error(f"--name-leak takes --pool {' or '.join(LEAK_POOLS)} and the corpus's own case")
        from scrubber.evaluate import evaluate_name_leak

        leak = evaluate_name_leak(Scrubber(), renamed_encounters(args.corpus, pool=args.pool, seed=args.seed),
                                  keep_errors=args.errors is not None)
        if args.errors:
            with args.errors.open("w", encoding="utf-8") as out:
                for row in leak.pop("leaks"):
                    out.write(json.dumps({"kind": "leak", **row}) + "\n")
        print(f"pool={args.pool} seed={args.seed} encounters={leak['encounters']}")
        print(f"encounters naming their patient: {leak['encounters_mentioning_name']}, "
              f"still naming them after scrubbing: {leak['encounters_leaking_name']} (rate {leak['leak_rate']})")
        return 0

    report = evaluate(Scrubber(), resampled(args.corpus, pool=args.pool, seed=args.seed, case=args.case), keep_errors=args.errors is not None)
    result = report.to_dict()
    if args.errors:
        with args.errors.open("w", encoding="utf-8") as out:
            for row in report.misses:
                out.write(json.dumps({"kind": "miss", **row}) + "\n")
    blind, person = result["type_blind"], result["per_type"].get("PERSON", {})
    print(f"pool={args.pool} seed={args.seed} case={args.case} documents={result['documents']}")
    print(f"all types: char recall {blind['char_recall']}  span recall {blind['span_recall']}  char precision {blind['char_precision']}")
    print(f"PERSON:    char recall {person.get('char_recall')}  span recall {person.get('span_recall')}  ({person.get('gold_spans')} spans)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
