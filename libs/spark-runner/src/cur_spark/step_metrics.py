"""Rows per step as a CloudWatch metric from a Glue job: what ``runPipeline``'s ``StepMetrics`` (libs/pipeline)
publishes as EMF when the steps run locally, here with ``PutMetricData``, since Glue's continuous logs are not read as
EMF.

The metric's namespace, name, unit, ``service`` dimension value and dimension names are ``step_metric.json`` (packaged
with the runner), which a libs/pipeline test holds equal to what ``StepMetrics`` emits. Publishing is best effort: a
failure is one coded JSON line on stderr (the step and the error's type or AWS code, never a count or a message) and
never fails the job, whose outputs are already published.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from importlib import resources

from pydantic import BaseModel, ConfigDict

METRIC_NOT_PUBLISHED = "STEP_METRIC_NOT_PUBLISHED"
"""The code of the stderr line a failed publication leaves."""


class StepMetricSpec(BaseModel):
    """``step_metric.json``: the metric both sides publish."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    namespace: str
    name: str
    unit: str
    service: str
    dimensions: tuple[str, str]


def load_step_metric() -> StepMetricSpec:
    """The packaged ``step_metric.json``."""
    text = resources.files("cur_spark").joinpath("step_metric.json").read_text(encoding="utf-8")
    return StepMetricSpec.model_validate_json(text)


def parse_metrics_region(argv: Sequence[str]) -> str | None:
    """``--metrics_region`` (or ``--metrics-region``, ``=`` form too) among a job's Glue-style arguments, else None."""
    for index, arg in enumerate(argv):
        name, equals, value = arg.partition("=")
        if not name.startswith("--") or name[2:].replace("-", "_") != "metrics_region":
            continue
        if equals:
            return value or None
        return argv[index + 1] if index + 1 < len(argv) and not argv[index + 1].startswith("--") else None
    return None


def publish_rows_written(step: str, rows: int, region: str) -> bool:
    """Puts one ``RowsWritten`` datapoint of the step (dimensions ``service`` and ``step``) in the region's CloudWatch,
    as the job's role. Returns whether it was published; a failure is logged with its code and swallowed.

    The endpoint is boto3's (``AWS_ENDPOINT_URL_CLOUDWATCH`` when set, as the tests set it to moto's server).
    """
    spec = load_step_metric()
    # Imported here: boto3 is Glue's, and the jobs' local runs (no --metrics_region) never load it.
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    # Few, short attempts: the job has finished its work and only waits for this call.
    config = Config(connect_timeout=5, read_timeout=10, retries={"max_attempts": 3, "mode": "standard"})
    dimension_values = {"service": spec.service, "step": step}
    try:
        client = boto3.client("cloudwatch", region_name=region, config=config)
        client.put_metric_data(
            Namespace=spec.namespace,
            MetricData=[
                {
                    "MetricName": spec.name,
                    "Dimensions": [{"Name": name, "Value": dimension_values[name]} for name in spec.dimensions],
                    "Value": float(rows),
                    "Unit": spec.unit,
                }
            ],
        )
    except ClientError as error:
        _log_not_published(step, str(error.response.get("Error", {}).get("Code", "ClientError")))
        return False
    except BotoCoreError as error:
        _log_not_published(step, type(error).__name__)
        return False
    return True


def _log_not_published(step: str, error: str) -> None:
    line = {"level": "WARN", "code": METRIC_NOT_PUBLISHED, "metric": load_step_metric().name, "step": step}
    line["error"] = error
    line["message"] = "the step's outputs are published; only its rows-written metric is missing for this run"
    print(json.dumps(line), file=sys.stderr, flush=True)
