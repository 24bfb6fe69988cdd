"""The manifests a Glue job publishes for its outputs: the same documents the local steps publish (libs/lake).

A template names each output's manifest (dataset, zone, the contract's schema hash, the datasets whose manifests are
its inputs) and, for a transform, its accounting. After the plan has run, ``publish_manifests`` lists the input
manifests in the system bucket, checks the transform's accounting against the raw partition's manifest, hashes each
output's files, and writes ``manifests/<zone>/<dataset>/business_date=<date>.json`` for each, in the template's order
(a transform's rejects before its accepted rows, as the local step). Readers only follow manifests, so an output is
visible once its manifest is written.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from pyspark.sql import SparkSession

from cur_spark.errors import SPARK_ERRORS, PlanError, describe_spark_error
from cur_spark.glue_template import (
    Accounting,
    ManifestInput,
    PlanTemplate,
    PreviousMonthLatestWindow,
    window_dates,
)
from cur_spark.hadoop_files import HadoopFiles
from cur_spark.manifest import Manifest, manifest_key
from cur_spark.mask_request import LANDING_INCOMING_PREFIX, MaskResult
from cur_spark.result import OutputResult, PlanResult


class ManifestError(PlanError):
    """A manifest cannot be made: ``ACCOUNTING_BROKEN`` (rows in, out and rejected do not add up), ``INPUT_MISSING``
    (no raw manifest for the transform), ``MANIFEST_INVALID`` (an input manifest does not parse)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{message} [{code}]")
        self.code = code


@dataclass(frozen=True)
class ManifestContext:
    """What every manifest of a job run shares: where manifests live, the run id, when the plan started."""

    system_bucket: str
    """The system bucket's URI (or a local folder), no trailing slash."""
    buckets: Mapping[str, str]
    """Each zone's bucket URI as the plan's outputs were written under it, no trailing slash."""
    run_id: str
    started_at: dt.datetime


def read_manifest(files: HadoopFiles, system_bucket: str, key: str) -> Manifest | None:
    """The manifest at a key of the system bucket, or None when there is none."""
    text = files.read_text(f"{system_bucket}/{key}")
    if text is None:
        return None
    try:
        return Manifest.model_validate_json(text)
    except ValidationError:
        raise ManifestError("MANIFEST_INVALID", f"{key} is not a manifest") from None


def input_manifest_keys(
    files: HadoopFiles, context: ManifestContext, inputs: Sequence[ManifestInput], business_date: dt.date
) -> list[str]:
    """The keys of the published manifests an output was made from: for each input in order, those of the dates in its
    window, oldest first (what the local step lists); a ``same_run_as`` input only when its run is that output's."""
    keys: list[str] = []
    for item in inputs:
        first, last = window_dates(item.window, business_date)
        names = files.list_files(f"{context.system_bucket}/manifests/{item.zone}/{item.dataset}")
        dates = sorted(d for d in (_manifest_date(name) for name in names) if d is not None and first <= d <= last)
        if isinstance(item.window, PreviousMonthLatestWindow):
            dates = dates[-1:]
        found = [manifest_key(item.zone, item.dataset, date) for date in dates]
        if item.same_run_as is not None and found:
            ours = read_manifest(files, context.system_bucket, manifest_key(item.zone, item.same_run_as, business_date))
            theirs = [read_manifest(files, context.system_bucket, key) for key in found]
            found = [key for key, m in zip(found, theirs, strict=True) if ours and m and m.run_id == ours.run_id]
        keys.extend(found)
    return keys


def accounting_counts(
    spark: SparkSession, files: HadoopFiles, context: ManifestContext, accounting: Accounting, result: PlanResult
) -> tuple[dict[str, float], dict[str, float]]:
    """The transform's counts and the raw partition's key versions, once rows in = rows out + rows rejected holds."""
    business_date = result.business_date
    raw_key = manifest_key("raw", accounting.raw, business_date)
    raw = read_manifest(files, context.system_bucket, raw_key)
    where = f"{accounting.raw}/{business_date.isoformat()}"
    if raw is None:
        message = f"{where}: no raw manifest ({raw_key}); the mask step publishes it before the transform runs"
        raise ManifestError("INPUT_MISSING", message)
    checked = next((table.rows for table in result.tables if table.name == accounting.checked), None)
    accepted = _output(result, accounting.accepted)
    rejects = _output(result, accounting.rejects)
    if checked != raw.row_count or raw.row_count != accepted.rows + rejects.rows:
        message = (
            f"{where}: {raw.row_count} rows in ({checked if checked is not None else 'no'} read by spark), "
            f"{accepted.rows} out and {rejects.rows} rejected do not add up"
        )
        raise ManifestError("ACCOUNTING_BROKEN", message)
    try:
        reasons = spark.read.parquet(rejects.path).groupBy("reason_code").count().collect()
    except SPARK_ERRORS as error:
        message = f"{where}: the rejects cannot be counted: {describe_spark_error(error)}"
        raise ManifestError("ACCOUNTING_BROKEN", message) from None
    counts: dict[str, float] = {"rowsIn": raw.row_count, "rowsOut": accepted.rows, "rowsRejected": rejects.rows}
    for row in sorted(reasons, key=lambda r: str(r["reason_code"])):
        counts[f"rejected.{row['reason_code']}"] = int(row["count"])
    return counts, dict(raw.key_versions)


def publish_manifests(
    spark: SparkSession, files: HadoopFiles, context: ManifestContext, template: PlanTemplate, result: PlanResult
) -> list[str]:
    """Writes the manifest of each output the template names; returns their keys in the system bucket."""
    counts: dict[str, float] = {}
    key_versions: dict[str, float] = {}
    if template.accounting is not None:
        counts, key_versions = accounting_counts(spark, files, context, template.accounting, result)
    published: list[str] = []
    for spec in template.manifests:
        output = _output(result, spec.output)
        keys = _zone_keys(context.buckets[spec.zone], output)
        manifest = Manifest(
            dataset=spec.dataset,
            zone=spec.zone,
            business_date=result.business_date,
            step=template.step,
            run_id=context.run_id,
            files=keys,
            row_count=output.rows,
            content_sha256=files.sha256(output.files),
            schema_sha256=spec.schema_sha256,
            inputs=input_manifest_keys(files, context, spec.inputs, result.business_date),
            counts=counts,
            key_versions=key_versions,
            started_at=_iso_millis(context.started_at),
            duration_ms=round((dt.datetime.now(dt.UTC) - context.started_at).total_seconds() * 1000),
        )
        key = manifest_key(spec.zone, spec.dataset, result.business_date)
        files.write_text(f"{context.system_bucket}/{key}", manifest_json(manifest))
        published.append(key)
    return published


def publish_mask_manifest(
    files: HadoopFiles,
    context: ManifestContext,
    result: MaskResult,
    *,
    schema_sha256: str,
    control_file: str,
    data_file: str,
    rows_in: int,
) -> str:
    """Writes the raw partition's manifest of a masked batch, as the local mask step publishes it: its inputs are the
    batch's landing keys (control file, then data file), its counts the control file's rows and the rows written, its
    key versions the tokenize API's; returns its key."""
    output = OutputResult(name=result.dataset, path=result.output_path, rows=result.rows_out, files=result.files)
    landing = f"{LANDING_INCOMING_PREFIX}/{result.dataset}"
    manifest = Manifest(
        dataset=result.dataset,
        zone="raw",
        business_date=result.business_date,
        step="mask",
        run_id=context.run_id,
        files=_zone_keys(context.buckets["raw"], output),
        row_count=result.rows_out,
        content_sha256=files.sha256(result.files),
        schema_sha256=schema_sha256,
        inputs=[f"{landing}/{control_file}", f"{landing}/{data_file}"],
        counts={"rowsIn": rows_in, "rowsOut": result.rows_out},
        key_versions=dict(result.key_versions),
        started_at=_iso_millis(context.started_at),
        duration_ms=round((dt.datetime.now(dt.UTC) - context.started_at).total_seconds() * 1000),
    )
    key = manifest_key("raw", result.dataset, result.business_date)
    files.write_text(f"{context.system_bucket}/{key}", manifest_json(manifest))
    return key


def manifest_json(manifest: Manifest) -> str:
    """The manifest as libs/lake's ``ManifestStore`` writes it: camelCase, two-space indent, a final newline; whole
    counts as integers (JavaScript has one number type)."""
    document = manifest.model_dump(mode="json", by_alias=True)
    for field in ("counts", "keyVersions"):
        document[field] = {k: _number(v) for k, v in document[field].items()}
    document["durationMs"] = _number(document["durationMs"])
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _output(result: PlanResult, name: str) -> OutputResult:
    found = next((output for output in result.outputs if output.name == name), None)
    if found is None:
        raise ManifestError("ACCOUNTING_BROKEN", f"step {result.step}, dataset {result.dataset}: no output {name}")
    return found


def _zone_keys(bucket: str, output: OutputResult) -> list[str]:
    """The output's files as keys of its bucket: the output folder's path below the bucket, then each file's name."""
    folder = output.path.rstrip("/")
    if not folder.startswith(bucket + "/"):
        raise ManifestError("MANIFEST_INVALID", f"output {output.name} is not written under its zone's bucket")
    prefix = folder[len(bucket) + 1 :]
    return [f"{prefix}/{posixpath.basename(file)}" for file in output.files]


def _manifest_date(name: str) -> dt.date | None:
    if not (name.startswith("business_date=") and name.endswith(".json")):
        return None
    try:
        return dt.date.fromisoformat(name[len("business_date=") : -len(".json")])
    except ValueError:
        return None


def _iso_millis(moment: dt.datetime) -> str:
    """JavaScript's ``toISOString``: UTC, milliseconds, ``Z``."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
