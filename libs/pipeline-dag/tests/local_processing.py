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

The task's own ``post_execute`` (the DAG's ``publish_model_tags``: ``cur_model.publish`` through S3Hook and
GlueCatalogHook) runs unchanged, against moto's S3 and Glue: ``publish_through_moto`` first puts there what is in S3
when it runs in AWS (the features' manifest the consumption job published, the files the job left in the partition,
model_tags' table as the data catalog stack declares it, the platform bus), all taken from the folders; afterwards
it brings the manifest the hook wrote back to the system folder, where the mart's Glue stand-in and the serving load
read it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping
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


PostExecute = Callable[[Context, Any], None]


def publish_through_moto(hook: PostExecute, endpoint: str) -> PostExecute:
    """The task's post_execute hook run against moto's S3 and Glue at ``endpoint`` (see the module)."""
    import boto3  # type: ignore[import-untyped]  # boto3 ships no type information
    from moto_dynamodb import SCORING_JOB, create_model_tags_table, create_platform_bus, create_system_bucket

    def publish(context: Context, result: object = None) -> None:
        conf = context["dag_run"].conf or {}
        business_date = str(conf["businessDate"])
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="ap-northeast-1")
        system, consumption = SCORING_JOB["systemBucket"], SCORING_JOB["consumptionBucket"]
        if system not in {bucket["Name"] for bucket in s3.list_buckets()["Buckets"]}:
            create_system_bucket(endpoint)
            create_model_tags_table(endpoint)
            create_platform_bus(endpoint)
        features = f"manifests/consumption/customer_features/business_date={business_date}.json"
        features_file = LocalProcessing.folder(f"s3://{system}/{features}")
        if features_file.is_file():
            s3.put_object(Bucket=system, Key=features, Body=features_file.read_bytes())
        partition = f"model_tags/business_date={business_date}/"
        for path in sorted(LocalProcessing.folder(f"s3://{consumption}/{partition}").glob("*")):
            s3.put_object(Bucket=consumption, Key=partition + path.name, Body=path.read_bytes())
        services = [f"AWS_ENDPOINT_URL_{service}" for service in ("GLUE", "EVENTBRIDGE", "CLOUDWATCH")]
        before = {name: os.environ.get(name) for name in services}
        os.environ.update(dict.fromkeys(services, endpoint))
        try:
            hook(context, result)
        finally:
            for name, value in before.items():
                if value is None:
                    del os.environ[name]
                else:
                    os.environ[name] = value
        manifest = f"manifests/consumption/model_tags/business_date={business_date}.json"
        target = LocalProcessing.folder(f"s3://{system}/{manifest}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(s3.get_object(Bucket=system, Key=manifest)["Body"].read())

    return publish


def point_processing_tasks_at_local_python(dag: DAG) -> dict[str, str]:
    """Swaps the class of each Processing task of ``dag`` for the local one, its post_execute hook run through moto
    (``AWS_ENDPOINT_URL_S3``: moto's server, see ``publish_through_moto``); returns task id -> the class it got."""
    swapped: dict[str, str] = {}
    for task in dag.tasks:
        if type(task) is SageMakerProcessingOperator:
            task.__class__ = LocalProcessingJobOperator
            hook = task._post_execute_hook
            if hook is not None:
                task._post_execute_hook = publish_through_moto(hook, os.environ["AWS_ENDPOINT_URL_S3"])
            swapped[task.task_id] = type(task).__name__
    return swapped
