"""Invented clinical sentences with generated identifiers, in three cases: does case matter?

Each family below is a list of sentence templates written for this measure (no corpus text): staff
and relatives named in the ways nursing notes name them, places where people live or come from,
health-care facilities, and years of the patient's history. Faker (already the surrogate
generator) fills each template with a name, town or surname from a seed, so the identifiers are
ones nobody tuned the rules to; each sentence is then scrubbed as written, in capitals and in lower
case, and an identifier counts as found when every non-blank character of it is hidden.

The templates themselves were written and their misses read in session 10 (2026-12-06): this is a
regression measure of case invariance on invented text, not a measure of unseen text (for that,
PhysioNet's ``check.jsonl``). Invented look-alike sentences with nothing to hide are counted too:
any character hidden in them is a false positive.

Run from the repository root::

    python benchmarks/invented_contexts.py            # seeds 1-5
    python benchmarks/invented_contexts.py --seeds 6,7

It asserts nothing and is not collected by pytest.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# {f} first name, {l} surname, {g} another first name, {m} another surname, {c} a town, {s} a saint's name
NAMES = (
    "Dr. {l} aware of BP.|{l}",
    "Seen by {f} {l} from cardiology.|{f} {l}",
    "{f} {l}, RN|{f} {l}",
    "Discussed with attending {f} {l}.|{f} {l}",
    "Wife {f} at bedside.|{f}",
    "Son {f} {l} called for update.|{f} {l}",
    "Case manager {f} {l} following.|{f} {l}",
    "Per {f} {l} NP, continue drip.|{f} {l}",
    "Pt's PCP is Dr. {f} {l}.|{f} {l}",
    "Resident {l} notified.|{l}",
    "{f} from social work in to see pt.|{f}",
    "Family meeting with daughters {f} and {g}.|{g}",
    "Spoke with pt's sister, {f}, who is HCP.|{f}",
    "Covering for {f} {l} tonight.|{f} {l}",
    "MD {l} paged x2.|{l}",
    "Called {f} {l} at home.|{f} {l}",
    "{l} family in to visit.|{l}",
    "Msg left for {f} to call back.|{f}",
    "Report given to {f} on 5th floor.|{f}",
    "Pt's friend {f} {l} visited.|{f} {l}",
    "Plan discussed with Dr {l} and Dr {m}.|{m}",
    "NP {f} {l} in to eval.|{f} {l}",
    "Brother {f} is health care proxy.|{f}",
    "{f} {l} (niece) called.|{f} {l}",
)
PLACES = (
    "Pt lives in {c} with her husband.|{c}",
    "Husband drove in from {c} this morning.|{c}",
    "Family lives in {c}, about 2 hours away.|{c}",
    "Daughter is coming from {c} tonight.|{c}",
    "Pt is a resident of {c}.|{c}",
    "Pt moved to {c} last year.|{c}",
    "Originally from {c}, retired teacher.|{c}",
    "Works in {c} as a mechanic.|{c}",
)
FACILITIES = (
    "Pt transferred from {c} Hospital on 4/12.|{c} Hospital",
    "Followed by cardiology at {l} Clinic.|{l} Clinic",
    "Will go to {c} Rehab when stable.|{c} Rehab",
    "Pt resides at {l} Manor nursing home.|{l} Manor",
    "Seen at {c} VA last month.|{c} VA",
    "Admitted to {c} Regional with CP.|{c} Regional",
    "Pt was at {s} Memorial for 3 days.|{s} Memorial",
    "Cath done at {c} Medical Center.|{c} Medical Center",
    "Discharged to {l} House.|{l} House",
    "Came from {s}'s Hospital ER.|{s}'s Hospital",
    "Labs drawn at {c} Health Center.|{c} Health Center",
)
YEARS = (
    "PMH: HTN, s/p TURP {y}, DM.|{y}",
    "PMH: lap chole {y}, CHF.|{y}",
    "PMH: hysterectomy {y}, hypothyroid.|{y}",
    "PMH: breast ca {y} s/p lumpectomy.|{y}",
    "PMH: stroke {y} with residual R weakness.|{y}",
    "PMH: laminectomy in {y}, HTN.|{y}",
    "PMH: CABG x3 in {Y}, AFib.|{Y}",
    "PMH: colectomy {Y}, COPD.|{Y}",
)
# nothing to hide: everyday words where the templates put identifiers
LOOK_ALIKES = (
    "Pt moved to new room this afternoon.",
    "Pt coming from home with husband.",
    "Pt flew in from Florida last week to visit.",
    "Report given to oncoming RN, pt stable.",
    "Msg left for pt's daughter to call back.",
    "Strong family support, large family at bedside.",
    "Referral from social work for placement.",
    "Spoke with HCP (daughter) re plan.",
    "Son will call back tomorrow. Daughter may visit later.",
    "Ca 9.2, CA 19-9 elevated. Stent 3.0 x 18 placed in LAD.",
    "Stroke 10 days ago with aphasia. PICC placed 20 cm.",
    "ORIF 12 staples intact. Colostomy 40 cc brown stool.",
    "Patient is tachycardic and diaphoretic.",
    "Moved to east wing. Transferred to North 5.",
)
FAMILIES = {"names": NAMES, "places": PLACES, "facilities": FACILITIES, "years": YEARS}
LOCALES = ("en_US", "it_IT", "pl_PL", "es_ES", "de_DE")
CASES = {"as written": lambda t: t, "capitals": str.upper, "lower case": str.lower}


def _ascii(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c) and c.isascii())


def sentences(seed: int) -> dict[str, list[tuple[str, str]]]:
    """Every family's templates filled from ``seed`` (names from one of five locales, towns from en_US)."""
    from faker import Faker

    person = Faker(LOCALES[seed % len(LOCALES)])
    person.seed_instance(seed)
    town = Faker("en_US")
    town.seed_instance(seed)
    out: dict[str, list[tuple[str, str]]] = {}
    for family, templates in FAMILIES.items():
        rows = []
        for template in templates:
            text, want = template.split("|")
            fill = {
                "f": _ascii(person.first_name()), "l": _ascii(person.last_name()), "g": _ascii(person.first_name()),
                "m": _ascii(person.last_name()), "c": town.city(), "s": "St. " + town.first_name(),
                "y": f"{town.random_int(0, 99):02d}", "Y": str(town.random_int(1950, 2020)),
            }
            rows.append((text.format(**fill), want.format(**fill)))
        out[family] = rows
    return out


def _hidden(scrubber, text: str) -> set[int]:
    covered: set[int] = set()
    for finding in scrubber.scrub(text).findings:
        covered.update(range(finding.start, finding.end))
    return covered


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", default="1,2,3,4,5", help="comma-separated Faker seeds (default 1,2,3,4,5)")
    args = parser.parse_args(argv)
    from scrubber import Scrubber

    scrubber = Scrubber()
    seeds = [int(s) for s in args.seeds.split(",")]
    found = {(family, case): 0 for family in FAMILIES for case in CASES}
    total = {family: 0 for family in FAMILIES}
    for seed in seeds:
        for family, rows in sentences(seed).items():
            for text, want in rows:
                total[family] += 1
                start = text.index(want)
                need = {i for i in range(start, start + len(want)) if not text[i].isspace()}
                for case, recase in CASES.items():
                    found[family, case] += need <= _hidden(scrubber, recase(text))
    print(f"seeds {','.join(map(str, seeds))}: identifiers found (all their characters hidden), by case")
    print("| family | sentences | " + " | ".join(CASES) + " |")
    print("|---|---:|" + "---:|" * len(CASES))
    for family in FAMILIES:
        cells = " | ".join(f"{found[family, case] / total[family]:.3f}" for case in CASES)
        print(f"| {family} | {total[family]} | {cells} |")
    hidden = {case: sum(len(_hidden(scrubber, recase(t))) for t in LOOK_ALIKES) for case, recase in CASES.items()}
    chars = sum(len(t) for t in LOOK_ALIKES)
    print(f"look-alikes ({len(LOOK_ALIKES)} sentences, {chars} characters, nothing to hide): hidden characters "
          + ", ".join(f"{case} {n}" for case, n in hidden.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
