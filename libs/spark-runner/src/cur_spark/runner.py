"""The generic plan runner: reads a plan's inputs, runs its statements in order, writes its outputs."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import StringType, StructField, StructType

from cur_spark.errors import (
    SPARK_ERRORS,
    PlanInputError,
    PlanOutputError,
    PlanStatementError,
    describe_spark_error,
)
from cur_spark.plan import CsvInput, ParquetInput, ParquetOutput, Plan, Statement, parse_plan
from cur_spark.result import OutputResult, PlanResult, TableResult

RUNNER_SQL_CONF: Mapping[str, str] = {
    # Statements read the plan's named inputs only: no `SELECT * FROM parquet.`/some/path`` around them.
    "spark.sql.runSQLOnFiles": "false",
    # Parquet timestamps as Athena, DuckDB and Redshift Spectrum read them (Spark's default is the legacy INT96).
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    # The same clock on a laptop and in Glue, whatever the machine's zone.
    "spark.sql.session.timeZone": "UTC",
}
"""Session settings every plan runs under, set by ``run_plan`` itself so Glue and a laptop run alike."""


def run_plan(spark: SparkSession, plan: Plan | str | bytes | Mapping[str, Any]) -> PlanResult:
    """Runs one plan in ``spark`` and returns what it wrote.

    Inputs become temporary views, statements run in order (a ``table`` is materialised once), then each output is
    written, replacing its folder. Whatever happens, the plan's views are dropped and its tables unpersisted, so one
    session runs plan after plan (one JVM per run, not per step) without one plan seeing another's names.

    Example::

        result = run_plan(spark, Path("transform.customer_profile.json").read_text())
        for output in result.outputs:
            print(output.name, output.rows, output.files)

    Raises ``PlanValidationError`` for a plan that does not validate, ``PlanInputError``, ``PlanStatementError`` or
    ``PlanOutputError`` naming what failed (the Spark exception as cause).
    """
    if not isinstance(plan, Plan):
        plan = parse_plan(plan)
    started = time.perf_counter()
    for key, value in RUNNER_SQL_CONF.items():
        spark.conf.set(key, value)
    views: list[str] = []
    persisted: list[DataFrame] = []
    try:
        for item in plan.inputs:
            _read_input(spark, plan, item).createOrReplaceTempView(item.name)
            views.append(item.name)
        tables: list[TableResult] = []
        for index, statement in enumerate(plan.statements):
            rows = _run_statement(spark, plan, index, statement, persisted)
            views.append(statement.name)
            if rows is not None:
                tables.append(TableResult(name=statement.name, rows=rows))
        outputs = [_write_output(spark, plan, output) for output in plan.outputs]
    finally:
        for name in views:
            spark.catalog.dropTempView(name)
        for frame in persisted:
            frame.unpersist()
    return PlanResult(
        step=plan.step,
        dataset=plan.dataset,
        business_date=plan.business_date,
        tables=tables,
        outputs=outputs,
        duration_ms=round((time.perf_counter() - started) * 1000),
    )


def _where(plan: Plan) -> str:
    return f"step {plan.step}, dataset {plan.dataset}, business date {plan.business_date.isoformat()}"


def _read_input(spark: SparkSession, plan: Plan, item: ParquetInput | CsvInput) -> DataFrame:
    where = f"input {item.name} ({item.format}) of {_where(plan)}"
    try:
        if isinstance(item, CsvInput):
            if item.header:
                _check_csv_header(spark, item, where)
            return _read_csv(spark, item)
        frame = spark.read.parquet(*item.paths)
    except SPARK_ERRORS as error:
        raise PlanInputError(
            f"{where} could not be read: {describe_spark_error(error)}", input_name=item.name
        ) from error
    if item.columns is None:
        return frame
    missing = [column for column in item.columns if column not in frame.columns]
    if missing:
        raise PlanInputError(f"{where} lacks column(s) {', '.join(missing)}", input_name=item.name)
    return frame.select(*item.columns)


_CSV_OPTIONS: Mapping[str, str] = {
    "encoding": "UTF-8",
    "quote": '"',
    "escape": '"',  # RFC 4180: a quote inside a quoted field is doubled (Spark's default escape is a backslash)
    "multiLine": "true",  # RFC 4180: line breaks inside quoted fields
    "mode": "FAILFAST",  # ingestion already checked the file: a malformed row here is a bug, never a row of nulls
}


def _read_csv(spark: SparkSession, item: CsvInput) -> DataFrame:
    schema = StructType([StructField(column, StringType(), nullable=True) for column in item.columns])
    return spark.read.schema(schema).options(**_CSV_OPTIONS).option("header", item.header).csv(item.path)


def _check_csv_header(spark: SparkSession, item: CsvInput, where: str) -> None:
    """The file's first line must name the plan's columns, in order.

    Reading with a header and no schema or inference reads that line alone. The message names the plan's columns
    and a position, never the line itself: a file that lacks its header has a customer's values there.
    """
    header = spark.read.options(**_CSV_OPTIONS).option("header", True).csv(item.path).columns
    if header == item.columns:
        return
    differs = next((i for i, (a, b) in enumerate(zip(header, item.columns, strict=False)) if a != b), None)
    position = f"column {differs + 1} ({item.columns[differs]}) differs" if differs is not None else "the counts differ"
    raise PlanInputError(
        f"{where}: the file's header does not name the plan's columns: {position}; "
        f"the file has {len(header)} column(s), the plan {len(item.columns)}",
        input_name=item.name,
    )


def _run_statement(
    spark: SparkSession, plan: Plan, index: int, statement: Statement, persisted: list[DataFrame]
) -> int | None:
    """Registers the statement's result under its name; a table is persisted and counted, and its count returned."""
    try:
        frame = spark.sql(statement.sql)
        rows: int | None = None
        if statement.kind == "table":
            frame = frame.persist(StorageLevel.MEMORY_AND_DISK)
            persisted.append(frame)
            rows = frame.count()
        frame.createOrReplaceTempView(statement.name)
    except SPARK_ERRORS as error:
        raise PlanStatementError(
            f"statement {index + 1} of {len(plan.statements)} ({statement.kind} {statement.name}) of {_where(plan)} "
            f"failed: {describe_spark_error(error)}",
            index=index,
            statement=statement.name,
            kind=statement.kind,
        ) from error
    return rows


def _write_output(spark: SparkSession, plan: Plan, output: ParquetOutput) -> OutputResult:
    try:
        frame = spark.sql(output.sql)
        if output.single_file:
            frame = frame.coalesce(1)  # not repartition(1): coalesce keeps an ORDER BY's order
        frame.write.mode("overwrite").option("compression", output.compression).parquet(output.path)
        # Read back: Parquet footers give the row count without scanning, and the files are the ones written.
        written = spark.read.parquet(output.path)
        rows = written.count()
        files = sorted(written.inputFiles())
    except SPARK_ERRORS as error:
        raise PlanOutputError(
            f"output {output.name} of {_where(plan)} failed: {describe_spark_error(error)}",
            output=output.name,
            path=output.path,
        ) from error
    return OutputResult(name=output.name, path=output.path, rows=rows, files=files)
