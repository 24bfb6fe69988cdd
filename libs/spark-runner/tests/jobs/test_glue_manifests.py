"""The Glue jobs publish the manifests the local pipeline publishes (issue 13).

A fixture runs ``cur demo`` (the TypeScript CLI, DuckDB engine) on a small population, then copies its masked raw
zone and the raw manifests into folders standing in for the stage's buckets. The Glue job script (``glue_entry``) then
runs the transform of every source dataset, the consumption and the mart on local Spark with ``--bucket_system``.
Every manifest the DuckDB path published for the date has a twin from the Glue job that validates against
manifest.schema.json and is equal field for field, except what a run makes its own: the run id, the times, and the
files with their content hash (another Parquet writer's bytes), which are checked against the files themselves and
whose rows equal DuckDB's.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pyspark.sql import SparkSession
from pyspark.testing import assertDataFrameEqual

from cur_spark.jobs.glue_entry import main

ROOT = Path(__file__).resolve().parents[4]
TEMPLATES = ROOT / "libs" / "spark-runner" / "glue-plans"
MANIFEST_SCHEMA = json.loads((ROOT / "libs" / "spark-runner" / "manifest.schema.json").read_text(encoding="utf-8"))
DATE = "2026-11-25"
SOURCES = ("customer_profile", "account_balance", "card_transaction", "digital_activity")
PRODUCED = ("transformed", "consumption", "mart")
RUN_ID = "glue-run-1"
#: What a run makes its own; the files and their hash are checked against the bytes instead.
RUN_FIELDS = ("runId", "startedAt", "durationMs", "files", "contentSha256")


def run_cur(*args: str, home: Path) -> None:
    node = shutil.which("node")
    assert node is not None, "node runs the fixture's cur demo"
    env = {**os.environ, "CUR_HOME": str(home), "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED": "true"}
    done = subprocess.run(  # noqa: S603 - node and this repository's own script
        [node, str(ROOT / "tools" / "cli" / "bin" / "cur.js"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture(scope="module")
def duckdb_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The local lake ``cur demo`` wrote on DuckDB: its zones and the system bucket's manifests."""
    home = tmp_path_factory.mktemp("cur-home")
    run_cur("demo", "--customers", "60", home=home)
    return home / "lake"


@pytest.fixture(scope="module")
def glue_run(
    spark: SparkSession, duckdb_lake: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, list[dict[str, Any]]]]:
    """Buckets holding the demo's raw zone and raw manifests; the Glue job run on them, step after step, with the
    transformed tables in a local catalog (standing in for Glue's) so the transform registers its partitions."""
    buckets = tmp_path_factory.mktemp("buckets")
    shutil.copytree(duckdb_lake / "raw", buckets / "raw")
    shutil.copytree(duckdb_lake / "system" / "manifests" / "raw", buckets / "system" / "manifests" / "raw")
    spark.sql("CREATE DATABASE IF NOT EXISTS cur_glue_transformed")
    for table, partitions in [(name, ["business_date"]) for name in SOURCES] + [
        ("transform_rejects", ["source_dataset", "business_date"])
    ]:
        sample = next((duckdb_lake / "transformed" / table).rglob("*.parquet"))
        schema = ", ".join(f"`{f.name}` {f.dataType.simpleString()}" for f in spark.read.parquet(str(sample)).schema)
        spark.sql(
            f"CREATE TABLE cur_glue_transformed.{table} ({schema}) USING parquet "
            f"PARTITIONED BY ({', '.join(partitions)}) LOCATION '{buckets / 'transformed' / table}'"
        )
    common = [
        "--JOB_NAME",
        "cur-dev-step",
        "--JOB_RUN_ID",
        "jr_0123",
        "--run_id",
        RUN_ID,
        "--plan_templates",
        str(TEMPLATES),
        "--bucket_system",
        str(buckets / "system"),
        *(arg for zone in ("raw", *PRODUCED) for arg in (f"--bucket_{zone}", str(buckets / zone))),
        "--business-date",
        DATE,
    ]
    lines: list[dict[str, Any]] = []
    runs = [["--step", "transform", "--dataset", name, "--database_prefix", "cur_glue"] for name in SOURCES]
    for extra in [*runs, ["--step", "consumption"], ["--step", "mart"]]:
        out = StringIO()
        with redirect_stdout(out):
            code = main([*common, *extra])
        printed = [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]
        assert code == 0, printed
        lines.extend(printed)
    yield buckets, lines
    spark.sql("DROP DATABASE cur_glue_transformed CASCADE")


def manifests_of(system: Path) -> dict[str, dict[str, Any]]:
    """The manifests of the produced zones for the date, by key."""
    found = {}
    for zone in PRODUCED:
        for file in sorted((system / "manifests" / zone).rglob(f"business_date={DATE}.json")):
            found[file.relative_to(system).as_posix()] = json.loads(file.read_text(encoding="utf-8"))
    return found


def test_the_job_publishes_a_manifest_for_every_partition_the_duckdb_path_publishes(
    duckdb_lake: Path, glue_run: tuple[Path, list[dict[str, Any]]]
) -> None:
    # Prepare
    buckets, lines = glue_run
    ours, theirs = manifests_of(buckets / "system"), manifests_of(duckdb_lake / "system")

    # Assess: the same keys, each printed by the job line of its plan
    assert sorted(ours) == sorted(theirs)
    assert len(theirs) == 2 * len(SOURCES) + 4
    assert sorted(key for line in lines for key in line["manifests"]) == sorted(ours)


def test_each_manifest_validates_and_equals_the_duckdb_paths_but_for_its_run(
    duckdb_lake: Path, glue_run: tuple[Path, list[dict[str, Any]]]
) -> None:
    # Prepare
    buckets, _ = glue_run
    ours, theirs = manifests_of(buckets / "system"), manifests_of(duckdb_lake / "system")
    validator = Draft202012Validator(MANIFEST_SCHEMA)

    # Assess
    for key, manifest in ours.items():
        assert list(validator.iter_errors(manifest)) == [], key
        assert manifest["runId"] == RUN_ID
        expected = {k: v for k, v in theirs[key].items() if k not in RUN_FIELDS}
        assert {k: v for k, v in manifest.items() if k not in RUN_FIELDS} == expected, key
    # The transform's accounting is in both, not empty: rows in, out, rejected and the reasons.
    profile = ours[f"manifests/transformed/customer_profile/business_date={DATE}.json"]
    assert profile["counts"]["rowsIn"] == profile["counts"]["rowsOut"] + profile["counts"]["rowsRejected"]
    assert profile["keyVersions"] != {}
    reasons = {k for m in ours.values() for k in m["counts"] if k.startswith("rejected.")}
    assert reasons, "the demo's dirty rows give the transforms reject reasons to count"


def test_each_manifest_names_its_files_by_key_with_their_bytes_hash_and_duckdbs_rows(
    spark: SparkSession, duckdb_lake: Path, glue_run: tuple[Path, list[dict[str, Any]]]
) -> None:
    # Prepare
    buckets, _ = glue_run

    for key, manifest in manifests_of(buckets / "system").items():
        # Act
        files = [buckets / manifest["zone"] / file for file in manifest["files"]]
        theirs = json.loads((duckdb_lake / "system" / key).read_text(encoding="utf-8"))

        # Assess
        digest = hashlib.sha256()
        for file in files:
            digest.update(file.read_bytes())
        assert manifest["contentSha256"] == digest.hexdigest(), key
        written = spark.read.parquet(*(str(file) for file in files))
        assert written.count() == manifest["rowCount"], key
        expected = spark.read.parquet(*(str(duckdb_lake / theirs["zone"] / file) for file in theirs["files"]))
        assertDataFrameEqual(written, expected, checkRowOrder=False)


def test_the_rejects_are_registered_as_the_source_datasets_partition_of_one_table(
    spark: SparkSession, glue_run: tuple[Path, list[dict[str, Any]]]
) -> None:
    # Prepare
    buckets, lines = glue_run

    # Assess: every transform registered its accepted rows and its rejects
    transforms = [line for line in lines if line["result"]["step"] == "transform"]
    assert [line["partitions"] for line in transforms] == [
        [f"cur_glue_transformed.{name}", "cur_glue_transformed.transform_rejects"] for name in SOURCES
    ]
    partitions = [row[0] for row in spark.sql("SHOW PARTITIONS cur_glue_transformed.transform_rejects").collect()]
    assert sorted(partitions) == sorted(f"source_dataset={name}/business_date={DATE}" for name in SOURCES)
    rejects = spark.sql(
        f"SELECT source_dataset, count(*) AS n FROM cur_glue_transformed.transform_rejects "
        f"WHERE business_date = '{DATE}' GROUP BY source_dataset"
    ).collect()
    system = buckets / "system" / "manifests" / "transformed" / "transform_rejects"
    published = {
        name: json.loads((system / name / f"business_date={DATE}.json").read_text(encoding="utf-8"))["rowCount"]
        for name in SOURCES
    }
    assert {row["source_dataset"]: row["n"] for row in rejects} == {n: c for n, c in published.items() if c > 0}
