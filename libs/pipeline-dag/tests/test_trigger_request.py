"""The request the pipeline-trigger Lambda sends through MWAA's InvokeRestApi, held to Airflow's own rules.

`tests/fixtures/trigger-dag-run-body.json` is the body of `POST /dags/cur_pipeline/dagRuns` exactly as the Lambda
sends it (apps/pipeline-trigger's integration test compares what it sent with this file), so Airflow 3.3.1's
request model, run-id rule and the DAG's own templates judge what reaches MWAA.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from airflow.dag_processing.dagbag import DagBag

BODY_FILE = Path(__file__).resolve().parent / "fixtures" / "trigger-dag-run-body.json"


@pytest.fixture(scope="module")
def body() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(BODY_FILE.read_text(encoding="utf-8"))
    return loaded


def test_the_body_is_a_valid_trigger_request(body: dict[str, Any]) -> None:
    from airflow.api_fastapi.core_api.datamodels.dag_run import TriggerDAGRunPostBody

    # A strict model: an unknown field, a missing logical_date or a conf that is not an object is refused.
    request = TriggerDAGRunPostBody.model_validate(body)
    assert request.dag_run_id == "business_date__2026-11-25"
    assert request.logical_date is None
    assert request.conf == body["conf"]


def test_the_model_refuses_what_the_body_must_not_be(body: dict[str, Any]) -> None:
    from airflow.api_fastapi.core_api.datamodels.dag_run import TriggerDAGRunPostBody
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        TriggerDAGRunPostBody.model_validate({**body, "batchId": "x"})
    without_logical_date = {key: value for key, value in body.items() if key != "logical_date"}
    with pytest.raises(ValidationError):
        TriggerDAGRunPostBody.model_validate(without_logical_date)


def test_the_run_id_passes_airflows_run_id_rule(body: dict[str, Any]) -> None:
    from airflow.configuration import conf

    pattern = conf.get("scheduler", "allowed_run_id_pattern").strip()
    assert re.match(pattern, body["dag_run_id"])
    assert ".." not in body["dag_run_id"]


def test_the_conf_carries_what_the_dag_reads(body: dict[str, Any], dagbag: DagBag) -> None:
    dag = dagbag.dags["cur_pipeline"]  # as parsed: get_dag would read the metadata database
    business_date = "{{ dag_run.conf['businessDate'] }}"
    glue_tasks = [task for task in dag.tasks if hasattr(task, "script_args")]
    assert glue_tasks
    for task in glue_tasks:
        assert task.script_args["--business-date"] == business_date
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", body["conf"]["businessDate"])
    masked = sorted(task.script_args["--dataset"] for task in glue_tasks if task.task_id.startswith("mask_"))
    assert sorted(batch["dataset"] for batch in body["conf"]["batches"]) == masked
