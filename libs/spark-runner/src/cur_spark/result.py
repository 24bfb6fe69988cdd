"""What running a plan produced: row counts and written files, as the job prints them (camelCase JSON)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class _ResultModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True, serialize_by_alias=True, frozen=True)


class TableResult(_ResultModel):
    """A materialised ``table`` statement and how many rows it holds."""

    name: str
    rows: int


class OutputResult(_ResultModel):
    """An output as written: its folder, the rows in it and its files (URIs, in name order)."""

    name: str
    path: str
    rows: int
    files: list[str]


class PlanResult(_ResultModel):
    """The outcome of one plan: its identity, each materialised table and each output."""

    step: str
    dataset: str
    business_date: dt.date
    tables: list[TableResult]
    outputs: list[OutputResult]
    duration_ms: int
