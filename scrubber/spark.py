"""Scrub a text column of a Spark DataFrame with the same engine, policy and key as the CLI.

pyspark is an optional extra (``pip install 'clinical-scrubber[spark]'``) and is imported
only when :func:`scrub_dataframe` is called, so importing this module never needs it.

How it runs:

* Driver: the policy is resolved and validated, and the key is resolved once (argument,
  ``key_file``, ``$SCRUBBER_KEY``, else one random key for the whole job). Both travel to
  the executors inside the task's serialized function, never as a column, literal, Spark
  configuration or log line, so they do not show in query plans or the Spark UI.
* Executors: ``DataFrame.mapInArrow`` hands each task Arrow record batches. The engine
  (:class:`scrubber.engine.Scrubber`) is built once per Python worker process and reused
  by every later task of that worker with the same settings; documents go through
  :meth:`~scrubber.engine.Scrubber.iter_records` ``batch_size`` at a time. Columns other
  than the text, id and patient columns pass through as Arrow data, untouched.
* Each task starts with empty surrogate registries, so a task's output depends only on its
  own rows. With a policy that draws surrogates and a ``patient_col``, the rows are first
  grouped by patient (and sorted by id within a patient), so one engine sees all of a
  patient's documents in a fixed order, as the CLI does: the output does not depend on the
  number of workers or partitions.

Through the gate: :func:`write_audited` runs the same job and writes its output as JSONL or Parquet
with the CLI's audit log (on the driver), so ``scrubber check`` verifies and scores a Spark job's output.
"""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from scrubber import errors
from scrubber.engine import DEFAULT_MAX_CHARS, DEFAULT_MODEL
from scrubber.errors import ScrubberError
from scrubber.keys import Key, load_key, make_key
from scrubber.operators import SCOPED_OPERATORS
from scrubber.policy import Policy, PolicyError, policy_from_dict, resolve_policy
from scrubber.values import Record, ScrubResult

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow
    from pyspark.sql import DataFrame

__all__ = ["FINDING_FIELDS", "scrub_dataframe", "write_audited"]

# The findings column: one struct per finding, never the matched text (as in the audit log);
# out_start/out_end locate the replacement in the scrubbed text.
FINDING_FIELDS = ("start", "end", "entity_type", "score", "recognizer", "operator", "fingerprint", "out_start", "out_end")
_QUIET_LOGGERS = ("presidio-analyzer", "presidio-anonymizer", "presidio_analyzer", "presidio_anonymizer", "spacy")


@dataclass(frozen=True)
class _Job:
    """What each task needs, shipped inside the serialized task function (``Key`` hides its secret in repr)."""

    policy: str  # the policy's canonical JSON (a Policy holds mapping proxies, which do not pickle)
    key: Key
    model: str
    batch_size: int
    max_chars: int
    text_col: str
    id_col: str | None
    patient_col: str | None
    scoped: bool


def scrub_dataframe(
    df: "DataFrame",
    text_col: str = "text",
    *,
    id_col: str | None = None,
    patient_col: str | None = None,
    policy: Policy | str | Path | None = "tags",
    key: Key | bytes | str | None = None,
    key_file: Path | str | None = None,
    output_col: str | None = None,
    findings_col: str = "findings",
    error_col: str = "scrub_error",
    batch_size: int = 32,
    max_chars: int = DEFAULT_MAX_CHARS,
    model: str = DEFAULT_MODEL,
    group_by_patient: bool | None = None,
) -> "DataFrame":
    """Scrub ``df[text_col]``: the same policy, key and results as ``scrubber scrub``, on Spark.

    The result has every column of ``df`` with the text column replaced by the scrubbed text
    (named ``output_col``, default ``text_col``; the original text is never kept), plus:

    * ``findings_col``: ``array<struct<start, end, entity_type, score, recognizer, operator,
      fingerprint, out_start, out_end>>``, offsets into the original text (Python code points) and
      of the replacement in the scrubbed text, no matched text; null for a quarantined row.
    * ``error_col``: ``struct<code, detail>``, null when the row was scrubbed. A row that cannot be
      scrubbed safely is quarantined, never passed through: its text is null and the code says
      why (``E104`` null text, ``E107`` longer than ``max_chars``, ``E301``/``E302`` the engine
      failed on it).

    The job is lazy, like any DataFrame transformation. Row order is kept, except when rows are
    grouped by patient (see ``group_by_patient``).

    Args:
        df: Input DataFrame.
        text_col: String column holding the note text.
        id_col: Column holding the record id (``--id-field``). Without it (or where it is null)
            a document's scope for dates and surrogates is a keyed fingerprint of its text.
        patient_col: Column holding the patient key (``--patient-field``): scopes date shifts
            and surrogates, as in the CLI.
        policy: Preset name, TOML policy file or :class:`~scrubber.policy.Policy`.
        key: Key material (bytes, str or :class:`~scrubber.keys.Key`). Without it, ``key_file``,
            then ``$SCRUBBER_KEY`` on the driver, then one random key drawn on the driver for the
            whole job (never one per executor, which would make partitions unlinkable).
        key_file: File holding the key, read on the driver (``--key-file``).
        output_col: Name of the scrubbed text column (default: ``text_col``).
        findings_col: Name of the findings column.
        error_col: Name of the quarantine column.
        batch_size: Documents per ``nlp.pipe`` batch in each task.
        max_chars: Longer documents are quarantined (``E107``).
        model: Installed spaCy package name.
        group_by_patient: Repartition by ``patient_col`` and sort by ``id_col`` within a patient
            before scrubbing, so all of a patient's documents meet in one engine in a fixed order
            (two originals of a patient then never share a surrogate, whatever the partitioning).
            Default: on when the policy draws surrogates and ``patient_col`` is given.

    Returns:
        The scrubbed DataFrame (lazy).

    Raises:
        ScrubberError: ``E250`` pyspark (or pyarrow) is not installed, ``E251`` a column is
            missing, is not a string column or would be overwritten, ``E220``/``E221`` key
            problems, ``E210``-``E218`` policy errors.

    Example:
        >>> from scrubber.spark import scrub_dataframe                          # doctest: +SKIP
        >>> notes = spark.read.json("samples/batch.jsonl")                      # doctest: +SKIP
        >>> out = scrub_dataframe(notes, "text", id_col="id", patient_col="patient",
        ...                       policy="surrogate", key=key)                  # doctest: +SKIP
        >>> out.select("id", "text", "findings", "scrub_error").show()          # doctest: +SKIP
    """
    T = _pyspark_types()
    try:
        chosen = resolve_policy(policy)
    except PolicyError as exc:
        raise ScrubberError(exc.code, exc.message, exc.fix) from None
    resolved_key = _resolve_key(key, key_file)
    output_col = output_col or text_col
    _check_columns(df, T, text_col=text_col, id_col=id_col, patient_col=patient_col, output_col=output_col,
                   findings_col=findings_col, error_col=error_col)
    operators = {chosen.operator_for(entity).name for entity in chosen.entities}
    if group_by_patient is None:
        group_by_patient = patient_col is not None and "surrogate" in operators
    if group_by_patient:
        if patient_col is None:
            raise ScrubberError("E251", "group_by_patient needs patient_col", "pass patient_col=, or group_by_patient=False")
        df = df.repartition(patient_col).sortWithinPartitions(patient_col, *([id_col] if id_col else []))

    job = _Job(
        policy=_ship_policy(chosen),
        key=resolved_key,
        model=model,
        batch_size=max(1, batch_size),
        max_chars=max_chars,
        text_col=text_col,
        id_col=id_col,
        patient_col=patient_col,
        scoped=bool(operators & SCOPED_OPERATORS),
    )
    fields = [T.StructField(output_col, T.StringType(), True) if f.name == text_col else f for f in df.schema.fields]
    fields += [
        T.StructField(findings_col, T.ArrayType(_finding_type(T), containsNull=False), True),
        T.StructField(error_col, T.StructType([T.StructField("code", T.StringType(), False), T.StructField("detail", T.StringType(), True)]), True),
    ]

    def scrub_partition(batches: Iterator["pyarrow.RecordBatch"]) -> Iterator["pyarrow.RecordBatch"]:
        return _scrub_batches(batches, job, [f.name for f in fields])

    return df.mapInArrow(scrub_partition, T.StructType(fields))


_AUDIT_FINDINGS, _AUDIT_ERROR = "_scrubber_findings", "_scrubber_error"


def write_audited(
    df: "DataFrame",
    out_dir: Path | str,
    text_col: str = "text",
    *,
    id_col: str | None = None,
    patient_col: str | None = None,
    policy: Policy | str | Path | None = "tags",
    key: Key | bytes | str | None = None,
    key_file: Path | str | None = None,
    name: str = "scrubbed.jsonl",
    batch_size: int = 32,
    max_chars: int = DEFAULT_MAX_CHARS,
    model: str = DEFAULT_MODEL,
    group_by_patient: bool | None = None,
    overwrite: bool = False,
):
    """Scrub ``df[text_col]`` on Spark and write a dataset that ``scrubber check`` gates like a CLI run's.

    The rows are scrubbed by the executors (:func:`scrub_dataframe`, cached), then streamed to
    the driver in order and written by :func:`scrubber.run.write_results`: ``out_dir/name`` (every
    column, the text column scrubbed; quarantined rows left out) as JSON lines (``.jsonl``) or as
    Parquet (``.parquet``: the columns typed as Spark types them, written a row group of at most
    1,024 rows at a time), ``out_dir/audit.jsonl`` (the CLI's audit log: document, finding and
    quarantine lines, hash chain, run record with the policy digest, the read options and the
    output's SHA-256) and ``out_dir/quarantine.jsonl`` when rows were quarantined. Then
    ``scrubber check out_dir/`` verifies and scores it.

    The output passes through the driver: it must fit on the driver's disk, not in its memory.
    The driver reads the cached rows with ``toLocalIterator()``, one partition at a time (never
    ``collect()``), so it holds at most one partition's rows plus one row group.

    Args:
        df, text_col, id_col, patient_col, policy, key, key_file, batch_size, max_chars, model,
            group_by_patient: as for :func:`scrub_dataframe`. Rows without ``id_col`` get the id
            ``NAME:ROW`` (1-based, in output order).
        out_dir: Output folder (created).
        name: The output file's name: ``.jsonl`` or ``.parquet``.
        overwrite: Replace an earlier dataset in ``out_dir`` (else ``E265``, before any job runs).

    Returns:
        The :class:`~scrubber.run.RunSummary` (counts, output digests).
    """
    from scrubber.io.readers import InputFile, ReadOptions
    from scrubber.run import _check_earlier, write_results
    from scrubber.workers import EngineSpec

    try:
        chosen = resolve_policy(policy)
    except PolicyError as exc:
        raise ScrubberError(exc.code, exc.message, exc.fix) from None
    resolved_key = _resolve_key(key, key_file)
    out_dir = Path(out_dir)
    parquet = Path(name).suffix == ".parquet"
    if Path(name).suffix not in (".jsonl", ".parquet") or Path(name).name != name:
        raise ScrubberError("E209", f"output name {name!r} must be a .jsonl or .parquet file name", 'use e.g. name="scrubbed.parquet"')
    if not overwrite:  # before the job runs
        _check_earlier([InputFile(None, Path(name), "jsonl")], out_dir, out_dir / "audit.jsonl", None)
    scrubbed = scrub_dataframe(
        df, text_col, id_col=id_col, patient_col=patient_col, policy=chosen, key=resolved_key, findings_col=_AUDIT_FINDINGS,
        error_col=_AUDIT_ERROR, batch_size=batch_size, max_chars=max_chars, model=model, group_by_patient=group_by_patient,
    ).persist()
    try:
        scrubbed.count()  # scrub every partition in parallel; the driver then reads the cached rows in order
        spec = EngineSpec(chosen, resolved_key, model, max(1, batch_size), max_chars)
        info = {"model_name": _model_name(model), "recognizer_names": list(chosen.recognizers or _all_recognizers())}
        options = ReadOptions(text_field=text_col, id_field=id_col or "id", patient_field=patient_col or "patient")
        schema = None
        if parquet:  # the columns as Spark's own Parquet writer would type them; then `check` reads them by these names
            options = replace(options, text_column=text_col, id_column=id_col, patient_column=patient_col)
            schema = _arrow_schema(scrubbed.drop(_AUDIT_FINDINGS, _AUDIT_ERROR))
        rows = _audited_rows(scrubbed, text_col, id_col, patient_col, name, schema)
        return write_results(rows, out_dir, scrubber=spec, info=info, name=name, options=options, overwrite=overwrite, schema=schema)
    finally:
        scrubbed.unpersist()


def _audited_rows(
    scrubbed, text_col: str, id_col: str | None, patient_col: str | None, name: str, schema: "pyarrow.Schema | None" = None
) -> Iterator[tuple[Record, ScrubResult]]:
    """The scrubbed rows as ``(record, result)`` pairs, streamed to the driver one partition at a time."""
    from scrubber.values import Finding

    zoned = {} if schema is None else {f.name: f.type for f in schema if _zoned(f.type)}
    for number, row in enumerate(scrubbed.toLocalIterator(), start=1):
        fields = row.asDict(recursive=True)
        findings, error = fields.pop(_AUDIT_FINDINGS), fields.pop(_AUDIT_ERROR)
        record_id = fields.get(id_col) if id_col else None
        record_id = f"{name}:{number}" if record_id is None else str(record_id)
        patient = fields.get(patient_col) if patient_col else None
        patient = None if patient is None else str(patient)
        if schema is None:
            fields = {k: _json_safe(v) for k, v in fields.items()}
        else:  # Python values for pyarrow; Spark hands timestamps over as naive local times
            fields.update({k: _utc(fields.get(k), t) for k, t in zoned.items()})
        if error is not None:
            yield (Record(record_id, None, patient=patient, error=error["code"]),
                   ScrubResult(record_id, "", error=error["code"], detail=error.get("detail") or ""))
        else:
            yield (Record(record_id, fields[text_col], patient=patient, fields=fields),
                   ScrubResult(record_id, fields[text_col], tuple(Finding(**f) for f in findings or ())))


def _arrow_schema(df: "DataFrame") -> "pyarrow.Schema":
    """The Arrow schema of ``df``'s rows (Spark's own type mapping)."""
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(df.schema)


def _zoned(t: "pyarrow.DataType") -> bool:
    """Whether an Arrow type is or holds a timestamp with a time zone."""
    import pyarrow as pa

    if pa.types.is_timestamp(t):
        return t.tz is not None
    if pa.types.is_map(t):
        return _zoned(t.item_type)
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return _zoned(t.value_type)
    if pa.types.is_struct(t):
        return any(_zoned(t.field(i).type) for i in range(t.num_fields))
    return False


def _utc(value: Any, t: "pyarrow.DataType") -> Any:
    """``value`` with its timestamps made aware: Spark hands them to Python as naive local times."""
    import pyarrow as pa

    if value is None:
        return None
    if pa.types.is_timestamp(t):
        return value.astimezone() if t.tz is not None else value
    if pa.types.is_map(t):
        return {k: _utc(v, t.item_type) for k, v in value.items()}
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return [_utc(v, t.value_type) for v in value]
    if pa.types.is_struct(t):
        return {t.field(i).name: _utc(value.get(t.field(i).name), t.field(i).type) for i in range(t.num_fields)}
    return value


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return str(value)  # dates, decimals, binary: as text


def _model_name(model: str) -> str:
    """The model's name as the engine records it (``lang_name==version``, plus the caseless NER's
    digest for the default model), read from its meta.json on the driver."""
    try:
        import spacy.util

        meta = spacy.util.get_model_meta(spacy.util.get_package_path(model))
    except Exception:  # noqa: BLE001 - a path or an unusual package: its given name
        return model
    name = f"{meta['lang']}_{meta['name']}=={meta.get('version', '?')}" if "lang" in meta and "name" in meta else model
    if model == DEFAULT_MODEL:
        from recognizers.caseless import recorded

        name = recorded(name)  # as Scrubber.model_name
    return name


def _all_recognizers() -> list[str]:
    import recognizers

    return list(recognizers.available())


# -- driver side ------------------------------------------------------------------------
def _pyspark_types():
    try:
        import pyarrow  # noqa: F401 - mapInArrow needs it on the driver and the executors
        from pyspark.sql import types
    except ImportError:
        raise ScrubberError(
            "E250", "pyspark (with pyarrow) is not installed", "pip install 'clinical-scrubber[spark]'"
        ) from None
    return types


def _resolve_key(key: Key | bytes | str | None, key_file: Path | str | None) -> Key:
    """Once, on the driver: the same rules as the CLI (file, else $SCRUBBER_KEY, else random)."""
    if key is not None and key_file is not None:
        raise ScrubberError("E220", "both key and key_file were given", "pass one of them")
    if key is not None:
        return make_key(key)
    return load_key(Path(key_file) if key_file is not None else None)


def _finding_type(T):
    return T.StructType(
        [
            T.StructField("start", T.IntegerType(), False),
            T.StructField("end", T.IntegerType(), False),
            T.StructField("entity_type", T.StringType(), False),
            T.StructField("score", T.DoubleType(), False),
            T.StructField("recognizer", T.StringType(), False),
            T.StructField("operator", T.StringType(), False),
            T.StructField("fingerprint", T.StringType(), False),
            T.StructField("out_start", T.IntegerType(), True),
            T.StructField("out_end", T.IntegerType(), True),
        ]
    )


def _check_columns(df, T, *, text_col, id_col, patient_col, output_col, findings_col, error_col) -> None:
    columns = {f.name: f.dataType for f in df.schema.fields}
    for role, name in (("text_col", text_col), ("id_col", id_col), ("patient_col", patient_col)):
        if name is not None and name not in columns:
            raise ScrubberError("E251", f"{role}: no column named {name!r} (columns: {', '.join(columns)})", f"set {role} to one of the columns")
    if not isinstance(columns[text_col], T.StringType):
        raise ScrubberError(
            "E251", f"text_col {text_col!r} is {columns[text_col].simpleString()}, not a string column",
            f"cast it first, e.g. df.withColumn({text_col!r}, df[{text_col!r}].cast('string'))",
        )
    taken = set(columns) - {text_col}
    names = [output_col, findings_col, error_col]
    clash = [n for n in names if n in taken] or [n for n in names if names.count(n) > 1]
    if clash:
        raise ScrubberError("E251", f"output column {clash[0]!r} already exists or is named twice", "choose other output_col/findings_col/error_col names")


# -- executor side ----------------------------------------------------------------------
def _ship_policy(policy: Policy) -> str:
    """The policy as canonical JSON, for the trip to the executors."""
    return json.dumps({k: v for k, v in policy.to_dict().items() if v is not None}, sort_keys=True)


def _unship_policy(shipped: str) -> Policy:
    """The policy back from :func:`_ship_policy` (validated again, same digest)."""
    return policy_from_dict(json.loads(shipped))


@functools.lru_cache(maxsize=1)
def _engine(policy: str, secret: bytes, model: str, batch_size: int, max_chars: int):
    """The engine of this Python worker, built on its first task and reused by later ones.

    A cache of one (an engine holds a model): a worker serves one job's settings at a time.
    Keyed on the secret, not on where the key came from, which does not change any output.
    """
    from scrubber.engine import Scrubber

    # Executor logs are a side channel the cluster collects: keep third-party loggers quiet,
    # as the CLI does (this runs in the Spark worker process, not in the user's program).
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    return Scrubber(_unship_policy(policy), key=Key(secret, "driver"), model=model, batch_size=batch_size, max_chars=max_chars)


def _scrub_batches(batches: Iterator["pyarrow.RecordBatch"], job: _Job, names: list[str]) -> Iterator["pyarrow.RecordBatch"]:
    """One task: scrub its record batches, ``job.batch_size`` rows per output batch."""
    engine = _engine(job.policy, job.key.secret, job.model, job.batch_size, job.max_chars)
    engine.reset_scopes()
    for batch in batches:
        for offset in range(0, batch.num_rows, job.batch_size):
            yield _scrub_chunk(batch.slice(offset, job.batch_size), engine, job, names)


def _scrub_chunk(chunk: "pyarrow.RecordBatch", engine, job: _Job, names: list[str]) -> "pyarrow.RecordBatch":
    import pyarrow as pa

    text_index = chunk.schema.get_field_index(job.text_col)
    string = chunk.schema.field(text_index).type  # string, or large_string when Spark uses large types
    results = [result for _, result in engine.iter_records(_records(chunk, engine, job))]
    arrays = [
        pa.array([None if r.quarantined else r.text for r in results], type=string) if i == text_index else column
        for i, column in enumerate(chunk.columns)
    ]
    arrays.append(pa.array([_findings(r) for r in results], type=pa.list_(_arrow_finding(pa, string))))
    arrays.append(
        pa.array(
            [None if not r.quarantined else {"code": r.error, "detail": r.detail} for r in results],
            type=pa.struct([pa.field("code", string, nullable=False), pa.field("detail", string)]),
        )
    )
    return pa.RecordBatch.from_arrays(arrays, names=names)


def _records(chunk: "pyarrow.RecordBatch", engine, job: _Job) -> Iterator[Record]:
    def column(name: str | None) -> list[Any]:
        return chunk.column(chunk.schema.get_field_index(name)).to_pylist() if name else [None] * chunk.num_rows

    for text, record_id, patient in zip(column(job.text_col), column(job.id_col), column(job.patient_col)):
        patient = None if patient is None else str(patient)
        if record_id is not None:
            record_id = str(record_id)
        elif text is not None and job.scoped and not patient:
            # The scope of dates and surrogates: stable across runs and partitionings, never text.
            record_id = "text:" + engine.key.fingerprint(text)
        else:
            record_id = ""
        if text is None:
            yield Record(record_id, None, patient=patient, error=errors.INPUT_TEXT_NOT_STRING)
        else:
            yield Record(record_id, text, patient=patient)


def _arrow_finding(pa, string):
    return pa.struct(
        [
            pa.field("start", pa.int32(), nullable=False),
            pa.field("end", pa.int32(), nullable=False),
            pa.field("entity_type", string, nullable=False),
            pa.field("score", pa.float64(), nullable=False),
            pa.field("recognizer", string, nullable=False),
            pa.field("operator", string, nullable=False),
            pa.field("fingerprint", string, nullable=False),
            pa.field("out_start", pa.int32(), nullable=True),
            pa.field("out_end", pa.int32(), nullable=True),
        ]
    )


def _findings(result: ScrubResult) -> list[dict] | None:
    if result.quarantined:
        return None
    return [{name: getattr(f, name) for name in FINDING_FIELDS} for f in result.findings]
