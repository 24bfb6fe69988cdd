"""``Layer Published`` on the platform bus from a Glue job: what ``runPipeline`` (libs/pipeline) publishes locally after
the consumption and mart steps, here with EventBridge's ``PutEvents``, so the oracle-replicator (apps/oracle-replicator)
replicates the date at the end of every run in AWS too.

The detail is ``LayerPublished``, held to libs/contracts' ``LayerPublishedSchema`` by a drift test (libs/pipeline,
``layer-published-schema.test.ts``, against ``layer-published.schema.json``, which ``python -m cur_spark.schema``
writes from this model); the source and detail-type are ``platform_event.json``'s, which the same test holds equal to
``PLATFORM_EVENT_SOURCE`` and the contract's event name. Publishing is best effort, as the step metric is: the outputs
are published already, so a failure is one coded JSON line on stderr (the step, the datasets and the error's type or
AWS code, never a count, a key or a message) and a ``LayerEventsNotPublished`` datapoint, and never fails the job.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from collections.abc import Sequence
from importlib import resources
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

EVENT_NOT_PUBLISHED = "LAYER_EVENT_NOT_PUBLISHED"
"""The code of the stderr line a failed publication leaves."""

NOT_PUBLISHED_METRIC = "LayerEventsNotPublished"
"""The metric a failed publication counts (namespace and ``service`` dimension of ``step_metric.json``)."""

Zone = Literal["landing", "raw", "transformed", "consumption", "mart"]


class LayerPublished(BaseModel):
    """A pipeline step published its output for a business date (libs/contracts' ``LayerPublishedSchema``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    step: str
    zone: Zone
    datasets: Annotated[list[str], Field(min_length=1)]
    business_date: Annotated[dt.date, Field(alias="businessDate")]
    manifest_key: Annotated[str, Field(alias="manifestKey")]
    row_count: Annotated[int, Field(alias="rowCount", ge=0)]


class PlatformEvent(BaseModel):
    """``platform_event.json``: the source and detail-type of ``Layer Published`` on the platform bus."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    source: str
    detail_type: Annotated[str, Field(alias="detailType")]


def load_platform_event() -> PlatformEvent:
    """The packaged ``platform_event.json``."""
    text = resources.files("cur_spark").joinpath("platform_event.json").read_text(encoding="utf-8")
    return PlatformEvent.model_validate_json(text)


def publish_layers(events: Sequence[LayerPublished], bus: str, region: str | None) -> int:
    """Puts one ``Layer Published`` per detail on the bus (a name or ARN), as the job's role, in order. Returns how
    many were accepted; each failure is logged with its code, counted in CloudWatch, and swallowed.

    The endpoints are boto3's (``AWS_ENDPOINT_URL_EVENTBRIDGE`` and ``_CLOUDWATCH`` when set, as the tests set them).
    """
    if not events:
        return 0
    spec = load_platform_event()
    # Imported here: boto3 is Glue's, and the jobs' local runs (no --event_bus) never load it.
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    # Few, short attempts: the job has finished its work and only waits for these calls.
    config = Config(connect_timeout=5, read_timeout=10, retries={"max_attempts": 3, "mode": "standard"})
    entries = [
        {
            "Source": spec.source,
            "DetailType": spec.detail_type,
            "Detail": event.model_dump_json(by_alias=True),
            "EventBusName": bus,
        }
        for event in events
    ]
    accepted = 0
    try:
        client = boto3.client("events", region_name=region, config=config)
        for start in range(0, len(entries), 10):  # PutEvents takes 10 entries a call
            batch = entries[start : start + 10]
            answer = client.put_events(Entries=batch)
            for event, result in zip(events[start : start + 10], answer.get("Entries", []), strict=False):
                if result.get("EventId"):
                    accepted += 1
                else:
                    _not_published(event, str(result.get("ErrorCode", "PutEventsFailed")), region, config)
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", "ClientError"))
        for event in events[accepted:]:
            _not_published(event, code, region, config)
    except BotoCoreError as error:
        for event in events[accepted:]:
            _not_published(event, type(error).__name__, region, config)
    return accepted


def _not_published(event: LayerPublished, error: str, region: str | None, config: object) -> None:
    line = {"level": "WARN", "code": EVENT_NOT_PUBLISHED, "step": event.step, "datasets": event.datasets}
    line["error"] = error
    line["message"] = "the layer is published; only its Layer Published event is missing (the replica is not loaded)"
    print(json.dumps(line), file=sys.stderr, flush=True)
    _count_not_published(event.step, region, config)


def _count_not_published(step: str, region: str | None, config: object) -> None:
    """One ``LayerEventsNotPublished`` datapoint; a failure here is only the line already written."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    from cur_spark.step_metrics import load_step_metric

    spec = load_step_metric()
    with contextlib.suppress(ClientError, BotoCoreError):
        boto3.client("cloudwatch", region_name=region, config=config).put_metric_data(
            Namespace=spec.namespace,
            MetricData=[
                {
                    "MetricName": NOT_PUBLISHED_METRIC,
                    "Dimensions": [{"Name": "service", "Value": spec.service}, {"Name": "step", "Value": step}],
                    "Value": 1.0,
                    "Unit": "Count",
                }
            ],
        )
