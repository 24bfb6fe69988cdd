"""The job entry script: Glue-style arguments, the session it reuses, the one JSON line it prints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pyspark.sql import SparkSession

from cur_spark.jobs.run_plan import main, parse_job_arguments, read_plan


class TestParseJobArguments:
    def test_takes_the_plan_and_ignores_the_arguments_glue_adds(self) -> None:
        argv = [
            "--JOB_NAME",
            "cur-transform",
            "--plan",
            "s3://lake/plans/t.json",
            "--job-bookmark-option",
            "job-bookmark-disable",
        ]

        assert parse_job_arguments(argv).plans == ("s3://lake/plans/t.json",)

    def test_takes_the_equals_form(self) -> None:
        assert parse_job_arguments(["--plan=plan.json"]).plans == ("plan.json",)

    def test_takes_several_plans_in_order(self) -> None:
        assert parse_job_arguments(["--plan", "b.json", "--plan=a.json"]).plans == ("b.json", "a.json")

    def test_requires_the_plan(self) -> None:
        with pytest.raises(SystemExit):
            parse_job_arguments(["--JOB_NAME", "x"])


class TestMain:
    def test_runs_the_plan_in_the_active_session_and_prints_one_json_line(
        self, spark: SparkSession, plan: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        plan_file = tmp_path / "plan.json"
        plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")

        code = main(["--JOB_NAME", "local", "--plan", str(plan_file)])

        (line,) = capsys.readouterr().out.splitlines()
        summary = json.loads(line)
        assert code == 0
        assert summary["status"] == "succeeded"
        assert [(o["name"], o["rows"]) for o in summary["result"]["outputs"]] == [
            ("branch_customers", 3),
            ("customer_branch", 3),
        ]
        assert SparkSession.getActiveSession() is spark

    def test_prints_the_failure_and_exits_1(
        self, spark: SparkSession, plan: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        plan["statements"][0]["sql"] = "SELECT * FROM nowhere"
        plan_file = tmp_path / "plan.json"
        plan_file.write_text(json.dumps(plan), encoding="utf-8")

        code = main(["--plan", str(plan_file)])

        summary = json.loads(capsys.readouterr().out)
        assert code == 1
        assert summary["status"] == "failed"
        assert summary["error"]["type"] == "PlanStatementError"
        assert "statement 1 of 2 (view adults)" in summary["error"]["message"]

    def test_runs_several_plans_in_order_in_one_session_one_line_each(
        self, spark: SparkSession, plan: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        first, second = tmp_path / "first.json", tmp_path / "second.json"
        first.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
        plan["businessDate"] = "2026-11-26"
        second.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")

        code = main(["--plan", str(first), "--plan", str(second)])

        lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert code == 0
        assert [(line["status"], line["result"]["businessDate"]) for line in lines] == [
            ("succeeded", "2026-11-25"),
            ("succeeded", "2026-11-26"),
        ]
        assert SparkSession.getActiveSession() is spark

    def test_stops_at_the_first_plan_that_fails(
        self, spark: SparkSession, plan: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        good = tmp_path / "good.json"
        good.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")

        code = main(["--plan", str(tmp_path / "absent.json"), "--plan", str(good)])

        lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert code == 1
        assert [line["status"] for line in lines] == ["failed"]

    def test_a_missing_plan_file_fails_cleanly(
        self, spark: SparkSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code = main(["--plan", str(tmp_path / "absent.json")])

        assert code == 1
        assert json.loads(capsys.readouterr().out)["error"]["type"] == "FileNotFoundError"


class TestReadPlan:
    def test_reads_a_uri_through_sparks_file_systems(
        self, spark: SparkSession, plan: dict[str, Any], tmp_path: Path
    ) -> None:
        # In Glue the URI is s3://; file:// takes the same path through Spark here.
        plan_file = tmp_path / "plan.json"
        plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")

        assert read_plan(spark, plan_file.as_uri()).dataset == "customer_branches"
