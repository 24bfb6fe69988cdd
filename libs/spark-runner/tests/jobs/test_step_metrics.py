"""Rows per step as CloudWatch's metric from the Glue jobs, read back from moto's CloudWatch on loopback."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import socket
import threading
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol

import boto3
import pytest
from moto.server import ThreadedMotoServer
from pyspark.sql import SparkSession

from cur_spark.jobs.glue_entry import main
from cur_spark.jobs.mask import main as mask_main
from cur_spark.step_metrics import (
    METRIC_NOT_PUBLISHED,
    load_step_metric,
    parse_metrics_region,
    publish_rows_written,
)

REGION = "ap-northeast-1"
TEMPLATES = Path(__file__).resolve().parents[2] / "glue-plans"
DATE = "2026-11-25"


class CloudWatchReader(Protocol):
    """What the tests call of boto3's CloudWatch client."""

    def list_metrics(self, **kwargs: Any) -> dict[str, Any]: ...  # noqa: ANN401 - boto3's keyword arguments
    def get_metric_data(self, **kwargs: Any) -> dict[str, Any]: ...  # noqa: ANN401 - boto3's keyword arguments


@pytest.fixture
def cloudwatch(monkeypatch: pytest.MonkeyPatch) -> Iterator[CloudWatchReader]:
    """moto's server on a free loopback port, boto3 pointed at it by its own endpoint variable; a client to read."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    # moto's backends live in this process, shared by every server: start from none of an earlier test's metrics.
    reset = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")  # noqa: S310 - our loopback server
    urllib.request.urlopen(reset, timeout=10).close()  # noqa: S310 - the same
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDWATCH", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    try:
        yield boto3.client("cloudwatch", region_name=REGION, endpoint_url=endpoint)
    finally:
        server.stop()


def rows_written(client: CloudWatchReader, step: str) -> list[float]:
    """The datapoints' sums of the step's metric over the last hour, as a dashboard reads them."""
    spec = load_step_metric()
    now = dt.datetime.now(dt.UTC)
    answer = client.get_metric_data(
        MetricDataQueries=[
            {
                "Id": "rows",
                "MetricStat": {
                    "Metric": {
                        "Namespace": spec.namespace,
                        "MetricName": spec.name,
                        "Dimensions": [{"Name": "service", "Value": spec.service}, {"Name": "step", "Value": step}],
                    },
                    "Period": 60,
                    "Stat": "Sum",
                    "Unit": spec.unit,
                },
            }
        ],
        StartTime=now - dt.timedelta(hours=1),
        EndTime=now + dt.timedelta(minutes=5),
    )
    return [float(v) for v in answer["MetricDataResults"][0]["Values"]]


def test_the_metric_is_the_one_step_metrics_publishes_in_typescript() -> None:
    # The TypeScript side's test (libs/pipeline step-metrics.test.ts) holds the same file equal to its EMF document.
    spec = load_step_metric()
    assert (spec.namespace, spec.name, spec.unit, spec.service, spec.dimensions) == (
        "CUR",
        "RowsWritten",
        "Count",
        "pipeline",
        ("service", "step"),
    )


def test_publishes_rows_written_with_the_service_and_step_dimensions(cloudwatch: CloudWatchReader) -> None:
    # Act
    published = publish_rows_written("transform", 117, REGION)

    # Assess
    assert published
    metrics = cloudwatch.list_metrics(Namespace="CUR", MetricName="RowsWritten")["Metrics"]
    assert [sorted((d["Name"], d["Value"]) for d in m["Dimensions"]) for m in metrics] == [
        [("service", "pipeline"), ("step", "transform")]
    ]
    assert rows_written(cloudwatch, "transform") == [117.0]


def test_a_failed_publication_is_one_coded_line_without_the_count_and_does_not_raise(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Prepare: an endpoint nothing listens on
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDWATCH", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")

    # Act
    published = publish_rows_written("mart", 94561, REGION)

    # Assess
    captured = capsys.readouterr()
    assert not published
    assert captured.out == ""
    line = json.loads(captured.err)
    assert (line["code"], line["step"], line["error"]) == (METRIC_NOT_PUBLISHED, "mart", "EndpointConnectionError")
    assert "94561" not in captured.err


@pytest.mark.parametrize(
    ("argv", "region"),
    [
        (["--JOB_NAME", "x", "--metrics_region", REGION], REGION),
        (["--metrics-region", REGION, "--dataset", "d"], REGION),
        ([f"--metrics-region={REGION}"], REGION),
        (["--metrics_region", "--dataset", "d"], None),
        (["--JOB_NAME", "x"], None),
    ],
)
def test_reads_the_region_as_glue_passes_it(argv: list[str], region: str | None) -> None:
    assert parse_metrics_region(argv) == region


def consumption_layer(spark: SparkSession, consumption: Path) -> None:
    """Three customers' features and their tags for the date."""
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


def test_the_mart_job_publishes_its_first_datasets_rows_once_its_plans_succeeded(
    spark: SparkSession, cloudwatch: CloudWatchReader, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Prepare
    consumption_layer(spark, tmp_path / "consumption")
    argv = [
        "--JOB_NAME", "cur-dev-mart", "--plan_templates", str(TEMPLATES), "--step", "mart", "--business-date", DATE,
        "--bucket_consumption", str(tmp_path / "consumption"), "--bucket_mart", str(tmp_path / "mart"),
        "--metrics_region", REGION,
    ]  # fmt: skip

    # Act
    code = main(argv)

    # Assess: tag_metrics_monthly's rows (as runPipeline counts the mart step), one datapoint for the run
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert code == 0, lines
    first = lines[0]["result"]
    assert first["dataset"] == "tag_metrics_monthly"
    assert rows_written(cloudwatch, "mart") == [float(first["outputs"][0]["rows"])] != [0.0]


def test_a_failed_job_publishes_nothing(
    cloudwatch: CloudWatchReader, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Act: the mart's sources are missing
    argv = [
        "--plan_templates", str(TEMPLATES), "--step", "mart", "--business-date", DATE,
        "--bucket_consumption", str(tmp_path / "consumption"), "--bucket_mart", str(tmp_path / "mart"),
        "--metrics_region", REGION,
    ]  # fmt: skip
    code = main(argv)

    # Assess
    assert code == 1
    assert cloudwatch.list_metrics(Namespace="CUR")["Metrics"] == []


@pytest.fixture
def key_service(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A tokenize API on loopback taking the bearer credential of ``CUR_TEST_TOKEN``; answers a hash per value."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("content-length", "0"))))
            tokens = [
                None if v is None else "tok_" + hashlib.sha256(v.encode()).hexdigest()[:20] for v in body["values"]
            ]
            payload = json.dumps({"tokens": tokens, "keyVersion": 1}).encode()
            self.send_response(200 if self.headers.get("authorization") == "Bearer stand-in" else 401)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: ANN401 - http.server's signature
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("CUR_TEST_TOKEN", "stand-in")
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/tokenize"
    finally:
        server.shutdown()
        server.server_close()


def test_the_mask_job_publishes_the_rows_it_wrote(
    cloudwatch: CloudWatchReader, key_service: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Prepare: a landed batch of three customer_profile rows and its control file
    columns = json.loads((TEMPLATES / "mask" / "customer_profile.json").read_text(encoding="utf-8"))["columns"]
    folder = tmp_path / "landing" / "incoming" / "customer_profile"
    folder.mkdir(parents=True)
    rows = [",".join(columns), *(",".join(f"{c}-{n}" for c in columns) for n in range(3))]
    (folder / "customer_profile_20261125.csv").write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    control: dict[str, object] = {"dataset": "customer_profile", "businessDate": DATE}
    control |= {"file": "customer_profile_20261125.csv"}
    control |= {"rowCount": 3, "sha256": "0" * 64, "encoding": "utf-8", "schemaVersion": 1}
    (folder / "customer_profile_20261125.ctl").write_text(json.dumps(control), encoding="utf-8")
    argv = [
        "--JOB_NAME", "cur-dev-mask", "--dataset", "customer_profile", "--business-date", DATE,
        "--bucket_landing", str(tmp_path / "landing"), "--bucket_raw", str(tmp_path / "raw"),
        "--plan_templates", str(TEMPLATES), "--key_service_url", key_service,
        "--key-service-token-env", "CUR_TEST_TOKEN", "--metrics_region", REGION,
    ]  # fmt: skip

    # Act
    code = mask_main(argv)

    # Assess
    line = json.loads(capsys.readouterr().out)
    assert (code, line["result"]["rowsOut"]) == (0, 3), line
    assert rows_written(cloudwatch, "mask") == [3.0]
