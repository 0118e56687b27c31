"""Per-recognizer tables of positives and look-alike negatives (no spaCy model needed)."""

from __future__ import annotations

import pytest

import recognizers
from recognizers.ids import dea_valid, mbi_valid, npi_valid, ssn_valid, vin_valid

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


POSITIVES = [
    ("date", "seen 03/14/2024 in clinic", "03/14/2024"),
    ("date", "on 7/22 she fell", "7/22"),
    ("date", "admitted 2019-07-22.", "2019-07-22"),
    ("date", "DOB 22-Jul-2019", "22-Jul-2019"),
    ("date", "since July 22nd", "July 22nd"),
    ("date", "on March 4, 2021 at 14:30 pt fell", "March 4, 2021 at 14:30"),
    ("date", "last seen Jul 2019", "Jul 2019"),
    ("date", "surgery in Jul '19", "Jul '19"),
    ("date", "she called on the 3rd about refills", "3rd"),
    ("date", "plan to wean from vent and extubate 4/12 if stable", "4/12"),
    ("date", "RLL infiltrate on CXR 8/14. ABG 7.41/40/90/25", "8/14"),
    ("date", "visited family over Christmas", "Christmas"),
    ("age_over_89", "94 y/o female", "94"),
    ("age_over_89", "a 92-year-old man", "92"),
    ("age_over_89", "aged 97 with CHF", "97"),
    ("age_over_89", "98 YO M", "98"),
    ("age_over_89", "a woman in her 90s", "90s"),
    ("phone", "call 617-555-0199 ext 22", "617-555-0199 ext 22"),
    ("phone", "fax (508) 555-0133", "(508) 555-0133"),
    ("phone", "pager 555-0142", "555-0142"),
    ("email", "mail j.doe@example.org now", "j.doe@example.org"),
    ("url", "see https://portal.example.com/a?b=1.", "https://portal.example.com/a?b=1"),
    ("ip", "from host 198.51.100.23 today", "198.51.100.23"),
    ("ssn", "SSN 123-45-6789", "123-45-6789"),
    ("ssn", "(SSN: 987-65-4321)", "987-65-4321"),
    ("mrn", "MedRec# CM-112233.", "CM-112233"),
    ("mrn", "(MRN: #SC987654)", "#SC987654"),
    ("health_plan", "issues with HMO-234567?", "HMO-234567"),
    ("date", "on Jan 20th '23 (MRN", "Jan 20th '23"),
    ("mrn", "MRN: 4432189", "4432189"),
    ("mrn", "Medical record #A-0099123", "A-0099123"),
    ("account", "Acct # 7781-2290", "7781-2290"),
    ("health_plan", "Medicare MBI 1EG4-TE5-MK73", "1EG4-TE5-MK73"),
    ("health_plan", "member ID XJH228170", "XJH228170"),
    ("license", "NPI 1234567893", "1234567893"),
    ("license", "DEA AB1234563", "AB1234563"),
    ("vehicle", "car VIN 1M8GDM9AXKP042788", "1M8GDM9AXKP042788"),
    ("vehicle", "plate 7ABC123", "7ABC123"),
    ("device", "pacemaker serial PJN449812", "PJN449812"),
    ("other_id", "Accession S24-11873", "S24-11873"),
    ("credit_card", "card 4111 1111 1111 1111 on file", "4111 1111 1111 1111"),
    ("iban", "My IBAN is GB82WEST12345698765432", "GB82WEST12345698765432"),
    ("street_address", "lives at 1842 Willow Creek Rd, Apt 4B now", "1842 Willow Creek Rd, Apt 4B"),
    ("street_address", "mail goes to 100 Main St Unit 5 now", "100 Main St Unit 5"),
    ("street_address", "send it to Koskikatu 25 please", "Koskikatu 25"),
    ("street_address", "lives at Via Franscini 71 in Tujetsch", "Via Franscini 71"),
    ("street_address", "The office is at PSC 0413, Box 8144\nAPO AA 42323", "PSC 0413, Box 8144\nAPO AA 42323"),
    ("street_address", "please send a new one to 1987 74 Diakou Street\n Suite 680\n Kissousa\n Cyprus 36903? I am in", "1987 74 Diakou Street\n Suite 680\n Kissousa\n Cyprus 36903"),
    ("street_address", "The address of Persint is 6750 Koskikatu 25 Apt. 864\nArtilleros\n, CO\n Uruguay 64677", "6750 Koskikatu 25 Apt. 864\nArtilleros\n, CO\n Uruguay 64677"),
    ("cued_name", "Hello, my name is Rubija and I", "Rubija"),
    ("card_number", "my credit card number is 675984103431?", "675984103431"),
    ("phone", "Phone:\n467 3395\n", "467 3395"),
    ("zip_code", "Springfield, IL 62704-1123", "62704-1123"),
    ("city_state", "from Springfield, IL 62704", "Springfield"),
    ("facility", "transferred from St. Agnes Medical Center yesterday", "St. Agnes Medical Center"),
    ("facility", "TRANSFER FROM CALVERT HOSPITAL", "CALVERT HOSPITAL"),
    ("facility", "Pt K., admitted at Mass General on May 2nd", "Mass General"),
    ("facility", "her surgery was at Washington Hospital Center?", "Washington Hospital Center"),
    ("titled_name", "seen by Dr. Patel today", "Patel"),
    ("titled_name", "Mrs. Anna Kowalski called", "Anna Kowalski"),
    ("titled_name", "DR SMITH AWARE", "SMITH"),
    ("credential_name", "John Miller, RN", "John Miller"),
    ("header_name", "Patient: KOWALSKI, ANNA M\n", "KOWALSKI, ANNA M"),
    ("relative_name", "her husband Tom visited", "Tom"),
    ("initials", "pt J.S. seen", "J.S."),
    ("cued_name", "d/w Raj Patel re plan", "Raj Patel"),
    ("cued_place", "pt to pelmarsh 3 this am", "pelmarsh"),
    ("cued_place", "SENT UP TO PELMARSH7 W/ AF", "PELMARSH7"),
    ("cued_place", "pt moved to 114 varnholt.", "varnholt"),
    ("cued_place", "c/o to varnholt when stable", "varnholt"),
    ("facility", "pt came from sacred heart hosp last night", "sacred heart hosp"),
    ("facility", "ARRIVED FROM MEMORIAL HOSPITAL VIA EMS", "MEMORIAL HOSPITAL"),
    ("facility", "plan to send back to holy cross \ntomorrow", "holy cross"),
    ("facility", "came from university of ohio hospital today", "university of ohio hospital"),
    ("facility", "Pt seen in U Ohio ER yesterday", "U Ohio ER"),
    ("facility", "\"i am at the general hospital\" she said", "general hospital"),
    ("cued_place", "WIFE CEO OF IBM.  NONSMOKER.", "IBM"),
    ("cued_place", "she works for lumora health.\na: stable", "lumora health"),
    ("cued_place", "She lives nearby in tollerby and will visit.", "tollerby"),
    ("cued_place", "had a cath done at gh. Now stable", "gh"),
    ("cued_place", "hopes to go back to St Mary's after rehab", "St Mary's"),
    ("cued_name", "UPDATE KOVACS FAMILY ON PLAN", "KOVACS"),
    ("cued_name", "SW WILL TALK WITH GEORGE ABOUT HIS SISTER", "GEORGE"),
    ("titled_name", "reviewed by Dr Will Hartley (attending) today", "Will Hartley"),
    ("titled_name", "NOT YET INVOLVED IN MS K. CARE.", "K."),
    ("titled_name", "night note \nmr J stayed on the same drips", "J"),
    ("cued_name", "counted by (k. delaney and t. o'neill) at noon", "k. delaney"),
    ("cued_name", "counted by (k. delaney and t. o'neill) at noon", "t. o'neill"),
    ("cued_name", "hx of p. smith. no change", "p. smith"),
    ("relative_name", "LIVES WITH WIFE. SON ROB 555-201-3344 IS HCP", "ROB"),
    ("cued_place", "for an MRI on North Campus this pm", "North"),
    ("cued_place", "TO BE SEEN BY HCMC FOR A SECOND OPINION", "HCMC"),
    ("city_state", "a tour of the glenmora texas site", "glenmora"),
    ("cued_place", "PT WENT TO THE ZENTARA CAMPUS FOR A SCAN", "ZENTARA"),
    ("cued_place", "TRANSFERRED FROM CALVERT TODAY.", "CALVERT"),
    ("full_name", "AMBER JONES VISITED TODAY", "AMBER JONES"),
    ("gazetteer", "Plan is for her to go to Baltimore Rehab on Monday", "Baltimore"),
    ("cued_name", "S: \"Marjorie, I want to go home.\"", "Marjorie"),
    ("date", "DIALYSIS ON 11/06/11/08 AND DUE AGAIN", "11/06/11/08"),
    ("cued_place", "worried about her business Corvantix\nresp: ok", "Corvantix"),
    ("cued_name", "thinks she is \"at harold grant's house.\"", "harold grant"),
    ("year", "HERNIA REPAIR IN 09' WITHOUT ISSUES", "09"),
    ("year", "then answered by saying 1987. confused", "1987"),
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
    ],
)
def test_checksum(check, value: str, valid: bool) -> None:
    assert check(value) is valid


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


# -- speed hints must not change what a pattern finds (recognizers/base.py, "Speed") --------------
# Texts that reach every pattern with a `requires` prefilter or a leading look-ahead.
SPEED_EXAMPLES = [
    "ON ABX 4/28-5/1.", "HX CA'93.", "daughter 508/555/0137", "CONTACT 413- 555- 0190",
    "Springfield, IL 62704", "Boise, Idaho 83702-1234", "seen at Mercy General Hospital today",
    "TRANSFERRED FROM ST JOSEPH MEMORIAL HOSPITAL", "Dr. Allen of Lakeside Family Practice", "lives at Via Roma 12",
    "Mannerheimintie 5 B", "Rue de Rivoli 44, Apt 3", "see portal.example.com/a for results", "host 2001:db8::1 down",
    "fe80:0:0:0:0:0:0:1", "MRN 1234567", "unit no AB-12345678", "\nirene snell, rn\n", "Signed: J. Park MD\n",
    "John Miller, RN", "Ana Ruiz MD saw pt", "DR SMITH AWARE", "MAROTTA MADE AWARE OF K", "bill called at 3",
    "daughter Mary states she is the HCP", "seen 03/14/2024 14:30", "2019-07-22", "22-Jul-2019", "3 Jul", "4 JUL",
    "on 7/22", "in 3/2019", "in 3/98", "10.12.2020", "IBAN DE89 3704 0044 0532 0130 00", "acct GB82WEST12345698765432",
    "seen Jan 20th '23", "in March of 2019", "Smith, John in Lake Placid, New York",
    "she called on the 3rd", "S/P CABG x3 '98", "MI 04", "phone: (617) 555-0199", "pager # 4567", "ext. 22",
    "zip code: 02115", "transferred to Farr 10", "moved to Lobby 3", "plan: Farr 10", "transferred to MGH", "at the BMC",
    "my name is Anna Lee", "seen by Dr Lee", "Attending: Marcus Webb",
]


def _speed_texts() -> list[str]:
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    texts = [t for _, t, *_ in POSITIVES] + [t for _, t in NEGATIVES] + SPEED_EXAMPLES
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


def test_a_text_without_the_required_expression_skips_the_pattern() -> None:
    from recognizers.base import ClinicalPatternRecognizer, Rx

    class Labelled(ClinicalPatternRecognizer):
        NAME = "test_labelled"
        ENTITY = "ID"
        PATTERNS = (Rx("number", r"\d{3,}", 0.9, requires="ID"),)

    assert [(s, e) for s, e, _, _ in Labelled().spans("ID 12345")] == [(3, 8)]
    assert list(Labelled().spans("dose 12345")) == []  # the pattern alone would match: the prefilter decides


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
