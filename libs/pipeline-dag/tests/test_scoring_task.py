"""The score task of the generated DAG (issue 15): a SageMaker Processing job running `cur_model.score`, the script
`cur run` runs locally, with the promoted model version read from the model history's table when the task starts
(moto's DynamoDB here), and skipped while none is promoted, after which the mart and the serving load still run; once
the job has succeeded, the task publishes model_tags' manifest and catalog partition (`cur_model.publish`, moto's S3
and Glue here). SageMaker Processing itself cannot run here: the file its job leaves is written by the test."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
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
    CONSUMPTION_DATABASE,
    MODEL_HISTORY_TABLE,
    SCORING_JOB,
    WORKSPACE_PYTHON,
    create_consumption_bucket,
    create_model_history_table,
    create_model_tags_table,
    create_platform_bus,
    create_system_bucket,
    moto_server,
)

from cur_model.publish import PublishError

BUSINESS_DATE = "2026-11-25"


@pytest.fixture(scope="module")
def moto() -> Iterator[str]:
    """moto's DynamoDB with the model history's empty table and S3 with the consumption bucket, and the Airflow
    variable naming them, as the CDK writes it."""
    with moto_server() as endpoint, pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint)
        patch.setenv("AWS_ENDPOINT_URL_S3", endpoint)
        patch.setenv("AWS_ENDPOINT_URL_GLUE", endpoint)
        patch.setenv("AWS_ENDPOINT_URL_EVENTBRIDGE", endpoint)
        patch.setenv("AWS_ENDPOINT_URL_CLOUDWATCH", endpoint)
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        patch.setenv("AIRFLOW_VAR_CUR_SCORING_JOB", json.dumps(SCORING_JOB))
        create_model_history_table(endpoint)
        create_consumption_bucket(endpoint)
        create_system_bucket(endpoint)
        create_model_tags_table(endpoint)
        create_platform_bus(endpoint)
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


def leave_the_jobs_output(endpoint: str, rows: int) -> str:
    """What the Processing job leaves in the partition: one Parquet file of model tags (written by the workspace's
    pyarrow, the scoring script's writer; this environment has none). Returns its key."""
    key = f"model_tags/business_date={BUSINESS_DATE}/part-cur-digital-native-20261201-0001.parquet"
    script = (
        "import io, sys, pyarrow as pa, pyarrow.parquet as pq; n = int(sys.argv[1]); sink = io.BytesIO(); "
        "pq.write_table(pa.table({'cust_id': [f'tok{i}' for i in range(n)], 'tag': ['digital_native'] * n}), sink, "
        "row_group_size=7); sys.stdout.buffer.write(sink.getvalue())"
    )
    done = subprocess.run(  # noqa: S603 - the workspace's own Python
        [str(WORKSPACE_PYTHON), "-c", script, str(rows)], capture_output=True, check=True
    )
    s3(endpoint).put_object(Bucket=SCORING_JOB["consumptionBucket"], Key=key, Body=done.stdout)
    return key


def publish_context(task: SageMakerProcessingOperator) -> dict[str, Any]:
    """What the task runner passes the post_execute hook, as far as the hook reads it."""
    started = dt.datetime(2026, 12, 1, 22, 0, tzinfo=dt.UTC)
    return {
        "task": task,
        "ti": SimpleNamespace(start_date=started),
        "dag_run": SimpleNamespace(conf={"businessDate": BUSINESS_DATE}),
    }


def test_after_its_job_the_score_task_publishes_model_tags_manifest_and_partition(dagbag: DagBag, moto: str) -> None:
    # Prepare: the features' manifest as the consumption job publishes it, the job's output in the partition
    features = {
        "dataset": "customer_features",
        "zone": "consumption",
        "businessDate": BUSINESS_DATE,
        "runId": "glue-jr_0123",
        "rowCount": 40,
        "keyVersions": {"national_id": 1},
    }
    features_key = f"manifests/consumption/customer_features/business_date={BUSINESS_DATE}.json"
    s3(moto).put_object(Bucket=SCORING_JOB["systemBucket"], Key=features_key, Body=json.dumps(features).encode())
    tags_key = leave_the_jobs_output(moto, 23)
    task = score_task(dagbag)

    # Act: the hook the task runner calls after the job (post_execute, with the job's result)
    task._post_execute_hook(publish_context(task), {"Processing": {}})  # type: ignore[misc, arg-type]

    # Assess: the manifest of the job's file, with the features' run; the partition in the catalog at its folder
    manifest_key = f"manifests/consumption/model_tags/business_date={BUSINESS_DATE}.json"
    body = s3(moto).get_object(Bucket=SCORING_JOB["systemBucket"], Key=manifest_key)["Body"].read()
    manifest = json.loads(body)
    assert manifest["files"] == [tags_key]
    assert (manifest["rowCount"], manifest["counts"]) == (23, {"scored": 40, "tagged": 23})
    assert (manifest["runId"], manifest["inputs"]) == ("glue-jr_0123", [features_key])
    assert manifest["startedAt"] == "2026-12-01T22:00:00.000Z"
    glue = boto3.client("glue", endpoint_url=moto, region_name="ap-northeast-1")
    partition = glue.get_partition(
        DatabaseName=CONSUMPTION_DATABASE, TableName="model_tags", PartitionValues=[BUSINESS_DATE]
    )["Partition"]
    expected = f"s3://{SCORING_JOB['consumptionBucket']}/model_tags/business_date={BUSINESS_DATE}"
    assert partition["StorageDescriptor"]["Location"] == expected
    # Assess: Layer Published on the platform bus, as the oracle-replicator's rule receives it (the contract's detail)
    sqs = boto3.client("sqs", endpoint_url=moto, region_name="ap-northeast-1")
    url = sqs.get_queue_url(QueueName="layer-published")["QueueUrl"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    [event] = [json.loads(message["Body"]) for message in messages]
    assert (event["source"], event["detail-type"]) == ("cur.platform", "Layer Published")
    assert event["detail"] == {
        "step": "score",
        "zone": "consumption",
        "datasets": ["model_tags"],
        "businessDate": BUSINESS_DATE,
        "manifestKey": manifest_key,
        "rowCount": 23,
    }


def test_the_score_task_fails_when_its_job_left_no_model_tags(dagbag: DagBag, moto: str) -> None:
    # Prepare: the features' manifest is there, the partition empty (as pre_execute leaves it)
    features_key = f"manifests/consumption/customer_features/business_date={BUSINESS_DATE}.json"
    body = {"runId": "glue-jr_0124", "rowCount": 40, "keyVersions": {}}
    s3(moto).put_object(Bucket=SCORING_JOB["systemBucket"], Key=features_key, Body=json.dumps(body).encode())
    for key in partition_keys(moto):
        s3(moto).delete_object(Bucket=SCORING_JOB["consumptionBucket"], Key=key)
    task = score_task(dagbag)

    # Act, Assess: the task fails with the coded reason, and nothing is published for the date
    with pytest.raises(PublishError) as raised:
        task._post_execute_hook(publish_context(task), {"Processing": {}})  # type: ignore[misc, arg-type]
    assert raised.value.code == "OUTPUT_MISSING"
