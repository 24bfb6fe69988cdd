"""The plan format: what validates, what is refused, and how the refusal reads."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from cur_spark import (
    CsvInput,
    ParquetInput,
    ParquetOutput,
    PlanValidationError,
    TableStatement,
    ViewStatement,
    parse_plan,
)


class TestParsePlan:
    def test_reads_the_json_the_typescript_side_renders(self, plan: dict[str, Any]) -> None:
        parsed = parse_plan(json.dumps(plan, ensure_ascii=False))

        assert parsed.business_date == dt.date(2026, 11, 25)
        assert [type(i) for i in parsed.inputs] == [ParquetInput, CsvInput]
        assert [type(s) for s in parsed.statements] == [ViewStatement, TableStatement]
        assert parsed.outputs[0].single_file is True

    def test_writes_back_the_same_json(self, plan: dict[str, Any]) -> None:
        assert parse_plan(plan).model_dump(mode="json", exclude_none=True) == plan

    def test_an_output_defaults_to_one_zstd_parquet_file(self, plan: dict[str, Any]) -> None:
        plan["outputs"] = [{"name": "o", "sql": "SELECT 1", "path": "s3://lake/consumption/o/business_date=2026-11-25"}]

        assert parse_plan(plan).outputs == [
            ParquetOutput(
                name="o",
                sql="SELECT 1",
                path="s3://lake/consumption/o/business_date=2026-11-25",
                format="parquet",
                compression="zstd",
                single_file=True,
            )
        ]

    @pytest.mark.parametrize(
        ("change", "location"),
        [
            (lambda p: p["statements"][0].update(kind="macro"), "statements.0"),
            (lambda p: p["statements"][1].update(materialize=True), "statements.1.table.materialize"),
            (lambda p: p["inputs"][1].update(encoding="big5"), "inputs.1.csv.encoding"),
            (lambda p: p["inputs"][0].update(format="orc"), "inputs.0"),
            (lambda p: p["outputs"][0].update(compression="snappy"), "outputs.0.compression"),
            (lambda p: p.update(version=2), "version"),
            (lambda p: p.update(businessDate="2026-13-01"), "businessDate"),
            (lambda p: p.update(outputs=[]), "outputs"),
            (lambda p: p["statements"][0].update(name="adults; DROP"), "statements.0.view.name"),
            (lambda p: p["statements"][0].update(sql="  "), "statements.0.view.sql"),
        ],
    )
    def test_refuses_a_plan_that_does_not_fit_the_format(
        self, plan: dict[str, Any], change: Callable[[dict[str, Any]], None], location: str
    ) -> None:
        bad = copy.deepcopy(plan)
        change(bad)

        with pytest.raises(PlanValidationError, match=rf"^invalid plan \(1 problem\(s\)\): {re.escape(location)}: "):
            parse_plan(bad)

    def test_refuses_names_that_collide_in_sparks_view_namespace(self, plan: dict[str, Any]) -> None:
        plan["statements"][0]["name"] = "Branches"

        with pytest.raises(PlanValidationError, match=r"input and statement names must be unique .*: branches"):
            parse_plan(plan)

    def test_refuses_two_outputs_into_one_folder(self, plan: dict[str, Any]) -> None:
        plan["outputs"][1]["path"] = plan["outputs"][0]["path"] + "/"

        with pytest.raises(PlanValidationError, match=r"output paths must be unique"):
            parse_plan(plan)

    def test_never_quotes_the_offending_value(self, plan: dict[str, Any]) -> None:
        plan["dataset"] = "王小明"

        with pytest.raises(PlanValidationError) as raised:
            parse_plan(plan)

        assert "王小明" not in str(raised.value)
        assert raised.value.__cause__ is None

    def test_refuses_text_that_is_not_json(self) -> None:
        with pytest.raises(PlanValidationError, match=r"^the plan is not JSON: line 1 column 2"):
            parse_plan("{version: 1}")
