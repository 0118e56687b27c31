"""Offline clinical-text PHI scrubber.

Example:
    >>> from scrubber import Scrubber            # doctest: +SKIP
    >>> scrubber = Scrubber()                    # doctest: +SKIP
    >>> scrubber.scrub("Seen by Dr. Patel on 03/14/2024.").text  # doctest: +SKIP
    'Seen by Dr. [PERSON] on [DATE].'
"""

from __future__ import annotations

from scrubber.errors import RecordQuarantined
from scrubber.values import Finding, Record, ScrubResult

__version__ = "0.1.0"
__all__ = ["Finding", "Record", "RecordQuarantined", "ScrubResult", "Scrubber", "__version__"]


def __getattr__(name: str):
    # Lazy: importing the package must not load spaCy or Presidio.
    if name == "Scrubber":
        from scrubber.engine import Scrubber

        return Scrubber
    raise AttributeError(name)
