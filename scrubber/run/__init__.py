"""A batch run (``scrubber scrub`` as a function): source, executor and sink, tied by :func:`run`.

* :mod:`scrubber.run.source`: the input files read once, in order (a resumed run skips what it did);
* :mod:`scrubber.run.executor`: one engine in process, or a worker pool, behind one interface;
* :mod:`scrubber.run.sink`: outputs, quarantine list, audit log and crosswalk, one file life cycle;
* :mod:`scrubber.run.orchestrate`: :func:`run`, :func:`write_results` and the run record.
"""

from scrubber.run.orchestrate import _check_earlier, _check_paths, _config, run, run_record, write_results
from scrubber.run.sink import QUARANTINE_NAME, RunSummary

__all__ = ["QUARANTINE_NAME", "RunSummary", "run", "run_record", "write_results", "_check_earlier", "_check_paths", "_config"]
