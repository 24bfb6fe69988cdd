"""The score task of the generated DAG (issue 15): a SageMaker Processing job running `cur_model.score`, the script
`cur run` runs locally, with the promoted model version read from the model history's table when the task starts
(moto's DynamoDB here), and skipped while none is promoted, after which the mart and the serving load still run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import boto3  # type: ignore[import-untyped]  # boto3 ships no type information
import pytest
from airflow.dag_processing.dagbag import DagBag
from airflow.providers.amazon.aws.operators.sagemaker import SageMakerProcessingOperator
from airflow.sdk.exceptions import AirflowSkipException
from airflow.sdk.execution_time.context import VariableAccessor
from moto_dynamodb import (
    MODEL_HISTORY_TABLE,
    SCORING_JOB,
    create_consumption_bucket,
    create_model_history_table,
    moto_server,
)

BUSINESS_DATE = "2026-11-25"


@pytest.fixture(scope="module")
def moto() -> Iterator[str]:
    """moto's DynamoDB with the model history's empty table and S3 with the consumption bucket, and the Airflow
    variable naming them, as the CDK writes it."""
    with moto_server() as endpoint, pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint)
        patch.setenv("AWS_ENDPOINT_URL_S3", endpoint)
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        patch.setenv("AIRFLOW_VAR_CUR_SCORING_JOB", json.dumps(SCORING_JOB))
        create_model_history_table(endpoint)
        create_consumption_bucket(endpoint)
        yield endpoint


def s3(endpoint: str) -> Any:  # noqa: ANN401 - boto3 ships no type information
    return boto3.client("s3", endpoint_url=endpoint, region_name="ap-northeast-1")


def rendered_score_task(dagbag: DagBag) -> SageMakerProcessingOperator:
    """The score task as the task runner hands it to its pre_execute: a copy, its templates rendered for the date."""
    task = score_task(dagbag).prepare_for_execution()
    context = {
        "var": {"json": VariableAccessor(deserialize_json=True), "value": VariableAccessor(deserialize_json=False)},
        "dag_run": SimpleNamespace(conf={"businessDate": BUSINESS_DATE}),
    }
    task.render_template_fields(context)  # type: ignore[arg-type]  # the keys the score task's templates use
    return task


def partition_keys(endpoint: str) -> list[str]:
    prefix = f"model_tags/business_date={BUSINESS_DATE}/"
    listed = s3(endpoint).list_objects_v2(Bucket=SCORING_JOB["consumptionBucket"], Prefix=prefix)
    return [item["Key"] for item in listed.get("Contents", [])]


def leave_an_earlier_runs_tags(endpoint: str) -> None:
    key = f"model_tags/business_date={BUSINESS_DATE}/part-cur-digital-native-20261101-0001.parquet"
    s3(endpoint).put_object(Bucket=SCORING_JOB["consumptionBucket"], Key=key, Body=b"an earlier version's tags")


def score_task(dagbag: DagBag) -> SageMakerProcessingOperator:
    task = dagbag.dags["cur_pipeline"].get_task("score")
    assert isinstance(task, SageMakerProcessingOperator)
    return task


def test_the_score_task_is_a_deferrable_processing_job_running_cur_model_score(dagbag: DagBag) -> None:
    task = score_task(dagbag)
    config: dict[str, Any] = task.config
    app = config["AppSpecification"]

    assert task.deferrable is True
    assert task.wait_for_completion is True
    assert app["ContainerEntrypoint"] == ["python3", "-m", "cur_model.score"]
    assert app["ImageUri"] == "{{ var.json.cur_scoring_job.imageUri }}"
    arguments = dict(zip(app["ContainerArguments"][::2], app["ContainerArguments"][1::2], strict=True))
    assert arguments == {
        "--model-dir": "/opt/ml/processing/model",
        "--version-id": "@promoted-model-version@",
        "--features": "/opt/ml/processing/input",
        "--output": "/opt/ml/processing/output/part-@promoted-model-version@.parquet",
    }
    inputs = {i["InputName"]: (i["S3Input"]["S3Uri"], i["S3Input"]["LocalPath"]) for i in config["ProcessingInputs"]}
    partition = "business_date={{ dag_run.conf['businessDate'] }}/"
    bucket = "s3://{{ var.json.cur_scoring_job.%sBucket }}/"
    assert inputs == {
        "code": (bucket % "system" + "model-history/code/", "/opt/ml/processing/code"),
        "model": (
            bucket % "system" + "model-history/artefacts/@promoted-model-version@/output/",
            "/opt/ml/processing/model",
        ),
        "customer_features": (bucket % "consumption" + "customer_features/" + partition, "/opt/ml/processing/input"),
    }
    [output] = config["ProcessingOutputConfig"]["Outputs"]
    assert output["S3Output"]["S3Uri"] == bucket % "consumption" + "model_tags/" + partition
    assert config["NetworkConfig"] == {"EnableNetworkIsolation": True}
    assert (
        config["ProcessingOutputConfig"]["KmsKeyId"] == config["ProcessingResources"]["ClusterConfig"]["VolumeKmsKeyId"]
    )


def test_what_reads_the_model_tags_runs_unless_an_upstream_failed(dagbag: DagBag) -> None:
    dag = dagbag.dags["cur_pipeline"]

    assert dag.get_task("dq_consumption_model_tags").upstream_task_ids == {"score"}
    for task_id in ("mart", "serving"):
        assert dag.get_task(task_id).trigger_rule == "none_failed"
    assert dag.get_task("score").trigger_rule == "all_success"


def test_the_score_task_is_skipped_while_no_version_is_promoted_and_its_partition_emptied(
    dagbag: DagBag, moto: str
) -> None:
    # Prepare
    leave_an_earlier_runs_tags(moto)
    task = rendered_score_task(dagbag)
    before = json.dumps(task.config)

    # Act
    with pytest.raises(AirflowSkipException, match="no model version is promoted"):
        task._pre_execute_hook({"task": task})  # type: ignore[misc]  # the hook the task runner calls

    # Assess: no stale tags are left for the mart to read
    assert json.dumps(task.config) == before
    assert partition_keys(moto) == []


def test_the_score_task_applies_the_promoted_version_read_when_it_starts(dagbag: DagBag, moto: str) -> None:
    # Prepare: an earlier version's tags in the partition, and the pointer as `cur model promote` writes it
    leave_an_earlier_runs_tags(moto)
    table = boto3.resource("dynamodb", endpoint_url=moto, region_name="ap-northeast-1").Table(MODEL_HISTORY_TABLE)
    table.put_item(
        Item={"pk": "scoring", "sk": "current", "versionId": "cur-digital-native-20261201-0001", "revision": 2}
    )
    task = rendered_score_task(dagbag)

    try:
        # Act
        task._pre_execute_hook({"task": task})  # type: ignore[misc]  # the hook the task runner calls
    finally:
        table.delete_item(Key={"pk": "scoring", "sk": "current"})

    # Assess: the version everywhere the marker was, the partition emptied for the job's one file
    config = json.dumps(task.config)
    assert "@promoted-model-version@" not in config
    assert '"--version-id", "cur-digital-native-20261201-0001"' in config
    assert "s3://cur-dev-system/model-history/artefacts/cur-digital-native-20261201-0001/output/" in config
    assert "part-cur-digital-native-20261201-0001.parquet" in config
    assert f"s3://cur-dev-consumption/model_tags/business_date={BUSINESS_DATE}/" in config
    assert partition_keys(moto) == []
