"""The whole DAG run locally with `dag.test()` (issue 14, point 2): Airflow 3.3.1's own run loop, the committed DAG file
as the DagBag loads it, every task run on this machine, from landing to the serving store, for one business date.

The run starts where AWS starts it, from landing: a fixture runs the `cur` CLI (the TypeScript sources) on a state
folder whose DynamoDB is moto's server (``CUR_DYNAMODB_ENDPOINT``): it generates two days of extracts for 40
customers, pushes the first day and runs the local pipeline on it (`cur run`), trains a model on that day's features
as DS sees them (`cur --role DS model train`) and promotes it (`cur --role DS model promote`), then pushes the second
day: its plaintext batches lie in landing, accepted in the ledger. `dag.test()` then runs the DAG for that day:

- the mask tasks run the Spark mask job (tests/local_glue.py) on the state folder's landing, tokenising through the
  masking-key-service's handler on loopback, publishing the raw manifest, deleting landing and marking the ledger's
  batch MASKED on moto (``--ledger_table``), as the Glue job does in AWS;
- the transform, consumption and mart tasks run the Glue job script on local Spark, publishing manifests in the
  state folder's system bucket; the DQ gates evaluate their DQDL with the local evaluator (tests/local_glue.py);
- the score task runs its own ``pre_execute`` (the scoring pointer on moto's DynamoDB, model_tags' partition emptied
  on moto's S3), then its Processing job through a stand-in for SageMaker Processing (tests/local_processing.py):
  ``cur_model.score`` from the code and model archive staged where the job reads them;
- the serving task invokes, through a stand-in for the Lambda service (tests/local_lambda.py), the serving-load
  Lambda's own handler (apps/serving-load: ``loadServingStore``, what `cur run` ends with) over the same state folder.

Only the AWS services that cannot run here are stood in for (Glue's job runs and Data Quality, SageMaker Processing,
the Lambda service); each stand-in says what it does in its module. The "nothing promoted" path of the score task is
held by tests/test_scoring_task.py, without a second run of the whole DAG.

A second run, on a date whose raw partitions are made faulty from the first's, holds the gates to the rules'
severities: a failed blocking rule stops every task downstream of its gate, failed warning rules let the run go on and
are recorded in the gate's verdict.
"""

from __future__ import annotations

import json
import os
import shutil
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3  # type: ignore[import-untyped]  # boto3 ships no type information
import pytest
from airflow.providers.amazon.aws.operators.lambda_function import LambdaInvokeFunctionOperator
from airflow.providers.amazon.aws.operators.sagemaker import SageMakerProcessingOperator
from local_cur import REPO_ROOT, LoopbackKeyService, run_cur
from local_glue import WORKSPACE_PYTHON, LocalGlue, LocalGlueWorker, MaskJob, point_glue_tasks_at_local_spark
from local_lambda import LocalLambda, point_lambda_tasks_at_local_functions, serving_load_function
from local_processing import LocalProcessing, point_processing_tasks_at_local_python
from moto_dynamodb import SCORING_JOB, create_consumption_bucket, moto_server

#: The day `cur run` publishes before the DAG runs: the features the model is trained on.
HISTORY_DATE = "2026-11-25"
#: The DAG run's day: landed and accepted, not masked, when the run starts.
BUSINESS_DATE = "2026-11-26"
#: The faulty date: card_transaction's raw rows twice (its blocking IsPrimaryKey fails), half the customers in
#: customer_profile (the transformed datasets' ReferentialIntegrity warnings fail), the rest as on BUSINESS_DATE.
FAULTY_DATE = "2026-11-27"
FAULTS: dict[str, dict[str, Any]] = {
    "card_transaction": {"copies": 2},
    "customer_profile": {"keep": 0.5},
    "account_balance": {},
    "digital_activity": {},
}
CUSTOMERS = "40"
STAGE = "dev"
REGION = "ap-northeast-1"
#: The tables as the CDK names them for the stage (`cur-<stage>-<table>`), which is also cur's local table prefix.
LEDGER_TABLE = f"cur-{STAGE}-batch-ledger"
SERVING_TABLE = f"cur-{STAGE}-serving"
#: The mask job reads the key service credential from this variable (libs/masking's KEY_SERVICE_TOKEN_ENV).
KEY_SERVICE_TOKEN_ENV = "CUR_KEY_SERVICE_TOKEN"  # noqa: S105 - a variable's name, not a credential
#: A logistic model: gradient boosting on 32 training customers scores nobody at the 0.5 threshold.
TRAINING = ("--role", "DS", "model", "train", "--model", "logistic")
MODEL_TAG = "digital_native_propensity"
TEMPLATES = REPO_ROOT / "libs" / "spark-runner" / "glue-plans"
MODEL_CODE = REPO_ROOT / "libs" / "model-training" / "src" / "cur_model"
ZONES = ("raw", "transformed", "consumption", "mart")
#: What each layer must hold for the date once the run is done (the datasets of glue-plans/index.json and the raw zone).
LAYERS = {
    "raw": ["account_balance", "card_transaction", "customer_profile", "digital_activity"],
    "transformed": ["account_balance", "card_transaction", "customer_profile", "digital_activity"],
    "consumption": ["customer_features", "customer_tags", "model_tags"],
    "mart": ["segment_metrics_monthly", "tag_metrics_monthly"],
}

if TYPE_CHECKING:
    from airflow.models.dagrun import DagRun
    from airflow.sdk import DAG


@dataclass(frozen=True)
class State:
    """The cur state folder the run works on, its DynamoDB (moto's server) and the promoted model version."""

    home: Path
    env: dict[str, str]
    version: str

    @property
    def lake(self) -> Path:
        return self.home / "lake"


@pytest.fixture(scope="module")
def moto() -> Iterator[str]:
    """moto's server: DynamoDB for the state folder's tables (ledger, keys, model history, serving store), read and
    written by cur, the mask job and the DAG alike; S3 for the consumption bucket, where the score task's
    ``pre_execute`` empties model_tags' partition (the data itself is in the state folder's lake)."""
    with moto_server() as endpoint, pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint)
        patch.setenv("AWS_ENDPOINT_URL_S3", endpoint)
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        patch.setenv("AWS_DEFAULT_REGION", REGION)
        create_consumption_bucket(endpoint)
        yield endpoint


def push_day(extracts: Path, business_date: str, state_home: Path, env: dict[str, str]) -> None:
    """Pushes one day's batches (then deletes the plaintext extracts, as `cur demo` does)."""
    day = extracts.parent / f"extracts-{business_date}"
    day.mkdir()
    for batch in extracts.glob(f"*_{business_date.replace('-', '')}.*"):
        batch.rename(day / batch.name)
    run_cur("ingest", "push", str(day), home=state_home, env=env)
    shutil.rmtree(day)


def stage_for_sagemaker(lake: Path, version: str) -> None:
    """What the score task's Processing job reads in AWS, staged in the state folder's system bucket: the version's
    model as a SageMaker training job leaves it (`artefacts/<version>/output/model.tar.gz` of its model folder; `cur
    model train` keeps the folder's files unpacked) and the scoring code (`model-history/code/`, as infra stages it)."""
    artefacts = lake / "system" / "model-history" / "artefacts" / version
    (artefacts / "output").mkdir()
    with tarfile.open(artefacts / "output" / "model.tar.gz", "w:gz") as packed:
        for name in ("model.joblib", "model.json"):
            packed.add(artefacts / name, arcname=name)
    code = lake / "system" / "model-history" / "code" / "cur_model"
    shutil.copytree(MODEL_CODE, code, ignore=shutil.ignore_patterns("__pycache__"))


@pytest.fixture(scope="module")
def state(moto: str, tmp_path_factory: pytest.TempPathFactory) -> State:
    """A state folder on moto's DynamoDB: HISTORY_DATE published by `cur run`, a model trained on it and promoted,
    BUSINESS_DATE's batches pushed to landing and accepted."""
    home = tmp_path_factory.mktemp("cur-home")
    env = {"CUR_DYNAMODB_ENDPOINT": moto}
    extracts = tmp_path_factory.mktemp("plaintext") / "extracts"
    run_cur("generate", "-n", CUSTOMERS, "-d", "2", "--start", HISTORY_DATE, "-o", str(extracts), home=home, env=env)
    push_day(extracts, HISTORY_DATE, home, env)
    run_cur("run", home=home, env=env)
    run_cur(*TRAINING, home=home, env=env)
    [version] = [
        v["versionId"]
        for v in json.loads(run_cur("--role", "DS", "model", "history", "--json", home=home, env=env))["versions"]
    ]
    run_cur("--role", "DS", "model", "promote", version, home=home, env=env)
    push_day(extracts, BUSINESS_DATE, home, env)
    assert list(extracts.iterdir()) == []
    stage_for_sagemaker(home / "lake", version)
    return State(home, env, version)


@pytest.fixture(scope="module")
def key_service(state: State, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoopbackKeyService]:
    """The masking-key-service's handler on loopback, on the state folder's keys (as `cur run --engine spark` serves
    it to the Spark mask job)."""
    started = LoopbackKeyService(state.home, tmp_path_factory.mktemp("key-service") / "key-service.log", state.env)
    yield started
    started.close()


@pytest.fixture(scope="module")
def worker(
    moto: str, key_service: LoopbackKeyService, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LocalGlueWorker]:
    assert WORKSPACE_PYTHON.exists(), "the workspace's .venv (nx run python-env:setup) runs the Glue job script"
    env = {**os.environ, KEY_SERVICE_TOKEN_ENV: key_service.credential}
    started = LocalGlueWorker(tmp_path_factory.mktemp("worker") / "spark.log", env)
    yield started
    started.close()


@pytest.fixture(scope="module")
def airflow_db() -> None:
    """A fresh metadata database (SQLite in the test's AIRFLOW_HOME), as `airflow db migrate` makes it."""
    from airflow.utils.db import resetdb

    resetdb()


def serving_task(dag: DAG) -> LambdaInvokeFunctionOperator:
    """The DAG's one Lambda task, the serving load (its payload names the definition's step)."""
    [task] = [t for t in dag.tasks if isinstance(t, LambdaInvokeFunctionOperator)]
    assert json.loads(str(task.payload))["step"] == "serving"
    return task


def score_task(dag: DAG) -> SageMakerProcessingOperator:
    [task] = [t for t in dag.tasks if isinstance(t, SageMakerProcessingOperator)]
    return task


def run_locally(
    business_date: str,
    state: State,
    worker: LocalGlueWorker,
    key_service: LoopbackKeyService,
    tmp_path: Path,
    *,
    from_landing: bool,
) -> tuple[DAG, DagRun, dict[str, str]]:
    """The committed DAG, loaded by its own DagBag, run by `dag.test()` for one business date on this machine. Not
    ``from_landing``: the date's raw partitions are already there, its mask tasks are marked successful and the Glue
    jobs publish no manifest (the faulty date's raw partitions have none)."""
    from airflow.dag_processing.dagbag import DagBag

    # Its own DagBag: the swap below must not reach the session's, which other tests read.
    dag = DagBag(dag_folder=str(Path(__file__).resolve().parents[1] / "dags")).get_dag("cur_pipeline")
    assert dag is not None
    lambda_function = serving_task(dag).function_name
    swapped = {
        **point_glue_tasks_at_local_spark(dag),
        **point_processing_tasks_at_local_python(dag),
        **point_lambda_tasks_at_local_functions(dag),
    }
    buckets = {zone: state.lake / zone for zone in ZONES}
    if from_landing:
        mask = MaskJob(state.lake / "landing", key_service.tokenize_url, KEY_SERVICE_TOKEN_ENV, LEDGER_TABLE)
        LocalGlue.configure(worker, STAGE, buckets, TEMPLATES, system=state.lake / "system", mask=mask)
    else:
        LocalGlue.configure(worker, STAGE, buckets, TEMPLATES)
    LocalProcessing.configure(
        {
            SCORING_JOB["consumptionBucket"]: state.lake / "consumption",
            SCORING_JOB["systemBucket"]: state.lake / "system",
        }
    )
    LocalLambda.configure({lambda_function: serving_load_function(state.home, state.env)})
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
        mark_success_pattern=None if from_landing else r"mask_.*",
    )
    return dag, run, swapped


def verdicts(run: DagRun) -> dict[str, Any]:
    """Each DQ gate's recorded verdict (``DqGateOperator``'s XCom ``dq_verdict``), by task id."""
    return {
        ti.task_id: ti.xcom_pull(task_ids=ti.task_id, key="dq_verdict")
        for ti in run.get_task_instances()
        if ti.task_id.startswith("dq_")
    }


def returned(run: DagRun, task_id: str) -> Any:  # noqa: ANN401 - a task's XCom, whatever it returned
    [ti] = [ti for ti in run.get_task_instances() if ti.task_id == task_id]
    return ti.xcom_pull(task_ids=task_id)


def partition(lake: Path, zone: str, dataset: str, business_date: str = BUSINESS_DATE) -> str:
    return str(lake / zone / dataset / f"business_date={business_date}")


@dataclass(frozen=True)
class WholeRun:
    """The one `dag.test()` run of the whole DAG from landing, for BUSINESS_DATE."""

    dag: DAG
    run: DagRun
    swapped: dict[str, str]


@pytest.fixture(scope="module")
def whole_run(
    state: State,
    worker: LocalGlueWorker,
    key_service: LoopbackKeyService,
    airflow_db: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> WholeRun:
    dag, run, swapped = run_locally(
        BUSINESS_DATE, state, worker, key_service, tmp_path_factory.mktemp("whole-run"), from_landing=True
    )
    return WholeRun(dag, run, swapped)


def query(worker: LocalGlueWorker, views: dict[str, str], sql: str) -> list[list[Any]]:
    rows: list[list[Any]] = worker.ask({"kind": "query", "views": views, "sql": sql})["rows"]
    return rows


def test_every_task_runs_here_and_succeeds_after_its_upstream_tasks(whole_run: WholeRun) -> None:
    from airflow.utils.state import DagRunState, TaskInstanceState

    dag, run = whole_run.dag, whole_run.run

    # Assess: none marked, none skipped, each run by its local stand-in
    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    assert states == dict.fromkeys(dag.task_ids, TaskInstanceState.SUCCESS), states
    assert run.state == DagRunState.SUCCESS
    assert sorted(whole_run.swapped) == sorted(dag.task_ids)
    ends = {ti.task_id: ti.end_date for ti in run.get_task_instances()}
    starts = {ti.task_id: ti.start_date for ti in run.get_task_instances()}
    for task in dag.tasks:
        for upstream in task.upstream_task_ids:
            end, start = ends[upstream], starts[task.task_id]
            assert end is not None, upstream
            assert start is not None, task.task_id
            assert end <= start, (upstream, task.task_id)
    # Assess: every gate evaluated its whole ruleset (model_tags' included), and no blocking rule failed
    found = verdicts(run)
    assert sorted(found) == sorted(t for t in dag.task_ids if t.startswith("dq_"))
    for gate, verdict in found.items():
        assert verdict is not None, gate
        assert verdict["blocking"] == [], (gate, verdict)
        assert verdict["passed"] + len(verdict["warnings"]) >= 5, (gate, verdict)


def test_the_mask_tasks_empty_landing_and_mark_the_ledger_masked(whole_run: WholeRun, state: State, moto: str) -> None:
    # Prepare
    ledger = boto3.resource("dynamodb", endpoint_url=moto, region_name=REGION).Table(LEDGER_TABLE)

    # Assess: no landing file is left; each batch is MASKED, its raw partition's manifest published before
    assert [p.name for p in (state.lake / "landing").rglob("*") if p.is_file()] == []
    for dataset in LAYERS["raw"]:
        item = ledger.get_item(Key={"pk": f"batch#{dataset}/{BUSINESS_DATE}", "sk": "state"}, ConsistentRead=True)
        assert item["Item"]["status"] == "MASKED", dataset
        manifest = state.lake / "system" / "manifests" / "raw" / dataset / f"business_date={BUSINESS_DATE}.json"
        assert manifest.is_file(), dataset


def test_the_four_layers_and_the_promoted_versions_model_tags_are_written(
    whole_run: WholeRun, state: State, worker: LocalGlueWorker
) -> None:
    # Assess: every layer holds the date with rows
    for zone, datasets in LAYERS.items():
        for dataset in datasets:
            rows = worker.ask({"kind": "rows", "path": partition(state.lake, zone, dataset)})["rows"]
            assert rows is not None, (zone, dataset)
            assert rows > 0, (zone, dataset)
    # Assess: the promoted version scored the date's customers, and model_tags holds exactly what it tagged
    [scored] = returned(whole_run.run, score_task(whole_run.dag).task_id)["lines"]
    assert (scored["version_id"], scored["tag"]) == (state.version, MODEL_TAG)
    assert scored["tagged"] > 0
    features = worker.ask({"kind": "rows", "path": partition(state.lake, "consumption", "customer_features")})
    assert scored["scored"] == features["rows"]
    model_tags = query(
        worker,
        {"model_tags": partition(state.lake, "consumption", "model_tags")},
        "SELECT tag, model_version, COUNT(*), COUNT(DISTINCT cust_id) FROM model_tags GROUP BY tag, model_version",
    )
    assert model_tags == [[MODEL_TAG, state.version, scored["tagged"], scored["tagged"]]]


def test_the_serving_task_loads_the_runs_date_into_the_serving_store(
    whole_run: WholeRun, state: State, worker: LocalGlueWorker, moto: str
) -> None:
    # Prepare
    serving = boto3.resource("dynamodb", endpoint_url=moto, region_name=REGION).Table(SERVING_TABLE)

    # Act: what the store serves now
    response = returned(whole_run.run, serving_task(whole_run.dag).task_id)
    # The invocation's response payload, a JSON document: Airflow's XCom hands it back parsed.
    loaded = response if isinstance(response, dict) else json.loads(response)
    pointer = serving.get_item(Key={"pk": "serving", "sk": "current"}, ConsistentRead=True)["Item"]
    version = serving.get_item(Key={"pk": "versions", "sk": pointer["version"]}, ConsistentRead=True)["Item"]

    # Assess: the run's load, of the run's date, from the manifests the run's Glue jobs published
    assert (pointer["version"], pointer["asOf"]) == (loaded["version"], BUSINESS_DATE)
    assert f"manifests/consumption/customer_features/business_date={BUSINESS_DATE}.json" in version["sources"]
    features = worker.ask({"kind": "rows", "path": partition(state.lake, "consumption", "customer_features")})
    assert int(version["customers"]) == loaded["customers"] == features["rows"]
    # Assess: each rule-based tag of the date with its customers
    tags = query(
        worker,
        {"customer_tags": partition(state.lake, "consumption", "customer_tags")},
        "SELECT tag, COUNT(*) FROM customer_tags GROUP BY tag",
    )
    served = {str(tag["name"]): int(tag["customers"]) for tag in version["tags"]}
    assert tags
    assert {tag: served.get(tag) for tag, _ in tags} == {tag: count for tag, count in tags}


def test_the_mart_and_the_serving_store_count_the_model_tags(
    whole_run: WholeRun, state: State, worker: LocalGlueWorker, moto: str
) -> None:
    # Prepare
    [scored] = returned(whole_run.run, score_task(whole_run.dag).task_id)["lines"]
    serving = boto3.resource("dynamodb", endpoint_url=moto, region_name=REGION).Table(SERVING_TABLE)

    # Act
    counted = query(
        worker,
        {"tag_metrics": partition(state.lake, "mart", "tag_metrics_monthly")},
        f"SELECT CAST(SUM(customers) AS BIGINT) FROM tag_metrics WHERE tag = '{MODEL_TAG}'",
    )
    pointer = serving.get_item(Key={"pk": "serving", "sk": "current"}, ConsistentRead=True)["Item"]
    version = serving.get_item(Key={"pk": "versions", "sk": pointer["version"]}, ConsistentRead=True)["Item"]
    served = {str(tag["name"]): int(tag["customers"]) for tag in version["tags"]}

    # Assess
    assert counted == [[scored["tagged"]]]
    assert served.get(MODEL_TAG) == scored["tagged"]


def test_a_failed_blocking_rule_stops_what_follows_its_gate_and_failed_warnings_do_not(
    whole_run: WholeRun,
    state: State,
    worker: LocalGlueWorker,
    key_service: LoopbackKeyService,
    tmp_path: Path,
) -> None:
    # Prepare: the faulty date's raw partitions, from the whole run's
    from airflow.utils.state import DagRunState, TaskInstanceState

    for dataset, fault in FAULTS.items():
        worker.ask(
            {
                "kind": "copy",
                "source": partition(state.lake, "raw", dataset),
                "target": partition(state.lake, "raw", dataset, FAULTY_DATE),
                "businessDate": FAULTY_DATE,
                **fault,
            }
        )

    # Act
    dag, run, _ = run_locally(FAULTY_DATE, state, worker, key_service, tmp_path, from_landing=False)

    # Assess: the blocking gate failed and everything downstream of it never ran; every other task succeeded
    stopped = dag.get_task("dq_raw_card_transaction").get_flat_relative_ids(upstream=False)
    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    expected = {
        task_id: TaskInstanceState.UPSTREAM_FAILED if task_id in stopped else TaskInstanceState.SUCCESS
        for task_id in dag.task_ids
    }
    expected["dq_raw_card_transaction"] = TaskInstanceState.FAILED
    assert states == expected, states
    assert {"transform_card_transaction", "consumption", "mart", serving_task(dag).task_id} <= stopped
    assert score_task(dag).task_id in stopped
    assert run.state == DagRunState.FAILED
    assert not Path(partition(state.lake, "transformed", "card_transaction", FAULTY_DATE)).exists()
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
    transformed = partition(state.lake, "transformed", "account_balance", FAULTY_DATE)
    assert worker.ask({"kind": "rows", "path": transformed})["rows"] > 0
