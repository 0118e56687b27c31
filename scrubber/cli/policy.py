"""``scrubber policy``: print a preset as a file to start from, or validate a policy file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scrubber.cli.common import Exit, err

app = typer.Typer(help="Show a preset policy or check a policy file.", no_args_is_help=True, add_completion=False)


@app.command("show")
def show(name: Annotated[str, typer.Argument(help="Preset: tags, safe-harbor, surrogate, redact, mask or hash.", show_default=False)]) -> None:
    """Print a preset as a TOML policy file (stdout) to edit and pass to `--policy`.

    Example:

        scrubber policy show safe-harbor > my-policy.toml
    """
    from scrubber.errors import ScrubberError
    from scrubber.policy import PRESETS

    if name not in PRESETS:
        err.print(str(ScrubberError("E213", f"unknown preset {name!r}", f"use one of {', '.join(PRESETS)}")))
        raise typer.Exit(Exit.USAGE)
    typer.echo(PRESETS[name].to_toml(), nl=False)


@app.command("check")
def check(path: Annotated[Path, typer.Argument(help="Policy file (TOML).", show_default=False)]) -> None:
    """Validate a policy file; print its name and digest, or the error with its code and fix (exit 2).

    Example:

        scrubber policy check my-policy.toml
    """
    from scrubber.policy import PolicyError, load_policy

    try:
        policy = load_policy(path)
    except PolicyError as exc:
        err.print(str(exc))
        raise typer.Exit(Exit.USAGE) from None
    typer.echo(f"ok: {policy.name} {policy.digest}")
    for entity, why in sorted(policy.weakened().items()):  # allowed by allow_weakened, but say so
        typer.echo(f"weakened (allowed by allow_weakened): {entity}: {why}")
