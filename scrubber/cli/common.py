"""Shared CLI plumbing: exit codes, stderr console, error reporting without PHI."""

from __future__ import annotations

import logging
from enum import IntEnum

from rich.console import Console


class Exit(IntEnum):
    """Documented exit codes (README, "Exit codes")."""

    OK = 0
    CHECK_FAILED = 1  # a check found a problem (evaluate --min-*, `scrubber check`)
    USAGE = 2  # usage, configuration, input-file or output error; nothing half-written
    QUARANTINED = 3  # records were quarantined (run otherwise complete); see --allow-quarantine
    INTERNAL = 4  # unexpected internal error (reported by type only)
    INTERRUPTED = 130


# markup=False: messages carry paths and user values; "[/]" or "[bold]" in a file name must be
# printed as it is, never interpreted (or raise a markup error).
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


def quiet_libraries() -> None:
    """Keep third-party loggers from printing (their messages could quote text)."""
    for name in ("presidio-analyzer", "presidio-anonymizer", "presidio_analyzer", "presidio_anonymizer", "spacy"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
