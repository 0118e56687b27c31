"""Shared pieces of the place rules.
"""

_CAP = r"(?:[A-Z][A-Za-z'’.-]*+)"  # possessive: a word is never re-split
