"""The whole DAG run locally with `dag.test()` (issue 14, point 2): Airflow 3.3.1's own run loop, the committed DAG
file as the DagBag loads it, its Glue tasks pointed at local Spark (tests/local_glue.py says how and why), ending with
the four layers written for the business date.

The input is pre-masked: the mask tasks need the key service's tokenize API and a mask request per batch, which the
DAG does not pass yet (its mask job takes `--dataset` and `--business-date`, the Spark mask script `--request`), so a
fixture step runs `cur demo` (the TypeScript CLI: generate, ingest, mask through the loopback key service) on a small
population and copies its raw zone, masked Parquet only, into the folder standing in for the raw bucket. `dag.test()`
then marks the mask tasks, and the serving load (its Lambda does not exist yet), successful without running them;
every other task runs, the DQ gates evaluating their real DQDL rulesets (tests/local_glue.py).

A second run, on a date whose raw partitions are made faulty from the first's, holds the gates to the rules'
severities: a failed blocking rule stops every task downstream of its gate, failed warning rules let the run go on and
are recorded in the gate's verdict.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from local_glue import REPO_ROOT, WORKSPACE_PYTHON, LocalGlue, LocalGlueWorker, point_glue_tasks_at_local_spark
from moto_dynamodb import SCORING_JOB, create_consumption_bucket, create_model_history_table, moto_server

BUSINESS_DATE = "2026-11-25"
#: The faulty date: card_transaction's raw rows twice (its blocking IsPrimaryKey fails), half the customers in
#: customer_profile (the transformed datasets' ReferentialIntegrity warnings fail), the rest as on BUSINESS_DATE.
FAULTY_DATE = "2026-11-26"
FAULTS: dict[str, dict[str, Any]] = {
    "card_transaction": {"copies": 2},
    "customer_profile": {"keep": 0.5},
    "account_balance": {},
    "digital_activity": {},
}
CUSTOMERS = "40"
TEMPLATES = REPO_ROOT / "libs" / "spark-runner" / "glue-plans"
ZONES = ("raw", "transformed", "consumption", "mart")
#: What each layer must hold for the date once the run is done (the datasets of glue-plans/index.json and the raw zone).
LAYERS = {
    "raw": ["account_balance", "card_transaction", "customer_profile", "digital_activity"],
    "transformed": ["account_balance", "card_transaction", "customer_profile", "digital_activity"],
    "consumption": ["customer_features", "customer_tags"],
    "mart": ["segment_metrics_monthly", "tag_metrics_monthly"],
}
NOT_RUN_HERE = r"mask_.*|serving"
#: No model version is promoted in the demo: the score task reads the model history's pointer (moto's DynamoDB) and is
#: skipped, and with it the gate of its output; the mart and the serving load still run.
SKIPPED = ("score", "dq_consumption_model_tags")

if TYPE_CHECKING:
    from airflow.models.dagrun import DagRun
    from airflow.sdk import DAG


def run_cur(*args: str, home: Path) -> None:
    node = shutil.which("node")
    assert node is not None, "node is needed for the fixture's cur demo"
    env = {**os.environ, "CUR_HOME": str(home), "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED": "true"}
    done = subprocess.run(  # noqa: S603 - node and this repository's own script
        [node, str(REPO_ROOT / "tools" / "cli" / "bin" / "cur.js"), *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture(scope="module")
def buckets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Folders for the zones' buckets, the raw one holding a masked day from `cur demo` (and nothing else)."""
    home = tmp_path_factory.mktemp("cur-home")
    run_cur("demo", "--customers", CUSTOMERS, home=home)
    lake = tmp_path_factory.mktemp("buckets")
    folders = {zone: lake / zone for zone in ZONES}
    for dataset in LAYERS["raw"]:
        partition = f"{dataset}/business_date={BUSINESS_DATE}"
        (folders["raw"] / partition).mkdir(parents=True)
        for part in (home / "lake" / "raw" / partition).glob("*.parquet"):
            shutil.copy(part, folders["raw"] / partition / part.name)
    for zone in ZONES[1:]:
        folders[zone].mkdir()
    return folders


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalGlueWorker]:
    assert WORKSPACE_PYTHON.exists(), "the workspace's .venv (nx run python-env:setup) runs the Glue job script"
    started = LocalGlueWorker(tmp_path_factory.mktemp("worker") / "spark.log")
    yield started
    started.close()


@pytest.fixture(scope="module")
def model_history() -> Iterator[None]:
    """The model history's table on moto's DynamoDB, with no version promoted, where the score task reads it, and the
    consumption bucket on moto's S3, where it empties model_tags' partition."""
    with moto_server() as endpoint, pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint)
        patch.setenv("AWS_ENDPOINT_URL_S3", endpoint)
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        create_model_history_table(endpoint)
        create_consumption_bucket(endpoint)
        yield


@pytest.fixture(scope="module")
def airflow_db() -> None:
    """A fresh metadata database (SQLite in the test's AIRFLOW_HOME), as `airflow db migrate` makes it."""
    from airflow.utils.db import resetdb

    resetdb()


def run_locally(
    business_date: str, buckets: dict[str, Path], worker: LocalGlueWorker, tmp_path: Path
) -> tuple[DAG, DagRun, dict[str, str]]:
    """The committed DAG, loaded by its own DagBag, run by `dag.test()` for one business date on local Spark."""
    from airflow.dag_processing.dagbag import DagBag

    # Its own DagBag: the swap below must not reach the session's, which other tests read.
    dag = DagBag(dag_folder=str(Path(__file__).resolve().parents[1] / "dags")).get_dag("cur_pipeline")
    assert dag is not None
    swapped = point_glue_tasks_at_local_spark(dag)
    LocalGlue.configure(worker, "dev", buckets, TEMPLATES)
    variables = tmp_path / "variables.json"
    variables.write_text(
        json.dumps(
            {
                "cur_glue_dq_role_arn": "arn:aws:iam::000000000000:role/cur-dev-glue-dq",
                "cur_pipeline_failures_topic_arn": "arn:aws:sns:ap-northeast-1:000000000000:cur-dev-pipeline-failures",
                "cur_scoring_job": json.dumps(SCORING_JOB),
            }
        ),
        encoding="utf-8",
    )
    run = dag.test(
        run_conf={"businessDate": business_date},
        variable_file_path=str(variables),
        mark_success_pattern=NOT_RUN_HERE,
    )
    return dag, run, swapped


def verdicts(run: DagRun) -> dict[str, Any]:
    """Each DQ gate's recorded verdict (``DqGateOperator``'s XCom ``dq_verdict``), by task id."""
    return {
        ti.task_id: ti.xcom_pull(task_ids=ti.task_id, key="dq_verdict")
        for ti in run.get_task_instances()
        if ti.task_id.startswith("dq_")
    }


def test_the_whole_dag_runs_locally_and_writes_the_four_layers(
    buckets: dict[str, Path],
    worker: LocalGlueWorker,
    model_history: None,
    airflow_db: None,
    tmp_path: Path,
) -> None:
    # Prepare
    from airflow.utils.state import DagRunState, TaskInstanceState

    # Act
    dag, run, swapped = run_locally(BUSINESS_DATE, buckets, worker, tmp_path)

    # Assess: every task succeeded; the Glue tasks ran on local Spark, in the DAG's order
    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    expected = {t: TaskInstanceState.SKIPPED if t in SKIPPED else TaskInstanceState.SUCCESS for t in dag.task_ids}
    assert states == expected, states
    assert run.state == DagRunState.SUCCESS
    assert sorted(swapped) == sorted(t for t in dag.task_ids if t not in ("serving", "score"))
    ends = {ti.task_id: ti.end_date for ti in run.get_task_instances()}
    starts = {ti.task_id: ti.start_date for ti in run.get_task_instances()}
    for task in dag.tasks:
        for upstream in task.upstream_task_ids:
            if task.task_id in SKIPPED or upstream in SKIPPED:
                continue
            end, start = ends[upstream], starts[task.task_id]
            assert end is not None, upstream
            assert start is not None, task.task_id
            assert end <= start, (upstream, task.task_id)
    # Assess: every gate that ran evaluated its whole ruleset, and no blocking rule failed
    for gate, verdict in verdicts(run).items():
        if gate in SKIPPED:
            continue
        assert verdict is not None, gate
        assert verdict["blocking"] == [], (gate, verdict)
        assert verdict["passed"] + len(verdict["warnings"]) >= 5, (gate, verdict)
    # Assess: the four layers hold the date, each written by its task
    for zone, datasets in LAYERS.items():
        written = sorted(
            p.parent.name for p in buckets[zone].glob(f"*/business_date={BUSINESS_DATE}") if any(p.glob("*.parquet"))
        )
        assert [d for d in datasets if d in written] == datasets, (zone, written)
    for zone in ("consumption", "mart"):
        for dataset in LAYERS[zone]:
            rows = worker.ask({"kind": "rows", "path": str(buckets[zone] / dataset / f"business_date={BUSINESS_DATE}")})
            assert rows["rows"] > 0, (zone, dataset)


def test_a_failed_blocking_rule_stops_what_follows_its_gate_and_failed_warnings_do_not(
    buckets: dict[str, Path],
    worker: LocalGlueWorker,
    model_history: None,
    airflow_db: None,
    tmp_path: Path,
) -> None:
    # Prepare: the faulty date's raw partitions, from the first date's
    from airflow.utils.state import DagRunState, TaskInstanceState

    for dataset, fault in FAULTS.items():
        worker.ask(
            {
                "kind": "copy",
                "source": str(buckets["raw"] / dataset / f"business_date={BUSINESS_DATE}"),
                "target": str(buckets["raw"] / dataset / f"business_date={FAULTY_DATE}"),
                "businessDate": FAULTY_DATE,
                **fault,
            }
        )

    # Act
    dag, run, _ = run_locally(FAULTY_DATE, buckets, worker, tmp_path)

    # Assess: the blocking gate failed and everything downstream of it never ran; every other task succeeded
    stopped = dag.get_task("dq_raw_card_transaction").get_flat_relative_ids(upstream=False)
    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    expected = {
        task_id: TaskInstanceState.UPSTREAM_FAILED if task_id in stopped else TaskInstanceState.SUCCESS
        for task_id in dag.task_ids
    }
    expected["dq_raw_card_transaction"] = TaskInstanceState.FAILED
    assert states == expected, states
    assert {"transform_card_transaction", "consumption", "mart", "serving"} <= stopped
    assert run.state == DagRunState.FAILED
    assert not (buckets["transformed"] / "card_transaction" / f"business_date={FAULTY_DATE}").exists()
    # Assess: the verdicts name the failed rules by their DQDL text and severity
    found = verdicts(run)
    assert [(r["rule"], r["severity"]) for r in found["dq_raw_card_transaction"]["blocking"]] == [
        ('IsPrimaryKey "source_row"', "blocking")
    ]
    for gate in ("dq_transformed_account_balance", "dq_transformed_digital_activity"):
        assert found[gate]["blocking"] == [], gate
        assert [(r["rule"], r["severity"]) for r in found[gate]["warnings"]] == [
            ('ReferentialIntegrity "cust_id" "customer_profile.{cust_id}" = 1.0', "warning")
        ], gate
    # Assess: a gate's warnings let what reads its dataset run
    assert states["transform_customer_profile"] == TaskInstanceState.SUCCESS
    transformed = buckets["transformed"] / "account_balance" / f"business_date={FAULTY_DATE}"
    assert worker.ask({"kind": "rows", "path": str(transformed)})["rows"] > 0
