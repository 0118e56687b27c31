"""How much of name recall depends on the names the developers saw: the same notes, other names.

Every gold name in a labelled corpus (PhysioNet's HCPName, PTName, RelativeProxyName, ...) is
replaced by a name drawn from a wider pool, word by word, keeping its case, its initials and its
punctuation; the same original word of the same patient gets the same new word, so a name that
recurs in a note still recurs. The contexts (cues, layout, shorthand) stay those of the corpus;
only the names change. Then the scrubber is scored on the rewritten notes. A figure much lower
than on the original notes means detection leans on the particular names of the corpus rather
than on evidence that carries over to other patients.

Pools (``--pool``), each drawn uniformly:

* ``frequent``: the 1,000 most frequent US Census first names and surnames. Many are everyday
  words (Will, Grace, Hope, Brown, Young, King, Hill): the hard cases for a vocabulary.
* ``tail``: census names ranked 1,000 to 30,000.
* ``world``: first names and surnames of other countries from Faker's locales, folded to ASCII.
* ``mixed`` (default): one of the three at random for each original word.

This is not a test: it asserts nothing. It reads the corpus from ``../shared/corpora`` and writes
the rewritten notes to a temporary file only (``--keep PATH`` keeps them, outside the repository:
they hold corpus text).

Example:
    python benchmarks/resample_names.py --seed 1 --errors /tmp/resampled-errors.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import unicodedata
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared/corpora/physionet-deid-nursing/dev.jsonl"
WORLD_LOCALES = ("de_DE", "fr_FR", "it_IT", "pl_PL", "es_ES", "nl_NL", "pt_BR", "tr_TR", "vi_VN", "cs_CZ", "fi_FI", "hu_HU")


def _ascii(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c) and c.isascii())


def _pools() -> dict[str, tuple[list[str], list[str]]]:
    from faker import Faker

    from recognizers.vocab import first_names, surnames

    firsts = sorted(first_names(), key=first_names().get)
    lasts = sorted(surnames(), key=surnames().get)
    world_first: set[str] = set()
    world_last: set[str] = set()
    for locale in WORLD_LOCALES:
        fake = Faker(locale)
        fake.seed_instance(0)
        for _ in range(400):
            world_first.add(_ascii(fake.first_name()))
            world_last.add(_ascii(fake.last_name()))
    clean = lambda words: sorted(w.casefold() for w in words if w.isalpha() and len(w) >= 2)  # noqa: E731
    return {
        "frequent": (firsts[:1000], lasts[:1000]),
        "tail": (firsts[1000:], lasts[1000:30000]),
        "world": (clean(world_first), clean(world_last)),
    }


def _case_like(new: str, old: str) -> str:
    if old.isupper():
        return new.upper()
    if old.islower():
        return new.lower()
    return new[:1].upper() + new[1:].lower()


def _roles(value: str) -> list[str]:
    """For each word of a name: "first" or "last" (a comma means "LAST, FIRST")."""
    words = value.replace(",", " , ").split()
    if "," in words:
        before = words.index(",")
        return ["last" if i < before else "first" for i, w in enumerate(words) if w != ","]
    if len(words) == 1:
        from recognizers.vocab import first_names, surnames

        folded = words[0].casefold()
        return ["first" if first_names().get(folded, 10**6) < surnames().get(folded, 10**6) else "last"]
    return ["first"] + ["last"] * (len(words) - 1)


def resample(doc: dict, pools: dict, pool: str, rng: random.Random, memory: dict) -> dict:
    """The document with its PERSON-like gold spans renamed; other spans keep their text."""
    from scrubber.evaluate import LABEL_MAP  # the corpus label -> entity type table

    text = doc["text"]
    pieces, spans, cursor, shift = [], [], 0, 0
    for span in sorted(doc["spans"], key=lambda s: s["start"]):
        start, end = span["start"], span["end"]
        value = text[start:end]
        new_value = value
        if LABEL_MAP.get(span["label"]) == "PERSON" and start >= cursor:
            out = []
            tokens = value.replace(",", " , ").split()
            roles = iter(_roles(value))
            for token in tokens:
                if token == ",":
                    continue
                role = next(roles)
                core = token.strip(".'’()")
                if len(core) <= 1 or not core.isalpha():
                    out.append((token, token))  # initials and odd tokens stay
                    continue
                key = (doc.get("patient"), core.casefold(), role)
                if key not in memory:
                    which = rng.choice(("frequent", "tail", "world")) if pool == "mixed" else pool
                    firsts, lasts = pools[which]
                    memory[key] = rng.choice(firsts if role == "first" else lasts)
                out.append((token, token.replace(core, _case_like(memory[key], core))))
            new_value = value
            position = 0
            for old, new in out:  # replace in place so separators and punctuation stay
                at = new_value.find(old, position)
                new_value = new_value[:at] + new + new_value[at + len(old) :]
                position = at + len(new)
        if start < cursor:  # overlapping gold spans: keep the text, drop the span
            continue
        pieces.append(text[cursor:start])
        pieces.append(new_value)
        spans.append({"start": start + shift, "end": start + shift + len(new_value), "label": span["label"]})
        shift += len(new_value) - len(value)
        cursor = end
    pieces.append(text[cursor:])
    return {**{k: v for k, v in doc.items() if k not in ("text", "spans")}, "text": "".join(pieces), "spans": spans}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--pool", choices=("mixed", "frequent", "tail", "world"), default="mixed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--errors", type=Path, help="write misses and false positives here (corpus text: keep outside the repo)")
    parser.add_argument("--keep", type=Path, help="keep the rewritten notes here (corpus text: keep outside the repo)")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    from scrubber import Scrubber
    from scrubber.evaluate import evaluate, load_gold

    pools, rng, memory = _pools(), random.Random(args.seed), {}
    docs = [json.loads(line) for line in args.corpus.open(encoding="utf-8") if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "resampled.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for doc in docs:
                out.write(json.dumps(resample(doc, pools, args.pool, rng, memory)) + "\n")
        report = evaluate(Scrubber(), load_gold(path), keep_errors=args.errors is not None)
    result = report.to_dict()
    if args.errors:
        with args.errors.open("w", encoding="utf-8") as out:
            for row in report.misses:
                out.write(json.dumps({"kind": "miss", **row}) + "\n")
    blind, person = result["type_blind"], result["per_type"].get("PERSON", {})
    print(f"pool={args.pool} seed={args.seed} documents={result['documents']}")
    print(f"all types: char recall {blind['char_recall']}  span recall {blind['span_recall']}  char precision {blind['char_precision']}")
    print(f"PERSON:    char recall {person.get('char_recall')}  span recall {person.get('span_recall')}  ({person.get('gold_spans')} spans)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
