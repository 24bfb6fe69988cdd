"""``Layer Published`` for the model tags, from where the scoring step ends in AWS (the DAG's score task, as the MWAA
execution role): what ``runPipeline`` (libs/pipeline) publishes locally once the score step's gate has passed, here
with EventBridge's ``PutEvents`` once ``cur_model.publish`` has written the manifest, so the oracle-replicator
replicates the model tags too.

``LayerPublished`` is the contract's detail (libs/contracts' ``LayerPublishedSchema``): its JSON Schema is held equal
to libs/spark-runner's ``layer-published.schema.json`` by ``tests/test_platform_events.py``, and that file to the zod
schema by libs/pipeline's drift test. The source and detail-type are the runner's ``platform_event.json``'s (the same
test compares them). Publishing is best effort: a failure is one coded JSON line on stderr (step, datasets, the
error's type or AWS code; never a count, a key or a message) and a ``LayerEventsNotPublished`` datapoint, and never
fails the task, whose partition is published already.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SOURCE = "cur.platform"
"""The platform's own events' source (libs/contracts' ``PLATFORM_EVENT_SOURCE``)."""

DETAIL_TYPE = "Layer Published"

EVENT_NOT_PUBLISHED = "LAYER_EVENT_NOT_PUBLISHED"
"""The code of the stderr line a failed publication leaves (the Glue jobs' too)."""

NOT_PUBLISHED_METRIC = "LayerEventsNotPublished"
"""The metric a failed publication counts, in the pipeline's namespace with its ``service`` and ``step`` dimensions."""

METRIC_NAMESPACE, METRIC_SERVICE = "CUR", "pipeline"

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


def publish_layer(events: Any, cloudwatch: Any, bus: str, detail: LayerPublished) -> bool:  # noqa: ANN401 - boto3
    """Puts one ``Layer Published`` with ``detail`` on ``bus`` (a name or ARN) through boto3's EventBridge client.
    Returns whether it was accepted; a failure is logged with its code, counted through ``cloudwatch``, swallowed."""
    entry = {"Source": SOURCE, "DetailType": DETAIL_TYPE, "Detail": detail.model_dump_json(by_alias=True)}
    try:
        answer = events.put_events(Entries=[{**entry, "EventBusName": bus}])
        [result] = answer.get("Entries", [{}])
        error = None if result.get("EventId") else str(result.get("ErrorCode", "PutEventsFailed"))
    except events.exceptions.ClientError as failure:
        error = str(failure.response.get("Error", {}).get("Code", "ClientError"))
    except Exception as failure:  # noqa: BLE001 - botocore's connection errors: logged by type, never raised
        error = type(failure).__name__
    if error is None:
        return True
    line = {"level": "WARN", "code": EVENT_NOT_PUBLISHED, "step": detail.step, "datasets": detail.datasets}
    line["error"] = error
    line["message"] = "the layer is published; only its Layer Published event is missing (the replica is not loaded)"
    print(json.dumps(line), file=sys.stderr, flush=True)
    dimensions = [{"Name": "service", "Value": METRIC_SERVICE}, {"Name": "step", "Value": detail.step}]
    with contextlib.suppress(Exception):  # the line above is the record; a metric failure adds nothing to it
        cloudwatch.put_metric_data(
            Namespace=METRIC_NAMESPACE,
            MetricData=[
                {
                    "MetricName": NOT_PUBLISHED_METRIC,
                    "Dimensions": dimensions,
                    "Value": 1.0,
                    "Unit": "Count",
                }
            ],
        )
    return False
