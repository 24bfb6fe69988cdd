"""Masks one landing batch: ``mask.py --request <path or s3:// URI> [--result <path>]``, as a Glue 5.1 job or locally.

Prints one JSON line: ``{"status": "succeeded", "result": {...}}`` (see mask-result.schema.json) or ``{"status":
"failed", "error": {"type": ..., "code": ..., "message": ...}}`` and exits 1. With ``--result`` the same line is also
written to that file. The key service credential comes from the environment variable the request names, never from
the command line. Glue's own arguments (``--JOB_NAME``...) are ignored.

Locally::

    CUR_KEY_SERVICE_TOKEN=... .venv/bin/python -m cur_spark.jobs.mask --request mask-request.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

from cur_spark.errors import SPARK_ERRORS, MaskError, PlanError
from cur_spark.mask import run_mask
from cur_spark.mask_request import MaskRequest, parse_mask_request
from cur_spark.session import get_or_create_session


@dataclass(frozen=True)
class MaskJobArguments:
    """The job's own arguments."""

    request: str
    result: str | None


def parse_job_arguments(argv: Sequence[str]) -> MaskJobArguments:
    """``--request`` and optional ``--result``; every other ``--name value`` pair is Glue's and left alone."""
    parser = argparse.ArgumentParser(prog="mask", description="Masks one landing batch on Spark.")
    parser.add_argument("--request", required=True, help="the mask request's JSON: a local path or a URI (s3://)")
    parser.add_argument("--result", help="a local file to write the result line to as well")
    known, _glue_arguments = parser.parse_known_args(list(argv))
    return MaskJobArguments(request=str(known.request), result=None if known.result is None else str(known.result))


def read_request(spark: SparkSession | None, location: str) -> MaskRequest:
    """Reads and validates a request from a local path, or from a URI through Spark's file systems (S3 in Glue)."""
    if "://" not in location:
        try:
            return parse_mask_request(Path(location).read_bytes())
        except OSError as error:
            message = f"the mask request {location} cannot be read: {error.strerror}"
            raise MaskError("MASK_REQUEST_INVALID", message) from None
    if spark is None:
        raise MaskError("MASK_REQUEST_INVALID", f"the mask request {location} needs a Spark session to be read")
    try:
        rows = spark.read.text(location, wholetext=True).collect()
    except SPARK_ERRORS:
        raise MaskError("MASK_REQUEST_INVALID", f"the mask request at {location} could not be read") from None
    if len(rows) != 1:
        raise MaskError("MASK_REQUEST_INVALID", f"the mask request at {location} must be one file, found {len(rows)}")
    return parse_mask_request(str(rows[0][0]))


def main(argv: Sequence[str] | None = None) -> int:
    """The job: arguments, one session, one ``run_mask`` call, one JSON line. Returns the exit code (0 or 1)."""
    arguments = parse_job_arguments(sys.argv[1:] if argv is None else argv)
    work_dir = Path(os.environ.get("TMPDIR") or tempfile.gettempdir()) / "cur-spark"
    line: dict[str, Any]
    try:
        spark = get_or_create_session(work_dir)
        result = run_mask(spark, read_request(spark, arguments.request))
        line = {"status": "succeeded", "result": result.model_dump(mode="json")}
    except PlanError as error:
        code = error.code if isinstance(error, MaskError) else "MASK_SPARK_FAILED"
        line = {"status": "failed", "error": {"type": type(error).__name__, "code": code, "message": str(error)}}
    text = json.dumps(line, ensure_ascii=False)
    print(text, flush=True)
    if arguments.result is not None:
        Path(arguments.result).write_text(text + "\n", encoding="utf-8")
    return 0 if line["status"] == "succeeded" else 1


if __name__ == "__main__":
    sys.exit(main())
