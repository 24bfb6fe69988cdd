"""moto's AWS API server (`moto[server]`, pinned in the workspace's uv lock) on loopback, standing in for DynamoDB
where the DAG reads the model history's scoring pointer and for S3 where it empties model_tags' partition: the score
task's `pre_execute` runs its real boto3 calls against it through Airflow's DynamoDBHook and S3Hook. In the local DAG
run it is also the cur state folder's DynamoDB (``CUR_DYNAMODB_ENDPOINT``): cur creates its tables there (ledger,
keys, model history, serving store), and the mask job updates the ledger in it."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
WORKSPACE_PYTHON = REPO_ROOT / ".venv" / "bin" / "python"

#: The model history's table as the CDK names it for the stage `dev` (`cur-<stage>-model-history`, keys pk and sk).
MODEL_HISTORY_TABLE = "cur-dev-model-history"

#: The Airflow variable `cur_scoring_job` as the CDK writes it for the stage `dev` (infra's ModelScoring).
SCORING_JOB = {
    "roleArn": "arn:aws:iam::000000000000:role/cur-dev-model-scoring",
    "imageUri": "354813040037.dkr.ecr.ap-northeast-1.amazonaws.com/sagemaker-scikit-learn:1.4-2-cpu-py3",
    "kmsKeyArn": "arn:aws:kms:ap-northeast-1:000000000000:key/lake",
    "consumptionBucket": "cur-dev-consumption",
    "systemBucket": "cur-dev-system",
    "modelHistoryTable": MODEL_HISTORY_TABLE,
    "eventBus": "cur-dev",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def moto_server(timeout_s: float = 30.0) -> Iterator[str]:
    """Runs moto's server until the block ends; yields its endpoint."""
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(  # noqa: S603 - the workspace's own Python and moto
        [str(WORKSPACE_PYTHON), "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=2):  # noqa: S310 - loopback
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto's server did not answer on {endpoint}") from None
                time.sleep(0.2)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


def create_model_history_table(endpoint: str) -> None:
    """The model history's table (pk, sk strings), empty: no version promoted."""
    import boto3  # type: ignore[import-untyped]  # boto3 ships no type information

    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="ap-northeast-1")
    client.create_table(
        TableName=MODEL_HISTORY_TABLE,
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST",
    )


def create_consumption_bucket(endpoint: str) -> None:
    """The consumption bucket, where the score task empties model_tags' partition before its job writes it."""
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, region_name="ap-northeast-1")
    client.create_bucket(
        Bucket=SCORING_JOB["consumptionBucket"], CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"}
    )


#: The consumption zone's Glue database for the stage `dev` (`cur_<stage>_<zone>`, as infra names it).
CONSUMPTION_DATABASE = "cur_dev_consumption"


def create_system_bucket(endpoint: str) -> None:
    """The system bucket, where the manifests are: the score task's ending reads the features' and writes
    model_tags'."""
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, region_name="ap-northeast-1")
    client.create_bucket(
        Bucket=SCORING_JOB["systemBucket"], CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"}
    )


def create_model_tags_table(endpoint: str) -> None:
    """model_tags in the consumption database as the data catalog stack declares it (partitioned by business_date
    alone, at the table's folder of the consumption bucket), no partition yet; the columns are not read here."""
    import boto3

    client = boto3.client("glue", endpoint_url=endpoint, region_name="ap-northeast-1")
    client.create_database(DatabaseInput={"Name": CONSUMPTION_DATABASE})
    client.create_table(
        DatabaseName=CONSUMPTION_DATABASE,
        TableInput={
            "Name": "model_tags",
            "PartitionKeys": [{"Name": "business_date", "Type": "date"}],
            "StorageDescriptor": {
                "Columns": [{"Name": "cust_id", "Type": "string"}, {"Name": "tag", "Type": "string"}],
                "Location": f"s3://{SCORING_JOB['consumptionBucket']}/model_tags/",
                "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"},
            },
            "TableType": "EXTERNAL_TABLE",
        },
    )


def create_platform_bus(endpoint: str) -> str:
    """The platform bus with the oracle-replicator's rule (Layer Published from cur.platform), its target an SQS
    queue standing for the replicator's Lambda, to read the events back; returns the queue's URL."""
    import boto3

    events = boto3.client("events", endpoint_url=endpoint, region_name="ap-northeast-1")
    sqs = boto3.client("sqs", endpoint_url=endpoint, region_name="ap-northeast-1")
    events.create_event_bus(Name=SCORING_JOB["eventBus"])
    url: str = sqs.create_queue(QueueName="layer-published")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    pattern = {"source": ["cur.platform"], "detail-type": ["Layer Published"]}
    bus = SCORING_JOB["eventBus"]
    events.put_rule(Name="oracle-replicator", EventBusName=bus, EventPattern=json.dumps(pattern))
    events.put_targets(Rule="oracle-replicator", EventBusName=bus, Targets=[{"Id": "queue", "Arn": arn}])
    return url
