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

* ``none``: the names of the corpus stay (to measure the case alone).

Case (``--case``): the rewritten notes can also be put in lower case or in capitals
(:func:`recase`, character by character, so offsets stay). A nurse's note in capitals and a
dictation in lower case must lose no more than a note in mixed case; PhysioNet has notes of
all three kinds, so each note of dev becomes one of another kind.

Visit dialogues (ACI-Bench) have no gold spans, only the patient's names in their metadata:
:func:`renamed_encounters` gives each encounter a patient of another name (``tail`` or ``world``:
names no English vocabulary holds, so that the leak count stays exact), written in the case of
each occurrence, and ``scrubber.evaluate.evaluate_name_leak`` counts the encounters that still
name their patient.

``benchmarks/resample_names.py`` runs it from the command line; ``tests/test_evaluate.py`` keeps a
floor on it. The rewritten notes hold corpus text: they are written to temporary files only.

Example:
    >>> from scrubber.resample import resampled  # doctest: +SKIP
    >>> report = evaluate(Scrubber(), resampled(Path("dev.jsonl"), pool="world", seed=2))  # doctest: +SKIP
"""

from __future__ import annotations

import json
import random
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from scrubber.evaluate import CASES, LABEL_MAP, Encounter, GoldDoc, load_encounters, load_gold, recased

WORLD_LOCALES = ("de_DE", "fr_FR", "it_IT", "pl_PL", "es_ES", "nl_NL", "pt_BR", "tr_TR", "vi_VN", "cs_CZ", "fi_FI", "hu_HU")


def _ascii(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c) and c.isascii())


POOLS = ("mixed", "frequent", "tail", "world", "none")


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


def recase(doc: dict, case: str) -> dict:
    """The document in lower case or in capitals (``case``: one of :data:`CASES`), offsets kept:
    a character whose other case is longer ("ß" -> "SS") stays as it is.

    Example:
        >>> recase({"text": "Seen by Dr. Ames.", "spans": []}, "upper")["text"]
        'SEEN BY DR. AMES.'
    """
    if case == "as-is":
        return doc
    return {**doc, "text": recased(doc["text"], case)}


def resampled(path: Path, *, pool: str = "mixed", seed: int = 1, case: str = "as-is") -> Iterator[GoldDoc]:
    """The gold documents of a JSONL corpus (``text`` and ``spans`` with ``label``s), renamed and recased.

    Args:
        path: A corpus in PhysioNet's layout (one JSON object a line).
        pool: Where the new names come from: one of :data:`POOLS` (``none``: the names stay).
        seed: The seed of the draws: the same seed gives the same notes.
        case: ``as-is``, or every note in ``lower`` case or in capitals (``upper``): :func:`recase`.
    """
    if pool not in POOLS:
        raise ValueError(f"pool must be one of {POOLS}, not {pool!r}")
    if case not in CASES:
        raise ValueError(f"case must be one of {CASES}, not {case!r}")
    pools, rng, memory = (_pools() if pool != "none" else {}), random.Random(seed), {}
    with tempfile.TemporaryDirectory() as tmp:
        out_path = Path(tmp) / "resampled.jsonl"
        with path.open(encoding="utf-8") as source, out_path.open("w", encoding="utf-8") as out:
            for line in source:
                if line.strip():
                    doc = json.loads(line)
                    if pool != "none":
                        doc = resample(doc, pools, pool, rng, memory)
                    out.write(json.dumps(recase(doc, case)) + "\n")
        yield from load_gold(out_path)


# Pools for renaming an encounter's patient: names that are no English word, so that every
# occurrence of the new name in a scrubbed text is a leak (a "frequent" name may be a word: "will").
LEAK_POOLS = ("tail", "world")


def renamed_encounters(path: Path, *, pool: str = "world", seed: int = 1) -> Iterator[Encounter]:
    """The encounters of a name-leak corpus (:func:`scrubber.evaluate.load_encounters`) with their
    patient renamed: each whole-word occurrence of the first or family name, in any case, becomes a
    name drawn from ``pool`` (one of :data:`LEAK_POOLS`), in the case of that occurrence.

    The new name is no English word, no name of another participant, and no word of the encounter's texts.

    Example:
        >>> from scrubber.evaluate import evaluate_name_leak  # doctest: +SKIP
        >>> evaluate_name_leak(Scrubber(), renamed_encounters(Path("dev.jsonl"), pool="world", seed=2))  # doctest: +SKIP
    """
    import re

    from recognizers.vocab import english_words

    if pool not in LEAK_POOLS:
        raise ValueError(f"pool must be one of {LEAK_POOLS}, not {pool!r}")
    firsts, lasts = _pools()[pool]
    english = english_words()
    rng = random.Random(seed)
    for encounter in load_encounters(path):
        words = {w.casefold() for text in encounter.texts.values() for w in re.findall(r"\w+", text)}
        renames: dict[str, str] = {}
        for index, name in enumerate(encounter.names):
            choices = firsts if index == 0 and len(encounter.names) > 1 else lasts
            while True:
                new = rng.choice(choices)
                if len(new) >= 3 and new.isalpha() and new not in english and new not in words and new not in renames.values():
                    break
            renames[name.casefold()] = new
        texts = dict(encounter.texts)
        for old, new in renames.items():
            rx = re.compile(r"(?<![^\W_])" + re.escape(old) + r"(?![^\W_])", re.IGNORECASE)
            texts = {field: rx.sub(lambda m, new=new: _case_like(new, m.group()), text) for field, text in texts.items()}
        yield Encounter(encounter.id, texts, tuple(renames.values()))
