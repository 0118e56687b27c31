"""``scrubber reidentify`` and ``scrubber keygen``: reverse a scrubbed output with its crosswalk."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from scrubber.cli.common import Exit, err


def keygen() -> None:
    """Print a new crosswalk key (keep it apart from the data and from the surrogate key).

    Example:

        scrubber keygen > crosswalk.key
    """
    from scrubber.crosswalk import new_key

    typer.echo(new_key())


def reidentify(
    inputs: Annotated[list[str], typer.Argument(help="Scrubbed outputs of one run (same forms as `scrub` takes).", show_default=False)],
    crosswalk: Annotated[Path, typer.Option(help="The encrypted crosswalk the run wrote (`scrub --crosswalk`).", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the re-identified documents.", show_default=False)],
    crosswalk_key_file: Annotated[Optional[Path], typer.Option(help="Crosswalk key [default: $SCRUBBER_CROSSWALK_KEY].")] = None,
    text_field: Annotated[str, typer.Option(help="JSONL: field holding the note text.")] = "text",
    id_field: Annotated[Optional[str], typer.Option(help="JSONL: field holding the record id (as in the scrub run).")] = None,
    text_column: Annotated[str, typer.Option(help="CSV: column holding the note text.")] = "text",
    id_column: Annotated[Optional[str], typer.Option(help="CSV: column holding the record id (as in the scrub run).")] = None,
) -> None:
    """Put the original identifiers back into a scrubbed output, for an authorised user.

    Needs the crosswalk and its key. Fails (exit 2) when the key is wrong, the crosswalk
    was edited, a record is not the output its entry was made for (E229), or an id repeats
    (E228); nothing half-restored is written.

    Example:

        scrubber reidentify out/notes.jsonl --id-field id --crosswalk out/crosswalk.enc --crosswalk-key-file crosswalk.key --out restored/
    """
    from scrubber.crosswalk import check_record, load_crosswalk_key, read_crosswalk, restore
    from scrubber.errors import ScrubberError
    from scrubber.io.readers import ReadOptions, discover, read
    from scrubber.io.writers import OutputFile
    from scrubber.values import ScrubResult

    options = ReadOptions(text_field=text_field, id_field=id_field, text_column=text_column, id_column=id_column)
    try:
        fernet = load_crosswalk_key(crosswalk_key_file)
        table = read_crosswalk(crosswalk, fernet)
        files = discover(inputs)
        seen: set[str] = set()
        for input_file in files:
            output = OutputFile(input_file, out, options)
            try:
                for record in read(input_file, options):
                    if record.text is None or record.id not in table:
                        raise ScrubberError("E226", f"{record.where}: record {record.id!r} is not in the crosswalk", "reidentify the outputs of the run that wrote this crosswalk, with the same --id-field/--id-column")
                    if record.id in seen:
                        raise ScrubberError("E228", f"{record.where}: a second record with an id already restored; nothing was restored", "reidentify the outputs exactly as the run wrote them, with the same --id-field/--id-column")
                    seen.add(record.id)
                    digest, items = table[record.id]
                    restored = restore(record.text, items)  # E225: differs at an entry
                    check_record(record.where, record.text, digest)  # E229: differs anywhere, or another record
                    output.write(record, ScrubResult(record.id, restored))
                output.commit()
            except BaseException:
                output.abort()
                raise
    except ScrubberError as exc:
        err.print(str(exc))
        raise typer.Exit(Exit.USAGE) from None
