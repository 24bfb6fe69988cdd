"""Plan templates: the plans a Glue job runs, rendered at build time by libs/pipeline, the date and buckets left open.

A template (``glue-plans/<step>/<dataset>.json``, written by ``nx run pipeline:glue-plans``) holds a plan whose strings
contain ``${business_date}``, ``${business_month}`` and ``${bucket:<zone>}``, and whose inputs are ``sources``: a
dataset's partitions ``<bucket>/<dataset>/business_date=<d>`` over a window of dates. ``resolve`` fills the parameters
from the job's arguments, finds which partitions of each window exist (one listing per source, through Spark's file
systems: S3 in Glue, a folder locally) and returns the plan ``run_plan`` executes. No SQL is written here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, ValidationError, model_validator

from cur_spark.errors import PlanError
from cur_spark.plan import Identifier, Plan, parse_plan
from cur_spark.wire_model import WireModel

TEMPLATE_VERSION = 1
"""The template format's version (libs/pipeline ``GLUE_PLAN_TEMPLATE_VERSION``)."""

ZONES = ("raw", "transformed", "consumption", "mart")
"""The buckets a template may name (libs/pipeline ``GLUE_BUCKETS``)."""

Zone = Literal["raw", "transformed", "consumption", "mart"]

PARTITION_FOLDER = re.compile(r"^business_date=(\d{4}-\d{2}-\d{2})$")
"""A partition's folder name under its dataset's folder."""

_BUCKET_PARAMETER = re.compile(r"\$\{bucket:([a-z]+)\}")
_BUCKET_URI = re.compile(r"s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^\s'\"`$]*)?|file:/[^\s'\"`$]+|/[^\s'\"`$]+")


class TemplateError(PlanError):
    """A template, or the job's arguments for it, cannot become a plan; ``code`` says why.

    ``INVALID_TEMPLATE``, ``INVALID_ARGUMENT`` (a business date that is not a calendar date, a bucket that is not an
    ``s3://`` or local URI), ``UNKNOWN_TEMPLATE``, ``INPUT_MISSING`` (a required source has no partition in its window).
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{message} [{code}]")
        self.code = code


class _TemplateModel(WireModel):
    """This module's documents: see `WireModel`."""


class DateWindow(_TemplateModel):
    """The business date's partition only."""

    kind: Literal["date"]


class DaysWindow(_TemplateModel):
    """The partitions of the ``days`` dates before the business date, and of the date itself."""

    kind: Literal["days"]
    days: int = Field(ge=1, le=3660)


class PreviousMonthLatestWindow(_TemplateModel):
    """The latest partition of the calendar month before the business date's."""

    kind: Literal["previous-month-latest"]


Window = Annotated[DateWindow | DaysWindow | PreviousMonthLatestWindow, Field(discriminator="kind")]


class Source(_TemplateModel):
    """A partitioned input: its existing partitions in the window become the Parquet input ``name``; with none, a
    ``required`` source fails the job and an optional one becomes the view ``empty_sql`` (no rows, declared types).

    With ``same_run_as`` (the mart's model tags: ``customer_features``), the date's partition is read only when its
    published manifest has the run id of that dataset's manifest of the date in the same bucket, as the local step
    reads it; otherwise it counts as absent."""

    name: Identifier
    bucket: Zone
    dataset: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(/[a-z][a-z0-9_]*)?$")]
    window: Window
    required: bool
    empty_sql: str | None
    same_run_as: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")] | None = None

    @model_validator(mode="after")
    def _optional_has_empty_view(self) -> Source:
        if not self.required and not self.empty_sql:
            raise ValueError("an optional source needs emptySql")
        if self.same_run_as is not None and not isinstance(self.window, DateWindow):
            raise ValueError("sameRunAs needs the date window")
        return self


_PartitionValue = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class Partition(_TemplateModel):
    """An output that is the business date's partition of a catalog table in a zone's database; ``keys`` are the
    table's partition keys before the date with their fixed values (the rejects' ``source_dataset``), in order."""

    output: Identifier
    zone: Zone
    table: Identifier
    keys: dict[Identifier, _PartitionValue]


class ManifestInput(_TemplateModel):
    """A dataset whose published manifests in the window are an output's inputs; with ``same_run_as``, only when that
    output's manifest of the date has the same run id."""

    zone: Zone
    dataset: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    window: Window
    same_run_as: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")] | None


class ManifestSpec(_TemplateModel):
    """What the template says of an output's manifest: its dataset name and zone, the contract's schema hash (rendered
    at build time) and its inputs; the job adds the files, rows, content hash, counts, run id and times."""

    output: Identifier
    dataset: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(/[a-z][a-z0-9_]*)?$")]
    zone: Zone
    schema_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    inputs: list[ManifestInput]


class Accounting(_TemplateModel):
    """The transform's accounting: the raw manifest's rows (and key versions), the ``checked`` table's count, and the
    accepted and rejected outputs, which must add up."""

    raw: Identifier
    checked: Identifier
    accepted: Identifier
    rejects: Identifier


class PlanTemplate(_TemplateModel):
    """One plan template, as libs/pipeline renders it (``GluePlanTemplateSchema``)."""

    template_version: Literal[1]
    step: Literal["transform", "consumption", "mart"]
    dataset: Identifier
    sources: list[Source] = Field(min_length=1)
    partitions: list[Partition]
    manifests: list[ManifestSpec] = Field(min_length=1)
    accounting: Accounting | None
    plan: dict[str, Any]


def parse_template(source: str | bytes) -> PlanTemplate:
    """Validates a template's JSON; problems are named by location, never by value."""
    try:
        return PlanTemplate.model_validate(json.loads(source))
    except json.JSONDecodeError as error:
        raise TemplateError("INVALID_TEMPLATE", f"the template is not JSON: line {error.lineno}: {error.msg}") from None
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
            for e in error.errors(include_input=False, include_url=False)
        )
        raise TemplateError("INVALID_TEMPLATE", f"invalid template: {problems}") from None


def parse_index(source: str | bytes) -> dict[str, list[str]]:
    """``index.json``: each step's templates in run order."""
    try:
        data = json.loads(source)
    except json.JSONDecodeError as error:
        raise TemplateError("INVALID_TEMPLATE", f"index.json is not JSON: line {error.lineno}: {error.msg}") from None
    valid = isinstance(data, dict) and all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(d, str) for d in v) for k, v in data.items()
    )
    if not valid:
        raise TemplateError("INVALID_TEMPLATE", "index.json must map each step to a list of dataset names")
    return {str(k): [str(d) for d in v] for k, v in data.items()}


def parse_business_date(text: str) -> dt.date:
    """The job's ``--business-date``: exactly ``yyyy-MM-dd`` and a calendar date (``2026-02-30`` is refused)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise TemplateError("INVALID_ARGUMENT", "--business-date must be a date written yyyy-MM-dd")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise TemplateError("INVALID_ARGUMENT", "--business-date is not a calendar date") from None


def check_bucket_uri(zone: str, uri: str) -> str:
    """A bucket's location: ``s3://<bucket>`` in Glue, a ``file:`` URI or absolute path locally; no trailing slash."""
    trimmed = uri.rstrip("/")
    if not re.fullmatch(
        r"(s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^\s'\"`$]*)?|file:/[^\s'\"`$]+|/[^\s'\"`$]+)", trimmed
    ):
        raise TemplateError("INVALID_ARGUMENT", f"the {zone} bucket must be an s3:// URI or a local path")
    return trimmed


def window_dates(
    window: DateWindow | DaysWindow | PreviousMonthLatestWindow, business_date: dt.date
) -> tuple[dt.date, dt.date]:
    """The first and last business date a window covers."""
    if isinstance(window, DateWindow):
        return business_date, business_date
    if isinstance(window, DaysWindow):
        return business_date - dt.timedelta(days=window.days), business_date
    last = business_date.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), last


ListFolders = Callable[[str], Sequence[str]]
"""Lists the folder names directly under a location (none when it does not exist)."""

SameRun = Callable[[str, str, str, dt.date], bool]
"""``same_run(zone, dataset, other, date)``: whether ``dataset``'s published manifest of the date in ``zone`` has
the run id of ``other``'s (both published); the job reads them in the system bucket."""


def resolve(
    template: PlanTemplate,
    business_date: dt.date,
    buckets: Mapping[str, str],
    list_folders: ListFolders,
    same_run: SameRun | None = None,
) -> Plan:
    """The plan a template becomes for a business date: parameters filled, each source's partitions found.

    A source's partitions are the folders ``business_date=<d>`` under ``<bucket>/<dataset>`` with ``d`` in its window
    (for ``previous-month-latest``, the latest one only). Absent optional sources become their empty views, ahead of
    the template's statements, exactly as libs/pipeline's ``fillGluePlanTemplate`` and the local steps render them.
    A ``same_run_as`` source's partition that ``same_run`` does not find current is absent; without ``same_run`` (no
    system bucket, so no manifests to check) such a partition fails the job (``MANIFEST_REQUIRED``) rather than be
    read unchecked.
    """
    uris = {zone: check_bucket_uri(zone, uri) for zone, uri in buckets.items()}
    date_text = business_date.isoformat()

    def fill(text: str) -> str:
        def bucket(match: re.Match[str]) -> str:
            zone = match.group(1)
            if zone not in uris:
                raise TemplateError("INVALID_ARGUMENT", f"no location given for the {zone} bucket")
            return uris[zone]

        filled = text.replace("${business_date}", date_text).replace("${business_month}", date_text[:7])
        return _BUCKET_PARAMETER.sub(bucket, filled)

    plan: dict[str, Any] = json.loads(fill(json.dumps(template.plan)))
    inputs: list[dict[str, Any]] = []
    empty_views: list[dict[str, Any]] = []
    for source in template.sources:
        root = f"{fill('${bucket:' + source.bucket + '}')}/{source.dataset}"
        first, last = window_dates(source.window, business_date)
        found = sorted(
            date
            for date in (_partition_date(name) for name in list_folders(root))
            if date is not None and first <= date <= last
        )
        if isinstance(source.window, PreviousMonthLatestWindow):
            found = found[-1:]
        if found and source.same_run_as is not None:
            if same_run is None:
                raise TemplateError(
                    "MANIFEST_REQUIRED",
                    f"{template.step}/{template.dataset}: {source.bucket}/{source.dataset} is read only when published "
                    f"in the run of {source.same_run_as}, which needs the manifests (--bucket_system)",
                )
            if not same_run(source.bucket, source.dataset, source.same_run_as, business_date):
                found = []
        if found:
            paths = [f"{root}/business_date={date.isoformat()}" for date in found]
            inputs.append({"format": "parquet", "name": source.name, "paths": paths, "columns": None})
        elif source.empty_sql is not None:
            empty_views.append({"kind": "view", "name": source.name, "sql": source.empty_sql})
        else:
            raise TemplateError(
                "INPUT_MISSING",
                f"{template.step}/{template.dataset}: no partition of {source.bucket}/{source.dataset} "
                f"from {first.isoformat()} to {last.isoformat()}",
            )
    plan["inputs"] = inputs
    plan["statements"] = [*empty_views, *plan.get("statements", [])]
    return parse_plan(plan)


def _partition_date(name: str) -> dt.date | None:
    match = PARTITION_FOLDER.match(name.rstrip("/"))
    if match is None:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None
