"""Offline clinical-text PHI scrubber.

Example:
    >>> from scrubber import Scrubber            # doctest: +SKIP
    >>> scrubber = Scrubber()                    # doctest: +SKIP
    >>> scrubber.scrub("Seen by Dr. Patel on 03/14/2024.").text  # doctest: +SKIP
    'Seen by Dr. [PERSON] on [DATE].'
    >>> from scrubber import check               # doctest: +SKIP
    >>> check("out/", policy="safe-harbor").passed  # the pre-publication gate  # doctest: +SKIP
    True
"""

from __future__ import annotations

from scrubber.errors import RecordQuarantined
from scrubber.values import Finding, Record, ScrubResult

__version__ = "0.1.0"
__all__ = ["Finding", "Record", "RecordQuarantined", "ScrubResult", "Scrubber", "__version__", "check"]


def __getattr__(name: str):
    # Lazy: importing the package must not load spaCy, Presidio or the risk modules.
    if name == "Scrubber":
        from scrubber.engine import Scrubber

        return Scrubber
    if name == "check":
        from scrubber.risk import check

        return check
    raise AttributeError(name)
