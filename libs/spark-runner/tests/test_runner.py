"""run_plan on a real local Spark session: inputs, statements, outputs, and the errors that name what failed."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from pyspark.sql import Row, SparkSession
from pyspark.sql.types import LongType, StringType, StructField, StructType
from pyspark.testing import assertDataFrameEqual, assertSchemaEqual

from cur_spark import (
    PlanInputError,
    PlanOutputError,
    PlanStatementError,
    PlanValidationError,
    TableResult,
    run_plan,
)


def _nullable_strings(*names: str) -> list[StructField]:
    return [StructField(name, StringType(), nullable=True) for name in names]


class TestRunPlan:
    def test_writes_each_output_as_one_zstd_parquet_file_with_the_rows_the_sql_selects(
        self, spark: SparkSession, plan: dict[str, Any]
    ) -> None:
        # Act
        result = run_plan(spark, plan)

        # Assess: the Parquet input's two folders, the CSV's Chinese text and RFC 4180 quoting, the view's filter
        # (C003, born 2004, is out) and the materialised join all reach the outputs.
        counts = spark.read.parquet(plan["outputs"][0]["path"])
        assertSchemaEqual(
            counts.schema,
            StructType(
                [*_nullable_strings("branch_name", "city"), StructField("customers", LongType(), nullable=True)]
            ),
        )
        assertDataFrameEqual(
            counts,
            [
                Row(branch_name="台北信義分行", city="臺北市", customers=1),
                Row(branch_name='高雄"五福"分行', city="高雄市", customers=1),
                Row(branch_name="台中分行, 西屯", city=None, customers=1),
            ],
        )
        customers = spark.read.parquet(plan["outputs"][1]["path"])
        assertSchemaEqual(customers.schema, StructType(_nullable_strings("cust_id", "branch_name")))
        assertDataFrameEqual(
            customers,
            [
                Row(cust_id="C004", branch_name="台中分行, 西屯"),
                Row(cust_id="C002", branch_name='高雄"五福"分行'),
                Row(cust_id="C001", branch_name="台北信義分行"),
            ],
            checkRowOrder=True,  # one file keeps the ORDER BY
        )
        assert result.tables == [TableResult(name="customer_branches", rows=3)]
        assert [(o.name, o.rows, len(o.files)) for o in result.outputs] == [
            ("branch_customers", 3, 1),
            ("customer_branch", 3, 1),
        ]
        for output in result.outputs:
            (file,) = output.files
            assert file.endswith(".zstd.parquet")
            assert Path(file.removeprefix("file:")).parent == Path(output.path)
            metadata = pq.ParquetFile(file.removeprefix("file:")).metadata
            assert {metadata.row_group(0).column(i).compression for i in range(metadata.num_columns)} == {"ZSTD"}

    def test_reports_the_plan_it_ran(self, spark: SparkSession, plan: dict[str, Any]) -> None:
        result = run_plan(spark, plan)

        summary = result.model_dump(mode="json")
        assert (summary["step"], summary["dataset"], summary["businessDate"]) == (
            "consumption",
            "customer_branches",
            "2026-11-25",
        )
        assert summary["durationMs"] >= 0

    def test_running_again_replaces_the_outputs(self, spark: SparkSession, plan: dict[str, Any]) -> None:
        first = run_plan(spark, plan)
        second = run_plan(spark, plan)

        assert [o.rows for o in second.outputs] == [o.rows for o in first.outputs]
        assert all(len(o.files) == 1 for o in second.outputs)
        assert spark.read.parquet(plan["outputs"][1]["path"]).count() == 3

    def test_writes_one_file_per_partition_when_single_file_is_off(
        self, spark: SparkSession, plan: dict[str, Any]
    ) -> None:
        plan["outputs"][1]["singleFile"] = False
        plan["outputs"][1]["sql"] = "SELECT /*+ REPARTITION(2) */ cust_id FROM customer_branches"

        result = run_plan(spark, plan)

        assert result.outputs[1].rows == 3
        assert len(result.outputs[1].files) == 2

    def test_leaves_no_view_or_cached_table_behind(self, spark: SparkSession, plan: dict[str, Any]) -> None:
        run_plan(spark, plan)

        names = {table.name for table in spark.catalog.listTables()}
        assert names.isdisjoint({"customers", "branches", "adults", "customer_branches"})
        assert not spark.sparkContext._jsc.getPersistentRDDs().values()

    def test_keeps_only_the_columns_a_parquet_input_lists(self, spark: SparkSession, plan: dict[str, Any]) -> None:
        plan["outputs"] = [{**plan["outputs"][0], "sql": "SELECT * FROM customers"}]

        run_plan(spark, plan)

        assert spark.read.parquet(plan["outputs"][0]["path"]).columns == ["cust_id", "branch_code", "birth_year"]


class TestRunPlanErrors:
    def test_an_unknown_input_name_fails_naming_the_statement(self, spark: SparkSession, plan: dict[str, Any]) -> None:
        plan["statements"][1]["sql"] = "SELECT * FROM adults JOIN branch_list USING (branch_code)"

        with pytest.raises(PlanStatementError) as raised:
            run_plan(spark, plan)

        assert (raised.value.index, raised.value.statement, raised.value.kind) == (1, "customer_branches", "table")
        assert str(raised.value).startswith(
            "statement 2 of 2 (table customer_branches) of step consumption, dataset customer_branches, "
            "business date 2026-11-25 failed: [TABLE_OR_VIEW_NOT_FOUND]"
        )
        assert "branch_list" in str(raised.value)

    def test_bad_sql_fails_naming_the_statement(self, spark: SparkSession, plan: dict[str, Any]) -> None:
        plan["statements"][0]["sql"] = "SELEC * FROM customers"

        with pytest.raises(PlanStatementError, match=r"statement 1 of 2 \(view adults\).*PARSE_SYNTAX_ERROR"):
            run_plan(spark, plan)

    def test_a_failing_output_names_the_output(self, spark: SparkSession, plan: dict[str, Any]) -> None:
        plan["outputs"][1]["sql"] = "SELECT no_such_column FROM customer_branches"

        with pytest.raises(PlanOutputError, match=r"output customer_branch of step consumption.*UNRESOLVED_COLUMN"):
            run_plan(spark, plan)

    def test_a_runtime_failure_names_its_class_but_no_value(self, spark: SparkSession, plan: dict[str, Any]) -> None:
        # raise_error's message carries the row's value, as a failed cast's would: it must not reach the error.
        plan["statements"][1]["sql"] = "SELECT raise_error(concat('leak ', branch_name)) AS x FROM branches"

        with pytest.raises(PlanStatementError) as raised:
            run_plan(spark, plan)

        assert str(raised.value).endswith(
            "failed: org.apache.spark.SparkException caused by java.lang.RuntimeException"
        )
        assert "台北" not in str(raised.value)
        assert "leak" not in str(raised.value)

    def test_statements_cannot_read_files_around_the_inputs(
        self, spark: SparkSession, plan: dict[str, Any], lake: Path
    ) -> None:
        path = lake / "raw/customers/business_date=2026-11-24"
        plan["statements"][0]["sql"] = f"SELECT * FROM parquet.`{path}`"

        with pytest.raises(PlanStatementError, match=r"statement 1 of 2 \(view adults\)"):
            run_plan(spark, plan)

    def test_a_parquet_input_without_an_expected_column_fails_naming_it(
        self, spark: SparkSession, plan: dict[str, Any]
    ) -> None:
        plan["inputs"][0]["columns"] = ["cust_id", "branch_code", "segment"]

        with pytest.raises(PlanInputError, match=r"input customers \(parquet\) of .* lacks column\(s\) segment$"):
            run_plan(spark, plan)

    def test_a_missing_parquet_path_fails_naming_the_input(
        self, spark: SparkSession, plan: dict[str, Any], lake: Path
    ) -> None:
        plan["inputs"][0]["paths"] = [str(lake / "raw/customers/business_date=2026-01-01")]

        with pytest.raises(
            PlanInputError, match=r"input customers \(parquet\) .* could not be read: \[PATH_NOT_FOUND\]"
        ):
            run_plan(spark, plan)

    def test_a_csv_header_that_differs_fails_without_quoting_the_line(
        self, spark: SparkSession, plan: dict[str, Any], tmp_path: Path
    ) -> None:
        # A file that lacks its header has a customer's values on its first line.
        headless = tmp_path / "headless.csv"
        headless.write_text("B01,台北信義分行,臺北市\n", encoding="utf-8")
        plan["inputs"][1]["path"] = str(headless)

        with pytest.raises(PlanInputError) as raised:
            run_plan(spark, plan)

        assert raised.value.input_name == "branches"
        assert "column 1 (branch_code) differs" in str(raised.value)
        assert "台北" not in str(raised.value)

    def test_an_invalid_plan_is_refused_before_spark_runs_anything(
        self, spark: SparkSession, plan: dict[str, Any]
    ) -> None:
        bad = copy.deepcopy(plan)
        bad["statements"][0]["kind"] = "macro"

        with pytest.raises(PlanValidationError, match=r"statements\.0"):
            run_plan(spark, bad)

        assert not Path(plan["outputs"][0]["path"]).exists()

    def test_views_are_dropped_after_a_failure(self, spark: SparkSession, plan: dict[str, Any]) -> None:
        plan["outputs"][1]["sql"] = "SELECT nope FROM customer_branches"

        with pytest.raises(PlanOutputError):
            run_plan(spark, plan)

        assert not {t.name for t in spark.catalog.listTables()} & {
            "customers",
            "branches",
            "adults",
            "customer_branches",
        }
