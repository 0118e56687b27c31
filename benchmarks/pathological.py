"""Time the scrubber on pathological text: long runs of one character, one word or one name repeated.

Not a test (nothing here is collected by pytest): it times ``Scrubber.scrub`` on made-up texts of
``--chars`` characters whose shape has made a pattern or a scan quadratic before (a line padded
with blanks, a name repeated a thousand times, runs of apostrophes), and prints one row per text:
seconds, characters per second, and whether the record was scrubbed or quarantined (E302, a pattern
timed out). It exits 1 when a text was quarantined or took longer than ``--budget`` seconds, so a
change that makes a scan quadratic again shows up here before a user's padded export does.

    python benchmarks/pathological.py                 # 20,000 characters per text
    python benchmarks/pathological.py --chars 50000   # a chunk's worth (the default chunk size)

Quarantine is fail-closed (nothing unscrubbed is written), so a row marked ``quarantined`` is a
record lost to the data set, not a leak.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def texts(n: int) -> dict[str, str]:
    """The pathological texts, each about ``n`` characters long."""

    def rep(unit: str) -> str:
        return unit * max(1, n // len(unit))

    return {
        "blanks": "a" + " " * n + "b",
        "tabs": "a" + "\t" * n + "b",
        "line breaks": "a" + "\n" * n + "b",
        "blanks then a line": "Seen March 3" + " " * n + "\nBoston",
        "blanks then a street": "at" + " " * n + "12 Main St",
        "blank-comma pairs": "12" + rep(" ,") + "x",
        "one letter": "a" * n,
        "one digit": "1" * n,
        "name in capitals": rep("JOHN "),
        "name in lower case": rep("john "),
        "surname, first name": rep("Smith, John "),
        "titled name": rep("Dr. Smith "),
        "place after a cue": rep("lives in Boston "),
        "facility": rep("SPRINGFIELD REHAB "),
        "dates": rep("12/03/2020 "),
        "month and day": rep("March 3 "),
        "street lines": rep("12 Main St\n"),
        "phones": rep("617-555-0188 "),
        "initials": rep("J. "),
        "note in capitals": rep("PT SEEN BY DR JONES AT 3PM. "),
        "note in lower case": rep("pt seen by dr jones at 3pm. "),
        "apostrophes after a word": "a" + "'" * n,  # spaCy's tokenizer is quadratic in such a run (the view shortens it)
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, default=20_000, help="characters per text (default 20,000)")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds a text may take (default 10)")
    args = parser.parse_args(argv)

    from scrubber import Scrubber

    scrubber = Scrubber()
    scrubber.scrub("warm up: Dr. Smith saw the patient in Boston on March 3.")
    failed = 0
    print(f"{'text':28s} {'chars':>7s} {'seconds':>8s} {'chars/s':>9s}  result")
    for name, text in texts(args.chars).items():
        start = time.perf_counter()
        (result,) = scrubber.scrub_stream([(name, text)])  # a quarantined record is a result here, not an exception
        seconds = time.perf_counter() - start
        quarantined = result.quarantined
        verdict = f"quarantined ({result.error})" if quarantined else "scrubbed"
        slow = seconds > args.budget
        failed += quarantined or slow
        print(f"{name:28s} {len(text):7d} {seconds:8.2f} {len(text) / seconds:9.0f}  {verdict}{'  OVER BUDGET' if slow else ''}", flush=True)
    print(f"{failed} text(s) quarantined or over the {args.budget:g} s budget")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
