"""Engine memory benchmark: peak RSS of the engine over spaCy alone, for one short note.

Not a test. Two fresh child processes, one after the other; each one's peak RSS is
its ``ru_maxrss`` as returned by ``os.wait4`` (as in ``memory.py``):

* ``spacy``: the model the engine uses (``scrubber.engine.DEFAULT_MODEL``), loaded with
  only ``ner`` (``scrubber.engine.keep_used_components``), runs over the note;
* ``engine``: ``Scrubber()`` is built and scrubs the same note.

The excess is ``engine - spacy``: what the recognizers, their word lists and Presidio add.
``--breakdown`` runs a third child that loads the model, then each word list in turn
(in the order the engine needs them), and prints what each step adds to the peak and to
the current RSS; a step's figure includes whatever it loads first (a package import).

    python benchmarks/engine_memory.py                  # one JSON object: spacy, engine, excess (MiB)
    python benchmarks/engine_memory.py --breakdown      # and the per-table staircase

See benchmarks/README.md for the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

# An invented note (no corpus text): names, dates, a place, a drug, ids.
NOTE = (
    "Pt seen today with daughter Priya Lindqvist at bedside. 67 yo M, MRN 48213377, admitted 3/14/2024 "
    "from Calvert Memorial Hospital with dyspnea. Started on furosemide 40 mg IV and metoprolol. "
    "Dr. Okonkwo aware. Lives in Springfield with wife. Call 410-555-0187 with questions."
)

# (label, function in recognizers.vocab, where it was before vocab.py as "module:function"): the
# engine's word lists, cheapest dependency first. A step found in neither place is skipped.
STEPS: tuple[tuple[str, str, str], ...] = (
    ("recognizer modules imported", "", "recognizers:available"),
    ("census names", "first_names", "recognizers.lexicon:first_names"),
    ("census surnames", "surnames", "recognizers.lexicon:surnames"),
    ("wordfreq top 30,000", "english_words", "recognizers.lexicon:english_words"),
    ("wordfreq top 5,000", "english_top", "recognizers.lexicon:english_top"),
    ("wordfreq Zipf table", "zipf", "recognizers.lexicon:zipf"),
    ("drug dictionary", "drug_dictionary", "recognizers.lexicon:drug_dictionary"),
    ("allow-list", "allow_list", "recognizers.lexicon:allow_list"),
    ("allow-list index (fuzzy)", "_allow_index", "recognizers.lexicon:_allow_index"),
    ("deletes: English", "_english_deletes", "recognizers.lexicon:_english_deletes"),
    ("deletes: drugs", "_drug_deletes", "recognizers.lexicon:_drug_deletes"),
    ("deletes: top 5,000", "_plain_top_deletes", "recognizers.lexicon:_plain_top_deletes"),
    ("gazetteer", "places", "recognizers.locations:_places"),
    ("gazetteer first words", "place_first_words", "recognizers.locations:_place_first_words"),
    ("ambiguous places", "ambiguous_places", "recognizers.locations:_ambiguous_places"),
    ("english-words web2 ∩ census", "dictionary_names", "recognizers.lexicon:dictionary_names"),
    ("english-words web2, hashed", "dictionary_words", "recognizers.vocab:dictionary_words"),
    ("plain census names", "plain_names", "recognizers.lexicon:plain_names"),
    ("Faker world first names", "", "recognizers.names.world:world_first_names"),
    ("rest of Scrubber() (Presidio, patterns)", "", ""),
    ("scrub the note", "", ""),
)


def _rss_mib() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process, in MiB."""
    import resource

    with open("/proc/self/statm") as handle:
        current = int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    return current, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _spacy():
    import spacy

    from scrubber.engine import DEFAULT_MODEL, keep_used_components

    return keep_used_components(spacy.load(DEFAULT_MODEL))


def _find(function: str, before_vocab: str):
    """``recognizers.vocab.FUNCTION``, else the function where it was before vocab.py, else None."""
    import importlib

    candidates = [("recognizers.vocab", function)] if function else []
    candidates.append(tuple(before_vocab.split(":")))
    for module, name in candidates:
        try:
            found = getattr(importlib.import_module(module), name, None)
        except ModuleNotFoundError:
            continue
        if found is not None:
            return found
    return None


def child(kind: str) -> int:
    """Inside a child: run ``kind`` and print one JSON line."""
    if kind == "spacy":
        nlp = _spacy()
        doc = nlp(NOTE)
        print(json.dumps({"entities": len(doc.ents)}))
    elif kind == "engine":
        from scrubber import Scrubber

        result = Scrubber().scrub(NOTE)
        print(json.dumps({"findings": len(result.findings)}))
    elif kind == "breakdown":
        nlp = _spacy()
        nlp(NOTE)
        rows = []
        before = _rss_mib()
        rows.append({"step": "spaCy (ner) + the note", "current_mib": before[0], "peak_mib": before[1]})
        for label, function, before_vocab in STEPS:
            if label.startswith("rest of"):
                from scrubber import Scrubber

                scrubber = Scrubber()
            elif label.startswith("scrub the"):
                scrubber.scrub(NOTE)
            else:
                loader = _find(function, before_vocab)
                if loader is None:
                    continue
                loader("the") if label.endswith("Zipf table") else loader()
            after = _rss_mib()
            rows.append({
                "step": label,
                "current_mib": after[0],
                "peak_mib": after[1],
                "adds_current_mib": after[0] - before[0],
                "adds_peak_mib": after[1] - before[1],
            })
            before = after
        print(json.dumps({"steps": rows}))
    return 0


def measure(kind: str) -> dict:
    """Run ``kind`` in a fresh child process; return its output and its peak RSS (MiB)."""
    process = subprocess.Popen([sys.executable, __file__, "--child", kind], stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"error: the {kind} child failed")
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_rss_mib"] = round(usage.ru_maxrss / 1024, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--breakdown", action="store_true", help="also the per-table staircase (a third child)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child)
    import scrubber

    spacy_alone, engine = measure("spacy"), measure("engine")
    report = {
        "scrubber": str(Path(scrubber.__file__).parent),
        "note_chars": len(NOTE),
        "spacy_peak_rss_mib": spacy_alone["peak_rss_mib"],
        "engine_peak_rss_mib": engine["peak_rss_mib"],
        "excess_mib": round(engine["peak_rss_mib"] - spacy_alone["peak_rss_mib"], 1),
        "engine_findings": engine["findings"],
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    if args.breakdown:
        report["breakdown"] = [
            {k: round(v, 1) if isinstance(v, float) else v for k, v in row.items()} for row in measure("breakdown")["steps"]
        ]
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
