"""The manifest of one published partition, as libs/lake's ``ManifestSchema`` (zod) reads it.

Every local step publishes one per output (``manifests/<zone>/<dataset>/business_date=<date>.json`` in the system
bucket): the files, their rows, the SHA-256 of their bytes in the order listed, the schema hash, the inputs' manifest
keys, the step's counts and key versions. ``manifest.schema.json`` beside this project is generated from this model
(``nx run spark-runner:schema``) and libs/pipeline tests the zod schema against it, so the Glue jobs write what the
local readers accept.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

ManifestZone = Literal["landing", "raw", "transformed", "consumption", "mart"]
"""libs/contracts ``ZONES``."""

MAX_SAFE_INTEGER = 9_007_199_254_740_991
"""JavaScript's largest exact integer: a row count the TypeScript side reads as a number."""


class Manifest(BaseModel):
    """One partition as published: what it holds, how it was computed and from what."""

    model_config = ConfigDict(
        alias_generator=to_camel, validate_by_name=True, validate_by_alias=True, serialize_by_alias=True, frozen=True
    )

    dataset: str
    zone: ManifestZone
    business_date: dt.date
    step: str
    run_id: str
    files: list[str]
    row_count: int = Field(ge=0, le=MAX_SAFE_INTEGER)
    content_sha256: str
    """SHA-256 (hex) of the files' bytes, read in the order ``files`` lists them."""
    schema_sha256: str
    inputs: list[str]
    counts: dict[str, float] = Field(default_factory=dict)
    key_versions: dict[str, float] = Field(default_factory=dict)
    started_at: str
    duration_ms: float = Field(ge=0)


def manifest_key(zone: str, dataset: str, business_date: dt.date) -> str:
    """The key of a partition's manifest in the system bucket (libs/lake ``manifestKey``)."""
    return f"manifests/{zone}/{dataset}/business_date={business_date.isoformat()}.json"
