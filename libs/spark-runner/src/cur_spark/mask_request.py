"""The mask request: what the TypeScript side asks the Spark mask job to do with one landing batch.

What to mask with which column is decided in TypeScript (the masking policy, the contracts); the request only lists
it. ``mask-request.schema.json`` beside this project is generated from these models (``nx run spark-runner:schema``)
and the zod schema of ``libs/pipeline/src/plan/mask-request.ts`` is tested against it, so the two cannot drift.

Example::

    {
      "version": 1, "dataset": "customer_profile", "businessDate": "2026-11-25",
      "landing": {"path": "/lake/landing/incoming/customer_profile/customer_profile_20261125.csv.gz",
                  "encoding": "big5", "compression": "gzip", "columns": ["cust_id", "name", "gender"],
                  "rowCount": 10000},
      "maskColumns": [{"column": "cust_id", "tokenize": {"dataset": "customer_profile", "column": "cust_id"}}],
      "output": {"path": "/scratch/mask-out"},
      "tokenize": {"url": "http://127.0.0.1:41234/v1/tokenize", "batchValues": 10000,
                   "auth": {"kind": "bearer", "tokenEnv": "CUR_KEY_SERVICE_TOKEN"}}
    }
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator
from pydantic.alias_generators import to_camel

from cur_spark.errors import MaskError
from cur_spark.plan import Identifier, Location
from cur_spark.wire_model import WireModel

MASK_REQUEST_VERSION = 1
"""The mask request format's version."""

MAX_TOKENIZE_BATCH_VALUES = 10_000
"""The tokenize API's ``MAX_BATCH_VALUES`` (libs/masking): most values one call may carry."""

SOURCE_ROW_COLUMN = "source_row"
"""The column that keeps each row's 1-based position in its landing file (the mask step's ``ROW_NUMBER_COLUMN``)."""

BUSINESS_DATE_COLUMN = "business_date"
"""The last column of a raw file: the batch's business date as text."""

EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Z_][A-Z0-9_]*$", max_length=128)]


class _MaskModel(WireModel):
    """This module's documents: see `WireModel`."""


class LandingFile(_MaskModel):
    """The landing CSV as its control file describes it: RFC 4180, a header row naming ``columns`` in order."""

    path: Location
    encoding: Literal["utf-8", "big5"]
    compression: Literal["none", "gzip"]
    columns: list[Identifier] = Field(min_length=1)
    row_count: int = Field(ge=0)

    @model_validator(mode="after")
    def _compression_matches_the_name(self) -> LandingFile:
        # Spark picks the codec by the file's extension, as the landing contract names files (.csv or .csv.gz).
        if (self.compression == "gzip") != self.path.endswith(".gz"):
            raise ValueError("landing.path must end with .gz exactly when compression is gzip")
        return self


class TokenizeTarget(_MaskModel):
    """The dataset and column the tokenize API masks the values as (its storage treatment and key group)."""

    dataset: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    column: Annotated[str, StringConstraints(min_length=1, max_length=64)]


class MaskColumn(_MaskModel):
    """A column of the file whose distinct non-null values are replaced by what the tokenize API returns."""

    column: Identifier
    tokenize: TokenizeTarget


class MaskOutput(_MaskModel):
    """The folder the raw Parquet is written to (one zstd file, replacing what the folder held)."""

    path: Location


class BearerAuth(_MaskModel):
    """A bearer credential read from the job's environment (never from the request or the command line)."""

    kind: Literal["bearer"]
    token_env: EnvName


class SigV4Auth(_MaskModel):
    """Requests signed with AWS Signature Version 4 as the job's own IAM role (Glue: the job's role, from botocore's
    credential chain), for the tokenize route behind IAM auth (a Lambda function URL or an API Gateway route)."""

    kind: Literal["sigv4"]
    region: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[a-z]+)+-[0-9]$", max_length=32)]
    service: Literal["lambda", "execute-api"]


TokenizeAuth = Annotated[BearerAuth | SigV4Auth, Field(discriminator="kind")]


class TokenizeEndpoint(_MaskModel):
    """Where the masking-key-service's ``POST /v1/tokenize`` answers, and how the job authenticates to it."""

    url: Annotated[str, StringConstraints(pattern=r"^https?:[/][/][^\s]+$", max_length=2048)]
    batch_values: int = Field(default=MAX_TOKENIZE_BATCH_VALUES, ge=1, le=MAX_TOKENIZE_BATCH_VALUES)
    timeout_seconds: float = Field(default=60, gt=0, le=900)
    auth: TokenizeAuth


class MaskRequest(_MaskModel):
    """One landing batch to mask into one raw Parquet file."""

    version: Literal[1]
    dataset: Identifier
    business_date: dt.date
    landing: LandingFile
    mask_columns: list[MaskColumn] = Field(default_factory=list)
    output: MaskOutput
    tokenize: TokenizeEndpoint

    @model_validator(mode="after")
    def _columns_are_the_files(self) -> MaskRequest:
        names = [c.lower() for c in self.landing.columns]
        if len(set(names)) != len(names):
            raise ValueError("landing.columns must be unique (case-insensitive)")
        reserved = {SOURCE_ROW_COLUMN, BUSINESS_DATE_COLUMN} & set(names)
        if reserved:
            raise ValueError(f"landing.columns must not name {', '.join(sorted(reserved))}: the raw file adds it")
        masked = [m.column for m in self.mask_columns]
        if len({m.lower() for m in masked}) != len(masked):
            raise ValueError("maskColumns must name each column once")
        unknown = [m for m in masked if m not in self.landing.columns]
        if unknown:
            raise ValueError(f"maskColumns name columns the file lacks: {', '.join(unknown)}")
        return self


class MaskedColumnResult(_MaskModel):
    """One masked column: how many distinct values went to the API, in how many calls, and the key version used."""

    column: str
    distinct_values: int
    batches: int
    key_version: int | None


class MaskResult(_MaskModel):
    """What the mask job wrote: rows read and written, each masked column, the key versions, the Parquet file(s)."""

    dataset: str
    business_date: dt.date
    rows_in: int
    rows_out: int
    columns: list[MaskedColumnResult]
    key_versions: dict[str, int]
    output_path: str
    files: list[str]
    duration_ms: int


def parse_mask_request(source: str | bytes | Mapping[str, Any]) -> MaskRequest:
    """Validates a mask request given as JSON text or as decoded JSON.

    Raises ``MaskError`` ``MASK_REQUEST_INVALID`` naming each problem's location and pydantic's message, never the
    offending value.
    """
    try:
        data = json.loads(source) if isinstance(source, str | bytes) else source
        return MaskRequest.model_validate(data)
    except json.JSONDecodeError as error:
        raise MaskError(
            "MASK_REQUEST_INVALID", f"the mask request is not JSON: line {error.lineno} column {error.colno}"
        ) from None
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'request'}: {e['msg']}"
            for e in error.errors(include_input=False, include_url=False)
        )
        raise MaskError(
            "MASK_REQUEST_INVALID", f"invalid mask request ({error.error_count()} problem(s)): {problems}"
        ) from None


class MaskRequestTemplate(_MaskModel):
    """A source dataset's mask request before a batch: its landing columns and which to tokenise as which.

    Rendered by libs/pipeline (``renderMaskRequestTemplate``, from the contracts and the masking policy) into
    ``glue-plans/mask/<dataset>.json``; the Glue mask job fills in the rest from the batch's control file.
    """

    version: Literal[1]
    step: Literal["mask"]
    dataset: Identifier
    columns: list[Identifier] = Field(min_length=1)
    mask_columns: list[MaskColumn]
    schema_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    """The raw manifest's schema hash (the contract's columns)."""


class ControlFile(BaseModel):
    """What the mask job reads of a batch's control file (libs/contracts ``ControlFileSchema``; others ignored)."""

    model_config = ConfigDict(
        alias_generator=to_camel, validate_by_name=True, validate_by_alias=True, extra="ignore", frozen=True
    )

    dataset: Identifier
    business_date: dt.date
    file: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*_\d{8}\.csv(\.gz)?$")]
    row_count: int = Field(ge=0)
    encoding: Literal["utf-8", "big5"]


LANDING_INCOMING_PREFIX = "incoming"
"""Where pushed files wait in the landing bucket (libs/ingestion ``INCOMING_PREFIX``): ``incoming/<dataset>/<file>``."""


def control_file_name(dataset: str, business_date: dt.date) -> str:
    """A batch's control file name: ``<dataset>_<YYYYMMDD>.ctl``."""
    return f"{dataset}_{business_date:%Y%m%d}.ctl"


def control_file_location(landing_bucket: str, dataset: str, business_date: dt.date) -> str:
    """The landing location of a batch's control file: ``<bucket>/incoming/<dataset>/<dataset>_<YYYYMMDD>.ctl``."""
    return (
        f"{landing_bucket.rstrip('/')}/{LANDING_INCOMING_PREFIX}/{dataset}/{control_file_name(dataset, business_date)}"
    )


def request_from_template(
    template: MaskRequestTemplate,
    control_text: str,
    *,
    business_date: dt.date,
    landing_bucket: str,
    raw_bucket: str,
    tokenize: Mapping[str, Any],
) -> MaskRequest:
    """The mask request of one batch: the template, the batch's control file, the job's buckets and tokenize API.

    The output is the raw partition folder ``<raw bucket>/<dataset>/business_date=<date>``. Raises ``MaskError``
    ``MASK_REQUEST_INVALID`` when the control file is not the template's dataset and date, or is malformed (its
    fields named, never its content).
    """
    try:
        control = ControlFile.model_validate_json(control_text)
    except ValidationError as error:
        fields = ", ".join(sorted({".".join(str(p) for p in e["loc"]) or "file" for e in error.errors()}))
        message = f"the control file of {template.dataset} is invalid: {fields}"
        raise MaskError("MASK_REQUEST_INVALID", message) from None
    if control.dataset != template.dataset or control.business_date != business_date:
        raise MaskError(
            "MASK_REQUEST_INVALID",
            f"the control file declares {control.dataset} for {control.business_date.isoformat()}, "
            f"not {template.dataset} for {business_date.isoformat()}",
        )
    landing = landing_bucket.rstrip("/")
    return parse_mask_request(
        {
            "version": template.version,
            "dataset": template.dataset,
            "businessDate": business_date.isoformat(),
            "landing": {
                "path": f"{landing}/{LANDING_INCOMING_PREFIX}/{template.dataset}/{control.file}",
                "encoding": control.encoding,
                "compression": "gzip" if control.file.endswith(".gz") else "none",
                "columns": template.columns,
                "rowCount": control.row_count,
            },
            "maskColumns": [m.model_dump(mode="json") for m in template.mask_columns],
            "output": {"path": f"{raw_bucket.rstrip('/')}/{template.dataset}/business_date={business_date}"},
            "tokenize": dict(tokenize),
        }
    )
