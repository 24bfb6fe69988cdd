"""The DAG's Glue tasks pointed at local Spark, for `dag.test()`: the DAG file is loaded as MWAA loads it, and only the
two operators that call Glue's API are swapped, by class, for subclasses that run the same work locally.

- ``GlueJobOperator`` -> ``LocalGlueJobOperator``: Glue would start the job ``cur-<stage>-<step>`` with the job's
  default arguments (what the CDK sets: ``--step``, ``--bucket_<zone>``, ``--plan_templates`` here) merged with the
  task's rendered ``script_args`` (``--dataset``, ``--business-date`` from the run's conf) and its own
  (``--JOB_NAME``). The local operator builds exactly that argument list and runs the Glue job script
  (``cur_spark.jobs.glue_entry``) on local pyspark over folders standing in for the buckets, through one worker
  process (``local_glue_worker.py``) so the run pays for one JVM, not one per task. A job the configuration does not
  define fails the task, as Glue's ``EntityNotFoundException`` would.
- ``GlueDataQualityRuleSetEvaluationRunOperator`` -> ``LocalPartitionGate``: the DQDL rulesets run in Glue Data
  Quality, which has no local engine here; locally the gate requires the business date's partition of the table it
  names (database ``cur_<stage>_<zone>`` -> the zone's folder) to exist and hold rows, and fails the task otherwise.

Everything else is the DAG's own: its tasks, dependencies, templates, retries, timeouts and failure callback.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, ClassVar

from airflow.providers.amazon.aws.operators.glue import GlueDataQualityRuleSetEvaluationRunOperator, GlueJobOperator
from airflow.sdk import DAG, Context
from airflow.sdk.exceptions import AirflowException

REPO_ROOT = Path(__file__).resolve().parents[3]
WORKSPACE_PYTHON = REPO_ROOT / ".venv" / "bin" / "python"
WORKER = Path(__file__).resolve().parent / "local_glue_worker.py"
MARK = "@cur-local-glue@ "


class LocalGlueWorker:
    """The worker process: requests in, answers out, one at a time (the DAG test runs one task at a time)."""

    def __init__(self, log: Path) -> None:
        self._log: IO[bytes] = log.open("ab")
        self._process = subprocess.Popen(  # noqa: S603 - the workspace's Python and this repository's script
            [str(WORKSPACE_PYTHON), "-u", str(WORKER)],
            cwd=REPO_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )

    def ask(self, request: Mapping[str, Any]) -> dict[str, Any]:
        stdin, stdout = self._process.stdin, self._process.stdout
        if stdin is None or stdout is None:
            raise AirflowException("the local Glue worker has no pipes")
        stdin.write(json.dumps(request) + "\n")
        stdin.flush()
        for line in stdout:
            if line.startswith(MARK):
                answer: dict[str, Any] = json.loads(line[len(MARK) :])
                if "error" in answer:
                    raise AirflowException(f"the local Glue worker failed: {answer['error']}")
                return answer
        raise AirflowException(f"the local Glue worker exited {self._process.wait()}")

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=60)
        self._log.close()


class LocalGlue:
    """The configuration: the stage's Glue jobs (name -> default arguments) and the zones' folders."""

    worker: ClassVar[LocalGlueWorker | None] = None
    jobs: ClassVar[dict[str, dict[str, str]]] = {}
    buckets: ClassVar[dict[str, Path]] = {}
    database_prefix: ClassVar[str] = ""

    @classmethod
    def configure(cls, worker: LocalGlueWorker, stage: str, buckets: Mapping[str, Path], templates: Path) -> None:
        """The transform, consumption and mart jobs of ``stage`` as the CDK defines them, over ``buckets``."""
        cls.worker = worker
        cls.buckets = dict(buckets)
        cls.database_prefix = "cur_" + stage.replace("-", "_")
        defaults = {f"--bucket_{zone}": str(path) for zone, path in buckets.items()}
        cls.jobs = {
            f"cur-{stage}-{step}": {"--step": step, "--plan_templates": str(templates), **defaults}
            for step in ("transform", "consumption", "mart")
        }

    @classmethod
    def ask(cls, request: Mapping[str, Any]) -> dict[str, Any]:
        if cls.worker is None:
            raise AirflowException("LocalGlue is not configured")
        return cls.worker.ask(request)


class LocalGlueJobOperator(GlueJobOperator):
    """Runs the Glue job script with the arguments Glue would pass it, on local Spark."""

    def execute(self, context: Context) -> str:
        defaults = LocalGlue.jobs.get(self.job_name)
        if defaults is None:
            raise AirflowException(f"no Glue job {self.job_name} [EntityNotFoundException]")
        arguments = {**defaults, **{str(k): str(v) for k, v in (self.script_args or {}).items()}}
        argv = ["--JOB_NAME", self.job_name, *(item for pair in arguments.items() for item in pair)]
        answer = LocalGlue.ask({"kind": "glue", "argv": argv})
        for line in answer["lines"]:
            self.log.info("%s: %s", self.job_name, json.dumps(line))
        if answer["code"] != 0:
            errors = [line["error"]["message"] for line in answer["lines"] if line.get("status") == "failed"]
            raise AirflowException(f"Glue job {self.job_name} failed: {'; '.join(errors) or answer['code']}")
        return f"local-{self.task_id}"


class LocalPartitionGate(GlueDataQualityRuleSetEvaluationRunOperator):
    """Requires the gated table's partition of the run's business date to exist and hold rows."""

    def execute(self, context: Context) -> str:
        table = self.datasource["GlueTable"]
        database, name = str(table["DatabaseName"]), str(table["TableName"])
        zone = database.removeprefix(LocalGlue.database_prefix + "_")
        if zone not in LocalGlue.buckets:
            raise AirflowException(f"no zone for database {database} [EntityNotFoundException]")
        business_date = (context["dag_run"].conf or {})["businessDate"]
        partition = LocalGlue.buckets[zone] / name / f"business_date={business_date}"
        rows = LocalGlue.ask({"kind": "rows", "path": str(partition)})["rows"]
        if not rows:
            raise AirflowException(f"{database}.{name}: no rows on {business_date} (rulesets {self.rule_set_names})")
        self.log.info("%s.%s: %d rows on %s", database, name, rows, business_date)
        return f"local-{self.task_id}"


def point_glue_tasks_at_local_spark(dag: DAG) -> dict[str, str]:
    """Swaps the class of each Glue task of ``dag`` for its local subclass; returns task id -> the class it got."""
    swapped: dict[str, str] = {}
    for task in dag.tasks:
        if type(task) is GlueJobOperator:
            task.__class__ = LocalGlueJobOperator
        elif type(task) is GlueDataQualityRuleSetEvaluationRunOperator:
            task.__class__ = LocalPartitionGate
        else:
            continue
        swapped[task.task_id] = type(task).__name__
    return swapped
