"""One way to write a file so that it either appears complete or not at all.

Bytes go to a temporary file (next to the destination, or at a given path in a run's
partial folder); :meth:`AtomicFile.commit` flushes, fsyncs and moves it into place,
:meth:`AtomicFile.abort` deletes it. A resumed run continues a temporary file after its
checkpointed bytes (``keep``).

Every file a run writes (an output, the audit log, the quarantine list, the crosswalk) follows
one life cycle, :class:`Lifecycle`: written, synced at checkpoints (:meth:`~Lifecycle.sync`
returns the size to record), then either committed (moved into place, complete) or, after a
failure, aborted (deleted) or detached (kept for ``--resume``). :class:`AtomicFile` is that
life cycle on raw bytes; :class:`AtomicWriter` is the one base of the writers that format
records into an :class:`AtomicFile` (:class:`~scrubber.io.writers.OutputFile`,
:class:`~scrubber.audit.AuditLog`, :class:`~scrubber.crosswalk.CrosswalkWriter`,
:class:`~scrubber.io.writers.QuarantineList`), so sync, detach and abort are implemented here
only.

Every failure to write (a full disk, an unwritable folder, a file removed under the run) is a
:class:`~scrubber.errors.ScrubberError` ``E404`` that names the file being written, never a bare
``OSError``; :meth:`AtomicFile.abort` and :meth:`AtomicFile.detach` never raise (closing a file on
a full disk fails again, and must not stop the clean-up).
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Protocol, runtime_checkable

from scrubber.errors import ScrubberError


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Turn an ``OSError`` while writing ``path`` into E404 naming it."""
    try:
        yield
    except OSError as exc:
        raise ScrubberError(
            "E404", f"cannot write {path} ({exc.strerror or type(exc).__name__})", "free disk space, or choose a writable location"
        ) from None


class _Guarded:
    """A binary file handle whose write errors are E404 naming the destination."""

    def __init__(self, raw, path: Path) -> None:
        self._raw = raw
        self._path = path

    def write(self, data: bytes) -> int:
        with _writing(self._path):
            return self._raw.write(data)

    def flush(self) -> None:
        with _writing(self._path):
            self._raw.flush()

    def tell(self) -> int:
        return self._raw.tell()

    def fileno(self) -> int:
        return self._raw.fileno()

    @property
    def closed(self) -> bool:
        return self._raw.closed

    def close(self) -> None:
        with _writing(self._path):
            self._raw.close()

    def close_quietly(self) -> None:
        """Close, dropping buffered bytes that cannot be written (after a failure)."""
        try:
            self._raw.close()
        except OSError:
            try:  # the buffer could not be flushed: close the descriptor itself
                os.close(self._raw.fileno())
            except (OSError, ValueError):
                pass


@runtime_checkable
class Lifecycle(Protocol):
    """The life cycle of a file a run writes: it appears under its final name complete or not at all."""

    def sync(self) -> int:
        """Flush and fsync what was written; return its size in bytes (for a checkpoint)."""
        ...

    def commit(self) -> None:
        """Flush, fsync and move into place under the final name."""
        ...

    def detach(self) -> None:
        """Stop writing and keep the temporary file (an interrupted resumable run continues it); never raises."""
        ...

    def abort(self) -> None:
        """Delete the temporary file: nothing is left under the final name; never raises."""
        ...


class AtomicFile:
    """A binary temp file that becomes ``path`` on :meth:`commit`.

    Args:
        path: Final location (its folder is created).
        private: Keep mode 0600 (audit log, crosswalk) instead of the umask default.
        temp: Write here instead of a fresh temp file next to ``path`` (a resumable run's
            partial folder, see :mod:`scrubber.resume`).
        keep: With ``temp``: continue the existing file after its first ``keep`` bytes
            (anything after them is cut); ``None`` starts it empty.

    Example:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
        >>> f = AtomicFile(target); _ = f.handle.write(b"done"); f.commit(); target.read_text()
        'done'
    """

    def __init__(self, path: Path, *, private: bool = False, temp: Path | None = None, keep: int | None = None) -> None:
        self.path = Path(path)
        with _writing(self.path if temp is None else Path(temp)):
            if temp is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".partial", dir=self.path.parent)
            else:
                tmp = str(temp)
                Path(tmp).parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if keep is None else 0), 0o600)
                if keep is not None:
                    os.ftruncate(fd, keep)
                    os.lseek(fd, 0, os.SEEK_END)
            if private:
                os.fchmod(fd, 0o600)
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.fchmod(fd, 0o666 & ~umask)
        self._tmp: Path | None = Path(tmp)
        self.handle = _Guarded(os.fdopen(fd, "wb"), self.path)

    def write(self, data: bytes) -> int:
        """Append ``data`` (E404 naming the file when it cannot be written)."""
        return self.handle.write(data)

    @property
    def temp(self) -> Path | None:
        """The temporary file (``None`` once committed or aborted)."""
        return self._tmp

    def sync(self) -> int:
        """Flush and fsync; return the number of bytes written so far (for a checkpoint)."""
        self.handle.flush()
        with _writing(self.path):
            os.fsync(self.handle.fileno())
        return self.handle.tell()

    def commit(self) -> None:
        """Flush, fsync and move into place."""
        if self._tmp is None:
            raise ValueError(f"{self.path}: already committed or aborted")
        self.sync()
        self.handle.close()
        with _writing(self.path):
            move_into_place(self._tmp, self.path)
        self._tmp = None

    def detach(self) -> None:
        """Close, keeping the temp file (an interrupted resumable run continues it); never raises."""
        if self._tmp is not None:
            self.handle.close_quietly()
            self._tmp = None

    def abort(self) -> None:
        """Delete the temp file; nothing is left under the final name. Never raises."""
        if self._tmp is not None:
            self.handle.close_quietly()
            try:
                self._tmp.unlink(missing_ok=True)
            except OSError:
                pass
            self._tmp = None


class AtomicWriter:
    """Base of the writers that format what they are given into one :class:`AtomicFile`.

    Implements :class:`Lifecycle` once for all of them. The file is opened by :meth:`open` (a run
    passes its partial folder's temp file, and a resumed run the checkpointed size), else on first
    use. Subclasses write through :attr:`file`, and may override :meth:`_finish` (called before
    the commit: e.g. a Parquet footer) and :meth:`_drop` (called before an abort or detach; must
    not raise).

    Args:
        path: Final location.
        private: Mode 0600 (audit log, crosswalk) instead of the umask default.
    """

    def __init__(self, path: Path, *, private: bool = False) -> None:
        self.path = Path(path)
        self._private = private
        self._file: AtomicFile | None = None

    def open(self, *, temp: Path | None = None, keep: int | None = None) -> None:
        """Start writing (to ``temp``, continuing after ``keep`` bytes: see :class:`AtomicFile`)."""
        self._file = AtomicFile(self.path, private=self._private, temp=temp, keep=keep)

    @property
    def file(self) -> AtomicFile:
        """The file being written (opened next to :attr:`path` if :meth:`open` was not called)."""
        if self._file is None:
            self.open()
        assert self._file is not None
        return self._file

    @property
    def temp(self) -> Path | None:
        """The temporary file (``None`` before it is opened and once committed, aborted or detached)."""
        return None if self._file is None else self._file.temp

    def sync(self) -> int:
        """Flush and fsync; return the size so far (for a checkpoint)."""
        return self.file.sync()

    def commit(self) -> None:
        """Finish the content, then flush, fsync and move into place."""
        self._finish()
        self.file.commit()
        self._file = None

    def detach(self) -> None:
        """Stop writing and keep the temp file for a resumed run; never raises."""
        self._drop()
        if self._file is not None:
            self._file.detach()
            self._file = None

    def abort(self) -> None:
        """Delete the temp file: nothing incomplete is left under the final name; never raises."""
        self._drop()
        if self._file is not None:
            self._file.abort()
            self._file = None

    def _finish(self) -> None:
        """Write what must come last (before :meth:`commit` moves the file into place)."""

    def _drop(self) -> None:
        """Release what the subclass holds after a failure (before an abort or detach); never raises."""


def move_into_place(source: Path, path: Path) -> None:
    """Rename ``source`` to ``path`` (atomic); across file systems, copy to a temp file next to
    ``path``, rename that, then delete ``source``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source, path)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        copy = AtomicFile(path, private=(os.stat(source).st_mode & 0o077) == 0)
        with open(source, "rb") as handle:
            shutil.copyfileobj(handle, copy.handle)
        copy.commit()
        os.unlink(source)
