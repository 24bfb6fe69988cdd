"""``Layer Published`` from the Glue jobs, read back from moto's server on loopback: a rule on the platform bus (moto's
EventBridge) sends the events to an SQS queue (moto's SQS), as the oracle-replicator's rule sends them to its Lambda.
Each detail is checked against ``layer-published.schema.json``, which a libs/pipeline test holds to the contract."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import boto3
import pytest
from jsonschema import Draft202012Validator
from moto.server import ThreadedMotoServer
from pydantic import ValidationError
from pyspark.sql import SparkSession

from cur_spark.jobs.glue_entry import main
from cur_spark.platform_events import EVENT_NOT_PUBLISHED, NOT_PUBLISHED_METRIC, LayerPublished, publish_layers

PROJECT = Path(__file__).resolve().parents[2]
TEMPLATES = PROJECT / "glue-plans"
REGION = "ap-northeast-1"
DATE = "2026-11-25"
SCHEMA = json.loads((PROJECT / "layer-published.schema.json").read_text(encoding="utf-8"))
BUS = "cur-dev"


@dataclass(frozen=True)
class PlatformBus:
    """The bus, the queue its Layer Published rule feeds, and clients to read them."""

    sqs: Any
    cloudwatch: Any
    queue_url: str

    def received(self) -> list[dict[str, Any]]:
        """Every event the rule delivered (the EventBridge envelope), in no particular order."""
        events: list[dict[str, Any]] = []
        while True:
            answer = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
            messages = answer.get("Messages", [])
            if not messages:
                return events
            for message in messages:
                events.append(json.loads(message["Body"]))
                self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])


@pytest.fixture
def bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[PlatformBus]:
    """moto's server with the platform bus, a rule on Layer Published from cur.platform to a queue; boto3 pointed at
    it by the endpoint variables the jobs' clients read."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    reset = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")  # noqa: S310 - our loopback server
    urllib.request.urlopen(reset, timeout=10).close()  # noqa: S310 - the same
    for service in ("EVENTBRIDGE", "CLOUDWATCH"):
        monkeypatch.setenv(f"AWS_ENDPOINT_URL_{service}", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    try:
        events = boto3.client("events", region_name=REGION, endpoint_url=endpoint)
        sqs = boto3.client("sqs", region_name=REGION, endpoint_url=endpoint)
        events.create_event_bus(Name=BUS)
        queue_url = sqs.create_queue(QueueName="layer-published")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        pattern = {"source": ["cur.platform"], "detail-type": ["Layer Published"]}
        events.put_rule(Name="oracle-replicator", EventBusName=BUS, EventPattern=json.dumps(pattern))
        events.put_targets(Rule="oracle-replicator", EventBusName=BUS, Targets=[{"Id": "queue", "Arn": queue_arn}])
        cloudwatch = boto3.client("cloudwatch", region_name=REGION, endpoint_url=endpoint)
        yield PlatformBus(sqs, cloudwatch, queue_url)
    finally:
        server.stop()


def consumption_layer(spark: SparkSession, consumption: Path) -> None:
    """Three customers' features and their tags for the date (the mart job's sources)."""
    date = dt.date.fromisoformat(DATE)
    spark.createDataFrame(
        [
            ("tokA", "B01", "mass", Decimal("100.00"), Decimal("10.00"), 3, date),
            ("tokB", "B01", "affluent", Decimal("300.00"), Decimal("30.00"), 5, date),
            ("tokC", "B02", "mass", Decimal("50.00"), Decimal("0.00"), 0, date),
        ],
        "cust_id STRING, branch_code STRING, segment STRING, aum_total DECIMAL(18,2), card_spend_1m DECIMAL(18,2), "
        "digital_events_30d INT, business_date DATE",
    ).write.parquet(str(consumption / f"customer_features/business_date={DATE}"))
    spark.createDataFrame(
        [("tokA", "card_lover", date), ("tokB", "card_lover", date), ("tokC", "saver", date)],
        "cust_id STRING, tag STRING, business_date DATE",
    ).write.parquet(str(consumption / f"customer_tags/business_date={DATE}"))


def mart_job(tmp_path: Path, *extra: str) -> list[str]:
    return [
        "--JOB_NAME", "cur-dev-mart", "--JOB_RUN_ID", "jr_0123", "--plan_templates", str(TEMPLATES),
        "--step", "mart", "--business-date", DATE,
        "--bucket_consumption", str(tmp_path / "consumption"), "--bucket_mart", str(tmp_path / "mart"),
        "--bucket_system", str(tmp_path / "system"), "--metrics_region", REGION, *extra,
    ]  # fmt: skip


def test_the_mart_job_puts_layer_published_for_each_dataset_as_run_pipeline_does(
    spark: SparkSession, bus: PlatformBus, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Prepare
    consumption_layer(spark, tmp_path / "consumption")

    # Act
    code = main(mart_job(tmp_path, "--event_bus", BUS))

    # Assess: one event per mart dataset, each the contract's detail, naming the manifest the job published
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert code == 0, lines
    received = bus.received()
    assert {(e["source"], e["detail-type"]) for e in received} == {("cur.platform", "Layer Published")}
    details = sorted((e["detail"] for e in received), key=lambda d: d["datasets"][0])
    for detail in details:
        Draft202012Validator(SCHEMA).validate(detail)
    rows = {line["result"]["dataset"]: line["result"]["outputs"][0]["rows"] for line in lines}
    assert details == [
        {
            "step": "mart",
            "zone": "mart",
            "datasets": [dataset],
            "businessDate": DATE,
            "manifestKey": f"manifests/mart/{dataset}/business_date={DATE}.json",
            "rowCount": rows[dataset],
        }
        for dataset in ("segment_metrics_monthly", "tag_metrics_monthly")
    ]
    for detail in details:
        assert (tmp_path / "system" / detail["manifestKey"]).is_file()


def test_without_an_event_bus_or_with_a_failed_plan_nothing_is_put(
    spark: SparkSession, bus: PlatformBus, tmp_path: Path
) -> None:
    # Act: a run without --event_bus (a local run), then a run whose sources are missing
    consumption_layer(spark, tmp_path / "consumption")
    assert main(mart_job(tmp_path)) == 0
    assert main([*mart_job(tmp_path / "elsewhere"), "--event_bus", BUS]) == 1

    # Assess
    assert bus.received() == []


def test_a_failed_put_is_logged_and_counted_and_the_job_still_succeeds(
    spark: SparkSession, bus: PlatformBus, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Prepare: a bus that does not exist (as a role without events:PutEvents fails: refused, outputs published)
    consumption_layer(spark, tmp_path / "consumption")

    # Act
    code = main(mart_job(tmp_path, "--event_bus", "cur-nowhere"))

    # Assess: the job succeeded; one coded line per dataset, no count, key or message of AWS's; the metric counted
    assert code == 0
    warnings = [json.loads(line) for line in capsys.readouterr().err.splitlines() if EVENT_NOT_PUBLISHED in line]
    assert [(w["code"], w["step"], w["datasets"]) for w in warnings] == [
        (EVENT_NOT_PUBLISHED, "mart", ["tag_metrics_monthly"]),
        (EVENT_NOT_PUBLISHED, "mart", ["segment_metrics_monthly"]),
    ]
    assert all(set(w) == {"level", "code", "step", "datasets", "error", "message"} for w in warnings)
    now = dt.datetime.now(dt.UTC)
    counted = bus.cloudwatch.get_metric_statistics(
        Namespace="CUR",
        MetricName=NOT_PUBLISHED_METRIC,
        Dimensions=[{"Name": "service", "Value": "pipeline"}, {"Name": "step", "Value": "mart"}],
        StartTime=now - dt.timedelta(hours=1),
        EndTime=now + dt.timedelta(minutes=5),
        Period=3600,
        Statistics=["Sum"],
    )["Datapoints"]
    assert [point["Sum"] for point in counted] == [2.0]
    assert bus.received() == []


def test_a_detail_outside_the_contract_is_refused_before_anything_is_put() -> None:
    # Assess: pydantic refuses what the contract's zod schema refuses (an empty dataset list, a negative count)
    valid = {
        "step": "consumption",
        "zone": "consumption",
        "datasets": ["customer_features"],
        "businessDate": DATE,
        "manifestKey": f"manifests/consumption/customer_features/business_date={DATE}.json",
        "rowCount": 3,
    }
    LayerPublished.model_validate(valid)
    broken_details: list[dict[str, object]] = [{"datasets": []}, {"rowCount": -1}, {"zone": "serving"}, {"extra": 1}]
    for broken in broken_details:
        with pytest.raises(ValidationError):
            LayerPublished.model_validate({**valid, **broken})
    assert publish_layers([], BUS, REGION) == 0
