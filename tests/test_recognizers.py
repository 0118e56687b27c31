"""Per-recognizer tables of positives and look-alike negatives (no spaCy model needed)."""

from __future__ import annotations

import pytest

import recognizers
from recognizers.checks import dea_valid, luhn_valid, mbi_valid, npi_valid, ssn_valid, vin_valid

CATALOGUE = recognizers.available()


def found(name: str, text: str, threshold: float = 0.5) -> list[str]:
    recognizer = CATALOGUE[name]()
    return [text[s:e] for s, e, score, _ in recognizer.spans(text) if score >= threshold]


def covered(name: str, text: str, expected: str, threshold: float = 0.5) -> bool:
    """True when one finding covers the expected identifier (it may be slightly longer)."""
    start = text.index(expected)
    end = start + len(expected)
    spans = [(s, e) for s, e, score, _ in CATALOGUE[name]().spans(text) if score >= threshold]
    return any(s <= start and end <= e and (e - s) <= len(expected) + 8 for s, e in spans)


# Presidio's recognizers under our names (predefined.py); the project's own patterns have one row
# per case in test_recognizer_rules.py, which also says which pattern fired.
POSITIVES = [
    ("credit_card", "card 4111 1111 1111 1111 on file", "4111 1111 1111 1111"),
    ("iban", "My IBAN is GB82WEST12345698765432", "GB82WEST12345698765432"),
]

NEGATIVES = [
    ("date", "BP 120/80 HR 72"),
    ("date", "carbidopa/levodopa 25/100 tid"),
    ("date", "strength 5/5 bilaterally"),
    ("date", "2/6 systolic murmur"),
    ("date", "Cr 1.9, K 4.1"),
    ("date", "metoprolol 25 mg"),
    ("date", "INR 2.3 yesterday"),
    ("date", "PSV raised to 12/5 overnight."),
    ("date", "Vent \nswitched over to 5/5 this am."),
    ("date", "on the vent. Now weaning on 5/5-.35 today"),
    ("date", "GOOD 5/5 ABG. WILL WAIT"),
    ("date", "C/O 6/10 chest/incisional pain after"),
    ("age_over_89", "67 y/o female"),
    ("age_over_89", "a 45-year-old man"),
    ("age_over_89", "weight 94 kg"),
    ("phone", "WBC 11.2 Hgb 9.8 Plt 210"),
    ("ssn", "ref 000-12-3456 noted"),
    ("ssn", "lot 912-12-3456"),
    ("license", "NPI on file, ref 1234567890"),
    ("license", "code AB1234567 noted"),
    ("vehicle", "code 1M8GDM9A1KP042788"),
    ("ip", "version 999.1.2.3"),
    ("credit_card", "card 4111 1111 1111 1112 on file"),
    ("card_number", "card 12 of 20 sent"),
    ("phone", "call me at 3pm about the 12/14 visit"),
    ("zip_code", "weight 12345 grams"),
    ("initials", "in the U.S. since 1990"),
    ("titled_name", "Dr. on call was paged"),
    ("facility", "transferred from the Hospital"),
    ("facility", "admitted from Outside Hospital"),
    ("cued_place", "plan to transfuse 1 unit"),
    ("cued_place", "able to reinsert 16 french catheter"),
    ("cued_place", "up to commodex2 with help"),
    ("cued_place", "drops to 7 transiently with suction"),
    ("cued_place", "pt c/o incisional pain"),
    ("cued_place", "on levophed 5 and to cpap 5 and on labetolol 10"),
    ("facility", "transferred to a general hospital for general anesthesia"),
    ("facility", "seen in General Surgery, referred to ICU General care, a letter to Dr General"),
    ("facility", "Patient shows no mercy to the methodist minister"),
    ("cued_place", "oob to ch with assist x1"),
    ("cued_place", "PT SEEN BY DR. ABBOTT BEFORE D/C"),
    ("cued_place", "He works for himself and works at home."),
    ("cued_name", "ENTIRE FAMILY AT BEDSIDE. PT FAMILY IN. HIS FAMILY CALLED"),
    ("titled_name", "Dr Will see pt in am"),
    ("cued_name", "e. coli and s. aureus, c. diff, p. o. intake, l. perl 2mm"),
    ("relative_name", "SON WILL CALL BACK. WIFE WILL 555-1234"),
    ("cued_place", "Our campus is big. The Main campus."),
    ("cued_place", "PT SEEN BY ENT AND BY MD"),
    ("city_state", "lives in western maryland, from the state of maryland, Lasix Texas"),
    ("cued_place", "CULTURE SENT FROM NEW TLC. SAMPLE SENT FROM THE BILE DUCT. FAMILY BROUGHT IN CUPCAKES."),
    ("cued_place", "SEEN BY P.T. TODAY. TV ON SPIROCARE 300-450. TO RECIEVE 250 ML NS."),
    ("cued_place", "followed by opthamology, switched to Apaced 70, seen by Liver team, back to cpap.discussed w dr."),
    ("full_name", "AFTER LONG INTUBATION. DRANK GINGER ALE. AMBER SEDIMENTOUS URINE NOTED."),
    ("gazetteer", "ABLE TO BEAR WEIGHT. TRIED TO PACE AT 80."),
    ("cued_name", "\"No, I said\" and \"Well, ok\""),
    ("date", "ABG 07/35/60/24 and BP 120/80/70/60"),
    ("cued_place", "HIS BUSINESS PARTNER CALLED"),
    ("street_address", "Pt lives at home with wife. He was sent to 5 West. Send it to 2 units of PRBC. Return to 3 tablets daily."),
    ("street_address", "Pt sent to 5 West floor for monitoring. Plan to return to 4 North unit today."),
    ("street_address", "71 YO MAN ADMITTED FROM ST JUDE NH. 12 TO BED ST"),
    ("cued_name", "at her friend's house, to the patient's house, at his father's home"),
    ("year", "HR 60-70' sr; HOB at 30-45' now; he states 1500 ml in"),
]


@pytest.mark.parametrize(("name", "text", "expected"), POSITIVES)
def test_recognizer_finds_identifier(name: str, text: str, expected: str) -> None:
    assert covered(name, text, expected), f"{name} missed {expected!r} in {text!r}: {found(name, text)}"


@pytest.mark.parametrize(("name", "text"), NEGATIVES)
def test_recognizer_ignores_look_alike(name: str, text: str) -> None:
    assert found(name, text) == []


@pytest.mark.parametrize(
    ("check", "value", "valid"),
    [
        (npi_valid, "1234567893", True), (npi_valid, "1234567890", False), (npi_valid, "3234567893", False),
        (dea_valid, "AB1234563", True), (dea_valid, "AB1234567", False),
        (mbi_valid, "1EG4-TE5-MK73", True), (mbi_valid, "1EG4TE5MK73", True), (mbi_valid, "1SG4-TE5-MK73", False),
        (vin_valid, "1M8GDM9AXKP042788", True), (vin_valid, "11111111111111111", True), (vin_valid, "1M8GDM9A1KP042788", False),
        (ssn_valid, "123-45-6789", True), (ssn_valid, "666-12-3456", False), (ssn_valid, "912-12-3456", False),
        (ssn_valid, "123-00-6789", False), (ssn_valid, "123-45-0000", False),
        (luhn_valid, "4111111111111111", True), (luhn_valid, "4111111111111112", False),
    ],
)
def test_checksum(check, value: str, valid: bool) -> None:
    assert check(value) is valid


def test_the_old_import_paths_of_the_checksums_still_work() -> None:
    # scrubber/surrogates.py imports them from recognizers.ids and recognizers.base
    import recognizers.base
    import recognizers.checks
    import recognizers.ids

    assert recognizers.ids.npi_valid is recognizers.checks.npi_valid
    assert recognizers.base.luhn_valid is recognizers.checks.luhn_valid
    assert recognizers.ids._MBI_ALPHA == recognizers.checks._MBI_ALPHA


def test_no_rule_is_chosen_by_the_name_of_its_pattern() -> None:
    # a check belongs to its pattern (Rx.check); a mistyped name in "if pattern == ..." switched a rule off unnoticed
    import re
    from pathlib import Path

    dispatch = re.compile(r"\b(?:pattern|pattern_name|rx\.name)\s*(?:==|!=|not\s+in|in)\s*[\"'(]")
    offending = [
        f"{path.name}:{number}"
        for path in sorted((Path(recognizers.__file__).parent).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if dispatch.search(line)
    ]
    assert offending == []


def test_two_patterns_of_one_recognizer_cannot_share_a_name() -> None:
    from recognizers.base import ClinicalPatternRecognizer, Rx

    class Twice(ClinicalPatternRecognizer):
        NAME = "test_twice"
        ENTITY = "ID"
        PATTERNS = (Rx("number", r"\d+", 0.9), Rx("number", r"[A-Z]\d+", 0.9))

    with pytest.raises(ValueError, match="E017"):
        Twice.compiled()


def test_a_pattern_check_decides_and_the_default_check_covers_the_others() -> None:
    from recognizers.base import ClinicalPatternRecognizer, Rx

    class Checked(ClinicalPatternRecognizer):
        NAME = "test_checked"
        ENTITY = "ID"
        PATTERNS = (
            Rx("even", r"\b\d+\b", 0.6, check=lambda text, start, end: 0.0 if int(text[start:end]) % 2 else 0.9),
            Rx("letters", r"\b[A-Z]{3}\b", 0.6),
        )

        def default_check(self, text, start, end, rx):
            return (start, start + 1, None)  # narrows: only the first letter

    found = [(s, e, score, name) for s, e, score, name in Checked().spans("12 7 ABC")]
    assert found == [(0, 2, 0.9, "even"), (5, 6, 0.6, "letters")]


def test_gazetteer_states_are_one_list() -> None:
    from recognizers import gazetteer, ner
    from recognizers.places import city_state

    assert len(gazetteer.US_STATES) == 50 and set(gazetteer.US_STATES.values()) < set(gazetteer.STATE_ABBRS)
    assert gazetteer.STATE_NAME.split("|") == [name.title() for name in gazetteer.US_STATES]
    assert city_state.STATE_NAME is gazetteer.STATE_NAME and ner.STATE_ABBR is gazetteer.STATE_ABBR
    assert "va medical center" in gazetteer.facility_words()  # from data/facility_words.txt
    assert gazetteer.facility_tail().match(" Regional Medical Center")


def test_every_recognizer_has_a_stable_unique_name_and_known_entity() -> None:
    for name, cls in CATALOGUE.items():
        assert cls.NAME == name
        entities = getattr(cls, "ENTITIES", None) or (cls.ENTITY,)
        assert set(entities) <= set(recognizers.ENTITY_TYPES), name


def test_unknown_recognizer_name_is_an_error_with_code() -> None:
    with pytest.raises(KeyError, match="E012"):
        recognizers.build(["no_such_recognizer"])


def test_pathological_input_finishes_in_bounded_time() -> None:
    # a 1 MB line without spaces and long digit/letter runs: every pattern stays linear
    import time

    nasty = ("1/" * 200_000) + ("A." * 100_000) + ("9" * 200_000)
    started = time.perf_counter()
    for name, cls in CATALOGUE.items():
        recognizer = cls()
        recognizer.load()
        entities = list(getattr(cls, "ENTITIES", None) or (cls.ENTITY,))
        recognizer.analyze(nasty, entities, None)
    assert time.perf_counter() - started < 60


def test_a_pattern_over_its_time_budget_raises_instead_of_being_skipped(monkeypatch) -> None:
    # Presidio logs a timed-out pattern and carries on without it; ours must raise (the engine quarantines).
    import recognizers.base as base

    monkeypatch.setattr(base, "time_budget", lambda text: 1e-9)
    with pytest.raises(base.RecognizerTimeout):
        list(CATALOGUE["date"]().spans("seen 03/14/2024 " * 20_000))


def test_time_budget_grows_with_the_document() -> None:
    from recognizers.base import time_budget

    assert time_budget("x" * 10_000_000) > 100 > time_budget("x" * 1000)


def test_extend_names_takes_the_surname_but_not_everyday_or_run_together_words() -> None:
    from scrubber.resolve import Candidate, extend_names

    def ext(text: str, end: int) -> str:
        (c,) = extend_names(text, [Candidate(0, end, "PERSON", 0.9, "x")])
        return text[c.start : c.end]

    assert ext("barbara j. parrilli bsn/rn", 7) == "barbara j. parrilli"
    assert ext("Frances Giggey, NP", 7) == "Frances Giggey"
    assert ext("WILLIAMS AWARE-WILL FOLLOW", 8) == "WILLIAMS"  # run-together words
    assert ext("Freq CPT today", 4) == "Freq"  # an acronym is not a title-case surname
    assert ext("Patel Rounds done", 5) == "Patel"  # an English word, even if a census surname
    assert ext("john\nsmith", 4) == "john"  # never across a line
    assert ext("wojtaszek verbalizes understanding", 9) == "wojtaszek"  # a verb form, no census surname


# -- speed hints must not change what a pattern finds (recognizers/base.py, "Speed") --------------
# Texts that reach every pattern with a `requires` prefilter or a leading look-ahead.
SPEED_EXAMPLES = [
    "ON ABX 4/28-5/1.", "HX CA'93.", "daughter 508/555/0137", "CONTACT 413- 555- 0190",
    "Springfield, IL 62704", "Boise, Idaho 83702-1234", "seen at Mercy General Hospital today",
    "TRANSFERRED FROM ST JOSEPH MEMORIAL HOSPITAL", "Dr. Allen of Lakeside Family Practice", "lives at Via Roma 12",
    "Mannerheimintie 5 B", "Rue de Rivoli 44, Apt 3", "see portal.example.com/a for results", "host 2001:db8::1 down",
    "fe80:0:0:0:0:0:0:1", "::ffff:10.0.0.1 mapped", "fe80::10.0.0.1", "ip 10.0.0.12 down", "MRN 1234567", "unit no AB-12345678", "\nirene snell, rn\n", "Signed: J. Park MD\n",
    "John Miller, RN", "Ana Ruiz MD saw pt", "DR SMITH AWARE", "MAROTTA MADE AWARE OF K", "bill called at 3",
    "daughter Mary states she is the HCP", "seen 03/14/2024 14:30", "2019-07-22", "22-Jul-2019", "3 Jul", "4 JUL",
    "on 7/22", "in 3/2019", "in 3/98", "10.12.2020", "IBAN DE89 3704 0044 0532 0130 00", "acct GB82WEST12345698765432",
    "seen Jan 20th '23", "in March of 2019", "Smith, John in Lake Placid, New York",
    "she called on the 3rd", "S/P CABG x3 '98", "MI 04", "phone: (617) 555-0199", "pager # 4567", "ext. 22",
    "zip code: 02115", "transferred to Farr 10", "moved to Lobby 3", "plan: Farr 10", "transferred to MGH", "at the BMC",
    "my name is Anna Lee", "seen by Dr Lee", "Attending: Marcus Webb",
    "home for Christmas Eve", "over x-mas", "on Valentines Day", "seen at University of Maryland Hospital", "U Maryland ER",
    # the start words (Rx.starts) of cues spelt with more than letters
    "tx'd to Lakeside Rehab", "d/c'd to Oakdale Manor", "med flight to Boston", "lifeflighted from Keene", "grew up in Lowell",
    "son-in-law Tomas called", "NEW YORK HOSPITAL", "Fr. Keegan visited", "RN (Amelie) has followed", "thank you, Martha",
    "treated for years at Lahey Clinic", "lives in Oakdale", "JOHN MADE AWARE", "bill was updated",
    "the glenmora texas site", "FROM KEENE NEW HAMPSHIRE", "d/w Anna Lee", "left a msg for Mark Hale", "per J Hale",
]


def _rule_rows() -> list[tuple]:
    """The rows of test_recognizer_rules.py (loaded by path: the tests directory is no package)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).with_name("test_recognizer_rules.py")
    spec = importlib.util.spec_from_file_location("_recognizer_rules", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ROWS


def _speed_texts() -> list[str]:
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    texts = [t for _, t, *_ in POSITIVES] + [t for _, t in NEGATIVES] + SPEED_EXAMPLES + [t for _, _, t, _ in _rule_rows()]
    for path in (root / "samples" / "gold.jsonl", root / "tests" / "cases" / "regression.jsonl"):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    # a slice of the shared dev corpora when present (not required: the examples above reach every pattern)
    for relative, limit in (("physionet-deid-nursing/dev.jsonl", 150), ("asq-phi/dev.jsonl", 150)):
        path = root.parent / "shared" / "corpora" / relative
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                texts += [json.loads(line)["text"] for line, _ in zip(handle, range(limit))]
    return texts


def _without_leading_lookahead(pattern: str) -> str | None:
    """The pattern without its leading ``(?=...)`` (after inline flags and verbose layout), or None."""
    import re

    start = re.match(r"(?:\(\?[a-zA-Z]+\))?\s*", pattern).end()
    if not pattern.startswith("(?=", start):
        return None
    depth, i, in_class = 0, start, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return pattern[:start] + pattern[i + 1 :]
        i += 1
    raise AssertionError(f"unbalanced look-ahead in {pattern!r}")


def _patterns():
    for name, cls in CATALOGUE.items():
        if hasattr(cls, "compiled"):
            for rx, compiled, required in cls.compiled():
                yield name, rx, compiled, required


def test_a_required_expression_occurs_inside_every_match() -> None:
    # `requires` skips a text that lacks it, so it must be part of every match: else a skip loses a finding
    texts = _speed_texts()
    checked = []
    for name, rx, compiled, required in _patterns():
        if required is None:
            continue
        matches = [(text, m) for text in texts for m in compiled.finditer(text)]
        assert matches, f"no example text reaches {name}/{rx.name}: add one to SPEED_EXAMPLES"
        for text, m in matches:
            assert required.search(text, m.start(), m.end()), f"{name}/{rx.name}: {text[m.start():m.end()]!r}"
        checked.append(name)
    assert {
        "zip_code", "facility", "street_address", "url", "ip", "mrn", "credential_name", "city_state", "date", "iban",
        "year", "phone", "cued_place",
    } <= set(checked)


def test_a_pattern_finds_from_its_start_words_what_it_finds_from_every_character() -> None:
    # Rx.starts: in an ASCII text the pattern is tried only where one of its start words begins; a
    # start word missing from the list would lose every match that begins with it
    from recognizers.base import _matches_at
    from recognizers.document import Document

    texts = _speed_texts()
    texts += [t.lower() for t in texts] + [t.upper() for t in texts]
    checked = set()
    for name, rx, compiled, _required in _patterns():
        if rx.starts is None:
            continue
        found = 0
        for text in texts:
            starts = Document(text).where(rx.starts)
            if starts is None:
                continue  # not ASCII: every character is tried
            expected = [m.span() for m in compiled.finditer(text, overlapped=False)]
            assert [m.span() for m in _matches_at(compiled, text, starts, 5.0)] == expected, f"{name}/{rx.name}: {text[:80]!r}"
            found += len(expected)
        assert found, f"no example text reaches {name}/{rx.name}: add one to SPEED_EXAMPLES"
        checked.add(f"{name}/{rx.name}")
    assert {
        "cued_place/moved to/from + place", "relative_name/relation + name", "titled_name/title + name", "city_state/town state",
        "cued_name/cue + name",
    } <= checked


def test_the_tries_at_start_words_share_one_time_budget() -> None:
    # fail closed as one scan does (E302): the tries together, not each, must end within the budget
    import time

    from recognizers.base import _matches_at

    class Slow:
        """Stands in for a compiled pattern: each try takes 20 ms and finds nothing."""

        def __init__(self) -> None:
            self.timeouts: list[float] = []

        def match(self, text: str, pos: int, timeout: float):
            self.timeouts.append(timeout)
            if timeout <= 0.02:
                raise TimeoutError("regex timed out")
            time.sleep(0.02)
            return None

    slow = Slow()
    with pytest.raises(TimeoutError):
        list(_matches_at(slow, "x " * 100, list(range(0, 200, 2)), 0.1))
    assert len(slow.timeouts) < 10 and slow.timeouts == sorted(slow.timeouts, reverse=True)


def test_a_pattern_with_start_words_never_matches_empty() -> None:
    import regex

    from recognizers.base import _matches_at

    with pytest.raises(ValueError, match="^E019"):
        list(_matches_at(regex.compile(r"(?=ab)"), "ab ab", [0, 3], 1.0))


def test_start_words_that_a_word_set_cannot_answer_are_refused() -> None:
    from recognizers.base import ClinicalPatternRecognizer, Rx, Words

    class Accented(ClinicalPatternRecognizer):
        NAME = "test_accented_starts"
        ENTITY = "ID"
        PATTERNS = (Rx("after a cue", r"(?i)\bné\s+(?P<value>\d+)", 0.5, starts=Words(["né"])),)

    with pytest.raises(ValueError, match="^E019"):
        Accented.compiled()


def _word_prefilters() -> dict[str, object]:
    from recognizers.base import Words

    found = {}
    for name, rx, _compiled, required in _patterns():
        if isinstance(required, Words):
            found[f"{name}/{rx.name}"] = required
    for name, cls in CATALOGUE.items():
        if hasattr(cls, "compiled") and isinstance(cls._context_pre, Words):
            found[f"{name} context"] = cls._context_pre
    return found


def test_a_word_prefilter_answers_from_the_word_set_as_its_expression_does() -> None:
    # Document.has answers a Words prefilter from the text's word set (ASCII texts); it must say yes
    # wherever the expression does, or a pattern is skipped where it would have matched (a word of
    # several tokens needs only its first, so the set may say yes where the expression does not)
    from recognizers.document import Document

    prefilters = _word_prefilters()
    assert {"date/holiday", "facility/university of", "phone context", "license context"} <= set(prefilters)
    texts = _speed_texts() + [
        "PAGER#40717", "call_back", "pagers", "x-mas", "U.S.", "lic#5", "UNIVERSITY", "3university", "bé pager",
        "ITIN 912-70-1234", "passport# X1234567", "PASSPORT123",
    ]
    reached = set()
    for name, words in prefilters.items():
        assert words.first_tokens is not None, f"{name}: not answered from the word set"
        for text in texts:
            expected = words.search(text, timeout=5) is not None
            answer = Document(text).has(words, 5)
            assert answer or not expected, f"{name}: {text[:60]!r}"
            if all(" " not in w and w.isalnum() for w in words.words):
                assert answer == expected, f"{name}: {text[:60]!r}"  # whole words of one token: exactly
            if expected:
                reached.add(name)
    assert reached == set(prefilters), f"no text has a word of {sorted(set(prefilters) - reached)}"


def test_a_text_without_the_required_expression_skips_the_pattern() -> None:
    from recognizers.base import ClinicalPatternRecognizer, Rx

    class Labelled(ClinicalPatternRecognizer):
        NAME = "test_labelled"
        ENTITY = "ID"
        PATTERNS = (Rx("number", r"\d{3,}", 0.9, requires="ID"),)

    assert [(s, e) for s, e, _, _ in Labelled().spans("ID 12345")] == [(3, 8)]
    assert list(Labelled().spans("dose 12345")) == []  # the pattern alone would match: the prefilter decides


def test_a_pattern_that_needs_context_is_skipped_in_a_text_without_a_context_word() -> None:
    from recognizers.base import ClinicalPatternRecognizer, Rx

    class Pager(ClinicalPatternRecognizer):
        NAME = "test_pager"
        ENTITY = "ID"
        CONTEXT = ("pager",)
        PATTERNS = (Rx("number", r"\d{5}", 0.4, needs_context=True),)

    assert [(s, e) for s, e, _, _ in Pager().spans("pager 40717")] == [(6, 11)]
    assert [(s, e) for s, e, _, _ in Pager().spans("PAGER#40717")] == [(6, 11)]  # any case, glued
    assert list(Pager().spans("beeper 40717")) == []  # no context word anywhere: the pattern is not run
    # an instance's own context words count, not the class's
    assert [(s, e) for s, e, _, _ in Pager(context=["beeper"]).spans("beeper 40717")] == [(7, 12)]
    assert list(Pager(context=["beeper"]).spans("pager 40717")) == []


def test_a_leading_lookahead_is_only_a_speed_hint() -> None:
    import regex

    texts = _speed_texts()
    hinted = []
    for name, rx, compiled, _ in _patterns():
        bare = _without_leading_lookahead(rx.regex)
        if bare is None:
            continue
        plain = regex.compile(bare, rx.flags | regex.V0)
        found_any = False
        for text in texts:
            with_hint = [(m.span(), m.groupdict()) for m in compiled.finditer(text)]
            assert with_hint == [(m.span(), m.groupdict()) for m in plain.finditer(text)], f"{name}/{rx.name} on {text!r}"
            found_any = found_any or bool(with_hint)
        assert found_any, f"no example text reaches {name}/{rx.name}: add one to SPEED_EXAMPLES"
        hinted.append(f"{name}/{rx.name}")
    assert {"date/m/d/y", "cued_name/name + aware", "facility/name + facility word"} <= set(hinted)


def test_label_starts_are_what_every_label_begins_with() -> None:
    from recognizers.ids import label_starts

    assert label_starts(r"mrn|medical\s+record|licen[cs]e|ins\.?|driver'?s\s+license|s/n") == [
        "mrn", "medical", "licen", "ins", "driver", "s/n"
    ]
    with pytest.raises(ValueError, match="E013"):
        label_starts(r"(?:a|b)c")


def test_built_in_labelled_recognizers_share_one_prefilter() -> None:
    # one scan per note for all eight, instead of eight
    prefilters = {
        required
        for name, rx, _, required in _patterns()
        if rx.name == "labelled" and name in ("mrn", "account", "health_plan", "license", "vehicle", "card_number", "device", "other_id")
    }
    assert len(prefilters) == 1 and None not in prefilters
