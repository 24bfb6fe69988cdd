"""The base of every JSON document the runner exchanges with TypeScript (plans, mask requests, Glue templates)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class WireModel(BaseModel):
    """camelCase in JSON, snake_case in Python; unknown fields refused; immutable once parsed.

    The zod twins on the TypeScript side are `.strict()`, so both sides refuse the same unknown fields.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="forbid",
        frozen=True,
    )
