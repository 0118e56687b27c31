"""Address blocks (recognizers/places/address_block.py): invented addresses in several countries' layouts, and
look-alikes that must stay. Every case runs through the whole engine."""

from __future__ import annotations

import pytest

from scrubber import Scrubber


@pytest.fixture(scope="module")
def scrubber() -> Scrubber:
    return Scrubber()


def _hidden(scrubber: Scrubber, text: str) -> set[int]:
    return {i for f in scrubber.scrub(text).findings for i in range(f.start, f.end)}


def _shown(scrubber: Scrubber, text: str, part: str) -> bool:
    """True when no character of ``part`` (its first occurrence) is hidden."""
    start = text.index(part)
    return not _hidden(scrubber, text) & set(range(start, start + len(part)))


def _covered(scrubber: Scrubber, text: str, part: str) -> bool:
    """True when every character of ``part`` is hidden but blanks and mail quoting ("> ")."""
    start = text.index(part)
    hidden = _hidden(scrubber, text)
    return all(i in hidden for i in range(start, start + len(part)) if not text[i].isspace() and text[i] != ">")


BLOCKS = [
    # (text, the address part that must be hidden whole)
    ("Contact:\n4411 Brookmere Close\n Suite 212\n Tawhiri\n New Zealand 6021\nThanks",
     "4411 Brookmere Close\n Suite 212\n Tawhiri\n New Zealand 6021"),
    # a street with no street type that a pattern knows: the block after it makes it a street
    ("Contact:\n> Ilse Vandermolen\n> 3120 Orvelstede 41\n> Apt. 8\n> Zwartebroek\n> Belgium 4402",
     "3120 Orvelstede 41\n> Apt. 8\n> Zwartebroek\n> Belgium 4402"),
    ("Our office is at Kaarnatie 17\n Suite 31\n Rantakylä\n Finland 33210.", "Kaarnatie 17\n Suite 31\n Rantakylä\n Finland 33210"),
    # town and postcode in either order after the street
    ("Address:\n88 Wexham Lane\nOldbury 4410\nNorway", "88 Wexham Lane\nOldbury 4410\nNorway"),
    ("Billing\n12 Rue Tassigny\n75008 Paris, France", "12 Rue Tassigny\n75008 Paris, France"),
    # a street line after "at" / "in" on the same line, words after its number (the address-block pattern alone finds it whole)
    ("Our offices are at Storvegen 52 Tranekjaer Enge\n Suite 894\n Harstad\n Norway 95441",
     "Storvegen 52 Tranekjaer Enge\n Suite 894\n Harstad\n Norway 95441"),
    # a label padded to a column (the look-behind reads as many blanks as the view keeps, 64)
    ("Address:" + " " * 12 + "Kirkevegen 14\n0150 Oslo\nNorway", "Kirkevegen 14\n0150 Oslo\nNorway"),
    # towns that start with a stop word, after a street line no pattern knows
    ("Send to\nKirkevegen 14\n15001 A Coruña\nSpain", "Kirkevegen 14\n15001 A Coruña\nSpain"),
    # a one-word town that is a common word, with its postal code
    ("Send to\nHovedgaden 12\n7323 Give\nDenmark", "Hovedgaden 12\n7323 Give\nDenmark"),
    # tabs and spaces mixed after the label (the view cuts such a run to 64 too)
    ("Address:" + "\t" * 3 + " " * 64 + "Kirkevegen 14\n0150 Oslo\nNorway", "Kirkevegen 14\n0150 Oslo\nNorway"),
    # a building number before the street number
    ("The parcel went to 5310 211 Dorrance Road\n Apt. 14\n Corlett\n Canada", "5310 211 Dorrance Road\n Apt. 14\n Corlett\n Canada"),
]


@pytest.mark.parametrize(("text", "address"), BLOCKS)
def test_an_address_block_is_hidden_whole(scrubber: Scrubber, text: str, address: str) -> None:
    assert _covered(scrubber, text, address)


@pytest.mark.parametrize(("text", "address"), BLOCKS)
@pytest.mark.parametrize("case", [str.upper, str.lower], ids=["capitals", "lower"])
def test_an_address_block_is_hidden_whole_in_any_case(scrubber: Scrubber, text: str, address: str, case) -> None:
    """Capitals say nothing in a note in capitals or a lower-case transcript: the block's shape (a street
    suffix or type, a unit, a town, a postcode, a country) is the evidence."""
    assert _covered(scrubber, case(text), case(address))


def test_the_block_keeps_its_line_breaks(scrubber: Scrubber) -> None:
    out = scrubber.scrub("Contact:\n4411 Brookmere Close\n Suite 212\n Tawhiri\n New Zealand 6021").text
    assert out.count("\n") == 4 and "Tawhiri" not in out


def test_a_us_zip_code_keeps_its_own_finding(scrubber: Scrubber) -> None:
    """The ZIP code after a street and town stays a ZIP_CODE finding (its operator may keep its prefix)."""
    text = "Lives alone at 52 Linden Terrace, Fairhaven, MA 02719, walk-up."
    found = scrubber.scrub(text).findings
    assert any(f.entity_type == "ZIP_CODE" and text[f.start : f.end] == "02719" for f in found)
    assert any(f.entity_type == "STREET_ADDRESS" and text[f.start : f.end].startswith("52 Linden Terrace") for f in found)


def test_a_zip_code_merged_into_an_address_never_shows_street_digits() -> None:
    """Under Safe Harbor the ZIP operator keeps three digits; a span that holds a street and its ZIP
    code is an address, so the operator never reads the house number ("52..." -> "520")."""
    out = Scrubber(policy="safe-harbor").scrub("Lives at 52 Linden Terrace, Fairhaven, MA 02719, walk-up.").text
    assert "52" not in out and "Linden" not in out


LOOK_ALIKES = [
    # a number, then lines that look like a block but are vitals, a signature or a sentence
    ("TO 5 WEST WHEN OFF PRESSORS.\nJ. MILLER, RN\n", "5 WEST WHEN OFF PRESSORS"),
    ("Walked 200 feet\nTolerated well\nPlan: continue", "Walked 200 feet"),
    ("Potassium 4.1\nSodium 139\nChloride 101", "Potassium 4.1"),
    ("Room 12 is clean.\nBest Regards\nNursing", "Best Regards"),
    ("CXR 3 MAR\n2003 SHOWED NO INFILTRATE", "SHOWED NO INFILTRATE"),  # a date wrapped over a line, no street
    ("FOLEY PLACED 14 FEB\n2011 UNIT PROTOCOL FOLLOWED", "PROTOCOL FOLLOWED"),
    ("LIVES AT 14 SYCAMORE COURT IN WESTERVILLE, ZIP CODE 43081, AND PREFERS THURSDAY VISITS.", "AND PREFERS THURSDAY VISITS"),
]


@pytest.mark.parametrize(("text", "part"), LOOK_ALIKES)
def test_look_alikes_stay(scrubber: Scrubber, text: str, part: str) -> None:
    assert _shown(scrubber, text, part)


def test_a_letter_line_after_an_address_stays(scrubber: Scrubber) -> None:
    text = "Contact:\n4411 Brookmere Close\n Suite 212\n Tawhiri\n New Zealand 6021\nMobile: 555 0101\nThanks"
    assert _shown(scrubber, text, "Mobile:") and _shown(scrubber, text, "Thanks")
