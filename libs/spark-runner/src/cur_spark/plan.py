"""The plan format: what one pipeline step asks Spark to do, rendered as JSON by the TypeScript side.

A plan names its inputs (Parquet files, or a CSV extract read as strings), runs ordered SQL statements over them, each
registered as a temporary view under its name (``view``: lazy; ``table``: materialised once, for what later
statements read more than once), and writes each output's query as Parquet. The runner executes exactly this; no SQL
of the pipeline is written in Python. ``plan.schema.json`` beside this project is generated from these models
(``nx run spark-runner:schema``) so the TypeScript side validates what it renders against the same definition.

Example::

    {
      "version": 1, "step": "transform", "dataset": "customer_profile", "businessDate": "2026-11-25",
      "inputs": [{"format": "csv", "name": "extract", "path": "s3://.../batch.csv", "header": true,
                  "encoding": "utf-8", "columns": ["cust_id", "name"]}],
      "statements": [{"kind": "view", "name": "typed", "sql": "SELECT trim(cust_id) AS cust_id FROM extract"}],
      "outputs": [{"name": "customer_profile", "sql": "SELECT * FROM typed", "path": "s3://.../business_date=...",
                   "format": "parquet", "compression": "zstd", "singleFile": true}]
    }
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, ValidationError, model_validator

from cur_spark.errors import PlanValidationError
from cur_spark.wire_model import WireModel

PLAN_VERSION = 1
"""The plan format's version; a plan of another version is refused rather than half understood."""

Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=128)]
"""A view, input, output or column name: a plain SQL identifier, so no statement needs to quote it."""

Sql = Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]
"""One Spark SQL query (``SELECT`` or ``WITH``); the runner registers its result under the statement's name."""

Location = Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]
"""A file or folder: a local path, or a URI Spark's file systems read (``s3://`` in Glue, ``file:`` locally)."""


class _PlanModel(WireModel):
    """This module's documents: see `WireModel`."""


class ParquetInput(_PlanModel):
    """Parquet files registered as one view.

    ``columns``, when given, are the columns the plan relies on: each must exist (else the run fails naming the input
    and the missing columns), and the view holds exactly these, in this order.
    """

    format: Literal["parquet"]
    name: Identifier
    paths: list[Location] = Field(min_length=1)
    columns: list[Identifier] | None = Field(default=None, min_length=1)


class CsvInput(_PlanModel):
    """One CSV extract (a file or a folder of files) registered as a view; every column is read as a string.

    RFC 4180 quoting (``"`` quotes, ``""`` inside a quoted field, line breaks inside quotes); a malformed row fails the
    run (ingestion has already checked the file). With ``header``, the file's first line must name ``columns`` in
    order. An empty unquoted field reads as NULL.
    """

    format: Literal["csv"]
    name: Identifier
    path: Location
    header: bool
    encoding: Literal["utf-8"] = "utf-8"
    columns: list[Identifier] = Field(min_length=1)


Input = Annotated[ParquetInput | CsvInput, Field(discriminator="format")]


class ViewStatement(_PlanModel):
    """A temporary view: the query runs wherever a later statement or output reads it."""

    kind: Literal["view"]
    name: Identifier
    sql: Sql


class TableStatement(_PlanModel):
    """A materialised table: the query runs once (persisted in memory and disk) and is registered as a view."""

    kind: Literal["table"]
    name: Identifier
    sql: Sql


Statement = Annotated[ViewStatement | TableStatement, Field(discriminator="kind")]


class ParquetOutput(_PlanModel):
    """A query written as Parquet to a folder, replacing what the folder held.

    ``singleFile`` writes one file (the query's row order kept); otherwise one file per Spark partition.
    """

    name: Identifier
    sql: Sql
    path: Location
    format: Literal["parquet"] = "parquet"
    compression: Literal["zstd"] = "zstd"
    single_file: bool = True


class Plan(_PlanModel):
    """One pipeline step for one dataset and business date, as the runner executes it."""

    version: Literal[1]
    step: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)]
    dataset: Identifier
    business_date: dt.date
    inputs: list[Input] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    outputs: list[ParquetOutput] = Field(min_length=1)

    @model_validator(mode="after")
    def _names_are_unique(self) -> Plan:
        # Inputs and statements share Spark's temporary view namespace, which ignores case.
        _refuse_duplicates(
            "input and statement names", [*(i.name for i in self.inputs), *(s.name for s in self.statements)]
        )
        _refuse_duplicates("output names", [o.name for o in self.outputs])
        _refuse_duplicates("output paths", [o.path.rstrip("/") for o in self.outputs])
        for item in self.inputs:
            if item.columns is not None:
                _refuse_duplicates(f"columns of input {item.name}", item.columns)
        return self


def _refuse_duplicates(what: str, names: Iterable[str]) -> None:
    counts = Counter(name.lower() for name in names)
    duplicates = sorted(name for name, count in counts.items() if count > 1)
    if duplicates:
        raise ValueError(f"{what} must be unique (case-insensitive): {', '.join(duplicates)}")


def parse_plan(source: str | bytes | Mapping[str, Any]) -> Plan:
    """Validates a plan given as JSON text or as already-decoded JSON.

    Raises ``PlanValidationError`` listing each problem's location (``statements.1.kind``) and pydantic's message,
    never the offending value: a plan carries no customer data, but error text goes to logs.
    """
    try:
        data = json.loads(source) if isinstance(source, str | bytes) else source
        return Plan.model_validate(data)
    except json.JSONDecodeError as error:
        raise PlanValidationError(
            f"the plan is not JSON: line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    except ValidationError as error:
        # Not chained: pydantic's own message quotes the offending input.
        problems = "; ".join(
            f"{_location(e['loc'])}: {e['msg']}" for e in error.errors(include_input=False, include_url=False)
        )
        raise PlanValidationError(f"invalid plan ({error.error_count()} problem(s)): {problems}") from None


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "plan"
