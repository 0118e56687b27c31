"""The vocabulary layer (recognizers/names/vocabulary.py, addressed.py, widen.py; places/facility.py) and the Presidio floor (recognizers/predefined.py).

Rows are (recognizer, pattern, text, expected span or None): each row says which rule must fire,
so a row cannot pass through another rule than the one it was written for. All examples are
invented. The recognizer rows need no spaCy model; the format table at the end runs the whole
engine (one positive and one look-alike negative per format Presidio's predefined recognizers find).
"""

from __future__ import annotations

import pytest

import recognizers
from recognizers.lexicon import dictionary_names, plain_names
from recognizers.names.addressed import name_word
from recognizers.names.vocabulary import strong, weak
from recognizers.names.widen import widen_name
from recognizers.places.facility import extend_facilities
from scrubber.resolve import Candidate

CATALOGUE = recognizers.available()


def fired(name: str, text: str) -> list[tuple[str, str]]:
    """(matched text, pattern name) of every accepted span of the named recognizer."""
    return [(text[s:e], pattern) for s, e, score, pattern in CATALOGUE[name]().spans(text) if score >= 0.5]


ROWS = [
    # vocabulary_name: a census name that is nothing else, in any case, with its neighbours
    ("vocabulary_name", "census name, any case", "hi , teresa . how are you", "teresa"),
    ("vocabulary_name", "census name, any case", "PT SEEN BY ANNA KOWAL TODAY", "ANNA KOWAL"),
    ("vocabulary_name", "census name, any case", "next patient is nicole miller .", "nicole miller"),  # a weak surname joins
    ("vocabulary_name", "census name, any case", "pain KOWAL at bedside", "KOWAL"),  # an everyday word does not join
    ("vocabulary_name", "census name, any case", "WOUND CLOSED WITH STAPLES", None),  # a plural of a word
    ("vocabulary_name", "census name, any case", "PT GIVEN ASA AND MAX DOSE", None),  # three-letter acronyms, abbreviations
    ("vocabulary_name", "census name, any case", "will grace the rounds", None),  # everyday words alone
    ("vocabulary_name", "census name, any case", "hx of Parkinson's disease", None),  # an eponym in its medical sense
    # addressed_name: where speech and dictation put names
    ("addressed_name", "greeting + name", "[doctor] hi , anna . how are you ?", "anna"),
    ("addressed_name", "greeting + name", "good morning mr. brown , come in", "brown"),
    ("addressed_name", "greeting + name", "hi , doctor . good to see you", None),  # no census name
    ("addressed_name", "vocative", "so , roger , what happened ?", "roger"),
    ("addressed_name", "vocative", "so , pain , is it worse ?", None),
    ("addressed_name", "introduction", "next patient is sophia brown , date of birth", "sophia brown"),
    ("addressed_name", "introduction", "this is great news", None),
    ("addressed_name", "age sentence", "so alan is a 57-year-old male with", "alan"),
    ("addressed_name", "age sentence", "the patient is a 57-year-old male", None),
    ("addressed_name", "name + date of birth", "[doctor] billy jones . date of birth , 1/2/1960 .", "billy jones"),
    ("addressed_name", "name + date of birth", "[doctor] review of systems . date of birth", None),
    ("addressed_name", "discourse word + first name", "[doctor] so anna good to see you", "anna"),
    ("addressed_name", "discourse word + first name", "[doctor] so pain good to see you", None),
    ("addressed_name", "lower-case title", "hey , miss miller , how are you", "miller"),
    ("addressed_name", "lower-case title", "the miss rate was low", None),
    # facility_name: naming words, then a facility word, in any case
    ("facility_name", "naming words + facility word", "PLAN D/C TO SPRINGFIELD REHAB", "SPRINGFIELD REHAB"),
    ("facility_name", "naming words + facility word", "transfer to oakdale regional tomorrow", "oakdale regional"),
    ("facility_name", "naming words + facility word", "EVALUATED BY ST JUDE REHAB", "ST JUDE REHAB"),
    ("facility_name", "naming words + facility word", "discussed cardiac rehab with wife", None),  # everyday words
    ("facility_name", "naming words + facility word", "pt wants to go home", None),
    # world_name: a first name of any country and the capitalised word after it, mixed case only
    ("world_name", "first name + capitalised word", "Seen by Attila Nagy today.", "Attila Nagy"),
    ("world_name", "first name + capitalised word", "Seen by Mária J Kovács today.", "Mária J Kovács"),
    ("world_name", "first name + capitalised word", "Pt tolerated Lasix Drip well.", None),  # no first name
    ("world_name", "first name + capitalised word", "Attila Hospital Road was closed.", None),  # a common word after it
    ("world_name", "first name + capitalised word", "SEEN BY ATTILA NAGY TODAY", None),  # no capitals to go by
    # presidio floor: Presidio's own patterns, with the clinical control on top
    ("presidio_date", "Datetime (yyyy-mm-ddThh:mm[:ss[.f]] with timezone)", "event at 2024-03-15T14:30:00Z logged", "2024-03-15T14:30:00Z"),
    ("presidio_date", "dd.mm.yyyy or dd.mm.yy", "seen on 15.03.2024 in clinic", "15.03.2024"),
    ("presidio_date", "mm/dd/yyyy or mm/dd/yy", "CPAP/PS 16/5/40% tolerating", None),  # a ventilator setting
    ("presidio_ip", "IPv6", "server 2001:db8::ff00:42:8329 logged in", "2001:db8::ff00:42:8329"),
    ("presidio_ip", "IPv6", "ratio 1:2 at 10:30", None),
    ("presidio_ssn", "SSN5 (medium)", "SSN 123 45 6780 on file", "123 45 6780"),
    ("presidio_ssn", "SSN5 (medium)", "ranges 111 11 1111 only", None),  # Presidio's own invalidation: one digit
    ("presidio_license", "Driver License - Alphanumeric (weak)", "driver's license D1234567 checked", "D1234567"),
    ("presidio_license", "Driver License - Alphanumeric (weak)", "lead V1 V2 and D1234567 in the run", None),  # no licence word
    ("presidio_passport", "Passport (very weak)", "passport number 912803456 seen", "912803456"),
    ("presidio_passport", "Passport (very weak)", "the us trip cost 912803456", None),  # "us" is no context word here
]


@pytest.mark.parametrize(("name", "pattern", "text", "expected"), ROWS, ids=[f"{r[0]}:{r[2][:30]}" for r in ROWS])
def test_each_rule_fires_on_its_positive_and_not_on_its_look_alike(name: str, pattern: str, text: str, expected: str | None) -> None:
    found = fired(name, text)
    if expected is None:
        assert not [f for f in found if f[1] == pattern], found
    else:
        assert (expected, pattern) in found, found


WIDEN = [
    # (text, the found name, what the name becomes and any coordinated name)
    ("met with wound rn, Kacper Eloise, re skin", "Eloise", ["Kacper Eloise"]),  # a word no vocabulary knows
    ("met with wound rn, Grace Eloise, re skin", "Eloise", ["Grace Eloise"]),  # an everyday word that is a first name
    ("(k. maribel) counted valuables", "maribel", ["k. maribel"]),  # an initial joins
    ("Drs. Hale and Brandt aware.", "Brandt", ["Brandt", "Hale"]),  # coordinated: a census name in the name's case
    ("DR TELLO AND BRANDT AWARE", "TELLO", ["TELLO", "BRANDT"]),
    ("Pt seen. Kowal aware.", "Kowal", ["Kowal"]),  # a sentence ends before it
    ("Dr. Tello and family aware.", "Tello", ["Tello"]),  # an everyday word is no name
    ("Dr. Tello and Will see pt.", "Tello", ["Tello"]),  # a stop word is no name
    ("XEROFORM DRESSING AND DSD APPLIED", "DRESSING", ["DRESSING"]),  # a found word that is no name grows nothing
    ("the pt Kowal", "Kowal", ["Kowal"]),  # lower case before a capitalised name: not its case
    ("CALLED GIULIA BAKER TODAY", "BAKER", ["GIULIA BAKER"]),  # a world first name that is no English word
    ("CALLED PAIN BAKER TODAY", "BAKER", ["BAKER"]),
    ("D/W HENNESSEY FROM RENAL", "HENNESSEY", ["HENNESSEY"]),  # the letter after a slash is no initial
    ("D. W HENNESSEY FROM RENAL", "HENNESSEY", ["D. W HENNESSEY"]),  # initials join
    ("-M. Tierney RN", "Tierney", ["M. Tierney"]),  # a dash that opens a signature
    ("HIS FRIEND WIL LABERBERA CAME IN", "LABERBERA", ["WIL LABERBERA"]),  # a rarer word before a name no vocabulary knows
    ("HIS FRIEND AWARE LABERBERA CAME IN", "LABERBERA", ["LABERBERA"]),  # an everyday word does not join
    ("SEEN BY DRS MICHELETTO AND CORLU", "MICHELETTO", ["MICHELETTO"]),  # a title is no first name
    ("COPING--SON LABERBERA CALLED", "LABERBERA", ["LABERBERA"]),  # nor a word run together with dashes
    ("His friend Wil Laberbera came in", "Laberbera", ["Wil Laberbera"]),  # in the name's case
    ("x-M. Tierney RN", "Tierney", ["Tierney"]),  # a compound's end is no initial
    ("pt john doe, last visit at", "john", ["john doe"]),  # a surname after a found first name, a listed abbreviation too
    ("PT JOHN KOWAL CALLED", "JOHN", ["JOHN KOWAL"]),  # a census surname after it
    ("Wife Mary will call", "Mary", ["Mary"]),  # an everyday word is no surname
    ("PT JOHN, DOE WORSE", "JOHN", ["JOHN"]),  # not across punctuation
    ("Son John Graves disease hx", "John", ["John"]),  # an eponym's noun after it
    ("Dr. Kowal Smith aware", "Kowal", ["Kowal"]),  # after a found surname, no second surname
    ("founders: Pelmarsh, Graves and Reed.", "Reed", ["Reed", "Graves", "Pelmarsh"]),  # a list set off by commas
    ("DRS PELMARSH, KOWALCZYK AND TELLO AWARE", "KOWALCZYK", ["KOWALCZYK", "TELLO", "PELMARSH"]),  # a middle member
    ("Labs, Graves and Reed aware", "Reed", ["Reed", "Graves"]),  # an everyday word ends the list
    ("Pelmarsh, Graves aware", "Graves", ["Graves"]),  # commas without "and": no list
    ("Pelmarsh, Graves and the nurse", "Graves", ["Graves"]),  # no name after "and": no list of names
    ("spoke w/ niece tamsin re plan", "tamsin", ["tamsin"]),  # a relation is no first name, rare as it is
    ("Pelmarsh,\nGraves and Reed", "Reed", ["Reed", "Graves"]),  # not across a line break
    ("Maria dos Santos called", "Santos", ["Maria dos Santos"]),  # a surname's particle, and the first name before it
    ("SEEN BY DR VAN DER BERG TODAY", "BERG", ["VAN DER BERG"]),  # particles in any case
    ("dr de la cruz aware", "cruz", ["de la cruz"]),
    ("ECHO: CLOT IN LA SMITH AWARE", "SMITH", ["SMITH"]),  # "LA" (left atrium) alone before a name is no particle
    ("MARIA DA SILVA CALLED", "SILVA", ["MARIA DA SILVA"]),  # ... but is one after a first name
    ("Seen by Dr. van der Berg today", "Berg", ["van der Berg"]),
    ("pt maria dos santos called", "maria", ["maria dos santos"]),  # particles between a first name and its surname
    ("wife anna de facto decision maker", "anna", ["anna"]),  # after "de", only a census surname joins
]


@pytest.mark.parametrize(("text", "found", "expected"), WIDEN, ids=[w[0][:30] for w in WIDEN])
def test_a_found_name_takes_the_name_words_around_it(text: str, found: str, expected: list[str]) -> None:
    start = text.index(found)
    spans = widen_name(text, start, start + len(found))
    assert [text[s:e] for s, e in spans] == expected


def test_vocabulary_classes_are_what_the_decision_rule_says() -> None:
    assert "miller" in dictionary_names() and "john" not in dictionary_names()
    assert "teresa" in plain_names() and "lasix" not in plain_names()
    assert strong("KOWAL") and not strong("Miller") and not strong("staples")
    assert weak("miller", position="last") and not weak("daily", position="last")
    assert name_word("anna") and not name_word("will") and not name_word("doctor")


def test_a_found_name_or_place_followed_by_facility_words_becomes_the_facility() -> None:
    text = "FOLLOWED @ SPRINGFIELD VA FOR HTN; seen by Dr Smith today"
    place = Candidate(11, 22, "LOCATION", 0.7, "gazetteer")
    doctor = Candidate(text.index("Smith"), text.index("Smith") + 5, "PERSON", 0.9, "titled_name")
    out = extend_facilities(text, [place, doctor])
    assert text[out[0].start : out[0].end] == "SPRINGFIELD VA" and out[0].entity_type == "HOSPITAL"
    assert out[1] == doctor  # "today" is no facility word


@pytest.mark.parametrize(
    ("text", "facility", "expected"),
    [
        ("treated at mercy hospital, worcester on july 10", "mercy hospital", "mercy hospital, worcester"),
        ("seen at st luke clinic in boston today", "st luke clinic", "st luke clinic in boston"),  # web2 lists "boston"
        ("SEEN AT OAKDALE CLINIC SPRINGFIELD MA", "OAKDALE CLINIC", "OAKDALE CLINIC SPRINGFIELD"),
        ("seen at mercy clinic in normal range", "mercy clinic", "mercy clinic"),  # an everyday word stays
        ("seen at mercy hospital, then home", "mercy hospital", "mercy hospital"),  # no place
        ("seen at mercy hospital in the er", "mercy hospital", "mercy hospital"),
        ("seen at mercy hospital, Wilson disease stable", "mercy hospital", "mercy hospital"),  # an eponym
    ],
)
def test_a_facility_takes_the_town_after_it_in_any_case(text: str, facility: str, expected: str) -> None:
    start = text.index(facility)
    out = extend_facilities(text, [Candidate(start, start + len(facility), "HOSPITAL", 0.8, "facility")])
    assert text[out[0].start : out[0].end] == expected


# -- never below Presidio: one positive and one look-alike negative per format, through the engine --
FORMATS = [
    ("international phone", "Call +44 20 7946 0958 tomorrow.", "+44 20 7946 0958", "Give 44 20 mg at 0958 tomorrow."),
    ("US phone, spaced", "call wife at 617 555 0188 today", "617 555 0188", "weights 617 555 lbs over 3 days"),
    ("IPv6", "server 2001:db8::ff00:42:8329 logged in", "2001:db8::ff00:42:8329", "ratio 1:2 at 10:30 noted"),
    ("ISO 8601 with time", "at 2024-03-15T14:30:00Z it was", "2024-03-15T14:30:00Z", "scores 2024-99 were noted"),
    ("day.month.year", "seen on 15.03.2024 in clinic", "15.03.2024", "pH 7.35.40 was drawn"),
    ("SSN with dots", "SSN 123.45.6780 on file", "123.45.6780", "versions 1.2.3 recorded"),
    ("SSN with spaces", "SSN 123 45 6780 on file", "123 45 6780", "counts 12 34 56 recorded"),
    ("credit card", "card 4111 1111 1111 1111 on file", "4111 1111 1111 1111", "card 4111 1111 1111 1112 on file"),
    ("IBAN", "pay to GB82 WEST 1234 5698 7654 32 today", "GB82 WEST 1234 5698 7654 32", "pay to GB00 TEST 1234 today"),
    ("NPI", "NPI 1234567893 on the form", "1234567893", "count 1234567890 cells"),
    ("MBI", "Medicare 1EG4-TE5-MK73 card", "1EG4-TE5-MK73", "code 1EG4 noted"),
    ("driver's licence", "driver's license D1234567 checked", "D1234567", "lead D1 placed"),
    ("passport", "passport number 912803456 seen", "912803456", "weighed 9128 g"),
    ("e-mail", "write to jo.doe@example.org today", "jo.doe@example.org", "write to the example today"),
    ("URL", "see https://portal.example.com/a now", "https://portal.example.com/a", "see the portal now"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "text", "value", "negative"), FORMATS, ids=[f[0] for f in FORMATS])
def test_every_format_presidio_finds_is_found_and_its_look_alike_is_kept(scrubber, kind: str, text: str, value: str, negative: str) -> None:
    result = scrubber.scrub(text)
    assert value not in result.text, (kind, result.text)
    kept = scrubber.scrub(negative)
    assert kept.text == negative, (kind, kept.text)


def test_the_quick_start_header_comes_out_whole(scrubber) -> None:
    result = scrubber.scrub("Patient: SMITH, JOHN    MRN 10455302")
    assert result.text == "Patient: [PERSON]    MRN [MEDICAL_RECORD_NUMBER]"
