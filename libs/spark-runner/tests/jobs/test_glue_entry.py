"""The Glue job script on local Spark: the committed templates (glue-plans/, rendered by libs/pipeline), local
folders standing in for the stage's buckets, Glue-style arguments."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pyspark.sql import SparkSession
from pyspark.testing import assertDataFrameEqual

from cur_spark.glue_template import TemplateError, parse_template, resolve
from cur_spark.jobs.glue_entry import hadoop_folder_lister, main, parse_glue_arguments

TEMPLATES = Path(__file__).resolve().parents[2] / "glue-plans"
DATE = "2026-11-25"

FEATURES_SCHEMA = (
    "cust_id STRING, branch_code STRING, segment STRING, aum_total DECIMAL(18,2), card_spend_1m DECIMAL(18,2), "
    "digital_events_30d INT, business_date DATE"
)
TAGS_SCHEMA = "cust_id STRING, tag STRING, business_date DATE"
TAG_METRICS_SCHEMA = (
    "month STRING, branch_code STRING, tag STRING, customers BIGINT, avg_aum DECIMAL(18,2), "
    "avg_card_spend_1m DECIMAL(18,2), customers_prev_month BIGINT, mom_change DOUBLE, business_date DATE"
)


@pytest.fixture
def buckets(spark: SparkSession, tmp_path: Path) -> dict[str, Path]:
    """A consumption layer for the date (three customers, two branches) and two mart dates of the previous month."""
    zones = {zone: tmp_path / zone for zone in ("raw", "transformed", "consumption", "mart")}
    date = dt.date.fromisoformat(DATE)
    spark.createDataFrame(
        [
            ("tokA", "B01", "mass", Decimal("100.00"), Decimal("10.00"), 3, date),
            ("tokB", "B01", "affluent", Decimal("300.00"), Decimal("30.00"), 5, date),
            ("tokC", "B02", "mass", Decimal("50.00"), Decimal("0.00"), 0, date),
        ],
        FEATURES_SCHEMA,
    ).write.parquet(str(zones["consumption"] / f"customer_features/business_date={DATE}"))
    spark.createDataFrame(
        [("tokA", "card_lover", date), ("tokB", "card_lover", date), ("tokC", "saver", date)], TAGS_SCHEMA
    ).write.parquet(str(zones["consumption"] / f"customer_tags/business_date={DATE}"))
    for previous, customers in (("2026-10-15", 9), ("2026-10-31", 4)):
        day = dt.date.fromisoformat(previous)
        spark.createDataFrame(
            [("2026-10", "B01", "card_lover", customers, None, None, None, None, day)], TAG_METRICS_SCHEMA
        ).write.parquet(str(zones["mart"] / f"tag_metrics_monthly/business_date={previous}"))
    return zones


def arguments(buckets: dict[str, Path], *extra: str) -> list[str]:
    """What Glue passes: the job's defaults, the run's arguments, and Glue's own."""
    return [
        "--JOB_NAME",
        "cur-dev-mart",
        "--job-bookmark-option",
        "job-bookmark-disable",
        "--plan_templates",
        str(TEMPLATES),
        *(arg for zone, path in buckets.items() for arg in (f"--bucket_{zone}", str(path))),
        *extra,
    ]


def json_lines(captured: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in captured.splitlines() if line.startswith("{")]


def test_the_mart_job_runs_both_templates_and_reads_the_previous_months_latest_date(
    spark: SparkSession, buckets: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # Act
    code = main(arguments(buckets, "--step", "mart", "--business-date", DATE))

    # Assess
    lines = json_lines(capsys.readouterr().out)
    assert code == 0, lines
    assert [line["status"] for line in lines] == ["succeeded", "succeeded"]
    assert [line["result"]["dataset"] for line in lines] == ["tag_metrics_monthly", "segment_metrics_monthly"]  # type: ignore[index]
    written = spark.read.parquet(str(buckets["mart"] / f"tag_metrics_monthly/business_date={DATE}"))
    expected = spark.createDataFrame(
        [
            ("2026-11", "B01", "card_lover", 2, Decimal("200.00"), Decimal("20.00"), 4, -0.5, dt.date(2026, 11, 25)),
            ("2026-11", "B02", "saver", 1, Decimal("50.00"), Decimal("0.00"), None, None, dt.date(2026, 11, 25)),
        ],
        TAG_METRICS_SCHEMA,
    )
    # customers_prev_month is the latest October date's (4), not the earlier one's (9).
    assertDataFrameEqual(written, expected, checkRowOrder=True)
    segments = spark.read.parquet(str(buckets["mart"] / f"segment_metrics_monthly/business_date={DATE}"))
    assert {(r["segment"], r["customers"], r["customers_prev_month"]) for r in segments.collect()} == {
        ("affluent", 1, None),
        ("mass", 2, None),
    }


def test_the_underscore_spelling_and_one_dataset_run_only_that_template(
    buckets: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # Act
    code = main(arguments(buckets, "--step", "mart", "--business_date", DATE, "--dataset", "segment_metrics_monthly"))

    # Assess
    lines = json_lines(capsys.readouterr().out)
    assert code == 0
    assert [line["result"]["dataset"] for line in lines] == ["segment_metrics_monthly"]  # type: ignore[index]
    assert not (buckets["mart"] / f"tag_metrics_monthly/business_date={DATE}").exists()


def test_the_job_registers_each_output_as_its_tables_partition_once(
    spark: SparkSession, buckets: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # Prepare: the zone's database and tables, as the catalog declares them (a local catalog stands in for Glue's).
    spark.sql("CREATE DATABASE IF NOT EXISTS cur_test_mart")
    for table, schema in (
        ("tag_metrics_monthly", TAG_METRICS_SCHEMA),
        ("segment_metrics_monthly", "month STRING, segment STRING, customers BIGINT, business_date DATE"),
    ):
        location = buckets["mart"] / table
        spark.sql(
            f"CREATE TABLE cur_test_mart.{table} ({schema}) USING parquet PARTITIONED BY (business_date) "
            f"LOCATION '{location}'"
        )

    # Act: twice, as a retry would
    codes = [
        main(arguments(buckets, "--step", "mart", "--business-date", DATE, "--database_prefix", "cur_test"))
        for _ in range(2)
    ]

    # Assess
    lines = json_lines(capsys.readouterr().out)
    assert codes == [0, 0]
    assert [line["partitions"] for line in lines[:2]] == [
        ["cur_test_mart.tag_metrics_monthly"],
        ["cur_test_mart.segment_metrics_monthly"],
    ]
    partitions = [r[0] for r in spark.sql("SHOW PARTITIONS cur_test_mart.tag_metrics_monthly").collect()]
    assert partitions == [f"business_date={DATE}"]
    assert spark.sql(f"SELECT * FROM cur_test_mart.tag_metrics_monthly WHERE business_date = '{DATE}'").count() == 2
    spark.sql("DROP DATABASE cur_test_mart CASCADE")


def test_a_missing_required_partition_fails_the_job_with_input_missing(
    buckets: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # Act: no consumption layer on that date
    code = main(arguments(buckets, "--step", "mart", "--business-date", "2026-11-26"))

    # Assess
    lines = json_lines(capsys.readouterr().out)
    assert code == 1
    assert lines == [
        {
            "status": "failed",
            "error": {
                "type": "TemplateError",
                "message": "mart/tag_metrics_monthly: no partition of consumption/customer_features "
                "from 2026-11-26 to 2026-11-26 [INPUT_MISSING]",
            },
        }
    ]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--step", "mart", "--business-date", "2026-02-30"], "--business-date is not a calendar date"),
        (["--step", "mart", "--business-date", "2026-11-25' OR '1"], "--business-date must be a date written"),
        (["--step", "mask", "--business-date", DATE], "--step one of transform, consumption, mart"),
        (["--step", "transform", "--business-date", DATE, "--dataset", "nope"], "no transform template for dataset"),
    ],
)
def test_bad_arguments_fail_before_any_plan_runs(
    buckets: dict[str, Path], capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    # Act
    code = main(arguments(buckets, *extra))

    # Assess
    lines = json_lines(capsys.readouterr().out)
    assert code == 1
    assert len(lines) == 1
    assert message in str(lines[0]["error"])


def test_a_bucket_location_that_is_not_a_uri_or_path_is_refused(buckets: dict[str, Path]) -> None:
    # Prepare
    parsed = parse_glue_arguments(arguments(buckets, "--step", "mart", "--business-date", DATE))
    template = parse_template((TEMPLATES / "mart/segment_metrics_monthly.json").read_text(encoding="utf-8"))

    # Act / Assess
    refused = r"the mart bucket must be an s3:// URI or a local path \[INVALID_ARGUMENT\]"
    with pytest.raises(TemplateError, match=refused):
        resolve(template, dt.date(2026, 11, 25), {**parsed.buckets, "mart": "s3://bucket/x' OR 1=1"}, lambda _: [])


def test_the_features_windows_read_every_partition_of_their_days_and_absent_sources_become_empty_views(
    spark: SparkSession, tmp_path: Path
) -> None:
    # Prepare: card transactions inside (the date, 183 days before) and outside (184 days before) the window; no
    # account balances or digital activity at all; a folder that is not a partition.
    transformed = tmp_path / "transformed"
    for folder in (
        f"customer_profile/business_date={DATE}",
        "card_transaction/business_date=2026-11-25",
        "card_transaction/business_date=2026-05-26",
        "card_transaction/business_date=2026-05-25",
        "card_transaction/_temporary",
    ):
        (transformed / folder).mkdir(parents=True)
    template = parse_template((TEMPLATES / "consumption/customer_features.json").read_text(encoding="utf-8"))
    buckets = {"transformed": str(transformed), "consumption": f"file:{tmp_path}/consumption/"}

    # Act
    plan = resolve(template, dt.date(2026, 11, 25), buckets, hadoop_folder_lister(spark))

    # Assess
    assert {item.name: item.paths for item in plan.inputs if item.format == "parquet"} == {
        "t_customer_profile": [f"{transformed}/customer_profile/business_date={DATE}"],
        "t_card_transaction": [
            f"{transformed}/card_transaction/business_date=2026-05-26",
            f"{transformed}/card_transaction/business_date=2026-11-25",
        ],
    }
    # The absent sources' empty views first, then the feature statements the template carries as rendered.
    assert [s.name for s in plan.statements][:2] == ["t_account_balance", "t_digital_activity"]
    assert [s.name for s in plan.statements if s.kind == "table"] == [
        "customer_balances",
        "customer_card_spend",
        "customer_mcc_spend",
        "customer_top_mcc",
        "customer_digital",
    ]
    assert plan.outputs[0].path == f"file:{tmp_path}/consumption/customer_features/business_date={DATE}"
    assert f"DATE '{DATE}'" in plan.outputs[0].sql


def test_the_runner_archive_reads_its_packaged_templates(tmp_path: Path) -> None:
    # Prepare: the archive the CDK uploads for --extra-py-files: src/cur_spark with glue-plans/ as cur_spark/glue_plans/
    archive = tmp_path / "cur_spark.zip"
    source = Path(__file__).resolve().parents[2] / "src"
    with zipfile.ZipFile(archive, "w") as zipped:
        for file in sorted(source.rglob("*.py")):
            zipped.write(file, file.relative_to(source).as_posix())
        for file in sorted(TEMPLATES.rglob("*.json")):
            zipped.write(file, f"cur_spark/glue_plans/{file.relative_to(TEMPLATES).as_posix()}")
    # Every step's templates as the job finds them with no --plan_templates, and the mask job's template
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import json, cur_spark; "
        "from cur_spark.jobs.glue_entry import GlueJobArguments, read_packaged, templates_of; "
        "args = lambda step: GlueJobArguments(step, '2026-11-25', None, None, {}, None); "
        "steps = {s: [t.dataset for t in templates_of(None, args(s))] for s in ('transform', 'consumption', 'mart')}; "
        "mask = json.loads(read_packaged('mask/customer_profile.json')); "
        "print(json.dumps({'file': cur_spark.__file__, 'index': json.loads(read_packaged('index.json')), "
        "'steps': steps, 'mask': mask}))"
    )

    # Act
    command = [sys.executable, "-c", script, str(archive)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603 - our own interpreter and script

    # Assess
    seen = json.loads(done.stdout)
    assert seen["file"].startswith(str(archive))
    assert seen["index"] == json.loads((TEMPLATES / "index.json").read_text(encoding="utf-8"))
    assert seen["steps"] == seen["index"]
    assert seen["mask"] == json.loads((TEMPLATES / "mask" / "customer_profile.json").read_text(encoding="utf-8"))


MODEL_TAGS_SCHEMA = "cust_id STRING, tag STRING, model_version STRING, business_date DATE"


def publish_manifest(system: Path, dataset: str, run_id: str) -> None:
    """A consumption manifest of the date as the local steps publish it; only its run id matters here."""
    manifest: dict[str, Any] = {
        "dataset": dataset,
        "zone": "consumption",
        "businessDate": DATE,
        "step": "score" if dataset == "model_tags" else "consumption",
        "runId": run_id,
        "files": [f"{dataset}/business_date={DATE}/part-0.parquet"],
        "rowCount": 1,
        "contentSha256": "0" * 64,
        "schemaSha256": "0" * 64,
        "inputs": [],
        "counts": {},
        "keyVersions": {},
        "startedAt": "2026-11-26T00:00:00.000Z",
        "durationMs": 1,
    }
    folder = system / "manifests" / "consumption" / dataset
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"business_date={DATE}.json").write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize(
    ("model_tags_run", "counted"),
    [("run-1", True), ("run-0", False)],
    ids=["scored-from-these-features", "stale-partition"],
)
def test_the_mart_counts_model_tags_only_when_scored_in_the_features_run(
    spark: SparkSession,
    buckets: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    model_tags_run: str,
    counted: bool,
) -> None:
    # Prepare: tokA and tokC tagged by a model; the manifests say which run scored them and which built the features
    date = dt.date.fromisoformat(DATE)
    spark.createDataFrame(
        [("tokA", "digital_native_propensity", "v1", date), ("tokC", "digital_native_propensity", "v1", date)],
        MODEL_TAGS_SCHEMA,
    ).write.parquet(str(buckets["consumption"] / f"model_tags/business_date={DATE}"))
    system = tmp_path / "system"
    for dataset in ("customer_features", "customer_tags"):
        publish_manifest(system, dataset, "run-1")
    publish_manifest(system, "model_tags", model_tags_run)

    # Act
    extra = ("--step", "mart", "--business-date", DATE, "--dataset", "tag_metrics_monthly", "--bucket_system")
    code = main(arguments(buckets, *extra, str(system), "--run_id", "glue-mart-1"))

    # Assess: the model tag is counted, and its manifest is an input, only when scored from these features
    [line] = json_lines(capsys.readouterr().out)
    assert code == 0, line
    written = spark.read.parquet(str(buckets["mart"] / f"tag_metrics_monthly/business_date={DATE}"))
    model_rows = {
        (r["branch_code"], r["customers"]) for r in written.where("tag = 'digital_native_propensity'").collect()
    }
    assert model_rows == ({("B01", 1), ("B02", 1)} if counted else set())
    assert {r["tag"] for r in written.collect()} >= {"card_lover", "saver"}
    manifest: dict[str, Any] = json.loads(
        (system / f"manifests/mart/tag_metrics_monthly/business_date={DATE}.json").read_text()
    )
    model_input = f"manifests/consumption/model_tags/business_date={DATE}.json"
    assert (model_input in manifest["inputs"]) is counted


def test_model_tags_are_not_read_unchecked_without_the_manifests(
    spark: SparkSession, buckets: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # Prepare
    date = dt.date.fromisoformat(DATE)
    spark.createDataFrame([("tokA", "digital_native_propensity", "v1", date)], MODEL_TAGS_SCHEMA).write.parquet(
        str(buckets["consumption"] / f"model_tags/business_date={DATE}")
    )

    # Act: no --bucket_system, so no manifest tells whether the partition was scored from these features
    code = main(arguments(buckets, "--step", "mart", "--business-date", DATE, "--dataset", "tag_metrics_monthly"))

    # Assess
    [line] = json_lines(capsys.readouterr().out)
    assert code == 1
    assert "[MANIFEST_REQUIRED]" in str(line["error"])
    assert not (buckets["mart"] / f"tag_metrics_monthly/business_date={DATE}").exists()
