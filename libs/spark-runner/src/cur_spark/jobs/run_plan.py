"""Runs plans: ``run_plan.py --plan <path or s3:// URI> [--plan ...]``, as a Glue 5.1 job or locally.

Prints one JSON line per plan: ``{"status": "succeeded", "result": {...}}`` (see plan-result.schema.json), or
``{"status": "failed", "error": {"type": ..., "message": ...}}``, after which no later plan runs and the exit code is
1. Several plans run in order in one session (one JVM), for callers that run many (the parity test, a whole run).
Arguments are parsed the way Glue passes them (``--name value``), and the ones Glue adds (``--JOB_NAME``,
``--job-bookmark-option``...) are ignored.

Locally::

    .venv/bin/python -m cur_spark.jobs.run_plan --plan plan.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pyspark.sql import SparkSession

from cur_spark.errors import SPARK_ERRORS, PlanError, PlanValidationError, describe_spark_error
from cur_spark.plan import Plan, parse_plan
from cur_spark.runner import run_plan
from cur_spark.session import get_or_create_session


@dataclass(frozen=True)
class JobArguments:
    """The job's own arguments."""

    plans: tuple[str, ...]


def parse_job_arguments(argv: Sequence[str]) -> JobArguments:
    """``--plan``, once or more (in run order); every other ``--name value`` pair is Glue's and left alone."""
    parser = argparse.ArgumentParser(prog="run_plan", description="Runs pipeline steps' plans on Spark.")
    parser.add_argument(
        "--plan",
        required=True,
        action="append",
        help="a plan's JSON: a local path or a URI Spark reads (s3://); repeat to run several in one session",
    )
    known, _glue_arguments = parser.parse_known_args(list(argv))
    return JobArguments(plans=tuple(str(plan) for plan in known.plan))


def read_plan(spark: SparkSession, location: str) -> Plan:
    """Reads and validates a plan from a local path, or from a URI through Spark's file systems (S3 in Glue)."""
    if "://" not in location:
        return parse_plan(Path(location).read_bytes())
    try:
        rows = spark.read.text(location, wholetext=True).collect()
    except SPARK_ERRORS as error:
        raise PlanValidationError(f"the plan at {location} could not be read: {describe_spark_error(error)}") from error
    if len(rows) != 1:
        raise PlanValidationError(f"the plan at {location} must be one file, found {len(rows)}")
    return parse_plan(str(rows[0][0]))


def main(argv: Sequence[str] | None = None) -> int:
    """The job: arguments, one session, one ``run_plan`` call per plan, one JSON line on stdout for each.

    Returns the exit code: 0 when every plan succeeded, 1 at the first that failed (later plans do not run: one may
    read what an earlier one wrote).
    """
    arguments = parse_job_arguments(sys.argv[1:] if argv is None else argv)
    work_dir = Path(tempfile.gettempdir()) / "cur-spark"
    for location in arguments.plans:
        try:
            spark = get_or_create_session(work_dir)
            result = run_plan(spark, read_plan(spark, location))
        except (PlanError, OSError) as error:
            failure = {"status": "failed", "error": {"type": type(error).__name__, "message": str(error)}}
            print(json.dumps(failure, ensure_ascii=False), flush=True)
            return 1
        summary = {"status": "succeeded", "result": result.model_dump(mode="json")}
        print(json.dumps(summary, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
