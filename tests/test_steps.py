"""The engine's document steps: named, in order, optional ones switchable (Scrubber(skip_steps=...))."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from scrubber import Scrubber
from scrubber.engine import DOCUMENT_STEPS, OPTIONAL_STEPS
from scrubber.errors import ScrubberError
from scrubber.resolve import occurrences


@pytest.fixture(scope="module")
def full() -> Scrubber:
    return Scrubber()


def test_every_step_runs_by_default(full: Scrubber) -> None:
    assert [name for name, _ in full._steps] == list(DOCUMENT_STEPS)
    assert full.skipped_steps == ()


# (step, text, a word that only that step hides)
WHAT_EACH_ADDS = [
    ("propagate", "Seen by Dr. Zorblatt today. family asked for zorblatt again.", "zorblatt"),
    ("extend-addresses", "Contact:\n4411 Brookmere Close\n Suite 212\n Tawhiri\n New Zealand 6021", "Tawhiri"),
    ("extend-names", "PT WISHES TO RETURN TO ST MARY'S AFTER WEANING", "'S"),  # a place's "'s" is part of its name
]


@pytest.mark.parametrize(("step", "text", "word"), WHAT_EACH_ADDS)
def test_a_skipped_step_no_longer_adds_its_spans(full: Scrubber, step: str, text: str, word: str) -> None:
    assert word not in full.scrub(text).text
    weaker = Scrubber(skip_steps=[step])
    assert weaker.skipped_steps == (step,)
    assert word in weaker.scrub(text).text


@pytest.mark.parametrize("step", sorted(set(DOCUMENT_STEPS) - OPTIONAL_STEPS) + ["no-such-step"])
def test_required_or_unknown_steps_cannot_be_skipped(step: str) -> None:
    with pytest.raises(ScrubberError, match="^E233"):
        Scrubber(skip_steps=[step])


def test_a_run_record_names_the_skipped_steps(tmp_path) -> None:
    from scrubber.audit import read_audit
    from scrubber.io.readers import discover
    from scrubber.run import run

    note = tmp_path / "in" / "a.txt"
    note.parent.mkdir()
    note.write_text("Seen by Dr. Zorblatt today. family asked for zorblatt again.\n", encoding="utf-8")
    run(discover([note.parent]), scrubber=Scrubber(key=b"an example key of 32 bytes......", skip_steps=["propagate"]), out_dir=tmp_path / "out")
    record = [line for line in read_audit(tmp_path / "out" / "audit.jsonl") if line["kind"] == "run"][-1]
    assert record["skipped_steps"] == ["propagate"]
    assert "zorblatt" in (tmp_path / "out" / "a.txt").read_text(encoding="utf-8")


# -- propagation's search: the expression it stands for, on random texts -------------------------
_ALPHABET = "aAbBnNsS'’-_ 9.\n"  # letters of the words, their case, and every character the boundaries test


def _by_expression(text: str, words: list[str]) -> list[tuple[int, int, str]]:
    """The definition: one expression of the words, longest first (scrubber.resolve.occurrences)."""
    ordered = sorted(dict.fromkeys(words), key=len, reverse=True)
    rx = regex.compile(r"(?i)(?<![\w'’-])(" + "|".join(regex.escape(w) for w in ordered) + r")(?:['’]s)?(?![\w-])")
    return [(m.start(1), m.end(1), next(w for w in ordered if w.casefold() == m.group(1).casefold())) for m in rx.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet=_ALPHABET, max_size=60),
    words=st.lists(st.text(alphabet="abnsAS'-.", min_size=1, max_size=5), min_size=1, max_size=4),
)
def test_propagation_finds_what_its_expression_finds(text: str, words: list[str]) -> None:
    assert list(occurrences(text, words)) == _by_expression(text, words)  # ASCII: searched word by word
    assert list(occurrences(text + "é", words)) == _by_expression(text + "é", words)  # not ASCII: the expression


def test_propagation_search_examples() -> None:
    text = "Masci, MASCI's and masci'sx; masci-jones; o'masci; annette ann ann'S"
    found = [text[s:e] for s, e, _ in occurrences(text, ["masci", "ann", "annette"])]
    assert found == ["Masci", "MASCI", "masci", "annette", "ann", "ann"]
    assert list(occurrences("YILMAZ", ["yılmaz"])) == [(0, 6, "yılmaz")]  # a word not ASCII matches in any case


def test_a_name_propagates_to_its_capitals_whatever_its_letters() -> None:
    # "yılmaz" matches "YILMAZ" in any case, though "YILMAZ".casefold() is "yilmaz": no KeyError, no quarantine
    scrubbed = Scrubber().scrub("Seen by Dr. Yılmaz today. YILMAZ agrees.").text
    assert "Yılmaz" not in scrubbed and "YILMAZ" not in scrubbed


def test_a_first_name_that_is_a_dictionary_word_propagates_only_where_no_function_word_precedes_it() -> None:
    from recognizers.document import Span
    from scrubber.resolve import propagate

    text = "hi billy how are you. what does that mean billy so. the billy can; 2 billy; BILLY agrees"
    found = Span(3, 8, "PERSON", 0.8, "addressed_name")
    never = lambda word: False  # noqa: E731 - no word propagates everywhere here
    guarded = propagate(text, [found], name_word=never, guarded_word=lambda word: word.casefold() == "billy")
    assert sorted(text[c.start : c.end] + "@" + str(c.start) for c in guarded) == sorted(
        ["billy@3", "billy@42", "BILLY@76"]
    )  # not after "the" or "2"
    assert propagate(text, [found], name_word=never) == []  # without the guard: nowhere
    # a word that propagates everywhere is never guarded
    assert len(propagate(text, [found], name_word=lambda word: True, guarded_word=lambda word: True)) == 5


@pytest.mark.parametrize(
    ("text", "start", "end", "entity", "expected"),
    [
        ("moved here from tjæreborg today", 16, 18, "LOCATION", "tjæreborg"),  # a pattern that knew no "æ"
        ("seen by dr. gelencsér", 12, 19, "PERSON", "gelencsér"),
        ("SON ØYVIND CALLED", 5, 10, "PERSON", "ØYVIND"),
        ("Dr. Smith's note", 4, 9, "PERSON", "Smith"),  # an apostrophe ends the word
        ("MRN ABC123456", 5, 13, "MEDICAL_RECORD_NUMBER", "BC123456"),  # identifiers keep their own extent
        ("MRN ABC123456", 5, 13, "PERSON", "ABC123456"),
        ("患者王伟今天出院回家了。", 2, 4, "PERSON", "王伟"),  # a script without spaces: letters are no word there
        ("in Boston, MA", 3, 9, "LOCATION", "Boston"),
    ],
)
def test_a_name_or_place_that_cuts_a_word_takes_the_whole_word(text, start, end, entity, expected) -> None:
    from recognizers.document import Span
    from scrubber.resolve import whole_words

    [span] = whole_words(text, [Span(start, end, entity, 0.5, "rule")])
    assert text[span.start : span.end] == expected


def test_a_place_with_letters_beyond_ascii_is_hidden_whole(full: Scrubber) -> None:
    for text, place in (("she moved here from tjæreborg", "tjæreborg"), ("her son flew to höfðaborg on friday", "höfðaborg")):
        out = full.scrub(text).text
        assert place not in out and not any(part in out for part in ("æreborg", "ðaborg")), out


def test_the_engine_widens_a_span_that_cuts_a_word(full: Scrubber) -> None:
    # through the document steps themselves: a recognizer's span of part of a word comes out whole
    from recognizers.document import Document, Span, rule_text
    from scrubber.normalize import normalize

    view = normalize("Pt moved here from Tjæreborg last year.")
    document = Document(rule_text(view.text), view=view)
    [span] = full._resolve(document, [Span(19, 21, "LOCATION", 0.9, "cued_place")])
    assert view.original[span.start : span.end] == "Tjæreborg"
