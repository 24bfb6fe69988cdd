"""Fixtures: one local Spark session for the whole run (a JVM takes seconds to start: never one per test), a small
lake of Parquet and CSV inputs, and a plan over it."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
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
