"""Scrub a pandas DataFrame in memory: the text column scrubbed, a findings frame beside it.

Example:
    >>> import pandas as pd                                           # doctest: +SKIP
    >>> from scrubber.pandas import scrub_frame                       # doctest: +SKIP
    >>> df = pd.DataFrame({"note_id": ["n1"], "note": ["Seen by Dr. Patel."]})  # doctest: +SKIP
    >>> scrubbed, findings = scrub_frame(df, text="note", id="note_id")          # doctest: +SKIP
    >>> scrubbed.loc[0, "note"], findings.loc[0, "entity_type"]       # doctest: +SKIP
    ('Seen by Dr. [PERSON].', 'PERSON')

Fail closed: a row whose text is missing or not a string, or that cannot be scrubbed, comes
back with null text and its error code in ``scrub_error``; its original text is never returned.
The findings frame holds offsets, types, scores, recognizers and keyed fingerprints, never text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from scrubber import errors
from scrubber.errors import ScrubberError
from scrubber.values import Record

if TYPE_CHECKING:  # pandas is an optional dependency (the [parquet] extra)
    import pandas as pd

ERROR_COLUMN = "scrub_error"
FINDING_COLUMNS = (
    "row", "id", "entity_type", "start", "end", "score", "recognizer", "operator", "fingerprint", "out_start", "out_end",
)


def scrub_frame(
    df: "pd.DataFrame",
    *,
    text: str = "text",
    id: str | None = None,  # noqa: A002 - mirrors --id-column
    patient: str | None = None,
    scrubber=None,
) -> tuple["pd.DataFrame", "pd.DataFrame"]:
    """Return ``(scrubbed, findings)`` for ``df``.

    Args:
        df: The frame; it is not modified.
        text: Column holding the note text.
        id: Column holding the record id [default: the row's index label].
        patient: Column holding the patient key (scopes surrogates and date shifts).
        scrubber: A built :class:`~scrubber.engine.Scrubber` [default: a new one with the
            default policy and a random per-run key].

    Returns:
        ``scrubbed``: a copy of ``df`` (same index and columns) with ``text`` scrubbed and a
        ``scrub_error`` column (``None``, or the error code of a quarantined row, whose text is
        null). ``findings``: one row per finding: ``row`` (the index label), ``id``,
        ``entity_type``, ``start``, ``end`` (offsets into the input text), ``score``,
        ``recognizer``, ``operator``, ``fingerprint``, ``out_start``, ``out_end`` (offsets into
        the scrubbed text).

    Raises:
        ScrubberError: E282 when a named column is missing or ``df`` already has ``scrub_error``.
    """
    import pandas as pd

    for role, column in (("text", text), ("id", id), ("patient", patient)):
        if column is not None and column not in df.columns:
            raise ScrubberError("E282", f"scrub_frame: no column named {column!r} ({role}=)", "pass the name of an existing column")
    if ERROR_COLUMN in df.columns:
        raise ScrubberError("E282", f"scrub_frame: the frame already has a {ERROR_COLUMN!r} column", f"rename or drop {ERROR_COLUMN!r} first")
    if scrubber is None:
        from scrubber.engine import Scrubber

        scrubber = Scrubber()

    labels = list(df.index)

    def records() -> Iterator[Record]:
        texts = df[text].tolist()
        ids = df[id].tolist() if id is not None else labels
        patients = df[patient].tolist() if patient is not None else [None] * len(df)
        for position, (value, record_id, key) in enumerate(zip(texts, ids, patients)):
            record_id = str(labels[position] if _missing(record_id) else record_id)
            key = None if _missing(key) else str(key)
            if isinstance(value, str):
                yield Record(record_id, value, patient=key, line=position)
            else:  # None, NaN, numbers, bytes: never passed through
                yield Record(record_id, None, patient=key, line=position, error=errors.INPUT_TEXT_NOT_STRING)

    out_text: list[str | None] = []
    out_error: list[str | None] = []
    rows: list[dict] = []
    for record, result in scrubber.iter_records(records()):
        if result.quarantined:
            out_text.append(None)
            out_error.append(result.error)
            continue
        out_text.append(result.text)
        out_error.append(None)
        label = labels[record.line]  # type: ignore[index]
        for f in result.findings:
            d = f.to_dict()
            rows.append({"row": label, "id": record.id, **{k: d.get(k) for k in FINDING_COLUMNS[2:]}})
    scrubbed = df.copy()
    scrubbed[text] = pd.Series(out_text, index=df.index, dtype=object)
    scrubbed[ERROR_COLUMN] = pd.Series(out_error, index=df.index, dtype=object)
    findings = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    return scrubbed, findings


def _missing(value) -> bool:
    """None or a pandas missing value (NaN, NaT, NA)."""
    if value is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like values
        return False
