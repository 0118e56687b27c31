"""The scrubbing side of a run: one interface over one in-process engine or a pool of worker processes.

An :class:`Executor` is started (the engine or the workers are built), turns a record stream into
``(record, result)`` pairs in input order, and is closed. :class:`SerialExecutor` scrubs in this
process, batch by batch; :class:`PoolExecutor` wraps :class:`~scrubber.workers.WorkerPool`, which
stays in :mod:`scrubber.workers`: it is the process protocol (spawn, pipes, worker deaths), and
:class:`~scrubber.workers.EngineSpec` is used outside runs (the CLI, Spark, benchmarks). Outputs,
their order and the audit findings are the same for any executor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping, Protocol

from scrubber.values import Record, ScrubResult
from scrubber.workers import Additions, EngineInfo, EngineSpec, WorkerPool, engine_info, iter_serial

if TYPE_CHECKING:
    from scrubber.engine import Scrubber

Results = Iterator[tuple[Record, ScrubResult]]


class Executor(Protocol):
    """Scrubs a record stream; results in input order."""

    restarts: int  # worker processes replaced after dying (0 in process)

    def start(self) -> EngineInfo:
        """Build the engine(s) (seconds: the model loads); return what the run record names."""
        ...

    def results(self, records: Iterable[Record]) -> Results:
        """Scrub ``records``; yield ``(record, result)`` in input order."""
        ...

    def close(self, *, kill: bool = False) -> None:
        """Release the engine(s): let them finish, or ``kill`` them at once (after a failure)."""
        ...


class SerialExecutor:
    """One engine in this process (``workers=1``).

    Args:
        engine: A built :class:`~scrubber.engine.Scrubber` (used as is) or an
            :class:`~scrubber.workers.EngineSpec` (built by :meth:`start`).
        registries: Surrogate registries to start from (a resumed run's).
        on_registry: Called with each batch's registry additions (to persist them).
    """

    restarts = 0

    def __init__(
        self,
        engine: "Scrubber | EngineSpec",
        *,
        registries: Mapping[str, Mapping[str, str]] | None = None,
        on_registry: Callable[[Additions], None] | None = None,
    ) -> None:
        self._given = engine
        self._engine: Scrubber | None = None
        self._registries = registries or {}
        self._on_registry = on_registry

    def start(self) -> EngineInfo:
        engine = self._given.build() if isinstance(self._given, EngineSpec) else self._given
        engine.load_surrogate_registries(self._registries)
        self._engine = engine
        return engine_info(engine)

    def results(self, records: Iterable[Record]) -> Results:
        if self._engine is None:
            self.start()
        assert self._engine is not None
        return iter_serial(self._engine, records, self._on_registry)

    def close(self, *, kill: bool = False) -> None:
        self._engine = None


class PoolExecutor:
    """``workers`` processes, each with its own engine (:class:`~scrubber.workers.WorkerPool`)."""

    def __init__(
        self,
        spec: EngineSpec,
        workers: int,
        *,
        registries: Mapping[str, Mapping[str, str]] | None = None,
        on_registry: Callable[[Additions], None] | None = None,
    ) -> None:
        self._pool: WorkerPool | None = WorkerPool(spec, workers, registries=registries, on_registry=on_registry)
        self.restarts = 0

    def start(self) -> EngineInfo:
        assert self._pool is not None
        return self._pool.start()

    def results(self, records: Iterable[Record]) -> Results:
        assert self._pool is not None
        return self._pool.iter_records(records)

    def close(self, *, kill: bool = False) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            self.restarts = pool.restarts
            pool.close(kill=kill)


def executor(
    scrubber: "Scrubber | EngineSpec",
    workers: int,
    *,
    registries: Mapping[str, Mapping[str, str]] | None = None,
    on_registry: Callable[[Additions], None] | None = None,
) -> Executor:
    """The executor for ``workers`` processes: in process for 1, else a worker pool.

    Args:
        scrubber: A built engine (``workers=1`` only uses it as is) or its spec.
        workers: Processes that scrub in parallel.
        registries: Surrogate registries to start from (a resumed run's).
        on_registry: Called with each batch's registry additions.
    """
    if workers <= 1:
        return SerialExecutor(scrubber, registries=registries, on_registry=on_registry)
    spec = scrubber if isinstance(scrubber, EngineSpec) else EngineSpec.of(scrubber)
    return PoolExecutor(spec, workers, registries=registries, on_registry=on_registry)
