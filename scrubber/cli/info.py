"""``scrubber info`` and ``scrubber --version``: what is installed."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer


def version_callback(value: bool) -> None:
    """Eager ``--version``: print the package version and exit before any command runs."""
    if value:
        from scrubber import __version__

        typer.echo(f"scrubber {__version__}")
        raise typer.Exit()


VersionOption = Annotated[
    Optional[bool],
    typer.Option("--version", callback=version_callback, is_eager=True, help="Print the version and exit."),
]


def info(as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (for tooling).")] = False) -> None:
    """Print the package, model, Presidio and spaCy versions, the registered recognizers and the default policy's digest.

    Example:

        scrubber info --json
    """
    from scrubber.about import about

    data = about()
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    model = data["model"]
    lines = [
        f"clinical-scrubber {data['version']} (Python {data['python']})",
        f"model: {model['name']} {model['version'] or '(not installed)'}; caseless NER {data['caseless_ner'] or '(missing)'}",
        f"presidio-analyzer {data['presidio_analyzer']}, presidio-anonymizer {data['presidio_anonymizer']}, spaCy {data['spacy']}",
        f"default policy: {data['default_policy']} {data['default_policy_digest']}",
        f"recognizers ({len(data['recognizers'])}): {', '.join(data['recognizers'])}",
    ]
    typer.echo("\n".join(lines))
