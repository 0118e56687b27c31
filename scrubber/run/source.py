"""The reading side of a run: its input files, read once and in order, as one record stream.

A resumed run starts where its last checkpoint stood (:class:`ResumePoint`): it skips the records
already done and checks, by a keyed check value of the last one's id, that the input is the one
the interrupted run read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from scrubber.errors import ScrubberError
from scrubber.io.readers import InputFile, ReadOptions, check_header, read
from scrubber.resume import Partial
from scrubber.values import Record


@dataclass(frozen=True)
class ResumePoint:
    """Where reading starts: the first file to read, the records of it already done, and the check
    value of the last done record's id (see :meth:`~scrubber.resume.Partial.check_value`)."""

    file: int = 0
    skip: int = 0
    last: str | None = None

    @classmethod
    def of(cls, state: dict[str, Any] | None) -> "ResumePoint":
        """The point a checkpoint ``state`` describes (the start for a new run)."""
        if not state:
            return cls()
        current = state.get("current")
        if current is not None:
            return cls(current["index"], current["records"] + current["quarantined"], state["last"])
        return cls(state["next"], 0, state["last"])


class Source:
    """The records of ``files``, in input order.

    Args:
        files: The inputs (see :func:`~scrubber.io.readers.discover`).
        options: Field and column names.
        partial: A resumed run's partial state: reading starts after its checkpoint.
    """

    def __init__(self, files: list[InputFile], options: ReadOptions, partial: Partial | None = None) -> None:
        self.files = files
        self.options = options
        self._partial = partial
        self.start = ResumePoint.of(partial.state if partial is not None else None)

    def check_headers(self) -> None:
        """Fail on a CSV or Parquet input without the text column (E205) before anything is scrubbed."""
        for f in self.files:
            check_header(f, self.options)

    def records(self) -> Iterator[Record]:
        """The input records not yet done (a resumed run skips the checkpointed ones).

        Raises:
            ScrubberError: E262 when a resumed run's input changed since it was interrupted.
        """
        skip = self.start.skip
        for f in self.files[self.start.file :]:
            for record in read(f, self.options):
                if skip:
                    skip -= 1
                    if skip == 0 and self._check_value(record.id) != self.start.last:
                        raise ScrubberError("E262", f"cannot resume: {f.label} changed since the interrupted run", "remove the partial folder and run again")
                    continue
                yield record
            if skip:
                raise ScrubberError("E262", f"cannot resume: {f.label} has fewer records than when the run was interrupted", "remove the partial folder and run again")

    def _check_value(self, record_id: str) -> str | None:
        assert self._partial is not None, "only a resumed run skips records"
        return self._partial.check_value(record_id)
