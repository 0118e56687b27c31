"""One way to write a file so that it either appears complete or not at all.

Bytes go to a temporary file (next to the destination, or at a given path in a run's
partial folder); :meth:`AtomicFile.commit` flushes, fsyncs and moves it into place,
:meth:`AtomicFile.abort` deletes it. A resumed run continues a temporary file after its
checkpointed bytes (``keep``). Used by the output writers, the audit log, the quarantine
list and the crosswalk.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path


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
        self.handle = os.fdopen(fd, "wb")

    @property
    def temp(self) -> Path | None:
        """The temporary file (``None`` once committed or aborted)."""
        return self._tmp

    def sync(self) -> int:
        """Flush and fsync; return the number of bytes written so far (for a checkpoint)."""
        self.handle.flush()
        os.fsync(self.handle.fileno())
        return self.handle.tell()

    def commit(self) -> None:
        """Flush, fsync and move into place."""
        self.sync()
        self.handle.close()
        move_into_place(self._tmp, self.path)  # type: ignore[arg-type]
        self._tmp = None

    def detach(self) -> None:
        """Close, keeping the temp file (an interrupted resumable run continues it)."""
        if self._tmp is not None:
            self.handle.close()
            self._tmp = None

    def abort(self) -> None:
        """Delete the temp file; nothing is left under the final name."""
        if self._tmp is not None:
            self.handle.close()
            self._tmp.unlink(missing_ok=True)
            self._tmp = None


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
