"""The audit log: one JSON line per finding, one run record at the end, hash-chained.

Schema (every line): ``{"kind": ..., ..., "chain": hex}`` where ``chain`` is
SHA-256 over the previous line's ``chain`` and this line's canonical JSON
without ``chain``. Removing, reordering or editing a line breaks the chain.

* ``kind = "document"``: ``doc``, ``output`` (the output file, relative to the output
  folder) and ``index`` (0-based position of the record in that file), so the output can
  be joined back to its audit lines without any text.
* ``kind = "finding"``: ``doc``, ``entity_type``, ``start``, ``end``, ``score``,
  ``recognizer``, ``operator``, ``fingerprint``, and ``out_start``/``out_end`` (where the
  replacement sits in the output text).
* ``kind = "quarantine"``: ``doc``, ``source``, ``line``, ``code``, ``detail``.
* ``kind = "run"``: tool and model versions, policy name and digest, key source,
  counts per entity type, documents read/written/quarantined, output digests, timings,
  and ``read_options``: the field and column names the run read its inputs with (and so
  wrote its outputs with), which ``scrubber check`` and ``scrubber risk`` default to.

No line contains matched text: findings carry offsets and a keyed fingerprint.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Iterator

from scrubber.errors import InvalidValue
from scrubber.io.atomic import AtomicWriter
from scrubber.values import Record, ScrubResult

GENESIS = "0" * 64
SCHEMA_VERSION = 3  # 2: document lines and output offsets of replacements; 3: the run record's read_options
# The read options the run record keeps (ReadOptions' field and column names; max_chars is not one).
READ_OPTIONS = ("text_field", "id_field", "patient_field", "text_column", "id_column", "patient_column")


def _canonical(obj: dict[str, Any]) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(previous: str, obj: dict[str, Any]) -> str:
    """Hash of one audit line given the previous line's hash."""
    return hashlib.sha256((previous + _canonical(obj)).encode("utf-8")).hexdigest()


class AuditLog(AtomicWriter):
    """Appends audit lines to a temp file; :meth:`commit` moves it into place after :meth:`run`.

    The life cycle (sync, commit, detach, abort) is :class:`~scrubber.io.atomic.AtomicWriter`'s.
    A resumed run continues its partial log: ``temp`` and ``keep`` as for
    :class:`~scrubber.io.atomic.AtomicFile`, and ``chain`` the hash of the last kept line.

    Raises:
        ScrubberError: E404 when the log cannot be written.
    """

    def __init__(self, path: Path, *, temp: Path | None = None, keep: int | None = None, chain: str = GENESIS) -> None:
        super().__init__(path, private=True)
        self.open(temp=temp, keep=keep)
        self._last = chain
        self._closed = False

    @property
    def chain(self) -> str:
        """The chain hash of the last line written (to continue the log after a checkpoint)."""
        return self._last

    def _append(self, obj: dict[str, Any]) -> None:
        self._last = chain_hash(self._last, obj)
        self.file.write((_canonical({**obj, "chain": self._last}) + "\n").encode("utf-8"))

    def result(self, record: Record, result: ScrubResult, output: str | None = None, index: int | None = None) -> None:
        """Log one record's findings, or its quarantine entry.

        ``output``/``index`` say where a written record sits in the outputs (its file,
        relative to the output folder, and its 0-based position there).
        """
        if result.quarantined:
            self._append(
                {"kind": "quarantine", "doc": record.id, "source": record.source, "line": record.line,
                 "code": result.error, "detail": result.detail}
            )
            return
        if output is not None:
            self._append({"kind": "document", "doc": record.id, "output": output, "index": index})
        for finding in result.findings:
            self._append({"kind": "finding", "doc": record.id, **finding.to_dict()})

    def run(self, run: dict[str, Any], *, options: Any = None) -> None:
        """Write the closing run record (the last line; :meth:`commit` follows).

        Args:
            run: The run record's fields.
            options: The run's :class:`~scrubber.io.readers.ReadOptions`, kept in the run
                record as ``read_options`` (only the names in :data:`READ_OPTIONS`).
        """
        if options is not None:
            run = {**run, "read_options": {name: getattr(options, name) for name in READ_OPTIONS}}
        self._append({"kind": "run", "schema": SCHEMA_VERSION, **run})
        self._closed = True

    def _finish(self) -> None:
        if not self._closed:  # a log without its run record is not a complete log
            raise ValueError(f"{self.path}: the run record must be written before the audit log is committed")


def read_audit(path: Path) -> Iterator[dict[str, Any]]:
    """Yield audit lines after verifying the hash chain.

    Raises:
        ValueError: E501 when a line is not JSON or the chain is broken (with the line number).
    """
    previous = GENESIS
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                raise InvalidValue("E501", f"{path}:{number}: audit line is not JSON") from None
            chain = obj.pop("chain", None)
            if chain != chain_hash(previous, obj):
                raise InvalidValue("E501", f"{path}:{number}: audit hash chain broken (line edited, removed or reordered)")
            previous = chain
            yield obj
