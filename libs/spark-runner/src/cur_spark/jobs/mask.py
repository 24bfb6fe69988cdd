"""Masks one landing batch: ``mask.py --request <path or s3:// URI> [--result <path>]``, as a Glue 5.1 job or locally.

On Glue the DAG passes only the dataset and the business date, so the job can also build its request itself:
``mask.py --dataset D --business-date YYYY-MM-DD --bucket_landing s3://... --bucket_raw s3://... --key_service_url URL
(--key_service_region R | --key_service_token_env NAME)``: the dataset's template (``glue-plans/mask/<dataset>.json``,
packaged with the runner as ``cur_spark/glue_plans/``, or from ``--plan_templates``), the batch's control file
(``incoming/<dataset>/<dataset>_<YYYYMMDD>.ctl`` in the landing bucket) for the data file, its encoding and row count,
and the raw partition folder ``<bucket_raw>/<dataset>/business_date=<date>`` as the output. With ``--bucket_system``
it then publishes the raw partition's manifest there, as the local mask step does (``publish_mask_manifest``; run id
``--run_id``, else Glue's ``--JOB_RUN_ID``); with ``--ledger_table`` as well it then ends as the local step ends:
the batch's landing files deleted, then the batch ``MASKED`` in the ingestion ledger (``cur_spark.mask_finish``). A
rerun whose manifest is published and whose landing data file is gone (a crash after the deletion began) only
finishes that ending. ``-`` and ``_`` in a name
are alike (Glue's ``getResolvedOptions`` reading). With a region the calls are signed with SigV4 as the job's role
(service ``lambda``); with a variable's name the bearer credential is read from it (locally).

Prints one JSON line: ``{"status": "succeeded", "result": {...}}`` (see mask-result.schema.json) or ``{"status":
"failed", "error": {"type": ..., "code": ..., "message": ...}}`` and exits 1. With ``--result`` the same line is also
written to that file. The key service credential comes from the environment variable the request names, never from
the command line. Glue's own arguments (``--JOB_NAME``...) are ignored.

Locally::

    CUR_KEY_SERVICE_TOKEN=... .venv/bin/python -m cur_spark.jobs.mask --request mask-request.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

from cur_spark.errors import SPARK_ERRORS, MaskError, PlanError
from cur_spark.glue_template import TemplateError, parse_business_date
from cur_spark.manifest import Manifest, manifest_key
from cur_spark.mask import run_mask
from cur_spark.mask_finish import finish_masked_batch
from cur_spark.mask_request import (
    LANDING_INCOMING_PREFIX,
    ControlFile,
    MaskRequest,
    MaskRequestTemplate,
    MaskResult,
    control_file_location,
    control_file_name,
    parse_mask_request,
    request_from_template,
)
from cur_spark.session import get_or_create_session
from cur_spark.step_metrics import parse_metrics_region, publish_rows_written


@dataclass(frozen=True)
class DagArguments:
    """The request's parts when the DAG names only the dataset and the date (see the module's docstring)."""

    dataset: str
    business_date: str
    bucket_landing: str
    bucket_raw: str
    plan_templates: str | None
    tokenize: dict[str, Any]
    bucket_system: str | None = None
    """Where the raw manifest is published; none is without it."""
    run_id: str | None = None
    ledger_table: str | None = None
    """The ingestion ledger's table; with it the job deletes the landing files and marks the batch MASKED."""


@dataclass(frozen=True)
class MaskJobArguments:
    """The job's own arguments: a rendered request, or the DAG's."""

    request: str | None
    result: str | None
    dag: DagArguments | None = None


_DAG_NAMES = ("dataset", "business_date", "bucket_landing", "bucket_raw", "key_service_url")


def parse_job_arguments(argv: Sequence[str]) -> MaskJobArguments:
    """``--request`` (or the DAG's arguments) and optional ``--result``; every other pair is Glue's and left alone.

    Raises ``MaskError`` ``MASK_REQUEST_INVALID`` naming what is missing (never a value).
    """
    normalised = [_normalise(arg) for arg in argv]
    parser = argparse.ArgumentParser(prog="mask", description="Masks one landing batch on Spark.", add_help=False)
    parser.add_argument("--request", help="the mask request's JSON: a local path or a URI (s3://)")
    parser.add_argument("--result", help="a local file to write the result line to as well")
    for name in (
        *_DAG_NAMES,
        "plan_templates",
        "key_service_region",
        "key_service_token_env",
        "bucket_system",
        "ledger_table",
    ):
        parser.add_argument(f"--{name}")
    for name in ("run_id", "JOB_RUN_ID"):
        parser.add_argument(f"--{name}")
    known, _glue_arguments = parser.parse_known_args(normalised)
    result = None if known.result is None else str(known.result)
    if known.request is not None:
        return MaskJobArguments(request=str(known.request), result=result)
    missing = [f"--{name.replace('_', '-')}" for name in _DAG_NAMES if getattr(known, name) is None]
    if missing:
        raise MaskError("MASK_REQUEST_INVALID", f"--request, or the DAG's arguments: missing {', '.join(missing)}")
    if (known.key_service_region is None) == (known.key_service_token_env is None):
        message = "one of --key-service-region (SigV4) and --key-service-token-env (bearer)"
        raise MaskError("MASK_REQUEST_INVALID", message)
    if known.ledger_table is not None and known.bucket_system is None:
        message = "--ledger-table needs --bucket-system: landing is deleted only once the raw manifest is published"
        raise MaskError("MASK_REQUEST_INVALID", message)
    auth: dict[str, str] = (
        {"kind": "sigv4", "region": known.key_service_region, "service": "lambda"}
        if known.key_service_region is not None
        else {"kind": "bearer", "tokenEnv": known.key_service_token_env}
    )
    dag = DagArguments(
        dataset=known.dataset,
        business_date=known.business_date,
        bucket_landing=known.bucket_landing,
        bucket_raw=known.bucket_raw,
        plan_templates=known.plan_templates.rstrip("/") if known.plan_templates else None,
        tokenize={"url": known.key_service_url, "auth": auth},
        bucket_system=known.bucket_system,
        run_id=known.run_id or known.JOB_RUN_ID,
        ledger_table=known.ledger_table,
    )
    return MaskJobArguments(request=None, result=result, dag=dag)


def _normalise(arg: str) -> str:
    """``--business-date`` as ``--business_date`` (the name only, not a value after ``=``)."""
    if not arg.startswith("--"):
        return arg
    name, equals, value = arg[2:].partition("=")
    return f"--{name.replace('-', '_')}{equals}{value}"


def request_of_dag(spark: SparkSession, dag: DagArguments) -> MaskRequest:
    """The batch's mask request from the dataset's template, its control file and the job's arguments."""
    return batch_of_dag(spark, dag)[0]


def batch_of_dag(spark: SparkSession, dag: DagArguments) -> tuple[MaskRequest, MaskRequestTemplate, ControlFile]:
    """The batch's mask request, with the template and the control file it was made from."""
    # Imported here: glue_entry imports the plan runner, which the --request path does not need.
    from cur_spark.jobs.glue_entry import read_packaged, read_text

    try:
        business_date = parse_business_date(dag.business_date)
        name = f"mask/{dag.dataset}.json"
        text = read_packaged(name) if dag.plan_templates is None else read_text(spark, f"{dag.plan_templates}/{name}")
    except TemplateError as error:
        raise MaskError("MASK_REQUEST_INVALID", str(error)) from None
    try:
        template = MaskRequestTemplate.model_validate_json(text)
    except ValueError:
        raise MaskError("MASK_REQUEST_INVALID", f"{name} is not a mask request template") from None
    if template.dataset != dag.dataset:
        raise MaskError("MASK_REQUEST_INVALID", f"{name} holds the template of {template.dataset}")
    location = control_file_location(dag.bucket_landing, dag.dataset, business_date)
    try:
        control = read_text(spark, location)
    except TemplateError:
        message = f"no control file of {dag.dataset} for {business_date}: {location}"
        raise MaskError("MASK_INPUT_MISSING", message) from None
    request = request_from_template(
        template,
        control,
        business_date=business_date,
        landing_bucket=dag.bucket_landing,
        raw_bucket=dag.bucket_raw,
        tokenize=dag.tokenize,
    )
    # Parsed once more for its fields: request_from_template has validated it already.
    return request, template, ControlFile.model_validate_json(control)


def publish_raw_manifest(
    spark: SparkSession, dag: DagArguments, template: MaskRequestTemplate, control: ControlFile, result: MaskResult
) -> str:
    """The raw manifest of the masked batch, in ``--bucket_system`` (see ``publish_mask_manifest``)."""
    from cur_spark.glue_manifests import ManifestContext, publish_mask_manifest
    from cur_spark.glue_template import check_bucket_uri
    from cur_spark.hadoop_files import HadoopFiles

    system = check_bucket_uri("system", str(dag.bucket_system))
    raw = check_bucket_uri("raw", dag.bucket_raw)
    started = dt.datetime.now(dt.UTC) - dt.timedelta(milliseconds=result.duration_ms)
    context = ManifestContext(system, {"raw": raw}, dag.run_id or f"glue-{uuid.uuid4()}", started)
    return publish_mask_manifest(
        HadoopFiles(spark),
        context,
        result,
        schema_sha256=template.schema_sha256,
        control_file=control_file_name(template.dataset, result.business_date),
        data_file=control.file,
        rows_in=control.row_count,
    )


def unfinished_manifest(spark: SparkSession, dag: DagArguments) -> Manifest | None:
    """The raw manifest of a batch whose landing deletion began (its data file is gone), when the job finishes
    batches (``--ledger_table``); None otherwise, and the batch is masked (again) from landing."""
    from cur_spark.glue_manifests import read_manifest
    from cur_spark.glue_template import check_bucket_uri
    from cur_spark.hadoop_files import HadoopFiles

    if dag.ledger_table is None or dag.bucket_system is None:
        return None
    try:
        business_date = parse_business_date(dag.business_date)
    except TemplateError as error:
        raise MaskError("MASK_REQUEST_INVALID", str(error)) from None
    files = HadoopFiles(spark)
    system = check_bucket_uri("system", dag.bucket_system)
    manifest = read_manifest(files, system, manifest_key("raw", dag.dataset, business_date))
    if manifest is None or len(manifest.inputs) != 2:
        return None
    landing_folder = f"{dag.bucket_landing.rstrip('/')}/{LANDING_INCOMING_PREFIX}/{dag.dataset}"
    data_file = manifest.inputs[1].rsplit("/", 1)[-1]
    return None if data_file in files.list_files(landing_folder) else manifest


def finish_batch(dag: DagArguments, inputs: Sequence[str]) -> str:
    """Landing deleted, then the ledger's MASKED (``finish_masked_batch``); returns the ledger's status."""
    return finish_masked_batch(
        dag.bucket_landing, str(dag.ledger_table), dag.dataset, parse_business_date(dag.business_date), inputs
    )


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
    work_dir = Path(os.environ.get("TMPDIR") or tempfile.gettempdir()) / "cur-spark"
    line: dict[str, Any]
    arguments = MaskJobArguments(request=None, result=None)
    try:
        arguments = parse_job_arguments(sys.argv[1:] if argv is None else argv)
        spark = get_or_create_session(work_dir)
        dag = arguments.dag
        unfinished = unfinished_manifest(spark, dag) if dag is not None else None
        if dag is not None and unfinished is not None:
            ledger = finish_batch(dag, unfinished.inputs)
            line = {"status": "succeeded", "finished": {"inputs": unfinished.inputs, "ledger": ledger}}
        else:
            batch = batch_of_dag(spark, dag) if dag is not None else None
            request = batch[0] if batch is not None else read_request(spark, str(arguments.request))
            result = run_mask(spark, request)
            line = {"status": "succeeded", "result": result.model_dump(mode="json")}
            if batch is not None and dag is not None and dag.bucket_system is not None:
                key = publish_raw_manifest(spark, dag, batch[1], batch[2], result)
                line["manifest"] = key
                if dag.ledger_table is not None:
                    inputs = [f"{LANDING_INCOMING_PREFIX}/{dag.dataset}/{name}" for name in _landing_names(batch)]
                    line["ledger"] = finish_batch(dag, inputs)
    except PlanError as error:
        code = error.code if isinstance(error, MaskError) else "MASK_SPARK_FAILED"
        line = {"status": "failed", "error": {"type": type(error).__name__, "code": code, "message": str(error)}}
    text = json.dumps(line, ensure_ascii=False)
    print(text, flush=True)
    if arguments.result is not None:
        Path(arguments.result).write_text(text + "\n", encoding="utf-8")
    region = parse_metrics_region(sys.argv[1:] if argv is None else argv)
    if region is not None and line["status"] == "succeeded" and "result" in line:
        publish_rows_written("mask", int(line["result"]["rowsOut"]), region)
    return 0 if line["status"] == "succeeded" else 1


def _landing_names(batch: tuple[MaskRequest, MaskRequestTemplate, ControlFile]) -> list[str]:
    """The batch's landing file names as its manifest lists them: control file, then data file."""
    _request, template, control = batch
    return [control_file_name(template.dataset, control.business_date), control.file]


if __name__ == "__main__":
    sys.exit(main())
