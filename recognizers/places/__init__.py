"""Geography smaller than a state, one module per rule family.

Each pattern names its check (``check=``): a function named for the rule it decides
(``ward_named_after_person``, ``saint_place``, ``place_after_cue``). The vocabulary (states,
facility words, place lists) is in :mod:`recognizers.gazetteer`. Streets and ZIP codes in
:mod:`~recognizers.places.street` and :mod:`~recognizers.places.address_block`, towns before a
state in :mod:`~recognizers.places.city_state`, facilities in :mod:`~recognizers.places.facility`, places after a cue in
:mod:`~recognizers.places.cued` (wards and units in :mod:`~recognizers.places.ward`), known
place names in :mod:`~recognizers.places.gazetteer`.
"""
