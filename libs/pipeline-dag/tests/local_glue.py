"""The DAG's Glue tasks pointed at local Spark, for `dag.test()`: the DAG file is loaded as MWAA loads it, and only the
two operators that call Glue's API are swapped, by class, for subclasses that run the same work locally.

- ``GlueJobOperator`` -> ``LocalGlueJobOperator``: Glue would start the job ``cur-<stage>-<step>`` with the job's
  default arguments (what the CDK sets: ``--step``, ``--bucket_<zone>``, ``--bucket_system``, ``--plan_templates``
  here; the mask job's ``--bucket_landing``, ``--bucket_raw``, ``--bucket_system``, ``--key_service_url``,
  ``--ledger_table``) merged with the task's rendered ``script_args`` (``--dataset``, ``--business-date`` from the
  run's conf) and its own (``--JOB_NAME``). The local operator builds exactly that argument list and runs the job's
  script (``cur_spark.jobs.glue_entry``, or ``cur_spark.jobs.mask`` for ``cur-<stage>-mask``) on local pyspark over
  folders standing in for the buckets, through one worker process (``local_glue_worker.py``) so the run pays for one
  JVM, not one per task. One deviation: the mask job authenticates to the key service with a bearer credential from
  its environment (``--key_service_token_env``, the loopback key service's), where the CDK gives it
  ``--key_service_region`` to sign with SigV4 as its role. A job the configuration does not define fails the task, as
  Glue's ``EntityNotFoundException`` would.
- ``DqGateOperator`` (the DAG folder's ``cur_dq_gate``) -> ``LocalDqGate``: Glue Data Quality evaluates the gate's
  ruleset over the catalog table's partition of the run (its rendered ``pushDownPredicate``); locally the same
  ruleset (libs/dq's ``<dataset>.<zone>.dqdl``, which the CDK deploys as ``<dataset>_<zone>``) is evaluated by the
  local evaluator, ``cur dq check --tables --json`` (libs/dq on DuckDB, the local pipeline's gates' code path), over
  that partition's Parquet files in the zone's folder, its reference aliases read from the same date's partitions.
  Its rule results, Glue's ``RuleResults`` shape with each rule's labels, go through the gate's own judgement
  (``DqGateOperator.judge``): a failed blocking rule fails the task, failed warning rules are recorded.

Everything else is the DAG's own: its tasks, dependencies, templates, retries, timeouts and failure callback.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, ClassVar

from airflow.providers.amazon.aws.operators.glue import GlueJobOperator
from airflow.sdk import DAG, Context
from airflow.sdk.exceptions import AirflowException
from cur_dq_gate import DqGateOperator
from local_cur import REPO_ROOT, run_cur

WORKSPACE_PYTHON = REPO_ROOT / ".venv" / "bin" / "python"
WORKER = Path(__file__).resolve().parent / "local_glue_worker.py"
MARK = "@cur-local-glue@ "
#: The gates' rendered partition predicate (the DAG's ``BUSINESS_DATE_PARTITION``).
PARTITION_PREDICATE = re.compile(r"^business_date = '(\d{4}-\d{2}-\d{2})'$")


class LocalGlueWorker:
    """The worker process: requests in, answers out, one at a time (the DAG test runs one task at a time)."""

    def __init__(self, log: Path, env: Mapping[str, str] | None = None) -> None:
        self._log: IO[bytes] = log.open("ab")
        self._process = subprocess.Popen(  # noqa: S603 - the workspace's Python and this repository's script
            [str(WORKSPACE_PYTHON), "-u", str(WORKER)],
            cwd=REPO_ROOT,
            env=None if env is None else dict(env),
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


@dataclass(frozen=True)
class MaskJob:
    """What the mask job's defaults name locally: the landing folder, the key service, the ledger's table."""

    landing: Path
    key_service_url: str
    key_service_token_env: str
    ledger_table: str


class LocalGlue:
    """The configuration: the stage's Glue jobs (name -> script kind, default arguments) and the zones' folders."""

    worker: ClassVar[LocalGlueWorker | None] = None
    jobs: ClassVar[dict[str, tuple[str, dict[str, str]]]] = {}
    buckets: ClassVar[dict[str, Path]] = {}
    tables_root: ClassVar[Path | None] = None
    database_prefix: ClassVar[str] = ""

    @classmethod
    def configure(
        cls,
        worker: LocalGlueWorker,
        stage: str,
        buckets: Mapping[str, Path],
        templates: Path,
        *,
        system: Path | None = None,
        mask: MaskJob | None = None,
    ) -> None:
        """The transform, consumption and mart jobs of ``stage`` as the CDK defines them, over ``buckets``, publishing
        manifests in ``system`` when given; with ``mask``, the mask job too (which needs ``system``)."""
        cls.worker = worker
        cls.buckets = dict(buckets)
        roots = {path.parent for path in buckets.values()}
        if len(roots) != 1 or any(path.name != zone for zone, path in buckets.items()):
            raise AirflowException("the zones' folders must be <root>/<zone>, as cur dq check --tables reads them")
        cls.tables_root = roots.pop()
        cls.database_prefix = "cur_" + stage.replace("-", "_")
        published = {} if system is None else {"--bucket_system": str(system)}
        defaults = {f"--bucket_{zone}": str(path) for zone, path in buckets.items()}
        cls.jobs = {
            f"cur-{stage}-{step}": (
                "glue",
                {"--step": step, "--plan_templates": str(templates), **defaults, **published},
            )
            for step in ("transform", "consumption", "mart")
        }
        if mask is not None:
            if system is None:
                raise AirflowException("the mask job publishes the raw manifest before it deletes landing: name system")
            cls.jobs[f"cur-{stage}-mask"] = (
                "mask",
                {
                    "--bucket_landing": str(mask.landing),
                    "--bucket_raw": str(buckets["raw"]),
                    "--bucket_system": str(system),
                    "--plan_templates": str(templates),
                    "--key_service_url": mask.key_service_url,
                    "--key_service_token_env": mask.key_service_token_env,
                    "--ledger_table": mask.ledger_table,
                },
            )

    @classmethod
    def evaluate_ruleset(cls, dataset: str, zone: str, business_date: str) -> list[dict[str, Any]]:
        """libs/dq's ruleset of ``dataset`` in ``zone`` over the date's partition: Glue's ``RuleResults`` in order."""
        if cls.tables_root is None:
            raise AirflowException("LocalGlue is not configured")
        with tempfile.TemporaryDirectory(prefix="cur-dq-home-") as home:
            printed = run_cur(
                *("dq", "check", "-d", dataset, "-z", zone, "--date", business_date),
                *("--tables", str(cls.tables_root), "--json"),
                home=Path(home),
            )
        results: list[dict[str, Any]] = json.loads(printed)
        return results

    @classmethod
    def ask(cls, request: Mapping[str, Any]) -> dict[str, Any]:
        if cls.worker is None:
            raise AirflowException("LocalGlue is not configured")
        return cls.worker.ask(request)


class LocalGlueJobOperator(GlueJobOperator):
    """Runs the Glue job's script with the arguments Glue would pass it, on local Spark."""

    def execute(self, context: Context) -> str:
        job = LocalGlue.jobs.get(self.job_name)
        if job is None:
            raise AirflowException(f"no Glue job {self.job_name} [EntityNotFoundException]")
        script, defaults = job
        arguments = {**defaults, **{str(k): str(v) for k, v in (self.script_args or {}).items()}}
        argv = ["--JOB_NAME", self.job_name, *(item for pair in arguments.items() for item in pair)]
        answer = LocalGlue.ask({"kind": script, "argv": argv})
        for line in answer["lines"]:
            self.log.info("%s: %s", self.job_name, json.dumps(line))
        if answer["code"] != 0:
            errors = [line["error"]["message"] for line in answer["lines"] if line.get("status") == "failed"]
            raise AirflowException(f"Glue job {self.job_name} failed: {'; '.join(errors) or answer['code']}")
        return f"local-{self.task_id}"


class LocalDqGate(DqGateOperator):
    """Evaluates the gate's ruleset locally instead of in Glue Data Quality, then judges it as the DAG's gate does."""

    def execute(self, context: Context) -> str:
        table = self.datasource["GlueTable"]
        database, name = str(table["DatabaseName"]), str(table["TableName"])
        zone = database.removeprefix(LocalGlue.database_prefix + "_")
        if zone not in LocalGlue.buckets or self.rule_set_names != [f"{name}_{zone}"]:
            raise AirflowException(f"no ruleset {self.rule_set_names} for {database}.{name} [EntityNotFoundException]")
        predicate = PARTITION_PREDICATE.match(str(table.get("AdditionalOptions", {}).get("pushDownPredicate", "")))
        if predicate is None:
            raise AirflowException(f"{self.task_id}: the gate names no business_date partition to evaluate")
        results = LocalGlue.evaluate_ruleset(name, zone, predicate.group(1))
        run_id = f"local-{self.task_id}"
        return self.judge(context, run_id, [{"RulesetName": self.rule_set_names[0], "RuleResults": results}])


def point_glue_tasks_at_local_spark(dag: DAG) -> dict[str, str]:
    """Swaps the class of each Glue task of ``dag`` for its local subclass; returns task id -> the class it got."""
    swapped: dict[str, str] = {}
    for task in dag.tasks:
        if type(task) is GlueJobOperator:
            task.__class__ = LocalGlueJobOperator
        elif type(task) is DqGateOperator:
            task.__class__ = LocalDqGate
        else:
            continue
        swapped[task.task_id] = type(task).__name__
    return swapped
