"""The DAG's Lambda invoke task run locally, for `dag.test()`: the Lambda service cannot run here, so
``LambdaInvokeFunctionOperator`` is swapped, by class, for ``LocalLambdaInvokeOperator``, which invokes a local
function by the name the task gives (``function_name``) with the task's rendered ``payload``, and fails as Lambda's
``ResourceNotFoundException`` for a name no function was configured under.

The one function, the serving load, is the serving-load Lambda's own handler (apps/serving-load, ``handler.handler``:
Powertools' parser over the payload, then libs/serving's ``loadServingStore``, the code ``cur run`` ends with), run
with node from its TypeScript sources (tests/local_cur_services.ts); locally its wiring reads the cur state folder's
lake and, through ``CUR_DYNAMODB_ENDPOINT``, moto's DynamoDB. Its response, version ids and counts, is the
invocation's. What is not run: Lambda itself and the built bundle (apps/serving-load's own tests run that).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar

from airflow.providers.amazon.aws.operators.lambda_function import LambdaInvokeFunctionOperator
from airflow.sdk import DAG, Context
from airflow.sdk.exceptions import AirflowException
from local_cur import serving_load

#: A local function: the invocation's payload in, its response out.
LocalFunction = Callable[[Mapping[str, Any]], dict[str, Any]]


def serving_load_function(home: Path, env: Mapping[str, str]) -> LocalFunction:
    """The serving-load handler over the state folder ``home`` (``env``: its DynamoDB endpoint)."""

    def invoke(payload: Mapping[str, Any]) -> dict[str, Any]:
        return serving_load(payload, home, env)

    return invoke


class LocalLambda:
    """The configuration: function name -> the local function invoked under it."""

    functions: ClassVar[dict[str, LocalFunction]] = {}

    @classmethod
    def configure(cls, functions: Mapping[str, LocalFunction]) -> None:
        cls.functions = dict(functions)


class LocalLambdaInvokeOperator(LambdaInvokeFunctionOperator):
    """Invokes the local function named by the task with its rendered payload; the response is the task's XCom."""

    def execute(self, context: Context) -> str:
        function = LocalLambda.functions.get(self.function_name)
        if function is None:
            raise AirflowException(f"no Lambda function {self.function_name} [ResourceNotFoundException]")
        payload = json.loads(self.payload) if isinstance(self.payload, str | bytes) else {}
        response = json.dumps(function(payload))
        self.log.info("%s: %s", self.function_name, response)
        return response


def point_lambda_tasks_at_local_functions(dag: DAG) -> dict[str, str]:
    """Swaps the class of each Lambda invoke task of ``dag`` for the local one; returns task id -> the class it got."""
    swapped: dict[str, str] = {}
    for task in dag.tasks:
        if type(task) is LambdaInvokeFunctionOperator:
            task.__class__ = LocalLambdaInvokeOperator
            swapped[task.task_id] = type(task).__name__
    return swapped
