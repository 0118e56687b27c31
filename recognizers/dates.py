"""Dates in clinical forms; not doses, ratios, blood pressures, scores or lab values.

Decision rule for a month/day pair (:func:`not_a_measurement`): it is a date unless there is negative
evidence, and the evidence is weighed. A measurement word right before it ("BP", "strength", "PS"),
a unit or setting right after it ("mg", "%", "CPAP"), a common fraction without a date cue, or a
ventilator mode earlier in its sentence makes it a measurement. A word after it that is no unit
("from", "left", "x") counts only against a pair that could be a score or a fraction: a strong date
cue before it ("admitted", "placed") or a day past the 10th outweighs it. A month name alone is a
date after a word of time; "march" and "may" only after "early", "late", "mid" ("may" is a verb).
A day glued to a month's name is a date as spaced ones are ("23MAR2003", "23mar03" with a year in any
case; "CXR 3JAN" without one, the month capitalised or in capitals; no letter after it: "3MARKERS" is
none), and so is a month's name, day and year joined by one separator ("Mar-23-2003"). A day after a
decimal's digits is none ("K 3.5MAR", "HCT 30.1 DEC": decreased).
"""

from __future__ import annotations

import regex

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx, Words, glued_to_word

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
MONTH_UPPER = MONTH.upper()  # "22 JUL" in ALL-CAPS notes
_M = r"(?:0?[1-9]|1[0-2])"  # month number
_D = r"(?:0?[1-9]|[12]\d|3[01])"  # day number
_Y = r"(?:(?:18|19|20)\d{2})"  # four-digit year
_YY = r"(?:(?:19|20)?\d{2})"  # two- or four-digit year
_ORD = r"(?i:st|nd|rd|th)"  # any case: "3rd", "3RD"
# A word (or an abbreviation with a slash: "F/U") glued to a date by a dash, colon or full stop: "CXR-12/3".
_AFTER_WORD = glued_to_word("[-:.]")
_AFTER_WORD_OR_ABBREVIATION = glued_to_word("[-:.]", word=r"\p{L}{2,}|\p{L}/\p{L}")
_AFTER_WORD_DASH = glued_to_word("-")
# A time that belongs to the date ("03/14/2024 14:30", "on 3/14 at 2pm").
# Same line only, and trailing spaces belong to the time only before "am"/"pm": "19:05\nEduardo"
# must not swallow the line break.
# Blanks inside a date: spaces, and at most one line break (a date wrapped at the end of a line; never
# across a blank line, where a new paragraph or list item starts: "3 MAR\n\n20 FR FOLEY").
# (each written so that a run of spaces splits one way only: no backtracking over long runs of blanks)
_BREAK = r"(?:\r\n?|\n)"  # a line break, Windows' too
_GAP = rf"(?:[ \t]*(?:{_BREAK}[ \t]*)?)"
_GAP1 = rf"(?:[ \t]+(?:{_BREAK}[ \t]*)?|{_BREAK}[ \t]*)"  # at least one blank
_TIME = r"(?:,?[ \t]+(?:at[ \t]+)?(?:[01]?\d|2[0-3])(?::[0-5]\d(?::[0-5]\d)?(?:[ \t]*[AaPp]\.?[Mm]\.?)?|[ \t]*[AaPp]\.?[Mm]\.?))?"

# A month name and then a number (or '21): looked up back from each digit, found in one pass for three patterns.
_MONTH_THEN_NUMBER = rf"(?=['\d])(?<=(?i:{MONTH})\.?,?\s+(?:(?i:of)\s+)?)"
# Words that, just before a number pair, make it a measurement, not a date.
_NOT_DATE_BEFORE = regex.compile(
    r"(?i)(?:\b(?:bp|b/p|blood\s+pressure|nbp|abp|art|a-line|map|cvp|pap|pa|sats?|spo2|strength|motor|grade|murmur|gcs|apgar"
    r"|ratio|peep|ps|psv|ips|cpap|bipap|vent|settings?|support|flowby|ie|i:e|x|dose|gtts?|score|rass|pain|cp|angina|scale"
    r"|level|stage|vision|acuity|(?<!\bas\s)of|wean(?:ed)?(?:\s+down)?\s+to|down\s+to|on\s+vent|ac|simv|imv|bl(?:ood)?\s+cx)\s*[:=-]?\s*$)"
)
_NUMBER_PAIR = regex.compile(r"\d{1,2}/\d{1,2}")  # fullmatch
_LITRES = regex.compile(r"\s*(?:liters?|l\b)", regex.I)  # "2/3 L" is oxygen, not a date
# Fractions that are far more often amounts than January/February/March dates.
_FRACTIONS = frozenset(("1/2", "1/3", "1/4", "2/3", "3/4", "1/8", "3/8"))
_DATE_CUE_BEFORE = regex.compile(
    r"(?i)\b(?:on|since|dated?|until|thru|through|from|as\s+of|admitted|discharged|started|done|dos|dob"
    r"|(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?)\s*:?,?\s*$"  # "on Tuesday 3/4"
)
# The date cues that outweigh a word after the pair that is no unit (not "on" or "from": "on 5/5 from").
_STRONG_DATE_CUE_BEFORE = regex.compile(
    r"(?i)\b(?:since|dated?|until|thru|through|admitted|admit|discharged|started|dos|dob|transferred|intubated|extubated"
    r"|placed|inserted|removed|pulled|changed|drawn|sent|obtained|performed|done|stopped|discontinued|d/c['’]?d"
    r"|(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?)\s*:?,?\s*$"
)
# The words of _NOT_DATE_AFTER that are no unit, dose or setting.
_WEAK_AFTER = regex.compile(r"(?i)from|up|way|of|x|left|right|bilat|b/l|lue|rue|lle|rle|['’]s")
_PAIN = regex.compile(r"(?i)\b(?:pain|cp|angina|discomfort|ache|hurts?|rates?|rating|scale|pressure|severity)\b")
# Ventilator, pupil and volume settings are number pairs too ("CPAP 5/5", "PSV 12/5/40%", "PERRLA 3/3").
_SETTINGS = regex.compile(
    r"(?i)\b(?:cpap|bipap|ps|psv|ips|simv|imv|peep|vent|settings?|fio2|tv|rsbi|ac|overbreathing"
    r"|perrla?|pupils?|perl|x\s?\d{2})\b"
)
# A setting named right after the pair, nothing but blanks or a comma between: "10/5 PS", "5/5, PEEP".
_SETTING_NEXT = regex.compile(r"[ \t]*,?[ \t]*(?:" + _SETTINGS.pattern.removeprefix("(?i)") + ")", regex.I)
_MODES = regex.compile(r"(?i)\b(?:cpap|bipap|ps|psv|ips|simv|imv|peep|ac)\b")  # ventilator modes
# Units or words just after a number pair that make it a dose, ratio or score.
_NOT_DATE_AFTER = regex.compile(
    r"(?i)^\s*(?:mg|mcg|g\b|gm|ml|cc|l\b|meq|units?|u\b|tabs?|caps?|puffs?|mmhg|mm|cm|hg|strength|murmur|ns\b|d5|sec|min|hr|%|power"
    r"|scale|ratio|split|motor|score|bilat|b/l|left|right|lue|rue|lle|rle|from|ext\b|flex|grip|systolic|diastolic|sbp|dbp|hrs?|x\b"
    r"|['’]s\b|up\b|way\b|str\b|strength|of\b|hour|amp|bl\b|bottles?|bld|blood|psv|peep|cpap|ps\b|pain|angina|dose|%|fio2|tv\b|rr\b|ac\b)"
)


# A nursing shift or note named right after a pair dates it: "2/3 NOC:", "1/4 7P-7A", "2/3 NPN".
_SHIFT_AFTER = regex.compile(
    r"(?i)[ \t]*(?:noc|nights?|days|eves?|evenings?|npn|nursing\s+note|[0-9]{1,2}[ap]m?-[0-9]{1,2}[ap]m?)"
    r"[ \t]*(?::|-|\n|$|note\b|npn\b)"  # the header's end: "2/3 NOC:", not "1/2 NOC DOSE"
)
_DOSE_OR_LEVEL = regex.compile(r"(?i)\b(?:dose|level)\s*[:=]?\s*$")  # the words before a pair that only a count makes no date


def _a_count(pair: str) -> bool:
    """"2/3", "3/3": a count (the second dose of three), not a date; both numbers small, the first no larger."""
    first, second = (int(n) for n in pair.split("/"))
    return first <= second <= 6


def not_a_measurement(text: str, start: int, end: int, *, fraction_ok: bool = False) -> float | None:
    """Reject number pairs that are measurements (BP 120/80, 5/5 strength, 25/100); ``fraction_ok``:
    a common fraction ("1/2") needs no date cue (the other end of a range is a date).

    Example:
        >>> not_a_measurement("strength 5/5", 9, 12), not_a_measurement("seen on 7/22", 8, 12)
        (0.0, None)
    """
    value = text[start:end]
    if _NUMBER_PAIR.fullmatch(value):
        before = text[max(0, start - 24) : start]
        after = text[end : end + 12]
        if (word_before := _NOT_DATE_BEFORE.search(before)) is not None and not (
            _DOSE_OR_LEVEL.search(word_before.group()) and not _a_count(value)
        ):
            return 0.0  # "BP 120/80"; after "dose" or "level" only a count is no date ("dose 2/3", not "dose 4/22")
        if (after_word := _NOT_DATE_AFTER.search(after)) is not None:
            # a word after the pair that is no unit ("from", "up", "x") yields to a strong date cue before
            # it: "admitted 10/3 from osh" (a date), "strength 5/5 from baseline" (no cue: a score); and
            # to a day past the 10th, which no score, count or fraction it follows has ("to MICU 12/28 from ED")
            weak = _WEAK_AFTER.fullmatch(after_word.group().strip())
            late_day = 10 < int(value.split("/")[1]) <= 31 and after_word.group().strip().casefold() != "of"  # not "5/12 of"
            if not (weak and (_STRONG_DATE_CUE_BEFORE.search(before) or late_day)):
                return 0.0
        if value in _FRACTIONS and not fraction_ok and not _DATE_CUE_BEFORE.search(before) and not _SHIFT_AFTER.match(after):
            return 0.0  # "1/2 amp"; not "2/3 NOC:" (a shift's header)
        if value.endswith("/10") and _PAIN.search(text[max(0, start - 30) : end + 35]):
            return 0.0  # "C/O 5/10 Mediastinal/incisional pain"
        # a setting just before, unless another number stands between and is the setting's ("PS 10/5 on 4/22")
        near = text[max(0, start - 14) : start]
        near = regex.split(r"\d[\d/.-]*", near)[-1] if _SETTINGS.search(near) else near
        if _SETTINGS.search(near) or _SETTING_NEXT.match(text, end, end + 10):
            return 0.0  # "CPAP 5/5", "10/5 PS"; not "weaned 2/8 to CPAP" (the setting has a value of its own)
        # a setting named earlier in the sentence: "PSV increased to 10/5", "Vent changed over to 5/5",
        # "weaning on 5/5-.40"; not when a date cue comes right before ("vent changed on 10/5")
        sentence = regex.split(r"[.;]\s|\n\s*\n", text[max(0, start - 45) : start])[-1]
        modes = _MODES.search(sentence) or (_SETTINGS.search(sentence) and regex.search(r"(?i)\bto\s*$", before))
        if modes and not _DATE_CUE_BEFORE.search(before):
            return 0.0
        if regex.match(r"(?i)\s*abg\b|-\.\d", after):
            return 0.0  # "EXCELLENT 5/5 ABG", "weaning on 5/5-.40" (pressure support and FiO2)
    if text[end : end + 1] == "%" or _LITRES.match(text[end : end + 8]):
        return 0.0
    return None


def both_ends_dates(text: str, start: int, end: int) -> float | None:
    """A range of dates ("4/28-5/1") is a date when neither end is a measurement."""
    dash = text.index("-", start, end)
    first_end = len(text[start:dash].rstrip()) + start
    second_start = dash + 1 + (len(text[dash + 1 : end]) - len(text[dash + 1 : end].lstrip()))
    # "2/3-2/4": when only one end reads as a fraction, the other end dates it
    lone_fraction = (text[start:first_end] in _FRACTIONS) != (text[second_start:end] in _FRACTIONS)
    for a, b in ((start, first_end), (second_start, end)):
        if not_a_measurement(text, a, b, fraction_ok=lone_fraction) == 0.0:
            return 0.0
    return None


def later_day_of_the_month(text: str, start: int, end: int) -> float | None:
    """"9/12-13" (the 12th to the 13th) is a range of days when the second day comes after the first
    and the first date is no measurement; "1/2-1" (a dose) is not.

    Example:
        >>> later_day_of_the_month("fevers 9/12-13", 7, 14), later_day_of_the_month("take 1/2-1 tab", 5, 10)
        (None, 0.0)
    """
    first, _, last = text[start:end].partition("-")
    if int(last) <= int(first.split("/")[1]):
        return 0.0
    return not_a_measurement(text, start, start + len(first))


_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"  # "Saturday the 14th"
# What an ordinal number counts when it is no day of the month: "on 5th floor", "on the 3rd day of abx".
_ORDINAL_NOT_A_DAY = (
    r"(?![ 	]+(?i:floor|fl\b|street|st\b|ave|avenue|grade|day|dose|cycle|round|time|try|attempt|percentile|rib|ics"
    r"|intercostal|toe|finger|digit|cranial|nerve|generation|ventricle|lumbar|year|week|month|trimester|degree|line|bag|unit|liter))"
)


@register
class ClinicalDateRecognizer(ClinicalPatternRecognizer):
    """Calendar dates more specific than a year, with an attached time if present."""

    NAME = "date"
    ENTITY = "DATE"
    # "(?=\d)": a match starts with a digit; the look-ahead lets the scan jump from digit to digit.
    PATTERNS = (
        Rx(
            "m/d/y",
            rf"""(?x)
            (?=\d)(?<![\d/.:])
            (?P<value>{_M}(?P<sep>[/.-]){_D}(?P=sep){_YY}   # month, day, year: one separator throughout
                      {_TIME})                             # and the time that belongs to it
            (?![\d/-]|\.\d)
            """,
            0.9,
        ),
        Rx(
            "y-m-d",
            rf"""(?x)
            (?=\d)(?<![\d/.-])
            (?P<value>{_Y}(?P<sep>[/.-]){_M}(?P=sep){_D}    # four-digit year, month, day
                      {_TIME})
            (?![\d/-])
            """,
            0.9,
        ),
        Rx(
            "d-mon-y",
            rf"""(?ix)
            (?=\d)(?<![\w-])(?<!\d[.,])                   # no decimal's digits ("K 3.5MAR")
            (?P<value>{_D}{_ORD}?(?:[\s/-]|{_GAP1}of{_GAP1})?  # day ("22", "22nd of"), or glued ("23MAR03")
                      {MONTH}\.?,?(?:[ \t/-]*(?:{_BREAK}[ \t/-]*)?){_YY}  # month name, year
                      {_TIME})
            (?![\w-])
            """,
            0.85,
        ),
        Rx(
            "d Mon",
            rf"""(?x)
            (?=\d)(?<![\w-])(?<!\d[.,])                   # no decimal's digits ("HCT 30.1 DEC": decreased)
            (?P<value>{_D}{_ORD}?(?:[\s/-]|{_GAP1}of{_GAP1})?  # day, or glued to the month ("CXR 3JAN")
                      (?-i:{MONTH}|{MONTH_UPPER})\.?        # month name, capitalised or in capitals
                      {_TIME})
            (?![\w-])
            """,
            0.75,
        ),
        Rx(
            "month d, y",
            rf"(?<![\w-])(?P<value>(?i:{MONTH})\.?{_GAP1}{_D}{_ORD}?(?:{_GAP},{_GAP}|{_GAP1})(?:{_Y}|'\d{{2}}){_TIME})(?!\w)",
            0.9,
            requires=_MONTH_THEN_NUMBER,
        ),
        Rx(
            "mon-d-y",
            # the month's name, day and year joined by one separator: "Mar-23-2003", "MAR/23/03"
            rf"(?<![\w-])(?P<value>(?i:{MONTH})(?P<sep>[-/.]){_D}(?P=sep){_YY}{_TIME})(?![\w-]|\.\d)",
            0.85,
            requires=rf"(?=\d)(?<=(?i:{MONTH})[-/.])",
        ),
        Rx("month d", rf"(?:(?<![\w-])|{_AFTER_WORD_DASH})(?P<value>(?i:{MONTH})\.?{_GAP1}{_D}{_ORD}?{_TIME})(?![\w:])", 0.75, requires=_MONTH_THEN_NUMBER),
        Rx(
            "month y",
            rf"(?<![\w-])(?P<value>(?i:{MONTH})\.?,?{_GAP1}(?:(?i:of){_GAP1})?(?:{_Y}|'\d{{2}}))(?!\w)",
            0.75,
            requires=_MONTH_THEN_NUMBER,
        ),
        # two dates written as one: "DIALYSIS 11/06/11/08" (zero-padded months and days only)
        Rx(
            "m/d/m/d",
            r"""(?x)
            (?=\d)(?<![\w/.:-])
            (?P<value>(?:0[1-9]|1[0-2])/(?:0[1-9]|[12]\d|3[01])      # first month/day
                      /(?:0[1-9]|1[0-2])/(?:0[1-9]|[12]\d|3[01]))    # second month/day
            (?![\w/]|\.\d)
            """,
            0.7,
        ),
        # a shift glued to it is no word: "INSERTED ON 12/3PM", "LAST DOSE 12/3AM"; a word and a dash, colon
        # or full stop before it are ("CXR-12/3", "CXR:12/3", "LAST BM.12/3")
        Rx("m/d", rf"(?=\d)(?:(?<![\w/.:'’-])|{_AFTER_WORD_OR_ABBREVIATION})(?P<value>{_M}/{_D}{_TIME})(?!(?!(?i:am|pm|noc)\b)[\w/]|\.\d)", 0.6),
        # a range of dates: "4/28-5/1" (both ends), "3/2 - 3/9"
        Rx(
            "m/d range",
            rf"(?=\d)(?:(?<![\w/.:'’-])|{_AFTER_WORD})(?P<value>{_M}/{_D}[ \t]*-[ \t]*{_M}/{_D})(?![\w/]|\.\d)",
            0.6,
            requires=r"\d/\d{1,2}[ \t]*-[ \t]*\d",
            check=both_ends_dates,
        ),
        Rx("m/y", rf"(?=\d)(?<![\w/.:-])(?P<value>{_M}/{_Y})(?![\w/]|\.\d)", 0.6),
        Rx("m/yy", rf"(?=\d)(?<![\w/.:-])(?P<value>{_M}/(?:3[2-9]|[4-9]\d|0\d))(?![\w/%]|\.\d)", 0.6),
        Rx(
            "the nth",
            # without "the", only where no word follows ("ON 12TH.", not "on 1st step" or "on 2nd cpap trial")
            rf"(?i)\b(?:on|since|from|until|by|before|after|it'?s|is|was|today\s+is|{_WEEKDAY},?)\s+"
            rf"(?:the\s+(?P<value>{_D}{_ORD})\b{_ORDINAL_NOT_A_DAY}|(?P<value>{_D}{_ORD})(?=[ \t]*(?:[.,;:)\n]|$|at\b|@)))",
            0.6,
            # "the 3rd", "ON 12TH", found from each digit
            requires=rf"(?i)(?=\d)(?<=\b(?:the|on|since|from|until|by|before|after|{_WEEKDAY},?)\s+)\d{{1,2}}{_ORD}\b",
        ),
        # a day of the month, "of", and the month in any case: "11th of may" ("may" alone is a verb)
        Rx("nth of month", rf"(?i)(?<![\w-])(?P<value>{_D}{_ORD}{_GAP1}of{_GAP1}{MONTH})\b", 0.75, requires=rf"(?i)\d{_ORD}\s+of\s"),
        # a range of days in one month: "9/12-13"
        Rx(
            "m/d-d",
            rf"(?=\d)(?<![\w/.:'’-])(?P<value>{_M}/{_D}-{_D})(?![\w/]|\.\d|-)",
            0.6,
            requires=r"\d/\d{1,2}-\d",
            check=later_day_of_the_month,
        ),
        # a month on its own is an element of a date (Safe Harbor keeps only the year): after a word of
        # time ("in June", "since FEBRUARY", "early october"); "may", "march" and "dec" (decreased) are
        # left to the patterns with a number, as words they are far more often
        Rx(
            "month after a time word",
            r"""(?xi)
            (?:\b(?:in|since|until|till|during|through|thru|by|(?:end|beginning|start|middle)\s+of)[ \t]+  # a word of time
               (?=(?:(?:last|this|next|early|late|mid)[ \t-]*)?(?:\p{L}+)\b)
             |(?=\b(?:last|this|next|early|late|mid)\b))
            (?P<value>(?:(?:last|this|next|early|late|mid)-?[ \t]*)?                # "last July" is one date
              (?:january|february|april|june|july|august|september|october|november|december
               |jan|feb|apr|aug|sept?|oct|nov)
             |(?:early|late|mid)-?[ \t]*march|mid-may               # "mid-March": the verb takes no "mid"
             |(?:last|next)[ \t]+march)\b(?!['’]s)
            """,
            0.6,
            requires=r"(?i)(?:uary|april|june|july|august|ember|october|\b(?:jan|feb|apr|aug|sept?|oct|nov)\b|(?:early|late|mid|last|next)-?[ \t]*march\b|mid-may\b)",
        ),
        Rx(
            "holiday",
            r"(?i)\b(?P<value>(?:christmas|x-?mas)(?:\s+(?:eve|day))?|thanksgiving(?:\s+day)?|new\s+year'?s(?:\s+(?:eve|day))?"
            r"|easter(?:\s+sunday)?|independence\s+day|memorial\s+day|labor\s+day|halloween|valentine'?s\s+day"
            r"|fourth\s+of\s+july|mother'?s\s+day|father'?s\s+day|veterans\s+day|martin\s+luther\s+king\s+day"
            r"|good\s+friday|presidents'?\s+day|columbus\s+day|st\.?\s+patrick'?s\s+day|hanukk?ah|chanukk?ah"
            r"|passover|rosh\s+hashanah?|yom\s+kippur|kwanzaa)\b",
            0.6,
            # the first word of every holiday above, as a whole word
            requires=Words((
                "christmas", "xmas", "x", "thanksgiving", "new", "easter", "independence", "memorial", "labor",
                "halloween", "valentine", "valentines", "fourth", "mother", "mothers", "father", "fathers",
                "veterans", "martin", "good", "presidents", "columbus", "st", "hanukah", "hanukkah", "chanukah",
                "chanukkah", "passover", "rosh", "yom", "kwanzaa",
            )),
        ),
    )

    def default_check(self, text: str, start: int, end: int, rx: Rx) -> float | None:
        """Every pattern but the range: not a measurement (:func:`not_a_measurement`)."""
        return not_a_measurement(text, start, end)


# A clinical event of the patient's history that notes date by a year after it: the usual cardiac and
# general operations and one-time diagnoses ("CABG 81", "MI 84", "APPY 76"). Any number that no unit,
# count or "-" follows is its year, whatever comes next ("CABG 97 HTN DM": lists often lack commas).
_EVENT_CORE = r"\b(?:cabg|ptca|pci|avr|mvr|cva|tia|mi|stent|repair|appy|chole|tah|bso|redo\s+cabg)"
# Any other operation (a word of a surgical ending: "hysterectomy", "laminectomy", "colostomy"; the usual
# abbreviations), a device placed, or a one-time diagnosis (stroke, DVT, a cancer, a fracture): its
# two-digit year must end the entry (:data:`_YY_ENDS`: "TURP 05, DVT 02"; not "ORIF 12 staples").
_EVENT_WIDE = (
    r"\b(?:\p{L}+(?:ectomy|otomy|ostomy|plasty|pexy|rrhaphy|desis)|tavr|tavi|turp|orif|tka|tha|tkr|thr|cea|bka|aka"
    r"|stroke|dvt|replacement|transplant|arrest|fx|fracture|ca|cancer|surgery|placed|implanted)"
)
# The event, an optional count ("CABG x3") and "in", right before a year: "TURP 05", "laminectomy in 97".
_COUNT_IN = r"(?:\s?x\s?\d)?(?:\s+in)?(?:\s+|\s*-\s*)'?"  # a blank or a dash: "CABG 2003", "CABG-2003"
_EVENT_BEFORE_YY = rf"(?:{_EVENT_CORE}|{_EVENT_WIDE}){_COUNT_IN}"
# What makes the number after an event a measure, not a year: "stent 18 mm", "arrest 15 min", "CA 19-9".
_NOT_A_YEAR_AFTER = (
    r"(?![\d/:%-]|\.\d)(?![ \t]*(?i:cm|mm|fr\b|french|g\b|ga\b|gauge|mg|ml|cc|%|x\b|hours?|hrs?|days?|d\b|min|mins|minutes?|wks?"
    r"|weeks?|mos?|months?|yrs?|years?|y/?o|units?|beats?|bpm)\b)"
)
# A two-digit year ends the entry of a wide event: punctuation, the line's end, or a joining word.
_YY_ENDS = r"(?=[ \t]*(?:[,.;:)\]\n]|$|(?i:with|and|in|at|on|for|by|c/b|s/p|w/|complicated|x\d|\()))"
_YYYY = r"(?:19[2-9]\d|20[0-4]\d)(?:'?[sS])?"
# Words that make a bare year a date of a clinical event ("S/P MI 1992", "CABG '84").
_YEAR_CONTEXT = (
    "s/p", "status post", "since", "in", "hx", "history", "dx", "diagnosed", "born", "cabg", "mi", "ptca", "stent", "avr",
    "mvr", "surgery", "repair", "resection", "lumpectomy", "mastectomy", "nephrectomy", "replacement", "transplant",
    "ca", "cancer", "stroke", "cva", "tia", "arrest", "admitted", "admission", "redo", "pci", "bypass", "fracture", "orif",
    "chemo", "xrt", "radiation", "year", "yr", "back", "until", "from", "to", "of", "date",
    "saying", "said", "says", "stated", "states", "thinks", "thought",  # the year a confused patient gives
)


_AMOUNT_AFTER = regex.compile(r"(?i)[ \t]*(?:ml|cc|mg|mcg|units?|u|kcal|cal|calories|g|gm|grams?|meq|l|liters?)\b")


_CLOCK_CUE_BEFORE = regex.compile(r"(?i)(?:@|\bat|\bby|\buntil|\btill|\bfrom|\bto|\bq)\s*$")


def not_an_amount_or_clock_time(text: str, start: int, end: int) -> float | None:
    """A four-digit number is no year before a unit ("states 2000 ml") or as a clock time ("@ 2000", "at 2100").

    Example:
        >>> not_an_amount_or_clock_time("at 2100 pt slept", 3, 7), not_an_amount_or_clock_time("CABG 1992", 5, 9)
        (0.0, None)
    """
    value = text[start:end]
    if _AMOUNT_AFTER.match(text, end):
        return 0.0  # "states 2000 ml": an amount
    if value[-2:] in ("00", "30", "15", "45") and _CLOCK_CUE_BEFORE.search(text[max(0, start - 8) : start]):
        return 0.0
    return None


@register
class YearRecognizer(ClinicalPatternRecognizer):
    """Years tied to a clinical event ("S/P CABG 1992", "MI in '81"); a year alone is not a date under Safe Harbor,
    but with an event it dates the patient's history, so it is hidden (recall first)."""

    NAME = "year"
    ENTITY = "DATE"
    CONTEXT = _YEAR_CONTEXT
    CONTEXT_WINDOW = 25
    PATTERNS = (
        Rx(
            "yyyy",
            r"(?<![\w/.:-])(?P<value>(?:19[2-9]\d|20[0-4]\d)(?:'?[sS])?)(?![\w/%-]|\.\d)",
            0.3,
            needs_context=True,
            check=not_an_amount_or_clock_time,
        ),
        Rx("'yy", r"(?<![\w])'(?P<value>\d{2})(?![\w'%])", 0.3, needs_context=True),
        Rx(
            "event yy",
            rf"(?i:{_EVENT_CORE}{_COUNT_IN})(?P<value>\d{{2}}|{_YYYY}){_NOT_A_YEAR_AFTER}"
            rf"|(?i:{_EVENT_WIDE}{_COUNT_IN})(?P<value>\d{{2}}{_YY_ENDS}|{_YYYY}){_NOT_A_YEAR_AFTER}",
            0.6,
            requires=rf"(?=\d)(?<=(?i:{_EVENT_BEFORE_YY}))",  # the event, looked up back from each digit
        ),
        Rx("in yy'", r"(?i:\b(?:in|since)[ \t]+)(?P<value>\d{2})'(?![\w'])", 0.6),  # "HERNIA REPAIR IN 09'"
        # a two-digit year glued to the event before it: "CA'93", "MI'04" (not feet: 5'10")
        Rx("event'yy", r"(?<=\p{L}{2})'(?P<value>\d{2})(?![\w'’\"%]|\.\d)", 0.6, requires=r"'\d{2}"),
        Rx(
            "yy event",
            r"(?<![\w/.'])'?(?P<value>\d{2})\s+(?i:ptca|cabg|stent|avr|mvr|pci|mi\b|repair)",
            0.6,
        ),
    )
    CONTEXT_BOOST = 0.3
