"""cur_spark: the generic PySpark plan runner of CUR Customer Tagging 2.0.

Each pipeline step is rendered by the TypeScript side as a JSON plan (``plan.schema.json``); ``run_plan`` executes it
on Spark, in a Glue 5.1 job (``cur_spark.jobs.run_plan``) or in a local session (``local_spark_session``).
"""

from cur_spark.errors import (
    PlanError,
    PlanInputError,
    PlanOutputError,
    PlanStatementError,
    PlanValidationError,
    SparkEnvironmentError,
)
from cur_spark.plan import (
    PLAN_VERSION,
    CsvInput,
    ParquetInput,
    ParquetOutput,
    Plan,
    TableStatement,
    ViewStatement,
    parse_plan,
)
from cur_spark.result import OutputResult, PlanResult, TableResult
from cur_spark.runner import RUNNER_SQL_CONF, run_plan
from cur_spark.session import get_or_create_session, local_spark_session

__all__ = [
    "PLAN_VERSION",
    "RUNNER_SQL_CONF",
    "CsvInput",
    "OutputResult",
    "ParquetInput",
    "ParquetOutput",
    "Plan",
    "PlanError",
    "PlanInputError",
    "PlanOutputError",
    "PlanResult",
    "PlanStatementError",
    "PlanValidationError",
    "SparkEnvironmentError",
    "TableResult",
    "TableStatement",
    "ViewStatement",
    "get_or_create_session",
    "local_spark_session",
    "parse_plan",
    "run_plan",
]
