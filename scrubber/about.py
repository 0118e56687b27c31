"""What is installed: package, model, Presidio and spaCy versions, recognizers, default policy.

The data behind ``scrubber info`` (and ``scrubber --version``), for bug reports and for tooling
that records which build scrubbed a dataset. Nothing here loads the spaCy model.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any


def _installed(distribution: str) -> str | None:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


def about() -> dict[str, Any]:
    """Versions, the default model, the registered recognizers and the default policy's digest.

    Example:
        >>> info = about()
        >>> sorted(info)
        ['caseless_ner', 'default_policy', 'default_policy_digest', 'model', 'presidio_analyzer', 'presidio_anonymizer', 'python', 'recognizers', 'spacy', 'version']
    """
    import platform

    import recognizers
    from recognizers.caseless import WEIGHTS, digest
    from scrubber import __version__
    from scrubber.engine import DEFAULT_MODEL
    from scrubber.policy import resolve_policy

    policy = resolve_policy(None)
    return {
        "version": __version__,
        "python": platform.python_version(),
        "model": {"name": DEFAULT_MODEL, "version": _installed(DEFAULT_MODEL)},  # None: not installed (E230 at run time)
        # the default model's NER retrained for text without capitals (recognizers/caseless.py), by digest
        "caseless_ner": f"sha256:{digest()}" if WEIGHTS.is_dir() else None,
        "presidio_analyzer": _installed("presidio-analyzer"),
        "presidio_anonymizer": _installed("presidio-anonymizer"),
        "spacy": _installed("spacy"),
        "recognizers": sorted(recognizers.available()),
        "default_policy": policy.name,
        "default_policy_digest": policy.digest,
    }
