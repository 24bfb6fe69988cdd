"""The DAG's SageMaker Processing task run locally, for `dag.test()`: SageMaker Processing cannot run on this machine,
so ``SageMakerProcessingOperator`` is swapped, by class, for ``LocalProcessingJobOperator``, which does what the
service does with the job's config after the task's own ``pre_execute`` (the DAG's: the model history's scoring
pointer read from moto's DynamoDB, model_tags' partition emptied on moto's S3, the version put into the job):

1. each ``ProcessingInputs`` prefix (``s3://<bucket>/<prefix>``) is copied, every file under it, into a folder
   standing for the container's ``LocalPath`` (``/opt/ml/processing/...``); a prefix with no file fails the job, as
   SageMaker's "no S3 objects found" does;
2. the ``ContainerEntrypoint`` runs with its ``ContainerArguments`` and ``Environment``, the container's paths
   mapped to those folders, ``python3`` being the workspace's Python (the scikit-learn, joblib and pyarrow the
   scikit-learn image has; the scoring code itself comes from the ``code`` input, on ``PYTHONPATH``);
3. on exit 0 each ``ProcessingOutputs`` folder is copied to its ``S3Uri``; otherwise the task fails with the
   script's last stderr line (a coded reason, never a value).

The buckets are local folders (``LocalProcessing.configure``): the ones the Glue stand-in and the cur state folder
use. Not modelled: the image, instance, network isolation and KMS keys of the config (verified on paper).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from airflow.providers.amazon.aws.operators.sagemaker import SageMakerProcessingOperator
from airflow.sdk import DAG, Context
from airflow.sdk.exceptions import AirflowException
from local_cur import REPO_ROOT

WORKSPACE_PYTHON = REPO_ROOT / ".venv" / "bin" / "python"
CONTAINER_ROOT = "/opt/ml/processing"


class LocalProcessing:
    """The configuration: S3 bucket name -> the local folder standing in for it."""

    buckets: ClassVar[dict[str, Path]] = {}

    @classmethod
    def configure(cls, buckets: Mapping[str, Path]) -> None:
        cls.buckets = dict(buckets)

    @classmethod
    def folder(cls, uri: str) -> Path:
        """The local folder of an ``s3://bucket/prefix`` URI; an unknown bucket fails as S3's ``NoSuchBucket``."""
        bucket, _, prefix = uri.removeprefix("s3://").partition("/")
        if not uri.startswith("s3://") or bucket not in cls.buckets:
            raise AirflowException(f"{uri}: no such bucket [NoSuchBucket]")
        return cls.buckets[bucket].joinpath(*[part for part in prefix.split("/") if part])


class LocalProcessingJobOperator(SageMakerProcessingOperator):
    """Runs the Processing job's container command locally, with its inputs and outputs copied as SageMaker would."""

    def execute(self, context: Context) -> dict[str, Any]:
        config: dict[str, Any] = self.config
        name = str(config["ProcessingJobName"])
        with tempfile.TemporaryDirectory(prefix="cur-processing-") as root:

            def inside(path: str) -> str:
                """A container path, as the folder standing for it."""
                if not path.startswith(CONTAINER_ROOT):
                    return path
                return str(Path(root, path.removeprefix(CONTAINER_ROOT).lstrip("/")))

            for item in config["ProcessingInputs"]:
                source, target = (
                    LocalProcessing.folder(item["S3Input"]["S3Uri"]),
                    Path(inside(item["S3Input"]["LocalPath"])),
                )
                files = [path for path in source.rglob("*") if path.is_file()] if source.is_dir() else []
                if not files:
                    raise AirflowException(
                        f"{name}: no S3 objects found under {item['S3Input']['S3Uri']} [ValidationException]"
                    )
                for path in files:
                    (target / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(path, target / path.relative_to(source))
            outputs = config["ProcessingOutputConfig"]["Outputs"]
            for output in outputs:
                Path(inside(output["S3Output"]["LocalPath"])).mkdir(parents=True, exist_ok=True)
            app = config["AppSpecification"]
            entrypoint = [
                str(WORKSPACE_PYTHON) if part == "python3" else inside(part) for part in app["ContainerEntrypoint"]
            ]
            arguments = [inside(str(part)) for part in app.get("ContainerArguments", [])]
            environment = {key: inside(str(value)) for key, value in config.get("Environment", {}).items()}
            done = subprocess.run(  # noqa: S603 - the workspace's Python and the job's own command
                [*entrypoint, *arguments],
                cwd=root,
                env={"PATH": "/usr/bin:/bin", **environment},
                capture_output=True,
                text=True,
                check=False,
            )
            for line in done.stdout.splitlines():
                self.log.info("%s: %s", name, line)
            if done.returncode != 0:
                reason = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
                raise AirflowException(f"Processing job {name} failed: {reason}")
            for output in outputs:
                produced, target = (
                    Path(inside(output["S3Output"]["LocalPath"])),
                    LocalProcessing.folder(output["S3Output"]["S3Uri"]),
                )
                for path in (p for p in produced.rglob("*") if p.is_file()):
                    (target / path.relative_to(produced)).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(path, target / path.relative_to(produced))
        lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
        return {"ProcessingJobName": name, "ProcessingJobStatus": "Completed", "lines": lines}


def point_processing_tasks_at_local_python(dag: DAG) -> dict[str, str]:
    """Swaps the class of each Processing task of ``dag`` for the local one; returns task id -> the class it got."""
    swapped: dict[str, str] = {}
    for task in dag.tasks:
        if type(task) is SageMakerProcessingOperator:
            task.__class__ = LocalProcessingJobOperator
            swapped[task.task_id] = type(task).__name__
    return swapped
