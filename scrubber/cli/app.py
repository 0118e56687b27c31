"""The ``scrubber`` command."""

from __future__ import annotations

import sys

import typer

from scrubber.cli import evaluate as evaluate_cmd
from scrubber.cli import info as info_cmd
from scrubber.cli import policy as policy_cmd
from scrubber.cli import reidentify as reidentify_cmd
from scrubber.cli import review as review_cmd
from scrubber.cli import risk as risk_cmd
from scrubber.cli import scrub as scrub_cmd
from scrubber.cli import show as show_cmd
from scrubber.cli.common import Exit, err, quiet_libraries
from scrubber.errors import CodedError

app = typer.Typer(
    name="scrubber",
    help=(
        "Offline clinical-text PHI scrubber (Presidio + spaCy + clinical recognizers).\n\n"
        "Exit codes: 0 ok; 1 a check failed; 2 usage, configuration, input or output error; "
        "3 records quarantined; 4 internal error; 130 interrupted."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)
app.command("scrub", no_args_is_help=True)(scrub_cmd.scrub)
app.command("evaluate", no_args_is_help=True)(evaluate_cmd.evaluate)
app.add_typer(policy_cmd.app, name="policy")
app.command("reidentify", no_args_is_help=True)(reidentify_cmd.reidentify)
app.command("keygen")(reidentify_cmd.keygen)
app.command("risk", no_args_is_help=True)(risk_cmd.risk)
app.command("check", no_args_is_help=True)(risk_cmd.check)
app.command("review", no_args_is_help=True)(review_cmd.review)
app.command("info")(info_cmd.info)
app.command("show", no_args_is_help=True)(show_cmd.show)


@app.callback()
def _root(version: info_cmd.VersionOption = None) -> None:
    """Offline clinical-text PHI scrubber."""


def main() -> None:
    """Console-script entry point: never prints a traceback or local variables."""
    quiet_libraries()
    try:
        code = app(standalone_mode=False)
    except KeyboardInterrupt:
        err.print("interrupted; nothing incomplete was left under a final name")
        sys.exit(Exit.INTERRUPTED)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001
        if type(exc).__name__ == "Abort":
            sys.exit(Exit.INTERRUPTED)
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # click usage errors (typer vendors click)
            exc.show()
            sys.exit(Exit.USAGE)
        # Type only: the message of an unexpected error may quote document text.
        err.print(str(CodedError("E999", f"internal error ({type(exc).__name__}); no output was left half-written. Please report it.")))
        sys.exit(Exit.INTERNAL)
    sys.exit(code if isinstance(code, int) else Exit.OK)
