"""The generated DAG, loaded by real Airflow (MWAA's version): no import errors, and its task graph is the pipeline
definition's, every step and dependency, nothing extra."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from airflow.dag_processing.dagbag import DagBag
from airflow.providers.amazon.aws.notifications.sns import SnsNotifier
from airflow.providers.amazon.aws.operators.glue import GlueDataQualityRuleSetEvaluationRunOperator, GlueJobOperator
from airflow.providers.amazon.aws.operators.lambda_function import LambdaInvokeFunctionOperator
from airflow.providers.amazon.aws.operators.sagemaker import SageMakerProcessingOperator
from cur_dq_gate import DqGateOperator


def test_the_dag_folder_loads_with_no_import_errors(dagbag: DagBag) -> None:
    assert dagbag.import_errors == {}
    assert list(dagbag.dag_ids) == ["cur_pipeline"]


def test_the_task_graph_equals_the_pipeline_definition(dagbag: DagBag, graph: dict[str, Any]) -> None:
    dag = dagbag.dags[graph["dagId"]]  # as parsed: get_dag would read the metadata database

    actual = {task.task_id: sorted(task.upstream_task_ids) for task in dag.tasks}
    expected = {task["id"]: sorted(task["upstream"]) for task in graph["tasks"]}

    assert actual == expected
    assert len(expected) == 21  # 4 mask, 4 transform, consumption, score, mart, serving, 9 DQ gates


def test_data_steps_are_deferrable_glue_jobs_gated_by_glue_dq_and_serving_is_a_lambda(
    dagbag: DagBag, graph: dict[str, Any]
) -> None:
    dag = dagbag.dags[graph["dagId"]]  # as parsed: get_dag would read the metadata database

    for spec in graph["tasks"]:
        task = dag.get_task(spec["id"])
        if spec["step"] == "serving":
            assert isinstance(task, LambdaInvokeFunctionOperator)
            continue
        if spec["step"] == "score":
            assert isinstance(task, SageMakerProcessingOperator)  # tests/test_scoring_task.py tests it
            continue
        if spec["step"] == "dq":
            assert isinstance(task, DqGateOperator)
            assert isinstance(task, GlueDataQualityRuleSetEvaluationRunOperator)
            zone = spec["id"].removeprefix("dq_").removesuffix(f"_{spec['dataset']}")
            assert task.rule_set_names == [f"{spec['dataset']}_{zone}"]
            assert task.datasource == {
                "GlueTable": {
                    "DatabaseName": f"cur_dev_{zone}",
                    "TableName": spec["dataset"],
                    "AdditionalOptions": {"pushDownPredicate": "business_date = '{{ dag_run.conf['businessDate'] }}'"},
                }
            }
            # The gate judges each failed rule by its severity label: the provider's all-or-nothing check is off.
            assert task.verify_result_status is False
            assert task.show_results is False
            assert (task.severity_label, task.warning_severities) == ("severity", ("warning",))
            assert task.deferrable is True
            continue
        assert isinstance(task, GlueJobOperator)
        assert task.deferrable is True
        assert task.job_name == f"cur-dev-{spec['step']}"
        assert task.script_args["--business-date"] == "{{ dag_run.conf['businessDate'] }}"
        assert task.script_args.get("--dataset") == spec["dataset"]


def test_every_task_retries_times_out_and_notifies_pipeline_failures(dagbag: DagBag) -> None:
    dag = dagbag.dags["cur_pipeline"]

    for task in dag.tasks:
        # A DQ gate's failed rule is deterministic: never retried.
        assert task.retries == (0 if task.task_id.startswith("dq_") else 2)
        assert task.execution_timeout == timedelta(minutes=60)
        callbacks = (
            task.on_failure_callback if isinstance(task.on_failure_callback, list) else [task.on_failure_callback]
        )
        notifiers = [callback for callback in callbacks if isinstance(callback, SnsNotifier)]
        assert len(notifiers) == 1
        assert notifiers[0].target_arn == "{{ var.value.cur_pipeline_failures_topic_arn }}"
