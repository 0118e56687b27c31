"""The one vocabulary (recognizers/vocab.py): the classifier's answers, the one-slip index, the
generated lists and the import layout.

Words here are invented ("zorbulax", "Quandrel") or dictionary entries; no corpus text.
The memory the vocabulary saves is measured by benchmarks/engine_memory.py, not here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from recognizers import lexicon, vocab
from recognizers.vocab import Deletions, classify

REPO = Path(__file__).resolve().parent.parent


def test_an_invented_word_is_unknown_to_every_table() -> None:
    kind = classify("Zorbulax")
    assert kind.word == "zorbulax"
    assert not (kind.name or kind.english or kind.frequent or kind.dictionary_name or kind.common)
    assert not (kind.allowed or kind.drug or kind.place or kind.slip)
    assert kind.zipf == 0 and kind.unknown


def test_a_typing_slip_of_a_known_word_is_a_slip_not_unknown() -> None:
    # "medicatoin": two letters of "medication" swapped; "continnue": a letter added to "continue"
    for word in ("medicatoin", "continnue"):
        kind = classify(word)
        assert kind.slip and not kind.english and not kind.unknown, word


def test_a_slip_of_a_long_dictionary_drug_counts_as_a_slip() -> None:
    # "metoprolol" with one letter changed: no English word, no census name
    assert vocab.near_drug("metaprolol") and classify("metaprolol").slip
    assert not vocab.near_drug("metoprolol")  # the drug itself is no slip


def test_names_carry_their_census_ranks_and_dictionary_sense() -> None:
    miller, andrew = classify("MILLER"), classify("andrew")
    assert miller.surname_rank is not None and miller.frequent_name and miller.dictionary_name
    assert andrew.first_name_rank is not None and not andrew.dictionary_name
    assert vocab.first_names()["andrew"] == andrew.first_name_rank


def test_everyday_clinical_and_allow_listed_words() -> None:
    assert classify("the").common and classify("the").frequent
    assert classify("bedside").common
    assert classify("ED").allowed and not classify("Ed").allowed  # the department, not the person
    # a short item listed in title case ("Gtt", "Abd") matches a word without capitals' information too
    assert classify("gtt").allowed and classify("GTT").allowed and classify("ABD").allowed
    assert not classify("Ed").allowed and classify("ed").allowed  # "ED" listed: "ed" in lower-case text is it
    assert classify("Neo").allowed and not classify("NEO").allowed  # "Neo" listed, also a name: only as listed
    assert classify("metoprolol").drug and classify("metoprolol").allowed


def test_places_come_from_the_gazetteer() -> None:
    assert "chicago" in vocab.places() and classify("Chicago").place
    assert not classify("Zorbulax").place
    assert all(" " not in w for w in vocab.place_first_words())


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.text(alphabet="abcdeé'", min_size=1, max_size=9), max_size=40),
    queries=st.lists(st.text(alphabet="abcdeé'", min_size=0, max_size=9), max_size=40),
    min_length=st.integers(1, 5),
)
def test_deletions_answer_exactly_as_a_set_of_deletions(words: list[str], queries: list[str], min_length: int) -> None:
    deletions = Deletions(words, min_length)
    expected = {w[:i] + w[i + 1 :] for w in words if len(w) >= min_length for i in range(len(w))}
    for query in queries + sorted(expected):
        assert (query in deletions) == (query in expected), query


def test_deletions_stay_exact_when_every_hash_collides(monkeypatch) -> None:
    # the keys hold a hash; a found key is checked against its word, so collisions cannot say yes
    monkeypatch.setattr(vocab, "hash", lambda text: len(text) % 2, raising=False)
    deletions = Deletions(["quandrel", "vostrik", "plimb"], 4)
    assert "qandrel" in deletions and "vostik" in deletions and "plim" in deletions
    assert "xandrel" not in deletions and "vostrik" not in deletions and "quandrel" not in deletions and "plimx" not in deletions


def test_deletions_keep_one_key_per_deleted_letter() -> None:
    assert len(Deletions(["quandrel", "zib", "ab"], 3)) == len("quandrel") + len("zib")


def test_lexicon_names_are_the_vocabulary_objects() -> None:
    for name in ("is_common", "unknown_word", "near_drug", "drug_dictionary", "first_names", "COMMON_WORDS", "preload"):
        assert getattr(lexicon, name) is getattr(vocab, name), name


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_the_vocabulary_loads_without_the_source_packages_or_the_location_module() -> None:
    # the drug package unpickles 335 MB on import; english-words loads 235,000 words: the
    # generated lists replace both at run time. lexicon no longer reaches into locations.
    out = _run(
        "import sys\n"
        "from recognizers.lexicon import preload, classify\n"
        "preload(); classify('Quandrel')\n"
        "print(sorted(m for m in ('drug_named_entity_recognition', 'english_words', 'recognizers.places') if m in sys.modules))"
    )
    assert out == "[]"


def test_the_generated_lists_are_what_their_packages_give() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "recognizers" / "data" / "build_vocab_data.py"), "--check"],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )
    assert done.returncode == 0, done.stderr
