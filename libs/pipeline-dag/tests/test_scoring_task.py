"""The score task of the generated DAG (issue 15): a SageMaker Processing job running `cur_model.score`, the script
`cur run` runs locally, with the promoted model version read from the model history's table when the task starts
(moto's DynamoDB here), and skipped while none is promoted, after which the mart and the serving load still run."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import boto3  # type: ignore[import-untyped]  # boto3 ships no type information
import pytest
from airflow.dag_processing.dagbag import DagBag
from airflow.providers.amazon.aws.operators.sagemaker import SageMakerProcessingOperator
from airflow.sdk.exceptions import AirflowSkipException
from moto_dynamodb import MODEL_HISTORY_TABLE, create_model_history_table, moto_server

SCORING_JOB = {
    "roleArn": "arn:aws:iam::000000000000:role/cur-dev-model-scoring",
    "imageUri": "354813040037.dkr.ecr.ap-northeast-1.amazonaws.com/sagemaker-scikit-learn:1.4-2-cpu-py3",
    "kmsKeyArn": "arn:aws:kms:ap-northeast-1:000000000000:key/lake",
    "consumptionBucket": "cur-dev-consumption",
    "systemBucket": "cur-dev-system",
    "modelHistoryTable": MODEL_HISTORY_TABLE,
}


@pytest.fixture(scope="module")
def dynamodb() -> Iterator[str]:
    """moto's DynamoDB with the model history's empty table, and Airflow's variable naming it."""
    with moto_server() as endpoint:
        saved = {
            name: os.environ.get(name)
            for name in (
                "AWS_ENDPOINT_URL_DYNAMODB",
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
                "AIRFLOW_VAR_CUR_SCORING_JOB",
            )
        }
        os.environ.update(
            {
                "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AIRFLOW_VAR_CUR_SCORING_JOB": json.dumps(SCORING_JOB),
            }
        )
        create_model_history_table(endpoint)
        yield endpoint
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


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


def test_the_score_task_is_skipped_while_no_version_is_promoted(dagbag: DagBag, dynamodb: str) -> None:
    task = score_task(dagbag)
    before = json.dumps(task.config)

    with pytest.raises(AirflowSkipException, match="no model version is promoted"):
        task._pre_execute_hook({"task": task})  # type: ignore[misc]  # the hook the task runner calls

    assert json.dumps(task.config) == before


def test_the_score_task_applies_the_promoted_version_read_when_it_starts(dagbag: DagBag, dynamodb: str) -> None:
    # Prepare: the pointer as the model history writes it (cur model promote)
    table = boto3.resource("dynamodb", endpoint_url=dynamodb, region_name="ap-northeast-1").Table(MODEL_HISTORY_TABLE)
    table.put_item(
        Item={"pk": "scoring", "sk": "current", "versionId": "cur-digital-native-20261201-0001", "revision": 2}
    )
    task = score_task(dagbag).prepare_for_execution()

    try:
        # Act
        task._pre_execute_hook({"task": task})  # type: ignore[misc]  # the hook the task runner calls
    finally:
        table.delete_item(Key={"pk": "scoring", "sk": "current"})

    # Assess: the version everywhere the marker was, nowhere else
    rendered = json.dumps(task.config)
    assert "@promoted-model-version@" not in rendered
    assert '"--version-id", "cur-digital-native-20261201-0001"' in rendered
    assert "model-history/artefacts/cur-digital-native-20261201-0001/output/" in rendered
    assert "part-cur-digital-native-20261201-0001.parquet" in rendered
