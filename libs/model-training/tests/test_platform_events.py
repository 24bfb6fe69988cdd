"""``Layer Published`` for the model tags (``cur_model.platform_events``) on moto's server: a rule on the platform bus
(moto's EventBridge) sends it to an SQS queue (moto's SQS), as the oracle-replicator's rule sends it to its Lambda.
The detail's model is held to libs/spark-runner's ``layer-published.schema.json``, which libs/pipeline's drift test
holds to the contract's zod schema."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]  # boto3 ships no type information
import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # no stubs in the workspace
from moto.server import ThreadedMotoServer

from cur_model.platform_events import (
    DETAIL_TYPE,
    EVENT_NOT_PUBLISHED,
    NOT_PUBLISHED_METRIC,
    SOURCE,
    LayerPublished,
    publish_layer,
)

ROOT = Path(__file__).resolve().parents[3]
RUNNER = ROOT / "libs" / "spark-runner"
SCHEMA = json.loads((RUNNER / "layer-published.schema.json").read_text(encoding="utf-8"))
REGION, BUS, DATE = "ap-northeast-1", "cur-dev", "2026-11-25"
DETAIL = LayerPublished.model_validate(
    {
        "step": "score",
        "zone": "consumption",
        "datasets": ["model_tags"],
        "businessDate": DATE,
        "manifestKey": f"manifests/consumption/model_tags/business_date={DATE}.json",
        "rowCount": 17,
    }
)


def comparable(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema without its annotations (titles, descriptions, the generator's comment)."""
    if isinstance(schema, dict):
        skip = {"title", "description", "$comment", "$schema"}
        return {key: comparable(value) for key, value in schema.items() if key not in skip}
    if isinstance(schema, list):
        return [comparable(item) for item in schema]
    return schema


def test_the_detail_is_the_glue_jobs_and_so_the_contracts() -> None:
    # Assess: the same schema as the runner's model (the TypeScript drift test holds that one to the zod schema)
    ours = LayerPublished.model_json_schema(by_alias=True, mode="serialization")
    assert comparable(ours) == comparable(SCHEMA)
    event = json.loads((RUNNER / "src" / "cur_spark" / "platform_event.json").read_text(encoding="utf-8"))
    assert event == {"source": SOURCE, "detailType": DETAIL_TYPE}


@pytest.fixture
def moto(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def client(name: str, endpoint: str) -> Any:  # noqa: ANN401 - boto3 ships no type information
    return boto3.client(name, region_name=REGION, endpoint_url=endpoint)


def queue_on_the_bus(endpoint: str) -> str:
    """The platform bus with a rule on Layer Published from cur.platform to a new queue; the queue's URL."""
    events, sqs = client("events", endpoint), client("sqs", endpoint)
    events.create_event_bus(Name=BUS)
    url: str = sqs.create_queue(QueueName="layer-published")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    pattern = {"source": [SOURCE], "detail-type": [DETAIL_TYPE]}
    events.put_rule(Name="oracle-replicator", EventBusName=BUS, EventPattern=json.dumps(pattern))
    events.put_targets(Rule="oracle-replicator", EventBusName=BUS, Targets=[{"Id": "queue", "Arn": arn}])
    return url


def test_the_model_tags_layer_reaches_a_rule_on_the_platform_bus(moto: str) -> None:
    # Prepare
    url = queue_on_the_bus(moto)

    # Act
    accepted = publish_layer(client("events", moto), client("cloudwatch", moto), BUS, DETAIL)

    # Assess: one event with the contract's detail, as the oracle-replicator's rule receives it
    messages = client("sqs", moto).receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
    [event] = [json.loads(message["Body"]) for message in messages["Messages"]]
    assert accepted is True
    assert (event["source"], event["detail-type"]) == (SOURCE, DETAIL_TYPE)
    Draft202012Validator(SCHEMA).validate(event["detail"])
    assert event["detail"] == {
        "step": "score",
        "zone": "consumption",
        "datasets": ["model_tags"],
        "businessDate": DATE,
        "manifestKey": f"manifests/consumption/model_tags/business_date={DATE}.json",
        "rowCount": 17,
    }


def test_a_failed_put_is_logged_and_counted_never_raised(moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    # Act: no such bus (as a role without events:PutEvents is refused)
    accepted = publish_layer(client("events", moto), client("cloudwatch", moto), "cur-nowhere", DETAIL)

    # Assess: a coded line without counts, keys or AWS's message; one datapoint of the metric
    [line] = [json.loads(text) for text in capsys.readouterr().err.splitlines() if EVENT_NOT_PUBLISHED in text]
    assert accepted is False
    assert set(line) == {"level", "code", "step", "datasets", "error", "message"}
    assert (line["step"], line["datasets"]) == ("score", ["model_tags"])
    now = dt.datetime.now(dt.UTC)
    points = client("cloudwatch", moto).get_metric_statistics(
        Namespace="CUR",
        MetricName=NOT_PUBLISHED_METRIC,
        Dimensions=[{"Name": "service", "Value": "pipeline"}, {"Name": "step", "Value": "score"}],
        StartTime=now - dt.timedelta(hours=1),
        EndTime=now + dt.timedelta(minutes=5),
        Period=3600,
        Statistics=["Sum"],
    )["Datapoints"]
    assert [point["Sum"] for point in points] == [1.0]
