"""Error codes. Every error names a code and the fix; none carries document text.

Codes:
    E1xx  input (one record): quarantined, the run goes on.
    E2xx  configuration and usage: the run does not start (exit code 2).
    E3xx  processing (one record): quarantined, the run goes on.
    E4xx  output: the run stops (exit code 2).
"""

from __future__ import annotations

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


class ScrubberError(Exception):
    """A configuration, usage or output error that stops a run before or while writing.

    The message states what is wrong and how to fix it; it never contains document text.

    Example:
        >>> str(ScrubberError("E201", "no input files found under notes/", "pass .txt, .jsonl or .csv files"))
        'E201 no input files found under notes/. Fix: pass .txt, .jsonl or .csv files'
    """

    def __init__(self, code: str, message: str, fix: str = "") -> None:
        self.code = code
        self.message = message
        self.fix = fix
        super().__init__(f"{code} {message}" + (f". Fix: {fix}" if fix else ""))


class RecordError(Exception):
    """Raised inside the engine for one record; turned into a quarantine entry."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        self.detail = detail or DESCRIPTIONS.get(code, "")
        super().__init__(f"{code} {self.detail}")


class RecordQuarantined(Exception):
    """Raised by :meth:`scrubber.Scrubber.scrub` when a single text cannot be scrubbed."""

    def __init__(self, code: str, detail: str) -> None:
        self.code = code
        self.detail = detail
        super().__init__(f"{code} {detail}")
