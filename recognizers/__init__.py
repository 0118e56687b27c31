"""Clinical recognizers for the scrubber, registered under stable names.

Each module holds one identifier family (``names/`` and ``places/`` one module per rule
family). A recognizer class registers itself with :func:`register`; policies refer to it by
``NAME`` (never by a dotted class path), so one can be switched off without touching code::

    >>> from recognizers import available
    >>> "mrn" in available()
    True

Third parties can ship recognizers as ``scrubber.recognizers`` entry points
whose target is a registered class; :func:`available` loads them.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import Callable, TypeVar

# The project's entity vocabulary. Safe Harbor identifiers that occur in text.
ENTITY_TYPES: tuple[str, ...] = (
    "PERSON",
    "DATE",
    "AGE",
    "LOCATION",
    "STREET_ADDRESS",
    "ZIP_CODE",
    "HOSPITAL",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "URL",
    "IP_ADDRESS",
    "US_SSN",
    "MEDICAL_RECORD_NUMBER",
    "ACCOUNT_NUMBER",
    "HEALTH_PLAN_ID",
    "LICENSE_NUMBER",
    "VEHICLE_ID",
    "DEVICE_ID",
    "CREDIT_CARD",
    "ID",
)

_MODULES = (
    "names.titled", "names.relative", "names.cued", "names.initials", "names.full_name",  # the cue layer
    "names.vocabulary", "names.addressed", "names.world",  # the vocabulary layer
    "dates", "ages",
    "places.street", "places.city_state", "places.facility", "places.cued", "places.gazetteer",
    "contact", "ids", "ner", "predefined",
    "places.address_block",
)

T = TypeVar("T")
_REGISTRY: dict[str, Callable[[], object]] = {}


def register(cls: T) -> T:
    """Class decorator: register a recognizer under its ``NAME``."""
    name = getattr(cls, "NAME", "")
    if not name:
        raise ValueError(f"E010 recognizer {cls!r} has no NAME")
    if name in _REGISTRY and _REGISTRY[name] is not cls:
        raise ValueError(f"E011 two recognizers registered as {name!r}")
    if cls.__name__ in _presidio_class_names():  # type: ignore[attr-defined]
        # Presidio's registry loader finds a predefined recognizer by class name among every
        # EntityRecognizer subclass in the process: a clash could make it build ours instead
        raise ValueError(
            f"E015 recognizer class {cls.__name__!r} has the name of a Presidio class; "  # type: ignore[attr-defined]
            "rename it (for example with a 'Clinical' prefix) so Presidio's own loader never picks it"
        )
    _REGISTRY[name] = cls  # type: ignore[assignment]
    return cls


@cache
def _presidio_class_names() -> frozenset[str]:
    """Names of the recognizer classes Presidio defines (its loader looks classes up by these)."""
    import presidio_analyzer
    import presidio_analyzer.predefined_recognizers  # noqa: F401 - defines the classes scanned below
    from presidio_analyzer import EntityRecognizer

    names = set()
    stack = [EntityRecognizer]
    while stack:
        cls = stack.pop()
        if cls.__module__.split(".")[0] == presidio_analyzer.__name__:
            names.add(cls.__name__)
        stack.extend(cls.__subclasses__())
    return frozenset(names)


def available() -> dict[str, Callable[[], object]]:
    """All registered recognizers by name (built-in modules plus entry points)."""
    for module in _MODULES:
        import_module(f"recognizers.{module}")
    from importlib.metadata import entry_points

    for entry in entry_points(group="scrubber.recognizers"):
        register(entry.load())
    return dict(sorted(_REGISTRY.items()))


def build(names: list[str] | tuple[str, ...] | None = None) -> list[object]:
    """Instantiate the named recognizers (all registered ones when ``names`` is None).

    Raises:
        KeyError: with code E012 when a name is not registered.
    """
    catalogue = available()
    chosen = list(catalogue) if names is None else list(names)
    unknown = [n for n in chosen if n not in catalogue]
    if unknown:
        raise KeyError(f"E012 unknown recognizer(s) {unknown}; available: {sorted(catalogue)}")
    return [catalogue[n]() for n in chosen]
