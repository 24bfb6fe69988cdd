"""The Glue job script of the transform, consumption and mart jobs: one step kind, one business date, from templates.

Glue starts it with the job's default arguments (set by the CDK: ``--step``, ``--bucket_<zone>``, ``--bucket_system``,
``--database_prefix``; the templates come packaged in the runner's archive as ``cur_spark/glue_plans/``, or from
``--plan_templates``) and the run's (``--business-date``, and ``--dataset`` for transform), plus its own
(``--JOB_NAME``, ``--JOB_RUN_ID``: the manifests' run id unless ``--run_id`` is given; ``--job-bookmark-option``...),
which are otherwise ignored. Names are read as ``getResolvedOptions`` reads
them, and ``-`` and ``_`` in a name are the same (the MWAA DAG passes ``--business-date``), so awsglue is not
needed. For each template of the step (``--dataset``: that one; otherwise every one of ``index.json`` in order), it
fills the date and buckets, finds the sources' partitions, runs the plan (``run_plan``), publishes each output's
manifest in the system bucket when ``--bucket_system`` is given (``cur_spark.glue_manifests``: the documents the local
steps publish), then registers each output that is a catalog table's partition (``ALTER TABLE ... ADD IF NOT EXISTS
PARTITION``) when ``--database_prefix`` is given. One JSON line per plan on stdout, as ``run_plan.py`` prints, with the
manifests and partitions; exit 1 at the first failure (a later plan may read an earlier one's output). With
``--metrics_region`` (the CDK sets it), a job whose plans all succeeded then puts the step's ``RowsWritten`` in
CloudWatch (``cur_spark.step_metrics``), best effort. With ``--event_bus`` (the CDK sets it to the platform bus), a
consumption or mart job whose plans all succeeded and published their manifests then puts one ``Layer Published`` per
dataset on the bus, as ``runPipeline`` does locally (``cur_spark.platform_events``), best effort too: the
oracle-replicator replicates the date on it.

Locally, with folders for the buckets::

    .venv/bin/python -m cur_spark.jobs.glue_entry --step mart --business-date 2026-11-25 \\
        --plan_templates libs/spark-runner/glue-plans \\
        --bucket_consumption /tmp/lake/consumption --bucket_mart /tmp/lake/mart
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pyspark.sql import SparkSession

from cur_spark.errors import SPARK_ERRORS, PlanError, describe_spark_error
from cur_spark.glue_manifests import ManifestContext, publish_manifests, read_manifest
from cur_spark.glue_template import (
    ZONES,
    ListFolders,
    PlanTemplate,
    SameRun,
    TemplateError,
    check_bucket_uri,
    parse_business_date,
    parse_index,
    parse_template,
    resolve,
)
from cur_spark.hadoop_files import HadoopFiles
from cur_spark.manifest import manifest_key
from cur_spark.plan import Plan
from cur_spark.platform_events import LayerPublished, publish_layers
from cur_spark.result import PlanResult
from cur_spark.runner import run_plan
from cur_spark.session import get_or_create_session
from cur_spark.step_metrics import publish_rows_written

STEPS = ("transform", "consumption", "mart")
"""The step kinds run from templates; the mask job has its own script (``cur_spark.jobs.mask``)."""

LAYER_STEPS = ("consumption", "mart")
"""The steps whose published datasets are announced as ``Layer Published`` (what ``runPipeline`` announces locally,
and what the oracle-replicator replicates)."""


@dataclass(frozen=True)
class GlueJobArguments:
    """The job's arguments, validated."""

    step: str
    business_date: str
    dataset: str | None
    plan_templates: str | None
    buckets: dict[str, str]
    database_prefix: str | None
    system_bucket: str | None = None
    """Where manifests are published (``--bucket_system``); none are without it."""
    run_id: str | None = None
    """The manifests' run id: ``--run_id``, else Glue's ``--JOB_RUN_ID``, else a fresh one."""
    metrics_region: str | None = None
    """Where the step's ``RowsWritten`` goes (``--metrics_region``, set by the CDK); none is published without it."""
    event_bus: str | None = None
    """The platform bus ``Layer Published`` goes to (``--event_bus``, set by the CDK); none is published without it."""


def parse_glue_arguments(argv: Sequence[str]) -> GlueJobArguments:
    """Glue's ``--name value`` pairs; a name's ``-`` and ``_`` are alike, names the job does not know are Glue's own."""
    normalised = ["--" + arg[2:].replace("-", "_") if arg.startswith("--") else arg for arg in argv]
    parser = argparse.ArgumentParser(prog="glue_entry", add_help=False)
    parser.add_argument("--step", required=True, choices=STEPS)
    parser.add_argument("--business_date", required=True)
    parser.add_argument("--dataset")
    parser.add_argument("--plan_templates")
    parser.add_argument("--database_prefix")
    parser.add_argument("--bucket_system")
    parser.add_argument("--run_id")
    parser.add_argument("--JOB_RUN_ID")
    parser.add_argument("--metrics_region")
    parser.add_argument("--event_bus")
    for zone in ZONES:
        parser.add_argument(f"--bucket_{zone}")
    try:
        known, _glue_arguments = parser.parse_known_args(normalised)
    except SystemExit:
        raise TemplateError(
            "INVALID_ARGUMENT",
            f"usage: --step and --business-date are required, --step one of {', '.join(STEPS)}",
        ) from None
    parse_business_date(known.business_date)
    if known.database_prefix is not None and not _is_identifier(known.database_prefix):
        raise TemplateError("INVALID_ARGUMENT", "--database_prefix must be letters, digits and underscores")
    buckets = {zone: getattr(known, f"bucket_{zone}") for zone in ZONES if getattr(known, f"bucket_{zone}")}
    run_id = known.run_id or known.JOB_RUN_ID
    if run_id is not None and not _is_run_id(run_id):
        raise TemplateError("INVALID_ARGUMENT", "--run_id must be letters, digits, '_', '-', ':' and '.'")
    return GlueJobArguments(
        step=known.step,
        business_date=known.business_date,
        dataset=known.dataset,
        plan_templates=known.plan_templates.rstrip("/") if known.plan_templates else None,
        buckets=buckets,
        database_prefix=known.database_prefix,
        system_bucket=check_bucket_uri("system", known.bucket_system) if known.bucket_system else None,
        run_id=run_id,
        metrics_region=known.metrics_region,
        event_bus=known.event_bus,
    )


def read_text(spark: SparkSession, location: str) -> str:
    """A small file's text: a local path, or a URI read through Spark's file systems (S3 in Glue, no AWS SDK)."""
    if "://" not in location:
        try:
            return Path(location).read_text(encoding="utf-8")
        except OSError as error:
            raise TemplateError("UNKNOWN_TEMPLATE", f"{location} cannot be read: {type(error).__name__}") from None
    try:
        rows = spark.read.text(location, wholetext=True).collect()
    except SPARK_ERRORS as error:
        raise TemplateError("UNKNOWN_TEMPLATE", f"{location} cannot be read: {describe_spark_error(error)}") from None
    if len(rows) != 1:
        raise TemplateError("UNKNOWN_TEMPLATE", f"{location} must be one file, found {len(rows)}")
    return str(rows[0][0])


def hadoop_folder_lister(spark: SparkSession) -> ListFolders:
    """Lists a location's sub-folders through Hadoop's file systems (EMRFS for ``s3://`` in Glue): one call each."""
    context = spark.sparkContext
    # py4j's gateway to Hadoop's FileSystem: pyspark has no public API for listing a folder.
    jvm = context._jvm
    configuration = context._jsc.hadoopConfiguration()
    if jvm is None:
        raise TemplateError("INVALID_ARGUMENT", "the Spark session has no JVM gateway")

    def list_folders(location: str) -> list[str]:
        path = jvm.org.apache.hadoop.fs.Path(location)
        try:
            fs = path.getFileSystem(configuration)
            if not fs.exists(path):
                return []
            return [str(status.getPath().getName()) for status in fs.listStatus(path) if status.isDirectory()]
        except SPARK_ERRORS as error:
            raise TemplateError(
                "INPUT_MISSING", f"{location} cannot be listed: {describe_spark_error(error)}"
            ) from None

    return list_folders


PACKAGED_TEMPLATES = "glue_plans"
"""Where the runner archive of the Glue jobs holds the templates: ``cur_spark/glue_plans/`` (put there by the CDK)."""


def read_packaged(name: str) -> str:
    """A template file packaged with ``cur_spark`` (read from the ``--extra-py-files`` archive in Glue)."""
    try:
        return resources.files("cur_spark").joinpath(PACKAGED_TEMPLATES, name).read_text(encoding="utf-8")
    except OSError as error:
        raise TemplateError(
            "UNKNOWN_TEMPLATE", f"{PACKAGED_TEMPLATES}/{name} is not packaged: {type(error).__name__}"
        ) from None


def templates_of(spark: SparkSession, arguments: GlueJobArguments) -> list[PlanTemplate]:
    """The step's templates in run order: the one of ``--dataset``, or every one ``index.json`` names; read from
    ``--plan_templates`` (a folder or an S3 prefix) when given, else from the templates packaged with the runner."""
    folder = arguments.plan_templates

    def read(name: str) -> str:
        return read_packaged(name) if folder is None else read_text(spark, f"{folder}/{name}")

    index = parse_index(read("index.json"))
    datasets = index.get(arguments.step, [])
    if arguments.dataset is not None:
        if arguments.dataset not in datasets:
            raise TemplateError("UNKNOWN_TEMPLATE", f"no {arguments.step} template for dataset {arguments.dataset}")
        datasets = [arguments.dataset]
    if not datasets:
        raise TemplateError("UNKNOWN_TEMPLATE", f"index.json names no {arguments.step} template")
    templates = [parse_template(read(f"{arguments.step}/{d}.json")) for d in datasets]
    for dataset, template in zip(datasets, templates, strict=True):
        if template.step != arguments.step or template.dataset != dataset:
            raise TemplateError(
                "INVALID_TEMPLATE", f"{arguments.step}/{dataset}.json holds {template.step}/{template.dataset}"
            )
    return templates


def register_partitions(spark: SparkSession, template: PlanTemplate, plan: Plan, database_prefix: str) -> list[str]:
    """Adds the business date's partition of each catalogued output to its zone's database (``<prefix>_<zone>``).

    ``IF NOT EXISTS``: a rerun rewrites the same folder, so the partition already points at it. Returns
    ``database.table`` of each. The date and location come from the validated arguments, the other keys' values
    (the rejects' ``source_dataset``) and the location from the template, each checked by its pattern.
    """
    paths = {output.name: output.path for output in plan.outputs}
    registered: list[str] = []
    for partition in template.partitions:
        table = f"`{database_prefix}_{partition.zone}`.`{partition.table}`"
        location = paths[partition.output]
        values = [f"{key} = '{value}'" for key, value in partition.keys.items()]
        values.append(f"business_date = '{plan.business_date.isoformat()}'")
        statement = f"ALTER TABLE {table} ADD IF NOT EXISTS PARTITION ({', '.join(values)}) LOCATION '{location}'"
        try:
            spark.sql(statement)
        except SPARK_ERRORS as error:
            raise TemplateError("PARTITION_NOT_REGISTERED", f"{table}: {describe_spark_error(error)}") from None
        registered.append(f"{database_prefix}_{partition.zone}.{partition.table}")
    return registered


def manifest_run_checker(files: HadoopFiles, system_bucket: str) -> SameRun:
    """Whether a dataset's published manifest of a date has the run id of another's, both in the system bucket: the
    rule by which the mart reads model tags only when scored from the date's published features (their run)."""

    def same_run(zone: str, dataset: str, other: str, business_date: dt.date) -> bool:
        ours = read_manifest(files, system_bucket, manifest_key(zone, dataset, business_date))
        theirs = read_manifest(files, system_bucket, manifest_key(zone, other, business_date))
        return ours is not None and theirs is not None and ours.run_id == theirs.run_id

    return same_run


@dataclass(frozen=True)
class StepOutcome:
    """One plan's run: its result, the manifests published (keys in the system bucket), the partitions registered."""

    result: PlanResult
    manifests: list[str]
    partitions: list[str]
    rows: int
    """The rows of the template's own dataset (a transform's accepted rows, not its rejects)."""
    layer: LayerPublished | None = None
    """The ``Layer Published`` detail of the template's own dataset, when the step announces its layer and the
    dataset's manifest was published."""


def run_glue_step(spark: SparkSession, arguments: GlueJobArguments) -> Iterator[StepOutcome]:
    """Every template of the step in order: resolve, run, publish the manifests, register; yields each plan's outcome
    as it finishes. Stops at the first error (raised): a later plan may read an earlier one's output."""
    business_date = parse_business_date(arguments.business_date)
    list_folders = hadoop_folder_lister(spark)
    files = HadoopFiles(spark)
    run_id = arguments.run_id or f"glue-{uuid.uuid4()}"
    buckets = {zone: check_bucket_uri(zone, uri) for zone, uri in arguments.buckets.items()}
    same_run = manifest_run_checker(files, arguments.system_bucket) if arguments.system_bucket is not None else None
    for template in templates_of(spark, arguments):
        started_at = dt.datetime.now(dt.UTC)
        plan = resolve(template, business_date, arguments.buckets, list_folders, same_run)
        result = run_plan(spark, plan)
        manifests: list[str] = []
        if arguments.system_bucket is not None:
            context = ManifestContext(arguments.system_bucket, buckets, run_id, started_at)
            manifests = publish_manifests(spark, files, context, template, result)
        registered = (
            register_partitions(spark, template, plan, arguments.database_prefix) if arguments.database_prefix else []
        )
        rows = rows_of_dataset(template, result)
        yield StepOutcome(
            result, manifests, registered, rows, layer_published(template, business_date, manifests, rows)
        )


def layer_published(
    template: PlanTemplate, business_date: dt.date, manifests: list[str], rows: int
) -> LayerPublished | None:
    """The event ``runPipeline`` publishes for the template's dataset (consumption and mart only), once its manifest
    is published: the dataset, its zone and manifest key, its rows."""
    if template.step not in LAYER_STEPS:
        return None
    spec = next(spec for spec in template.manifests if spec.dataset == template.dataset)
    key = manifest_key(spec.zone, spec.dataset, business_date)
    if key not in manifests:
        return None
    return LayerPublished.model_validate(
        {
            "step": template.step,
            "zone": spec.zone,
            "datasets": [spec.dataset],
            "businessDate": business_date,
            "manifestKey": key,
            "rowCount": rows,
        }
    )


def rows_of_dataset(template: PlanTemplate, result: PlanResult) -> int:
    """The rows of the output whose manifest is the template's dataset's."""
    output = next(spec.output for spec in template.manifests if spec.dataset == template.dataset)
    return next(o.rows for o in result.outputs if o.name == output)


def main(argv: Sequence[str] | None = None) -> int:
    """The job: arguments, the session, the step's plans; one JSON line per plan; 0, or 1 at the first failure.

    Spark's own log is kept to FATAL: its ERROR lines for a failed task carry the exception's message, which can
    quote a row's value, and continuous logging would ship them to CloudWatch. The job's lines name plans and counts.
    """
    try:
        arguments = parse_glue_arguments(sys.argv[1:] if argv is None else argv)
        spark = get_or_create_session(Path(tempfile.gettempdir()) / "cur-spark")
        spark.sparkContext.setLogLevel("FATAL")
        outcomes: list[StepOutcome] = []
        for outcome in run_glue_step(spark, arguments):
            outcomes.append(outcome)
            line = {
                "status": "succeeded",
                "result": outcome.result.model_dump(mode="json"),
                "manifests": outcome.manifests,
                "partitions": outcome.partitions,
            }
            print(json.dumps(line, ensure_ascii=False), flush=True)
    except (PlanError, OSError) as error:
        failure = {"status": "failed", "error": {"type": type(error).__name__, "message": str(error)}}
        print(json.dumps(failure, ensure_ascii=False), flush=True)
        return 1
    if arguments.metrics_region is not None and outcomes:
        # As runPipeline counts a step: the rows of its first dataset (index.json's order is the local step's).
        publish_rows_written(arguments.step, outcomes[0].rows, arguments.metrics_region)
    if arguments.event_bus is not None:
        layers = [outcome.layer for outcome in outcomes if outcome.layer is not None]
        publish_layers(layers, arguments.event_bus, arguments.metrics_region)
    return 0


def _is_run_id(text: str) -> bool:
    return 0 < len(text) <= 256 and text.isascii() and all(c.isalnum() or c in "_-:." for c in text)


def _is_identifier(text: str) -> bool:
    return text.replace("_", "a").isalnum() and text.isascii() and not text[:1].isdigit()


if __name__ == "__main__":
    sys.exit(main())
