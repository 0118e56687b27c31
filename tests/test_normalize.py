"""The detection view's long-run shortening (:func:`scrubber.normalize._shorten_runs`).

A run of more than ``RUN_KEPT`` of one blank, punctuation mark or symbol keeps its first
``RUN_KEPT`` in the view; letters, digits and line breaks are never dropped, and every character
of the view maps back to the same character of the original. The output is still built from the
original text: padding survives scrubbing untouched.
"""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from scrubber.normalize import RUN_KEPT, _fold, normalize

# pieces a padded export is made of: words, digits, line breaks, and runs of blanks or marks
_PIECE = st.one_of(
    st.sampled_from(["Anna", "Kowal", "12", "Main St", "617-555-0188", "\n", "\r\n", "é", "J\u200bo"]),
    st.builds(lambda ch, n: ch * n, st.sampled_from([" ", "\t", " \t", ".", "-", "'", "_", "=", "*", "\u2014", "\u3000"]), st.integers(1, 300)),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECE, max_size=12).map("".join))
def test_the_view_maps_back_and_keeps_every_letter_digit_and_line_break(text: str) -> None:
    view = normalize(text)
    assert regex.search(rf"([^\p{{L}}\p{{N}}\n\r])\1{{{RUN_KEPT}}}", view.text) is None  # no run longer than RUN_KEPT
    assert regex.search(rf"[ \t]{{{RUN_KEPT + 1}}}", view.text) is None  # nor of blanks mixed
    kept = [c for c in view.text if c.isalnum() or c in "\n\r"]
    assert kept == [c for c in normalize_without_runs(text) if c.isalnum() or c in "\n\r"]
    for i, char in enumerate(view.text):
        start, end = view.to_original(i, i + 1)
        if text[start:end].isascii():
            assert text[start:end] == char  # an ASCII character maps back to itself


def normalize_without_runs(text: str) -> str:
    """What the view holds before runs are shortened: the Unicode folding alone."""
    return "".join(c if c.isascii() else _fold(c) for c in text)


def test_a_short_run_is_left_alone_and_ascii_text_without_runs_is_its_own_view() -> None:
    text = "Seen" + " " * RUN_KEPT + "today ----- ok"
    view = normalize(text)
    assert view.text == text and view.starts is None


def test_a_span_after_a_long_run_maps_to_its_place_in_the_original() -> None:
    text = "Phone:" + " " * 5000 + "617-555-0188"
    view = normalize(text)
    start = view.text.index("617")
    assert view.to_original(start, start + 12) == (5006, 5018)


def test_a_line_padded_with_blanks_is_scrubbed_not_quarantined(scrubber) -> None:
    # before the view shortened runs, the address-block pattern timed out on this record (E302)
    text = "Seen March 3, 2024" + " " * 30_000 + "\nPhone:" + " " * 2000 + "617-555-0188\nDr. Anna Kowal"
    result = scrubber.scrub(text)  # raises RecordQuarantined if the record is quarantined
    assert "617-555-0188" not in result.text and "Kowal" not in result.text and "March 3" not in result.text
    assert " " * 30_000 in result.text  # the padding is the original's: the output is built from it


def test_a_run_of_marks_around_a_name_leaves_the_marks_and_hides_the_name(scrubber) -> None:
    text = "'" * 3000 + " Dr. Anna Kowal " + "-" * 3000 + " MRN 4417998"
    result = scrubber.scrub(text)  # raises RecordQuarantined if the record is quarantined
    assert "Kowal" not in result.text and "4417998" not in result.text
    assert result.text.startswith("'" * 3000) and "-" * 3000 in result.text
