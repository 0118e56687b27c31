"""Evaluation metrics on hand-made documents, and accuracy floors on the shared dev corpora."""

from __future__ import annotations

import json

import pytest

from scrubber.evaluate import LABEL_MAP, EvalReport, GoldDoc, GoldSpan, evaluate, load_gold, score_document
from scrubber.values import Finding
from tests.conftest import SAMPLES, corpus


def doc(text: str, *spans: tuple[int, int, str]) -> GoldDoc:
    return GoldDoc("d", text, tuple(GoldSpan(s, e, label, LABEL_MAP[label]) for s, e, label in spans))


def test_character_and_span_metrics_by_hand() -> None:
    text = "Dr. John Smith seen 03/14 by Ana"
    gold = doc(text, (4, 14, "PERSON"), (20, 25, "DATE"), (29, 32, "PERSON"))
    findings = [Finding(4, 8, "PERSON", 0.9, "x"), Finding(20, 25, "DATE", 0.9, "x"), Finding(15, 19, "PERSON", 0.5, "x")]
    report = EvalReport("t")
    score_document(report, gold, findings)
    d = report.to_dict()["type_blind"]
    # gold non-space chars: "JohnSmith"(9) + "03/14"(5) + "Ana"(3) = 17; hit: John(4) + 03/14(5) = 9
    assert d["char_recall"] == round(9 / 17, 4)
    # predicted chars: John(4) + 03/14(5) + seen(4) = 13, of which 9 are gold
    assert d["char_precision"] == round(9 / 13, 4)
    assert d["span_recall"] == round(1 / 3, 4)  # only the date is hidden whole
    assert d["span_precision"] == round(2 / 3, 4)


def test_neutral_labels_count_neither_way() -> None:
    text = "Mr. Smith, a 45 year old engineer"
    gold = GoldDoc("d", text, (GoldSpan(4, 9, "PERSON", "PERSON"), GoldSpan(13, 15, "AGE", None)))
    report = EvalReport("t")
    score_document(report, gold, [Finding(4, 9, "PERSON", 0.9, "x"), Finding(13, 15, "AGE", 0.9, "x")])
    d = report.to_dict()["type_blind"]
    assert d["char_precision"] == 1.0 and d["predicted_spans"] == 1


def test_title_and_edge_punctuation_of_a_gold_name_count_neither_way() -> None:
    text = "seen by Dr. Lange, then"
    gold = doc(text, (8, 18, "PERSON"))  # "Dr. Lange," as ASQ-PHI and PhysioNet sometimes mark it
    hidden_name = EvalReport("t")
    score_document(hidden_name, gold, [Finding(12, 17, "PERSON", 0.9, "x")])
    assert hidden_name.to_dict()["type_blind"]["span_recall"] == 1.0
    hidden_all = EvalReport("t")
    score_document(hidden_all, gold, [Finding(8, 18, "PERSON", 0.9, "x")])
    assert hidden_all.to_dict()["type_blind"]["char_precision"] == 1.0


def test_a_gold_span_running_past_its_full_stop_and_a_blank_counts_only_the_name() -> None:
    text = "BAG GIVEN TO DAUGHTER ANNA BELLINI. \n"
    gold = doc(text, (27, 36, "PERSON"))  # "BELLINI. ": a span that runs on past its full stop
    assert text[27:36] == "BELLINI. "
    report = EvalReport("t")
    score_document(report, gold, [Finding(27, 34, "PERSON", 0.9, "x")])
    assert report.to_dict()["type_blind"]["span_recall"] == 1.0
    missed = EvalReport("t")
    score_document(missed, gold, [Finding(27, 31, "PERSON", 0.9, "x")])  # "BELL" only
    assert missed.to_dict()["type_blind"]["span_recall"] == 0.0


def test_unknown_label_is_an_error(tmp_path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps({"id": 1, "text": "abc", "spans": [{"start": 0, "end": 1, "label": "WEIRD"}]}) + "\n")
    with pytest.raises(ValueError, match="E240"):
        list(load_gold(path))


def test_sample_gold_is_consistent_with_the_sample_files(gold_samples) -> None:
    ids = {d["id"] for d in gold_samples}
    assert {f"notes/{p.name}" for p in (SAMPLES / "notes").glob("*.txt")} <= ids
    for d in gold_samples:
        if d["id"].startswith("notes/"):
            assert (SAMPLES / d["id"]).read_text(encoding="utf-8") == d["text"]
        for s in d["spans"]:
            assert d["text"][s["start"] : s["end"]] == s["text"]
            assert LABEL_MAP[s["label"]] is not None


# -- accuracy floors: raise when the figures improve; lowering one needs a reason in the commit --
# Figures are type-blind (any finding hiding a gold character counts).


def _report(scrubber, path, **kwargs) -> dict:
    return evaluate(scrubber, load_gold(path, **kwargs)).to_dict()


def test_accuracy_floor_on_samples(scrubber) -> None:
    tb = _report(scrubber, SAMPLES / "gold.jsonl")["type_blind"]
    assert tb["char_recall"] >= SAMPLE_FLOOR["char_recall"], tb
    assert tb["span_recall"] >= SAMPLE_FLOOR["span_recall"], tb
    assert tb["char_precision"] >= SAMPLE_FLOOR["char_precision"], tb


@pytest.mark.parametrize("case", ["upper", "lower"])
def test_recall_floor_on_samples_in_one_case(scrubber, case) -> None:
    """The repository's samples in capitals and in lower case (scrubber.evaluate.in_case): no corpus needed."""
    from scrubber.evaluate import in_case

    tb = evaluate(scrubber, in_case(load_gold(SAMPLES / "gold.jsonl"), case)).to_dict()["type_blind"]
    assert tb["char_recall"] >= RECASED_SAMPLES_FLOOR, f"{case}: {tb}"


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["physionet", "physionet-check", "asq-phi", "presidio-synth"])
def test_accuracy_floor_on_shared_dev_corpora(scrubber, name) -> None:
    relative, floor = CORPUS_FLOORS[name]
    tb = _report(scrubber, corpus(relative))["type_blind"]
    for metric, minimum in floor.items():
        assert tb[metric] >= minimum, f"{name} {metric} {tb[metric]} fell below its floor {minimum}"


@pytest.mark.corpus
@pytest.mark.parametrize(("pool", "case"), [("world", "as-is"), ("frequent", "as-is"), ("world", "lower")])
def test_name_recall_floor_on_physionet_dev_with_other_names(scrubber, pool, case) -> None:
    """The same notes with every gold name replaced (scrubber.resample): names nobody tuned to; and
    names of other countries in notes without capitals."""
    from scrubber.resample import resampled

    report = evaluate(scrubber, resampled(corpus("physionet-deid-nursing/dev.jsonl"), pool=pool, seed=2, case=case)).to_dict()
    person = report["per_type"]["PERSON"]
    assert person["gold_spans"] == 372, person  # every name was kept as a gold span
    assert person["span_recall"] >= RESAMPLED_NAME_FLOOR[pool, case], f"{pool}, {case}: {person}"


@pytest.mark.corpus
@pytest.mark.parametrize("case", ["lower", "upper"])
def test_recall_floor_on_physionet_dev_in_one_case(scrubber, case) -> None:
    """The same notes all in lower case, or all in capitals (scrubber.resample.recase): case must not matter."""
    from scrubber.resample import resampled

    report = evaluate(scrubber, resampled(corpus("physionet-deid-nursing/dev.jsonl"), pool="none", case=case)).to_dict()
    assert report["type_blind"]["gold_spans"] == 737, report["type_blind"]  # every gold span kept
    assert report["type_blind"]["span_recall"] >= RECASED_FLOOR, f"{case}: {report['type_blind']}"


@pytest.mark.corpus
@pytest.mark.parametrize("case", ["upper", "lower"])
def test_recall_floor_on_physionet_check_in_one_case(scrubber, case) -> None:
    """Notes of other patients (scored, never read), every one in capitals or in lower case: case must
    not matter on notes nobody tuned to either."""
    from scrubber.resample import resampled

    report = evaluate(scrubber, resampled(corpus("physionet-deid-nursing/check.jsonl"), pool="none", case=case)).to_dict()
    assert report["type_blind"]["gold_spans"] == 335, report["type_blind"]  # every gold span kept
    assert report["type_blind"]["span_recall"] >= RECASED_CHECK_FLOOR[case], report["type_blind"]


@pytest.mark.corpus
def test_recall_floor_on_presidio_research_in_lower_case(scrubber) -> None:
    """General-domain sentences, letters and address blocks all in lower case: names, places and addresses
    whose capitals are gone (as written: 0.9089)."""
    from scrubber.evaluate import in_case

    report = evaluate(scrubber, in_case(load_gold(corpus("presidio-research-synth/synth_dataset_v2.json")), "lower")).to_dict()
    assert report["type_blind"]["char_recall"] >= RECASED_PRESIDIO_FLOOR["char_recall"], report["type_blind"]
    assert report["type_blind"]["span_recall"] >= RECASED_PRESIDIO_FLOOR["span_recall"], report["type_blind"]


@pytest.mark.corpus
def test_recall_floor_on_asq_phi_dev_in_lower_case(scrubber) -> None:
    """Clinical questions all in lower case: names with an initial, hospitals by their initials."""
    from scrubber.resample import resampled

    report = evaluate(scrubber, resampled(corpus("asq-phi/dev.jsonl"), pool="none", case="lower")).to_dict()
    assert report["type_blind"]["span_recall"] >= RECASED_ASQ_FLOOR, report["type_blind"]


def test_recasing_keeps_offsets_and_changes_only_the_case() -> None:
    from scrubber.resample import recase

    doc = {"id": "x", "text": "Seen by Dr. Ames on 9/2; Straße.", "spans": [{"start": 12, "end": 16, "label": "HCPName"}]}
    lower, upper = recase(doc, "lower"), recase(doc, "upper")
    assert lower["text"] == "seen by dr. ames on 9/2; straße." and upper["text"] == "SEEN BY DR. AMES ON 9/2; STRAßE."
    assert lower["spans"] == upper["spans"] == doc["spans"] and recase(doc, "as-is") is doc
    assert upper["text"][12:16] == "AMES"


def test_resampling_replaces_names_and_keeps_everything_else() -> None:
    import random

    from scrubber.resample import _pools, resample

    text = "Seen by Dr. KOWAL, ANNA M on 9/2. daughter anna called."
    spans = [{"start": 12, "end": 25, "label": "HCPName"}, {"start": 29, "end": 32, "label": "Date"},
             {"start": 43, "end": 47, "label": "RelativeProxyName"}]
    doc = {"id": "x", "patient": "p", "text": text, "spans": spans}
    out = resample(doc, _pools(), "world", random.Random(0), {})
    new = [out["text"][s["start"] : s["end"]] for s in out["spans"]]
    assert [s["label"] for s in out["spans"]] == ["HCPName", "Date", "RelativeProxyName"]
    assert new[1] == "9/2" and out["text"].startswith("Seen by Dr. ") and out["text"].endswith(" called.")
    surname, first = new[0].split(", ")
    assert surname.isupper() and first.endswith(" M") and first[:-2].isupper()  # case and initial kept
    assert "KOWAL" not in out["text"] and "ANNA" not in out["text"]
    assert new[2] == first[:-2].lower()  # the same word of the same patient: the same new word


@pytest.mark.corpus
def test_patient_name_leak_ceiling_on_aci_bench(scrubber) -> None:
    from scrubber.evaluate import evaluate_name_leak, load_encounters

    figures = evaluate_name_leak(scrubber, load_encounters(corpus("aci-bench/dev.jsonl")))
    assert figures["encounters_mentioning_name"] >= 60, figures  # the measure sees the names at all
    assert figures["encounters_leaking_name"] <= ACI_MAX_LEAKING, figures


@pytest.mark.corpus
@pytest.mark.parametrize("pool", ["world", "tail"])
def test_patient_name_leak_ceiling_on_aci_bench_with_other_names(scrubber, pool) -> None:
    """The same visits with each patient renamed (scrubber.resample.renamed_encounters): names nobody tuned to."""
    from scrubber.evaluate import evaluate_name_leak
    from scrubber.resample import renamed_encounters

    figures = evaluate_name_leak(scrubber, renamed_encounters(corpus("aci-bench/dev.jsonl"), pool=pool, seed=2))
    assert figures["encounters_mentioning_name"] >= 60, figures  # every renamed patient is still named
    assert figures["encounters_leaking_name"] <= ACI_RENAMED_MAX_LEAKING[pool], figures


def test_renaming_an_encounter_renames_every_mention_in_its_case(tmp_path) -> None:
    from scrubber.resample import renamed_encounters

    path = tmp_path / "enc.jsonl"
    row = {"id": "a", "dialogue": "hi , zebulon . zebulon is a 50-year-old", "note": "ZEBULON Quack. Zebulon quack is well.",
           "patient_firstname": "Zebulon", "patient_familyname": "Quack"}
    path.write_text(json.dumps(row) + "\n")
    (encounter,) = renamed_encounters(path, pool="world", seed=0)
    first, last = encounter.names
    assert "zebulon" not in str(encounter.texts).casefold() and "quack" not in str(encounter.texts).casefold()
    assert encounter.texts["dialogue"] == f"hi , {first} . {first} is a 50-year-old"
    assert encounter.texts["note"] == f"{first.upper()} {last.capitalize()}. {first.capitalize()} {last} is well."


def test_name_leak_measure_by_hand(tmp_path) -> None:
    from scrubber.evaluate import evaluate_name_leak, load_encounters

    path = tmp_path / "enc.jsonl"
    rows = [
        {"id": "a", "dialogue": "hi , zebulon .", "note": "Zebulon is well.", "patient_firstname": "Zebulon", "patient_familyname": "Quack"},
        {"id": "b", "dialogue": "hello there", "note": "no names", "patient_firstname": "Ann", "patient_familyname": "Li"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))

    class Echo:  # hides nothing: every mention leaks
        def scrub_stream(self, records):
            from scrubber.values import ScrubResult

            return (ScrubResult(i, t, ()) for i, t in records)

    figures = evaluate_name_leak(Echo(), load_encounters(path))
    # "Quack" (3+ letters) is never mentioned; "Li" is too short to check; encounter b never names its patient
    assert figures["encounters_mentioning_name"] == 1 and figures["encounters_leaking_name"] == 1
    assert figures["per_field"]["dialogue"] == {"texts_mentioning_name": 1, "texts_leaking_name": 1}


@pytest.mark.corpus
def test_redaction_rate_ceiling_on_mtsamples(scrubber) -> None:
    report = _report(scrubber, corpus("mtsamples/mtsamples.jsonl"), text_field="transcription", distinct=True, limit=MTSAMPLES_DOCS)
    assert report["redaction_rate"] <= MTSAMPLES_MAX_REDACTION, report["redaction_rate"]


SAMPLE_FLOOR = {"char_recall": 0.99, "span_recall": 0.99, "char_precision": 0.90}
CORPUS_FLOORS = {
    # dev precision was 0.855: the vocabulary layer (names in any case, facility words) trades it for
    # recall on notes nobody read (check recall 0.867 -> 0.947); 0.81 -> 0.795 when notes without
    # capitals came to be read like ALL-CAPS ones (check span recall 0.925 -> 0.937); 0.80 again after
    # that change's precision fixes
    # (session 11: 0.9905 / 0.9878 / 0.8041; 0.9891 span recall with a hyphenated month-day after a date
    # cue, reverted because it raised dev and not check; session 12: precision 0.8041 -> 0.8225 once ICU devices
    # and shorthand joined the allow-list, "Bair Hugger", "swan ganz", "PERLA", "LIMA", "brady"; session 13:
    # 0.8269 once a misspelt frequent word after a cue stopped counting as a name, "HOSPTIAL LEGAL CONTACTED";
    # session 18: 0.8079 once the caseless NER read the notes without capitals and its PERSON reading of a
    # word no vocabulary knows counted there, a trade for recall on check, 0.9871 / 0.9731 -> 0.9898 / 0.9761;
    # session 19: 0.8230 once such a word needed another name word beside it, recall unchanged; session 20:
    # 0.8275 once a short abbreviation listed in title case, "Gtt", matched words without capitals in any case)
    "physionet": ("physionet-deid-nursing/dev.jsonl", {"char_recall": 0.99, "span_recall": 0.985, "char_precision": 0.825}),
    # other patients of the same hospital: scored, never read (session 11: 0.9660 / 0.9493 / 0.7035 after
    # dates by weighed evidence; 0.9725 / 0.9552 / 0.7048 after regions named by a compass point; session 12:
    # precision 0.7065 once an everyday-word place needed more than capitals in notes without mixed case,
    # 0.7198 with the allow-list's ICU devices and shorthand; 0.9822 / 0.9701 / 0.7218 once dates and phones
    # glued to a word by a dash, colon or full stop counted: "SON-617-555-0142", "CXR-12/3", "BM.12/1";
    # session 13: 0.9871 / 0.9731 / 0.7227 once a known place that is also a person's name needed no cue,
    # "Quincy", 0.7245 once a misspelt frequent word after a cue stopped counting as a name; session 18:
    # 0.9898 / 0.9761 / 0.7236 once the caseless NER read the notes without capitals; session 19: 0.7390 once
    # its reading of one word no vocabulary knows needed another name word beside it)
    "physionet-check": ("physionet-deid-nursing/check.jsonl", {"char_recall": 0.989, "span_recall": 0.975, "char_precision": 0.735}),
    # session 12: 0.9901 / 0.9839 / 0.9796 with New York, St Louis and name-like cities after a place cue;
    # 0.9917 / 0.9874 with well-known hospitals by their own names (a list written after reading this
    # corpus's misses, so this gain is no evidence of generalisation); session 13: 0.9924 with a street type
    # naming a site ("ELM STREET CLINIC"), again from this corpus's misses; session 16: 0.9925 / 0.9881
    # once a facility took the gazetteer place right after it ("children's hospital, boston")
    "asq-phi": ("asq-phi/dev.jsonl", {"char_recall": 0.992, "span_recall": 0.988, "char_precision": 0.975}),
    # session 14: 0.8755 / 0.8407 / 0.9736 -> 0.8955 / 0.8524 / 0.9724 with streets in the order of most of
    # Europe before a flat or suite, "the corner of X and Y" and more international street types (from
    # this corpus's misses: evidence for its unseen part, which shares its templates, not for clinical text);
    # session 16: 0.9021 / 0.8587 with two capitalised words no vocabulary knows read as a name, 0.9037 /
    # 0.8620 with the words before a list of names that ends in "and" ("Monjeau, Graves and Reed")
    # session 20: 0.9089 / 0.8654 with the address rules read in capitals and a name's own label ("her maiden
    # name is X"); session 21: 0.9092 / 0.8662 once the place rules read letters beyond ASCII ("tjæreborg")
    "presidio-synth": ("presidio-research-synth/synth_dataset_v2.json", {"char_recall": 0.909, "span_recall": 0.866, "char_precision": 0.97}),
}
# PERSON span recall on PhysioNet dev with its names replaced (scrubber.resample, seed 2); 0.954 on
# names of other countries before words no vocabulary knows counted next to a cue (2026-12-06); 0.981 and
# 0.981 once a rare word one slip from a rarer English word counted there too. World names with every
# note in lower case: 0.954 before a world first name that is no English word counted as a census first
# name does, 0.984 after (2026-12-06, session 9). Session 9's end: world 0.995, frequent 0.995 (a
# credential anchors the name before it, a surname's initial joins), world in lower case 0.992.
RESAMPLED_NAME_FLOOR = {("world", "as-is"): 0.99, ("frequent", "as-is"): 0.99, ("world", "lower"): 0.99}
# Span recall (all types) on PhysioNet dev with every note in lower case, or in capitals (0.877 and 0.955
# before a note without capitals was read like an ALL-CAPS one, 2026-12-06; 0.958 both after, 0.962
# once a place took its "'s" and a title an everyday first name before a census surname; 0.970 both
# once a rare word one slip from a rarer English word counted as a name where a cue puts one; 0.972
# with names called out at a quotation's start in capitals; 0.974 after session 9; 0.978 after session 10:
# a relative's everyday first name before "who", small towns after a place cue, years after any operation;
# 0.980 after session 11's dates, 0.982 with regions named by a compass point ("ON THE EASTERN SHORE"),
# 0.988 once a rarer word before a name no vocabulary knows joined it ("WIL LABERBERA") and a town of
# everyday words followed a work cue ("JOB IN BEL AIR"); 0.986 once the hyphenated month-day after a date
# cue was reverted (it raised dev and not check).
RECASED_FLOOR = 0.985
# Span recall (all types) on PhysioNet check with every note in capitals (as written: 0.949; its mixed-case
# notes alone fell from 0.979 to 0.917 in capitals, 0.931 now, while dev's fall from 0.989 to 0.980): 0.919
# at session 11's start, 0.928 after a rarer word after a relation where a name ends counted as the name,
# 0.934 with regions named by a compass point; 0.937 once the word after "DR" counted as a name whatever it is
# (session 12), 0.952 once dates and phones glued to a word by a dash, colon or full stop counted; session 13:
# 0.955 once a known place that is also a person's name needed no cue ("QUINCY"), 0.961 once everyday words
# after a place cue of care named a hospital ("AT HARBOR HOSPITAL"); session 18: 0.964 once the caseless NER
# read the notes without capitals (in lower case: 0.961 before and after; until then both cases read alike);
# session 19: lower case 0.964 once the caseless NER was trained with names and places of other origins
# swapped into its texts (session 21: 0.967 / 0.970 with a census name read as a place after a
# preposition, reverted with it: it also hid everyday nouns, "INFANT IN HOOD").
RECASED_CHECK_FLOOR = {"upper": 0.964, "lower": 0.964}
# Span recall (all types) on ASQ-PHI dev in lower case: 0.785 before a surname's initial joined a name in
# any case and an everyday first name with one counted (0.920 after), 0.930 once a hospital's initials
# named it before a facility word (2026-12-06, session 9); 0.948 once the words after "treated at", "seen
# at" named the institution in a text without capitals (session 11); 0.956 with New York, St Louis and
# cities that are also names ("seen in houston") after a place cue (session 12), 0.974 with well-known
# hospitals by their own names; session 13: 0.976 with name-like cities without a cue, 0.978 with a surname
# after a found first name ("pt john doe") and hospitals of everyday words after a place cue, 0.980 with a
# street type naming a site. As written: 0.987. Session 14: 0.981 with e64ce6a (a greeting or the age sentence
# over the allow-lists, a surname before a credential on less evidence). Session 16: 0.984 (as written 0.988)
# once a facility took the gazetteer place right after it in any case ("children's hospital, boston").
RECASED_ASQ_FLOOR = 0.983
# presidio-research in lower case, char and span recall: 0.7505 / 0.6994 at session 20's start (the
# address rules keyed on capitals: STREET_ADDRESS span recall 0.505), 0.8577 / 0.7872 once they read
# capitals too and a name's own label counted ("her maiden name is x"), 0.8468 / 0.7809 after two reviews'
# guards against clinical look-alikes in capitals (a flat alone, a country as a block's evidence, corners
# of anatomy: "CORNER OF 4TH AND 5TH TOES"); session 21: 0.8476 / 0.7826 once the place rules read letters
# beyond ASCII ("tjæreborg").
RECASED_PRESIDIO_FLOOR = {"char_recall": 0.847, "span_recall": 0.782}
# samples/gold.jsonl in capitals / lower case, char recall (as written: 0.995). Session 15: 0.910 / 0.926 when
# first measured (`scrubber evaluate samples/gold.jsonl --case upper`), 0.955 / 0.957 once a place cue of care
# took everyday words before any specific facility head and a US postal town named a facility.
RECASED_SAMPLES_FLOOR = 0.95
# Encounters of ACI-Bench dev whose patient's name is still in the scrubbed dialogue or note (of 61 naming it).
# 1 until session 22, when a first name that is also a dictionary word, once found by a cue ("hi billy"),
# was hidden where it recurs without a function word before it ("what does that mean billy so").
ACI_MAX_LEAKING = 0
# The same with each patient renamed (seed 2): names of other countries (world; 39 before a word no
# vocabulary knows counted where a greeting, an introduction or the age sentence puts a name; 13
# before a rare word one slip from a frequent one counted there too; 3 once "mrs . x" and "alright x so"
# were read as transcripts write them; 2 once a world first name counted after a greeting whatever its
# shape, session 9; 1 once a greeting or the age sentence took a word no dictionary lists whatever its
# shape and "hi good afternoon X" was read as two greetings, session 10; 0 after session 11's steps, which
# were not measured on this seed one by one) and census names ranked 1,000 to 30,000 (tail: 0 since session 10).
ACI_RENAMED_MAX_LEAKING = {"world": 0, "tail": 1}
# Share of non-space characters hidden in the first 500 distinct MTSamples transcriptions (no PHI gold):
# a ceiling against over-redaction.
MTSAMPLES_DOCS = 500
MTSAMPLES_MAX_REDACTION = 0.010
