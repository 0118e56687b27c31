"""scrubber.spark: the same texts and findings as the CLI, from Spark in local mode.

The expected side always comes from the CLI's batch function (``scrubber.run.run``) or the
library, run here on the same inputs with the same policy and key; nothing is hard-coded.
Spark tests skip (with the reason) only when pyspark/pyarrow or Java are missing; CI installs
the ``[spark]`` extra, and Java 17 is on the machines.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scrubber.errors import ScrubberError
from tests.conftest import ROOT, SAMPLES

KEY = "spark-test-key-0123456789abcdef"
SPARK_DOC = (ROOT / "docs/spark.md").read_text(encoding="utf-8")
FINDING_KEYS = ("start", "end", "entity_type", "score", "recognizer", "operator", "fingerprint")


# -- fixtures ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    pytest.importorskip("pyspark", reason="pyspark not installed (pip install -e '.[spark]')")
    pytest.importorskip("pyarrow", reason="pyarrow not installed (pip install -e '.[spark]')")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.skip("no Java runtime (Spark needs Java 17+)")
    from pyspark.sql import SparkSession

    saved = os.environ.get("PYSPARK_PYTHON")
    os.environ["PYSPARK_PYTHON"] = sys.executable  # workers run this venv's Python
    session = (
        SparkSession.builder.master("local[2]")
        .appName("scrubber-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("warehouse")))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    if saved is None:
        os.environ.pop("PYSPARK_PYTHON", None)
    else:
        os.environ["PYSPARK_PYTHON"] = saved


@pytest.fixture(scope="module")
def engine():
    """The library engine for the expected side (surrogate policy: scoped operators and registries)."""
    from scrubber import Scrubber

    return Scrubber("surrogate", key=KEY)


def _cli_run(engine, inputs: list[str], out_dir: Path, **options) -> tuple[dict[str, str], dict[str, list[dict]]]:
    """What ``scrubber scrub INPUTS --policy surrogate`` writes: texts by record id, findings by doc."""
    from scrubber.audit import read_audit
    from scrubber.io.readers import ReadOptions, discover, read
    from scrubber.run import run

    engine.reset_scopes()  # a fresh engine, as in one CLI run
    files = discover(inputs)
    run(files, scrubber=engine, out_dir=out_dir, options=ReadOptions(**options))
    texts: dict[str, str] = {}
    for f in files:
        scrubbed = out_dir / f.relative
        for original, output in zip(read(f, ReadOptions(**options)), read(discover([str(scrubbed)])[0], ReadOptions(**options))):
            texts[original.id] = output.text
    findings: dict[str, list[dict]] = {}
    for line in read_audit(out_dir / "audit.jsonl"):
        if line["kind"] == "finding":
            findings.setdefault(line["doc"], []).append({k: line[k] for k in FINDING_KEYS})
    return texts, findings


def _spark_findings(row_findings) -> list[dict]:
    return [{k: (round(f[k], 4) if k == "score" else f[k]) for k in FINDING_KEYS} for f in row_findings]


def _doc_block(tag: str) -> str:
    blocks = re.findall(rf"```python {tag}\n(.*?)```", SPARK_DOC, flags=re.S)
    assert len(blocks) == 1, f"docs/spark.md has one `python {tag}` example"
    return blocks[0]


@pytest.fixture(scope="module")
def cli_jsonl(engine, tmp_path_factory):
    return _cli_run(engine, [str(SAMPLES / "batch.jsonl")], tmp_path_factory.mktemp("cli-jsonl"), id_field="id", patient_field="patient")


# -- without Spark ------------------------------------------------------------------------
def test_importing_scrubber_spark_does_not_import_pyspark() -> None:
    code = "import sys, scrubber, scrubber.spark; print('pyspark' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "False"


def test_without_pyspark_the_error_names_the_extra(monkeypatch) -> None:
    from scrubber.spark import scrub_dataframe

    for name in ("pyspark", "pyspark.sql", "pyspark.sql.types"):
        monkeypatch.setitem(sys.modules, name, None)  # import now raises ImportError
    with pytest.raises(ScrubberError) as caught:
        scrub_dataframe(object())
    assert caught.value.code == "E250"
    assert "clinical-scrubber[spark]" in str(caught.value)


@pytest.mark.parametrize("policy", ["tags", "safe-harbor", "surrogate", "redact", "mask", "hash", "file"])
def test_policy_reaches_the_executors_unchanged(policy, tmp_path) -> None:
    from scrubber.policy import resolve_policy
    from scrubber.spark import _ship_policy, _unship_policy

    if policy == "file":
        path = tmp_path / "p.toml"
        path.write_text('preset = "surrogate"\ndisable_recognizers = ["year"]\n[thresholds]\nPERSON = 0.7\n'
                        '[operators]\nDATE = { name = "shift", max_days = 30, keep_weekday = true }\n', encoding="utf-8")
        policy = path
    chosen = resolve_policy(policy)
    shipped = _unship_policy(_ship_policy(chosen))
    assert shipped.digest == chosen.digest and shipped.to_dict() == chosen.to_dict()


def test_parquet_rows_get_their_timestamps_as_instants_at_any_depth(monkeypatch) -> None:
    """Spark gives Python naive local times; Parquet (like Spark's own writer) stores UTC instants."""
    import datetime as dt
    import time

    pa = pytest.importorskip("pyarrow")
    from scrubber.spark import _utc, _zoned

    monkeypatch.setenv("TZ", "America/New_York")  # 2024-03-14 is in EDT, UTC-4
    time.tzset()
    try:
        ts = pa.timestamp("us", tz="UTC")
        t = pa.struct([("at", ts), ("all", pa.list_(ts)), ("by", pa.map_(pa.string(), ts)), ("n", pa.int32())])
        local = dt.datetime(2024, 3, 14, 10, 30)
        got = _utc({"at": local, "all": [local, None], "by": {"k": local}, "n": 1}, t)
        utc = dt.datetime(2024, 3, 14, 14, 30, tzinfo=dt.timezone.utc)
        assert got == {"at": utc, "all": [utc, None], "by": {"k": utc}, "n": 1}
        assert _utc(local, pa.timestamp("us")) == local  # timestamp_ntz: no zone, left as it is
        assert (_zoned(t), _zoned(pa.list_(pa.timestamp("us"))), _zoned(pa.string())) == (True, False, False)
    finally:
        monkeypatch.undo()
        time.tzset()


# -- Spark: the examples of docs/spark.md equal the CLI --------------------------------------------
@pytest.mark.slow
def test_spark_submit_example_equals_the_cli_on_batch_jsonl(spark, cli_jsonl, tmp_path, monkeypatch) -> None:
    texts, findings = cli_jsonl
    monkeypatch.setenv("SCRUBBER_KEY", KEY)  # on the driver only: the workers started without it
    namespace: dict = {"__name__": "scrub_notes"}
    exec(compile(_doc_block("spark-submit"), "docs/spark.md", "exec"), namespace)
    namespace["main"](str(SAMPLES / "batch.jsonl"), str(tmp_path / "deid"))
    rows = spark.read.parquet(str(tmp_path / "deid")).collect()
    originals = {json.loads(line)["id"]: json.loads(line) for line in (SAMPLES / "batch.jsonl").read_text(encoding="utf-8").splitlines()}
    assert sorted(r.id for r in rows) == sorted(originals) == sorted(texts)
    for row in rows:
        assert row.scrub_error is None
        assert row.text == texts[row.id]
        assert _spark_findings(row.findings) == findings.get(row.id, [])
        assert (row.department, row.note_type, row.patient) == tuple(originals[row.id][k] for k in ("department", "note_type", "patient"))
    assert any(row.text != originals[row.id]["text"] for row in rows)


@pytest.mark.slow
def test_databricks_example_equals_the_cli_on_batch_csv(spark, engine, tmp_path) -> None:
    texts, findings = _cli_run(engine, [str(SAMPLES / "batch.csv")], tmp_path / "cli",
                               text_column="note_text", id_column="note_id", patient_column="patient_id")

    class Secrets:
        @staticmethod
        def get(scope: str, key: str) -> str:
            assert (scope, key) == ("deid", "scrubber-key")
            return KEY

    class DbUtils:
        secrets = Secrets()

    code = _doc_block("databricks").replace("/Volumes/raw/notes/batch.csv", str(SAMPLES / "batch.csv"))
    exec(compile(code, "docs/spark.md", "exec"), {"spark": spark, "dbutils": DbUtils()})
    deid = {r.note_id: r for r in spark.read.table("notes_deid").collect()}
    assert sorted(deid) == sorted(texts)
    for note_id, row in deid.items():
        assert row.note_text == texts[note_id]
        assert "findings" not in row.asDict() and "scrub_error" not in row.asDict()
    audit: dict[str, list[dict]] = {}
    for r in spark.read.table("notes_audit").collect():
        audit.setdefault(r.note_id, []).append(_spark_findings([r])[0])
    assert {k: sorted(v, key=lambda f: f["start"]) for k, v in audit.items()} == findings
    assert spark.read.table("notes_quarantine").count() == 0


@pytest.mark.slow
def test_notes_without_patient_equal_the_cli_in_input_order(spark, engine, tmp_path) -> None:
    from scrubber.spark import scrub_dataframe

    texts, findings = _cli_run(engine, [str(SAMPLES / "notes")], tmp_path / "cli")
    ids = sorted(texts, reverse=True)  # not alphabetical: the order must survive
    notes = [(i, (SAMPLES / "notes" / i).read_bytes().decode("utf-8")) for i in ids]
    df = spark.createDataFrame(notes, "id string, text string").repartition(3)
    ordered = df.collect()
    scrubbed = scrub_dataframe(df, id_col="id", policy="surrogate", key=KEY).collect()
    assert [r.id for r in scrubbed] == [r.id for r in ordered]  # no shuffle without a patient column
    for row in scrubbed:
        assert row.text == texts[row.id]
        assert _spark_findings(row.findings) == findings.get(row.id, [])


@pytest.mark.slow
def test_a_patients_documents_match_the_library_in_any_partitioning(spark, engine, cli_jsonl) -> None:
    from scrubber.spark import scrub_dataframe

    texts, _ = cli_jsonl
    records = [json.loads(line) for line in (SAMPLES / "batch.jsonl").read_text(encoding="utf-8").splitlines()]
    df = spark.createDataFrame([(r["id"], r["patient"], r["text"]) for r in records], "id string, patient string, text string")
    for partitions in (1, 4):
        spread = df.repartition(partitions)  # round-robin: a patient's documents land in different partitions
        rows = scrub_dataframe(spread, id_col="id", patient_col="patient", policy="surrogate", key=KEY.encode()).collect()
        assert {r.id: r.text for r in rows} == texts


@pytest.mark.slow
def test_surrogate_policies_bring_a_patients_rows_into_one_task(spark) -> None:
    from scrubber.spark import scrub_dataframe

    df = spark.createDataFrame([("a", "P1", "Seen by Dr. Patel.")], "id string, patient string, text string")

    def plan(**options) -> str:
        return scrub_dataframe(df, id_col="id", patient_col="patient", key=KEY, **options)._jdf.queryExecution().toString()

    assert "hashpartitioning(patient" in plan(policy="surrogate")
    assert "hashpartitioning" not in plan(policy="surrogate", group_by_patient=False)
    assert "hashpartitioning" not in plan(policy="tags")  # no registries: no shuffle needed


@pytest.mark.slow
def test_each_python_worker_builds_its_engine_once_and_reuses_it(spark) -> None:
    from scrubber.spark import scrub_dataframe

    df = spark.createDataFrame([(str(i), "Seen by Dr. Patel.") for i in range(6)], "id string, text string").repartition(6)
    for _ in range(2):  # 12 tasks on at most 2 Python workers
        scrub_dataframe(df, id_col="id", policy="surrogate", key=KEY).collect()

    def probe(batches):
        import os

        import pyarrow as pa

        from scrubber.spark import _engine

        info = _engine.cache_info()
        for _ in batches:
            pass
        yield pa.RecordBatch.from_pylist([{"pid": os.getpid(), "hits": info.hits, "size": info.currsize}])

    workers = {r.pid: r for r in spark.range(2).repartition(2).mapInArrow(probe, "pid long, hits long, size long").collect()}
    assert all(w.size == 1 for w in workers.values())  # one engine per worker, kept between tasks and jobs
    assert sum(w.hits for w in workers.values()) >= 1  # later tasks found it instead of building their own


# -- Spark: fail closed, no PHI in side channels ---------------------------------------------
@pytest.mark.slow
def test_rows_that_cannot_be_scrubbed_are_quarantined_without_text(spark) -> None:
    from scrubber.engine import DEFAULT_MAX_CHARS
    from scrubber.spark import scrub_dataframe

    name_note = "Seen by Dr. Patel on 03/14/2024."
    huge = "Pt Walter Duchamp. " * (DEFAULT_MAX_CHARS // 19 + 1)
    df = spark.createDataFrame([("ok", name_note), ("null", None), ("huge", huge)], "id string, text string")
    rows = {r.id: r for r in scrub_dataframe(df, id_col="id", policy="surrogate", key=KEY).collect()}
    assert rows["ok"].scrub_error is None and rows["ok"].text and "Patel" not in rows["ok"].text
    for row_id, code in (("null", "E104"), ("huge", "E107")):
        row = rows[row_id]
        assert row.text is None and row.findings is None
        assert row.scrub_error.code == code
        assert "Duchamp" not in row.scrub_error.detail


@pytest.mark.slow
def test_findings_carry_offsets_and_fingerprints_never_text(spark) -> None:
    from scrubber.spark import scrub_dataframe

    records = [json.loads(line) for line in (SAMPLES / "batch.jsonl").read_text(encoding="utf-8").splitlines()]
    df = spark.createDataFrame([(r["id"], r["text"]) for r in records], "id string, text string")
    result = scrub_dataframe(df, id_col="id", policy="surrogate", key=KEY)
    finding_fields = result.schema["findings"].dataType.elementType.fieldNames()
    assert tuple(finding_fields) == (*FINDING_KEYS, "out_start", "out_end")
    originals = {r["id"]: r["text"] for r in records}
    checked = 0
    for row in result.collect():
        for f in row.findings:
            matched = originals[row.id][f.start : f.end]
            assert matched.strip()
            assert matched not in (f.entity_type, f.recognizer, f.operator, f.fingerprint)
            checked += 1
    assert checked > 20


@pytest.mark.slow
def test_key_stays_out_of_plans_and_settings(spark) -> None:
    from scrubber.spark import scrub_dataframe

    df = spark.createDataFrame([("a", "Seen by Dr. Patel.")], "id string, text string")
    result = scrub_dataframe(df, id_col="id", policy="surrogate", key=KEY)
    plan = result._jdf.queryExecution().toString()
    settings = str(spark.sparkContext.getConf().getAll())
    for text in (plan, settings, result.schema.json()):
        assert KEY not in text and KEY.encode().hex() not in text


@pytest.mark.slow
def test_random_key_is_drawn_once_for_the_whole_job(spark, monkeypatch) -> None:
    from pyspark.sql import functions as F

    from scrubber.spark import scrub_dataframe

    monkeypatch.delenv("SCRUBBER_KEY", raising=False)
    note = "Seen by Dr. Patel on 03/14/2024."
    df = spark.createDataFrame([(str(i), note) for i in range(4)], "id string, text string").repartition(2)
    df = df.withColumn("part", F.spark_partition_id())
    rows = scrub_dataframe(df, id_col="id", policy="tags").collect()
    assert len({r.part for r in rows}) == 2  # two tasks, on two workers in local[2]
    fingerprints = {tuple(f.fingerprint for f in r.findings) for r in rows}
    assert len(fingerprints) == 1 and all(fingerprints.pop())


# -- Spark: usage errors, raised on the driver ------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"text_col": "note"}, "E251"),  # no such column
        ({"text_col": "n"}, "E251"),  # not a string column
        ({"id_col": "missing"}, "E251"),
        ({"findings_col": "id"}, "E251"),  # would overwrite a column
        ({"policy": "no-such-preset"}, "E213"),
        ({"key": "short"}, "E220"),
        ({"group_by_patient": True}, "E251"),  # needs patient_col
    ],
)
def test_usage_errors_are_raised_on_the_driver(spark, kwargs, code) -> None:
    from scrubber.spark import scrub_dataframe

    df = spark.createDataFrame([("a", "text", 1)], "id string, text string, n int")
    with pytest.raises(ScrubberError) as caught:
        scrub_dataframe(df, **{"key": KEY, **kwargs})
    assert caught.value.code == code


# -- Spark output through the gate: write_audited ---------------------------------------------
GATE_ROWS = [
    ("g-1", "P1", "Cardiology", "Seen by Dr. Hallgrimsdottir on 03/14/2024. MRN 4432189. Plan: continue metoprolol."),
    ("g-2", "P2", "Renal", "Mrs. Okonkwo-Baptiste called from 617-555-0142 about her refill on 04/02/2024."),
    ("g-3", "P1", "Cardiology", "Follow-up with Dr. Vasquez-Ferreira in two weeks; lisinopril 10 mg daily."),
    ("g-4", "P3", "Renal", None),  # quarantined (E104), never written
]


def _gate(out, *extra):
    from typer.testing import CliRunner

    from scrubber.cli.app import app

    return CliRunner().invoke(app, ["check", str(out), "--id-field", "id", "--patient-field", "patient", "-q", *extra])


@pytest.mark.slow
def test_findings_locate_their_replacement_in_the_output(spark) -> None:
    from scrubber.spark import scrub_dataframe

    df = spark.createDataFrame([(i, t) for i, _, _, t in GATE_ROWS[:3]], "id string, text string")
    checked = 0
    for row in scrub_dataframe(df, id_col="id", policy="tags", key=KEY).collect():
        for f in row.findings:
            assert row.text[f.out_start : f.out_end] == f"[{f.entity_type}]"
            checked += 1
    assert checked >= 6


@pytest.mark.slow
def test_spark_job_output_passes_check_and_a_weakened_policys_fails(spark, tmp_path) -> None:
    from scrubber import Scrubber
    from scrubber.audit import read_audit
    from scrubber.policy import PRESETS, Policy
    from scrubber.spark import write_audited
    from scrubber.workers import engine_info

    df = spark.createDataFrame(GATE_ROWS, "id string, patient string, department string, text string").repartition(2)
    out = tmp_path / "out"
    summary = write_audited(df, out, id_col="id", patient_col="patient", policy="tags", key=KEY)
    assert (summary.read, summary.written, summary.quarantined) == (4, 3, 1)
    written = [json.loads(line) for line in (out / "scrubbed.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(w["id"] for w in written) == ["g-1", "g-2", "g-3"] and all(w["department"] for w in written)
    assert "Hallgrimsdottir" not in json.dumps(written) and "4432189" not in json.dumps(written)
    run = list(read_audit(out / "audit.jsonl"))[-1]
    info = engine_info(Scrubber("tags", key=KEY))  # the run record names what the executors ran
    assert run["versions"]["model"] == info["model_name"] and run["recognizers"] == list(info["recognizer_names"])
    assert run["policy"]["digest"] == PRESETS["tags"].digest and run["key_source"] == "argument"
    passed = _gate(out, "--policy", "tags")
    assert passed.exit_code == 0, passed.output

    weak = Policy(name="no-person", entities=tuple(e for e in PRESETS["tags"].entities if e != "PERSON"), allow_weakened=("PERSON",))
    write_audited(df, tmp_path / "weak", id_col="id", patient_col="patient", policy=weak, key=KEY)
    failed = _gate(tmp_path / "weak")
    assert failed.exit_code == 1 and "FAIL leaks" in failed.output
    with pytest.raises(ScrubberError) as caught:  # refused on the driver, before any job
        write_audited(df, out, id_col="id", patient_col="patient", policy="tags", key=KEY)
    assert caught.value.code == "E265"


@pytest.mark.slow
def test_spark_job_parquet_output_passes_check_and_a_weakened_policys_fails(spark, tmp_path) -> None:
    import datetime as dt
    from decimal import Decimal

    pq = pytest.importorskip("pyarrow.parquet")
    from scrubber.policy import PRESETS, Policy
    from scrubber.spark import write_audited

    rows = [(i, p, d, t, dt.date(2024, 1, n), Decimal(f"{n}.50"), [d, "x"]) for n, (i, p, d, t) in enumerate(GATE_ROWS, start=1)]
    df = spark.createDataFrame(rows, "id string, patient string, department string, text string, visit date, "
                                     "charge decimal(6,2), tags array<string>").repartition(2)
    out = tmp_path / "out"
    summary = write_audited(df, out, id_col="id", patient_col="patient", policy="tags", key=KEY, name="notes.parquet")
    assert (summary.read, summary.written, summary.quarantined) == (4, 3, 1)
    assert sorted(p.name for p in out.iterdir()) == ["audit.jsonl", "notes.parquet", "quarantine.jsonl"]
    table = pq.read_table(out / "notes.parquet")
    assert table.schema.names == ["id", "patient", "department", "text", "visit", "charge", "tags"]
    by_id = {r["id"]: r for r in table.to_pylist()}
    assert sorted(by_id) == ["g-1", "g-2", "g-3"]  # g-4 (null text) quarantined, never written
    for n, (i, p, d, t) in enumerate(GATE_ROWS[:3], start=1):  # other columns pass through with their types
        row = by_id[i]
        assert (row["patient"], row["department"], row["visit"], row["charge"], row["tags"]) == (p, d, dt.date(2024, 1, n), Decimal(f"{n}.50"), [d, "x"])
        assert row["text"] != t and re.search(r"\[[A-Z_]+\]", row["text"]), i  # scrubbed: tags in place of PHI
    assert "Hallgrimsdottir" not in json.dumps([r["text"] for r in by_id.values()])
    passed = _gate(out, "--policy", "tags")  # `check` reads the Parquet columns by the run record's names
    assert passed.exit_code == 0, passed.output
    assert re.search(r"^ok +records-audited: all 3 output records", passed.output, re.M), passed.output

    weak = Policy(name="no-person", entities=tuple(e for e in PRESETS["tags"].entities if e != "PERSON"), allow_weakened=("PERSON",))
    write_audited(df, tmp_path / "weak", id_col="id", patient_col="patient", policy=weak, key=KEY, name="notes.parquet")
    failed = _gate(tmp_path / "weak")
    assert failed.exit_code == 1 and "FAIL leaks" in failed.output, failed.output
