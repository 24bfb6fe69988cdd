"""The committed JSON Schema files are the ones the models generate: the TypeScript side validates one format."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel

from cur_spark.schema import PROJECT_ROOT, SCHEMA_FILES, json_schema, render


@pytest.mark.parametrize(("name", "model"), SCHEMA_FILES.items())
def test_the_committed_schema_is_up_to_date(name: str, model: type[BaseModel]) -> None:
    committed = (PROJECT_ROOT / name).read_text(encoding="utf-8")

    assert committed == render(model), f"{name} is stale: run `npx nx run spark-runner:schema` and commit it"


def test_the_plan_schema_names_the_statement_kinds_and_input_formats() -> None:
    text = json.dumps(json_schema(SCHEMA_FILES["plan.schema.json"]))

    for word in ('"view"', '"table"', '"parquet"', '"csv"', '"businessDate"', '"singleFile"'):
        assert word in text
