"""A run's partial state under ``OUT/.scrubber-partial/``, so an interrupted run can resume.

Everything a run writes goes through this folder: an output file, the audit log, the
quarantine list and the crosswalk are written here and moved to their final names only
when complete, so nothing incomplete ever sits under a final name. A completed run
removes the folder. The folder holds:

========================  =====================================================================
``lock``                  locked while a run writes to OUT (a second run on OUT is refused)
``config.json``           what the run was started with: inputs (size, mtime), options, policy
                          digest, model, library versions, a keyed check value of the key (never
                          the key); written once
``state.json``            the last checkpoint: records done, the output file being written and
                          its size, the sizes of the logs, the audit chain hash, the counts;
                          replaced atomically after the files it describes are synced
``files/<name>``          the output file being written
``audit.jsonl``,          the audit log, quarantine list and (opt-in) crosswalk being written
``quarantine.jsonl``,
``crosswalk``
``outputs.jsonl``         finished output files and their digests
``registries.jsonl``      surrogate registry entries (surrogate -> keyed fingerprint of the
                          original, per patient scope): no PHI
========================  =====================================================================

``--resume`` checks that the inputs, options, policy and key are those of the interrupted
run, truncates every file to its checkpointed size, skips the records already done and goes
on; the records after the checkpoint are scrubbed again, so at most a checkpoint interval plus
the records in flight are reprocessed. Resuming needs the same key (``--key-file`` or
``SCRUBBER_KEY``): a run with a random key, or one that read stdin, cannot be resumed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

from scrubber.errors import ScrubberError
from scrubber.io.atomic import move_into_place

PARTIAL_DIR = ".scrubber-partial"
FORMAT = 1
_IGNORED = ("resumable", "why_not")  # config entries that are not compared on resume


class Partial:
    """The partial-state folder of one run (use :meth:`open`)."""

    def __init__(self, folder: Path, config: dict, lock_fd: int | None) -> None:
        self.dir = folder
        self.config = config
        self.resumable: bool = bool(config["resumable"])
        self.state: dict | None = None  # the last checkpoint when resuming
        self.resumed = False
        self._lock_fd = lock_fd
        self._registries: JournalFile | None = None

    @classmethod
    def open(cls, out_dir: Path, config: dict, *, resume: bool) -> "Partial":
        """Take ``out_dir``'s partial folder for a run, continuing it when ``resume``.

        Raises:
            ScrubberError: E403 another run holds OUT; E260 partial state exists but ``resume``
                is false; E261 the partial run cannot be resumed; E262 it was started with other
                inputs, options, policy or key; E263 its state is damaged.
        """
        config = json.loads(json.dumps(config))  # the JSON form, as it will be compared
        folder = out_dir / PARTIAL_DIR
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise ScrubberError("E401", f"cannot create {folder} ({exc.strerror})", "choose a writable --out folder") from None
        lock_fd = _lock(folder / "lock", out_dir)
        try:
            saved = _read_json(folder / "config.json", folder)
            if saved is None:  # new, or killed before anything was written
                _clear(folder)
                partial = cls(folder, config, lock_fd)
                _write_json(folder / "config.json", config)
            else:
                where = f"{out_dir} holds the partial state of an interrupted run ({folder})"
                if not resume:
                    if saved.get("resumable"):
                        raise ScrubberError("E260", where, f"add --resume to continue it (same inputs, options and key), or remove {folder} to start over")
                    raise ScrubberError("E260", where, f"it cannot be resumed ({saved.get('why_not')}); remove {folder} to start over")
                if saved.get("format") != FORMAT:
                    raise ScrubberError("E263", f"the partial state in {folder} has an unknown format", f"remove {folder} and run again")
                if not saved.get("resumable"):
                    raise ScrubberError("E261", f"cannot resume: {saved.get('why_not')}", f"remove {folder} and run again without --resume")
                if not config["resumable"]:
                    raise ScrubberError("E261", f"cannot resume: {config['why_not']}", "resume with the key and inputs of the interrupted run")
                differ = [k for k in sorted(set(saved) | set(config)) if k not in _IGNORED and saved.get(k) != config.get(k)]
                if differ:
                    raise ScrubberError(
                        "E262",
                        f"cannot resume: the interrupted run in {out_dir} was started with different {', '.join(differ)}",
                        f"resume with the same inputs, options, policy and key, or remove {folder} to start over",
                    )
                partial = cls(folder, config, lock_fd)
                partial.state = _read_json(folder / "state.json", folder)
                partial.resumed = True
        except BaseException:
            _unlock(lock_fd)
            raise
        if partial.resumable:
            partial._registries = JournalFile(folder / "registries.jsonl", keep=-1)
        return partial

    # -- files ----------------------------------------------------------------------------------
    def temp(self, name: str) -> Path:
        """Where a log (``audit.jsonl``, ``quarantine.jsonl``, ...) is written until it is complete."""
        return self.dir / name

    def output_temp(self, relative: Path) -> Path:
        """Where the output file ``relative`` is written until it is complete."""
        return self.dir / "files" / relative

    def reclaim(self, temp: Path, final: Path, keep: int) -> None:
        """Make ``temp`` hold at least the ``keep`` checkpointed bytes again.

        A file finished after the last checkpoint was already moved to its final name; it is
        moved back (its first ``keep`` bytes are the checkpointed ones) and continued.

        Raises:
            ScrubberError: E263 when neither file has the checkpointed bytes.
        """
        if temp.exists() and temp.stat().st_size >= keep:
            return
        if keep == 0:
            return
        if not temp.exists() and final.exists() and final.stat().st_size >= keep:
            move_into_place(final, temp)
            return
        raise ScrubberError("E263", f"the partial state in {self.dir} is damaged ({temp.name} is shorter than its checkpoint)", f"remove {self.dir} and run again")

    def checkpoint(self, state: dict[str, Any]) -> None:
        """Record ``state`` (after the files it describes were synced); atomic."""
        if self._registries is not None:
            self._registries.sync()
        _write_json(self.dir / "state.json", state)

    def check_value(self, record_id: str) -> str | None:
        """A short digest of a record id, bound to the run's key (so the state holds no raw id).

        ``None`` when the run has a random key (it cannot be resumed, so nothing is checked).
        """
        key_check = self.config["key"]
        if not key_check:
            return None
        return hashlib.sha256(f"{key_check}:{record_id}".encode("utf-8", "surrogatepass")).hexdigest()[:32]

    # -- surrogate registries -------------------------------------------------------------------------
    def registries(self) -> dict[str, dict[str, str]]:
        """The registries saved by the interrupted run (empty for a new run).

        Entries may come from records after the last checkpoint: they were produced by the same
        deterministic run, and a registry that already holds entries of later records gives the
        same surrogates (an entry is only ever added, by the first original that claims it).
        """
        table: dict[str, dict[str, str]] = {}
        if not self.resumed:
            return table
        for line in JournalFile.read(self.dir / "registries.jsonl"):
            table.setdefault(line["scope"], {}).update(line["entries"])
        return table

    def add_registries(self, additions: dict[str, list[tuple[str, str]]]) -> None:
        """Append a batch's registry additions (synced with the next checkpoint)."""
        if self._registries is None:
            return
        for scope, entries in additions.items():
            self._registries.append({"scope": scope, "entries": dict(entries)})

    # -- end -------------------------------------------------------------------------------------------
    def keep(self) -> None:
        """Leave the folder for ``--resume`` (after an interruption)."""
        self._release()

    def discard(self) -> None:
        """Remove the folder (the run completed, or it cannot be resumed). Never raises."""
        self._close_registries()
        shutil.rmtree(self.dir, ignore_errors=True)
        self._release()

    def _close_registries(self) -> None:
        if self._registries is not None:
            registries, self._registries = self._registries, None
            try:
                registries.close()
            except OSError:  # a full disk: the buffered tail is lost, the checkpointed part is synced
                pass

    def _release(self) -> None:
        self._close_registries()
        if self._lock_fd is not None:
            _unlock(self._lock_fd)
            self._lock_fd = None


class JournalFile:
    """An append-only JSON-lines file, continued at a checkpointed size.

    Args:
        path: The file.
        keep: ``None`` starts it empty; a size truncates it to that many bytes; ``-1`` keeps it whole.
    """

    def __init__(self, path: Path, *, keep: int | None) -> None:
        self.path = path
        flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if keep is None else 0)
        fd = os.open(path, flags, 0o600)
        if keep is not None and keep >= 0:
            os.ftruncate(fd, keep)
        os.lseek(fd, 0, os.SEEK_END)
        self._handle = os.fdopen(fd, "wb")
        if keep == -1 and self._handle.tell():
            self._handle.write(b"\n")  # end a line torn by a kill; read() skips what it cannot parse

    def append(self, obj: dict) -> None:
        self._handle.write((json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))

    def sync(self) -> int:
        """Flush and fsync; return the size."""
        self._handle.flush()
        os.fsync(self._handle.fileno())
        return self._handle.tell()

    def close(self) -> None:
        self._handle.close()

    @staticmethod
    def read(path: Path, size: int | None = None) -> list[dict]:
        """The complete JSON lines of the file (its first ``size`` bytes)."""
        if not path.exists():
            return []
        with path.open("rb") as handle:
            data = handle.read() if size is None else handle.read(size)
        lines = []
        for raw in data.splitlines():
            try:
                lines.append(json.loads(raw))
            except (json.JSONDecodeError, UnicodeDecodeError):
                continue  # a line torn by a kill
        return lines


def _lock(path: Path, out_dir: Path) -> int | None:
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        return None
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise ScrubberError("E403", f"another scrubber run is writing to {out_dir}", "wait for it to finish, or choose another --out") from None
    return fd


def _unlock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)  # closing the descriptor releases the lock


def _clear(folder: Path) -> None:
    for item in folder.iterdir():
        if item.name == "lock":
            continue
        if item.is_dir():
            shutil.rmtree(item)
        else:
            item.unlink()


def _read_json(path: Path, folder: Path) -> dict | None:
    if not path.exists():
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ScrubberError("E263", f"the partial state in {folder} is damaged ({path.name} is unreadable)", f"remove {folder} and run again") from None
    if not isinstance(value, dict):
        raise ScrubberError("E263", f"the partial state in {folder} is damaged ({path.name})", f"remove {folder} and run again")
    return value


def _write_json(path: Path, value: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as handle:
        handle.write(json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
