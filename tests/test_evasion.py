"""The evasion table: Unicode tricks inside identifiers never get an identifier through.

Every trick (invisible, format, variation-selector, tag, interlinear-annotation, bidi,
combining, homoglyph, full-width, other-script digit and dash look-alike) is applied to an
invented name, date, MRN and e-mail. Each case passes when the record is quarantined, or
when the value cannot be read back from the output once every trick is stripped from it
(the output's detection view, ``normalize``, is exactly that stripping). Documented in the
threat model in docs/threat-model.md ("Evasion table").
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from scrubber.normalize import normalize
reorders = lambda t: any(0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069 for c in t)

pytestmark = pytest.mark.slow

# value kind -> (sentence around it, invented value, parts that must not survive)
VALUES = {
    "name": ("Patient {} was seen in clinic.", "Zebulon Quackenbush", ["zebulon", "quackenbush"]),
    "date": ("Admitted on {} for chest pain.", "2024-03-14", []),
    "mrn": ("MRN: {}, seen today.", "4417-9983", []),
    "email": ("Contact: {} for results.", "zebulon-quackenbush@example.org", ["zebulon", "quackenbush"]),
}


def _insert(char: str):
    """Put ``char`` inside every word of the value (after its second character and in its middle)."""

    def trick(value: str) -> str:
        words = value.split(" ")
        out = []
        for word in words:
            cut = sorted({2, len(word) // 2 + 1})
            out.append(word[: cut[0]] + char + word[cut[0] : cut[1]] + char + word[cut[1] :])
        return " ".join(out)

    return trick


def _each_letter(mark: str):
    return lambda value: "".join(c + mark if c.isalnum() else c for c in value)


def _map(table: dict[str, str]):
    return lambda value: "".join(table.get(c, c) for c in value)


def _dash(char: str):
    return lambda value: value.replace("-", char)


INVISIBLE = {
    "zero-width space U+200B": "\u200b", "zero-width non-joiner U+200C": "\u200c", "zero-width joiner U+200D": "\u200d",
    "word joiner U+2060": "\u2060", "soft hyphen U+00AD": "\u00ad", "combining grapheme joiner U+034F": "\u034f",
    "zero-width no-break space U+FEFF": "\ufeff", "left-to-right mark U+200E": "\u200e", "right-to-left mark U+200F": "\u200f",
    "arabic letter mark U+061C": "\u061c", "invisible times U+2062": "\u2062", "function application U+2061": "\u2061",
    "hangul filler U+3164": "\u3164", "halfwidth hangul filler U+FFA0": "\uffa0", "mongolian vowel separator U+180E": "\u180e",
    "khmer vowel inherent U+17B4": "\u17b4", "reserved default-ignorable U+2065": "\u2065", "unassigned default-ignorable U+E0FFF": "\U000e0fff",
    "musical begin beam U+1D173 (Cf)": "\U0001d173", "shorthand format overlap U+1BCA0 (Cf)": "\U0001bca0",
}
VARIATION = {
    "variation selector-16 U+FE0F": "\ufe0f", "variation selector-1 U+FE00": "\ufe00",
    "variation selector-17 U+E0100": "\U000e0100", "variation selector-256 U+E01EF": "\U000e01ef",
    "mongolian FVS1 U+180B": "\u180b", "mongolian FVS3 U+180D": "\u180d", "mongolian FVS4 U+180F": "\u180f",
}
TAGS = {"language tag U+E0001": "\U000e0001", "tag latin capital A U+E0041": "\U000e0041", "cancel tag U+E007F": "\U000e007f"}
ANNOTATION = {"interlinear anchor U+FFF9": "\ufff9", "interlinear separator U+FFFA": "\ufffa", "interlinear terminator U+FFFB": "\ufffb"}
BIDI = {
    "LRE U+202A": "\u202a", "RLE U+202B": "\u202b", "PDF U+202C": "\u202c", "LRO U+202D": "\u202d", "RLO U+202E": "\u202e",
    "LRI U+2066": "\u2066", "RLI U+2067": "\u2067", "FSI U+2068": "\u2068", "PDI U+2069": "\u2069",
}
COMBINING = {"combining acute U+0301": "\u0301", "combining long stroke U+0336": "\u0336", "combining enclosing circle U+20DD": "\u20dd",
             "combining low line U+0332": "\u0332"}
DASHES = {
    "hyphen U+2010": "\u2010", "non-breaking hyphen U+2011": "\u2011", "figure dash U+2012": "\u2012", "en dash U+2013": "\u2013",
    "em dash U+2014": "\u2014", "horizontal bar U+2015": "\u2015", "minus sign U+2212": "\u2212", "small em dash U+FE58": "\ufe58",
    "small hyphen-minus U+FE63": "\ufe63", "full-width hyphen-minus U+FF0D": "\uff0d", "hyphen bullet U+2043": "\u2043",
    "modifier minus U+02D7": "\u02d7", "heavy minus U+2796": "\u2796", "armenian hyphen U+058A": "\u058a",
}
CYRILLIC_GREEK = {"a": "а", "e": "е", "o": "о", "c": "с", "p": "р", "x": "х", "y": "у", "i": "і", "s": "ѕ", "j": "ј", "Z": "Ζ", "Q": "Ԛ"}
FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
MATH_BOLD = {**{chr(ord("A") + i): chr(0x1D400 + i) for i in range(26)}, **{chr(ord("a") + i): chr(0x1D41A + i) for i in range(26)},
             **{str(i): chr(0x1D7CE + i) for i in range(10)}}
ARABIC_INDIC = {str(i): chr(0x0660 + i) for i in range(10)}
DEVANAGARI = {str(i): chr(0x0966 + i) for i in range(10)}
PRECOMPOSED = {"e": "é", "o": "ö", "a": "à", "u": "ü", "c": "ç", "n": "ñ", "Z": "Ź", "Q": "Q"}


def _reversed_in_override(value: str) -> str:
    """Stored reversed inside RLO...PDF: displays as the value."""
    return "\u202e" + value[::-1] + "\u202c"


TRICKS: dict[str, object] = {
    **{f"invisible {k}": _insert(v) for k, v in INVISIBLE.items()},
    **{f"variation {k}": _insert(v) for k, v in VARIATION.items()},
    **{f"tag {k}": _insert(v) for k, v in TAGS.items()},
    **{f"annotation {k}": _insert(v) for k, v in ANNOTATION.items()},
    **{f"bidi {k}": _insert(v) for k, v in BIDI.items()},
    "bidi value stored reversed inside RLO...PDF": _reversed_in_override,
    "bidi value inside RLI...PDI": lambda v: "\u2067" + v + "\u2069",
    **{f"combining {k}": _each_letter(v) for k, v in COMBINING.items()},
    "combining precomposed accented letters": _map(PRECOMPOSED),
    "homoglyph Cyrillic/Greek letters": _map(CYRILLIC_GREEK),
    "homoglyph mathematical bold": _map(MATH_BOLD),
    "full-width forms": _map(FULL_WIDTH),
    "other-script digits Arabic-Indic": _map(ARABIC_INDIC),
    "other-script digits Devanagari": _map(DEVANAGARI),
    **{f"dash {k}": _dash(v) for k, v in DASHES.items()},
    "mixed: zero-width + homoglyph + full-width digits": lambda v: _insert("\u200b")(_map(CYRILLIC_GREEK)(_map({str(i): chr(0xFF10 + i) for i in range(10)})(v))),
}


def _cases() -> list[tuple[str, str, str, str]]:
    cases = []
    for trick_name, trick in TRICKS.items():
        for kind, (sentence, value, _) in VALUES.items():
            tricked = trick(value)  # type: ignore[operator]
            if tricked == value:
                continue  # the trick does not apply (no digits to swap, no dash to replace)
            cases.append((trick_name, kind, sentence.format(tricked), value))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def outcomes(scrubber) -> dict[str, object]:
    """Every case scrubbed in one stream (the engine is built once per session)."""
    results = scrubber.scrub_stream([(f"{i}", text) for i, (_, _, text, _) in enumerate(CASES)])
    return {result.id: result for result in results}


def test_the_table_covers_every_trick_on_every_kind() -> None:
    kinds_per_trick: dict[str, set[str]] = {}
    for trick_name, kind, _, _ in CASES:
        kinds_per_trick.setdefault(trick_name, set()).add(kind)
    assert set(kinds_per_trick) == set(TRICKS)
    letters_only = ("combining precomposed", "homoglyph Cyrillic")  # the date and MRN have no letters
    digits_or_dashes = ("dash", "other-script digits")  # the name has neither
    for trick_name, kinds in kinds_per_trick.items():
        if trick_name.startswith(letters_only):
            assert kinds == {"name", "email"}, trick_name
        elif trick_name.startswith(digits_or_dashes):
            assert {"date", "mrn"} <= kinds, trick_name
        else:
            assert kinds == set(VALUES), trick_name
    assert len(CASES) >= 200


@pytest.mark.parametrize(("trick", "kind", "text", "value"), CASES, ids=[f"{t}|{k}" for t, k, _, _ in CASES])
def test_evasion_is_hidden_or_quarantined(outcomes, trick: str, kind: str, text: str, value: str) -> None:
    result = outcomes[str(CASES.index((trick, kind, text, value)))]
    if reorders(text):
        assert result.quarantined and result.error == "E111", "display order differs from stored order: must be quarantined"
        return
    assert not result.quarantined, result.error
    seen = normalize(result.text).text.casefold()  # the output with every trick stripped
    assert normalize(value).text.casefold() not in seen, result.text
    for part in VALUES[kind][2]:
        assert part not in seen, result.text
    digits = re.sub(r"\D", "", value)
    if digits:
        assert digits not in re.sub(r"\D", "", seen), result.text


def test_accented_names_in_ordinary_text_are_still_found(scrubber) -> None:
    for text in ("Patient José Martínez was seen in clinic.", unicodedata.normalize("NFD", "Patient José Martínez was seen in clinic.")):
        out = normalize(scrubber.scrub(text).text).text
        assert "Martinez" not in out and "Jose" not in out, out


def test_issue_repro_variation_selectors_inside_name_and_mrn(scrubber) -> None:
    result = scrubber.scrub("Patient Zebu\ufe0flon Quacken\ufe0fbush, MRN 998\ufe0f87766.")
    seen = normalize(result.text).text
    assert "Zebulon" not in seen and "Quackenbush" not in seen and "99887766" not in seen, result.text
