"""The request server: kinds, coded errors, one session, and the real process on pipes (EOF, SIGTERM)."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from pyspark.sql import SparkSession

from cur_spark.errors import SparkEnvironmentError
from cur_spark.server import HandlerRegistry, Server, default_registry


def request(request_id: int, kind: str, **fields: Any) -> str:  # noqa: ANN401 - JSON fields
    return json.dumps({"id": request_id, "kind": kind, **fields}, ensure_ascii=False)


class TestServer:
    def test_runs_a_plan_request_and_answers_its_result(self, spark: SparkSession, plan: dict[str, Any]) -> None:
        server = Server(default_registry(), lambda: spark)

        response = server.answer(request(7, "plan", plan=plan))

        assert response["id"] == 7
        assert response["ok"] is True
        assert [(o["name"], o["rows"]) for o in response["result"]["outputs"]] == [
            ("branch_customers", 3),
            ("customer_branch", 3),
        ]
        assert response["result"]["businessDate"] == "2026-11-25"

    def test_answers_a_failed_plan_with_the_executors_code_naming_the_statement(
        self, spark: SparkSession, plan: dict[str, Any]
    ) -> None:
        plan["statements"][1]["sql"] = "SELECT * FROM nowhere"

        response = Server(default_registry(), lambda: spark).answer(request(1, "plan", plan=plan))

        assert response["ok"] is False
        assert response["error"]["code"] == "PLAN_EXECUTION_FAILED"
        assert "statement 2 of 2 (table customer_branches)" in response["error"]["message"]

    def test_answers_an_invalid_plan_with_plan_invalid(self, spark: SparkSession, plan: dict[str, Any]) -> None:
        plan["statements"][0]["kind"] = "procedure"

        response = Server(default_registry(), lambda: spark).answer(request(2, "plan", plan=plan))

        assert response["error"]["code"] == "PLAN_INVALID"

    def test_refuses_a_request_without_a_plan_object(self, spark: SparkSession) -> None:
        response = Server(default_registry(), lambda: spark).answer(request(3, "plan", plan="SELECT 1"))

        assert response["error"] == {"code": "SPARK_REQUEST_INVALID", "message": "a plan request needs a 'plan' object"}

    def test_refuses_an_unknown_kind_naming_the_kinds_it_answers_without_starting_spark(self) -> None:
        def no_session() -> SparkSession:
            raise AssertionError("an unknown kind must not start Spark")

        response = Server(default_registry(), no_session).answer(request(4, "detokenize", values=["A123456789"]))

        assert response == {
            "id": 4,
            "ok": False,
            "error": {
                "code": "SPARK_REQUEST_KIND_UNKNOWN",
                "message": "unknown request kind detokenize; this server answers mask, plan",
            },
        }

    def test_refuses_a_line_that_is_not_json_without_quoting_it(self) -> None:
        response = Server(default_registry(), SparkSession.builder.getOrCreate).answer('{"id": 1, "A123456789')

        assert response["error"]["code"] == "SPARK_REQUEST_INVALID"
        assert "A123456789" not in json.dumps(response)

    @pytest.mark.parametrize(
        "line", ['["plan"]', '{"kind": "plan"}', '{"id": true, "kind": "plan"}', '{"id": 1, "kind": 3}']
    )
    def test_refuses_a_request_without_an_id_or_kind(self, line: str) -> None:
        response = Server(default_registry(), SparkSession.builder.getOrCreate).answer(line)

        assert response["ok"] is False
        assert response["error"]["code"] == "SPARK_REQUEST_INVALID"

    def test_answers_an_unexpected_failure_by_its_class_only(self, spark: SparkSession) -> None:
        def leaky(_spark: SparkSession, fields: Mapping[str, Any]) -> Mapping[str, Any]:
            raise ValueError(f"bad value {fields['value']}")

        server = Server(default_registry().register("leaky", leaky), lambda: spark)

        response = server.answer(request(5, "leaky", value="A123456789"))

        assert response["error"] == {"code": "SPARK_INTERNAL_ERROR", "message": "leaky request failed: ValueError"}

    def test_answers_every_request_with_spark_unavailable_when_the_session_cannot_start(self) -> None:
        attempts: list[int] = []

        def no_java() -> SparkSession:
            attempts.append(1)
            raise SparkEnvironmentError("Spark 3.5 (Glue 5.1) needs Java 17: none found")

        server = Server(default_registry(), no_java)
        responses = [server.answer(request(i, "plan", plan={})) for i in (1, 2)]

        assert [r["error"]["code"] for r in responses] == ["SPARK_UNAVAILABLE", "SPARK_UNAVAILABLE"]
        assert "needs Java 17" in responses[1]["error"]["message"]
        assert attempts == [1]

    def test_serves_lines_in_order_one_json_line_each_skipping_blank_lines(self, spark: SparkSession) -> None:
        registry = HandlerRegistry().register("echo", lambda _spark, fields: {"echo": fields["text"]})
        out = io.StringIO()

        answered = Server(registry, lambda: spark).serve(
            [request(1, "echo", text="a") + "\n", "\n", request(2, "echo", text="b") + "\n"], out
        )

        assert answered == 2
        assert [json.loads(line) for line in out.getvalue().splitlines()] == [
            {"id": 1, "ok": True, "result": {"echo": "a"}},
            {"id": 2, "ok": True, "result": {"echo": "b"}},
        ]


class TestMaskKind:
    def test_answers_a_mask_request_the_job_refuses_with_the_jobs_own_code(self, spark: SparkSession) -> None:
        response = Server(default_registry(), lambda: spark).answer(request(9, "mask", request={"version": 1}))

        assert response["ok"] is False
        assert response["error"]["code"] == "MASK_REQUEST_INVALID"

    def test_refuses_a_mask_request_without_its_request_object(self, spark: SparkSession) -> None:
        response = Server(default_registry(), lambda: spark).answer(request(10, "mask"))

        assert response["error"] == {
            "code": "SPARK_REQUEST_INVALID",
            "message": "a mask request needs a 'request' object",
        }


class TestHandlerRegistry:
    def test_a_kind_plugs_in_with_one_line_and_cannot_be_registered_twice(self) -> None:
        registry = default_registry().register("retokenize", lambda _spark, _fields: {})

        assert registry.kinds() == ["mask", "plan", "retokenize"]
        with pytest.raises(ValueError, match="request kind plan is registered twice"):
            registry.register("plan", lambda _spark, _fields: {})


def start_server(tmp_path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - this interpreter, a fixed module
        [sys.executable, "-m", "cur_spark.jobs.serve", "--work-dir", str(tmp_path / "spark")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


class TestServeProcess:
    def test_answers_on_stdout_logs_without_values_on_stderr_and_exits_0_at_end_of_input(
        self, plan: dict[str, Any], tmp_path: Path
    ) -> None:
        process = start_server(tmp_path)
        lines = [request(1, "plan", plan=plan), request(2, "unknown")]

        stdout, stderr = process.communicate("\n".join(lines) + "\n", timeout=300)

        responses = [json.loads(line) for line in stdout.splitlines()]
        assert [(r["id"], r["ok"]) for r in responses] == [(1, True), (2, False)]
        assert responses[0]["result"]["outputs"][0]["rows"] == 3
        assert process.returncode == 0
        assert "session started in " in stderr
        assert "request 1 kind plan: ok" in stderr
        assert "end of input after 2 request(s)" in stderr
        # The lake's values never reach the log.
        for value in ("C001", "台北信義分行", "高雄市"):
            assert value not in stderr

    def test_stops_on_sigterm_with_exit_143(self, tmp_path: Path) -> None:
        process = start_server(tmp_path)
        assert process.stdin is not None
        assert process.stdout is not None
        process.stdin.write(request(1, "unknown") + "\n")
        process.stdin.flush()
        assert json.loads(process.stdout.readline())["id"] == 1

        process.send_signal(signal.SIGTERM)

        assert process.wait(timeout=60) == 143
        process.stdin.close()
        process.stdout.close()
        assert process.stderr is not None
        assert "signal 15: stopping" in process.stderr.read()
        process.stderr.close()
