"""One way to write a file so that it either appears complete or not at all.

Bytes go to a temporary file next to the destination; :meth:`AtomicFile.commit`
flushes, fsyncs and renames it into place, :meth:`AtomicFile.abort` deletes it.
Used by the output writers, the audit log and the crosswalk.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class AtomicFile:
    """A binary temp file that becomes ``path`` on :meth:`commit`.

    Args:
        path: Final location (its folder is created).
        private: Keep mkstemp's 0600 mode (audit log, crosswalk) instead of the umask default.

    Example:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
        >>> f = AtomicFile(target); _ = f.handle.write(b"done"); f.commit(); target.read_text()
        'done'
    """

    def __init__(self, path: Path, *, private: bool = False) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".partial", dir=self.path.parent)
        if not private:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)
        self._tmp: Path | None = Path(tmp)
        self.handle = os.fdopen(fd, "wb")

    def commit(self) -> None:
        """Flush, fsync and rename into place."""
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self._tmp, self.path)  # type: ignore[arg-type]
        self._tmp = None

    def abort(self) -> None:
        """Delete the temp file; nothing is left under the final name."""
        if self._tmp is not None:
            self.handle.close()
            self._tmp.unlink(missing_ok=True)
            self._tmp = None
