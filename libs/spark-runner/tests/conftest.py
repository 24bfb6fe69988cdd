"""Fixtures: one local Spark session for the whole run (a JVM takes seconds to start: never one per test), a small
lake of Parquet and CSV inputs, and a plan over it."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import boto3
import pytest
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from moto.server import ThreadedMotoServer
from pyspark.sql import SparkSession

from cur_spark.session import local_spark_session


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkSession]:
    session = local_spark_session(tmp_path_factory.mktemp("spark"), app_name="cur-spark-tests", shuffle_partitions=2)
    yield session
    session.stop()


@pytest.fixture(scope="session")
def lake(spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Customers as Parquet in two folders (two business dates); branches as a UTF-8 CSV extract with RFC 4180
    quoting: a doubled quote, a comma inside quotes, an empty last field."""
    root = tmp_path_factory.mktemp("lake")
    schema = "cust_id STRING, branch_code STRING, birth_year INT, balance DECIMAL(18,2)"
    spark.createDataFrame(
        [
            ("C001", "B01", 1980, Decimal("1200.50")),
            ("C002", "B02", 1999, Decimal("88.00")),
            ("C003", "B01", 2004, Decimal(0)),
        ],
        schema,
    ).write.parquet(str(root / "raw/customers/business_date=2026-11-24"))
    spark.createDataFrame([("C004", "B03", 1975, Decimal("5000.25"))], schema).write.parquet(
        str(root / "raw/customers/business_date=2026-11-25")
    )
    branches = root / "landing/branches.csv"
    branches.parent.mkdir(parents=True)
    branches.write_text(
        'branch_code,branch_name,city\nB01,台北信義分行,臺北市\nB02,"高雄""五福""分行",高雄市\nB03,"台中分行, 西屯",\n',
        encoding="utf-8",
    )
    return root


@pytest.fixture
def plan(lake: Path, tmp_path: Path) -> dict[str, Any]:
    """A plan as the TypeScript side renders it: a Parquet and a CSV input, a view, a materialised join, two outputs."""
    return {
        "version": 1,
        "step": "consumption",
        "dataset": "customer_branches",
        "businessDate": "2026-11-25",
        "inputs": [
            {
                "format": "parquet",
                "name": "customers",
                "paths": [
                    str(lake / "raw/customers/business_date=2026-11-24"),
                    str(lake / "raw/customers/business_date=2026-11-25"),
                ],
                "columns": ["cust_id", "branch_code", "birth_year"],
            },
            {
                "format": "csv",
                "name": "branches",
                "path": str(lake / "landing/branches.csv"),
                "header": True,
                "encoding": "utf-8",
                "columns": ["branch_code", "branch_name", "city"],
            },
        ],
        "statements": [
            {"kind": "view", "name": "adults", "sql": "SELECT * FROM customers WHERE birth_year <= 2000"},
            {
                "kind": "table",
                "name": "customer_branches",
                "sql": "SELECT a.cust_id, a.birth_year, b.branch_name, b.city "
                "FROM adults AS a JOIN branches AS b ON a.branch_code = b.branch_code",
            },
        ],
        "outputs": [
            {
                "name": "branch_customers",
                "sql": "SELECT branch_name, city, count(*) AS customers FROM customer_branches "
                "GROUP BY branch_name, city ORDER BY branch_name",
                "path": str(tmp_path / "out/branch_customers"),
                "format": "parquet",
                "compression": "zstd",
                "singleFile": True,
            },
            {
                "name": "customer_branch",
                "sql": "SELECT cust_id, branch_name FROM customer_branches ORDER BY cust_id DESC",
                "path": str(tmp_path / "out/customer_branch"),
                "format": "parquet",
                "compression": "zstd",
                "singleFile": True,
            },
        ],
    }


LEDGER_TABLE = "cur-dev-batch-ledger"
"""The ledger's physical name in the dev stage (``<table prefix>-batch-ledger``)."""


@dataclass(frozen=True)
class MotoAws:
    """moto's server on loopback, the job's boto3 pointed at it through the environment (as Glue's would be at AWS)."""

    endpoint: str

    def client(self, service: str) -> Any:  # noqa: ANN401 (boto3's clients are untyped)
        return boto3.client(service, endpoint_url=self.endpoint)

    def create_ledger_table(self, table: str = LEDGER_TABLE) -> str:
        """The ledger's table as DynamoDbKeyValueStore creates it (libs/adapters-aws): ``pk``/``sk`` strings."""
        self.client("dynamodb").create_table(
            TableName=table,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": k, "AttributeType": "S"} for k in ("pk", "sk")],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        )
        return table

    def put_batch(self, dataset: str, business_date: str, status: str = "ACCEPTED", table: str = LEDGER_TABLE) -> None:
        """A batch's state item as libs/ingestion's ``BatchLedger.claim`` writes it (then moved to ``status``)."""
        stem = f"incoming/{dataset}/{dataset}_{business_date.replace('-', '')}"
        item = {
            "pk": f"batch#{dataset}/{business_date}", "sk": "state", "batchId": f"{dataset}/{business_date}",
            "dataset": dataset, "businessDate": business_date, "sha256": "a" * 64, "rowCount": 3,
            "acceptedAt": "2026-11-26T01:02:03.456Z", "dataKey": f"{stem}.csv", "controlKey": f"{stem}.ctl",
            "status": status, "attempts": 1,
        }  # fmt: skip
        self.client("dynamodb").put_item(TableName=table, Item=TypeSerializer().serialize(item)["M"])

    def batch(self, dataset: str, business_date: str, table: str = LEDGER_TABLE) -> dict[str, Any] | None:
        """The batch's state item as a plain dict, or None."""
        key = {"pk": {"S": f"batch#{dataset}/{business_date}"}, "sk": {"S": "state"}}
        item = self.client("dynamodb").get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")
        return None if item is None else {k: TypeDeserializer().deserialize(v) for k, v in item.items()}


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> MotoAws:
    """A fresh moto state and an environment whose default boto3 clients talk to it (fake credentials, a region)."""
    with urllib.request.urlopen(urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST")) as response:  # noqa: S310 (loopback)
        response.read()
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-northeast-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    return MotoAws(moto_server)
