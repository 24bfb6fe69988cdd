"""The mask job's ending on Glue, as ``publishMaskedBatch`` ends the local mask step: once the raw manifest is
published, the batch's landing files are deleted (data file, then control file), then the ingestion ledger marks the
batch ``MASKED``.

The order is the guarantee: a crash before the deletion leaves the plaintext and an ``ACCEPTED`` batch, which a retry
masks again (the same bytes); a crash after it leaves a published manifest and an ``ACCEPTED`` batch, which a retry
finishes from the manifest (``finish_masked_batch`` again); a batch is never ``MASKED`` while its plaintext is in
landing. Both calls are idempotent: deleting a key already gone succeeds, and a batch already past ``ACCEPTED`` is
left as it is (the TypeScript ledger's ``setStatus(batchId, 'ACCEPTED', 'MASKED')``).

The ledger item is libs/ingestion's ``BatchLedger`` state item: key ``pk`` = ``batch#<dataset>/<business date>``,
``sk`` = ``state``, attribute ``status``, in the table ``--ledger_table`` names (``<prefix>-batch-ledger``). boto3 (Glue
5.1 ships it) talks to S3 and DynamoDB as the job's role; its endpoints follow the environment
(``AWS_ENDPOINT_URL_S3``...), which is how the tests point it at moto's server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from cur_spark.errors import MaskError


class S3Deleter(Protocol):
    """What the ending needs of boto3's S3 client."""

    def delete_object(self, *, Bucket: str, Key: str) -> object: ...  # noqa: N803 (boto3's names)


class LedgerUpdater(Protocol):
    """What the ending needs of boto3's DynamoDB client."""

    def update_item(self, **request: Any) -> object: ...  # noqa: ANN401 (boto3's request shapes)


AWS_ERRORS = (ClientError, BotoCoreError)

MASKED = "MASKED"
ACCEPTED = "ACCEPTED"


def ledger_key(dataset: str, business_date: dt.date) -> dict[str, dict[str, str]]:
    """The ledger's state item of a batch, as DynamoDB names it (``batchIdOf`` in libs/ingestion)."""
    return {"pk": {"S": f"batch#{dataset}/{business_date.isoformat()}"}, "sk": {"S": "state"}}


def delete_landing_files(landing_bucket: str, keys: Sequence[str], s3: S3Deleter | None = None) -> None:
    """Deletes the batch's landing files in the order given (a key already gone is no error).

    ``landing_bucket`` is ``s3://bucket[/prefix]`` (S3's DeleteObject, through ``s3`` or a default boto3 client) or a
    local folder (a run on folders). Raises ``MaskError`` ``MASK_LANDING_NOT_DELETED`` naming the key and AWS's code.
    """
    if not landing_bucket.startswith("s3://"):
        for key in keys:
            (Path(landing_bucket) / key).unlink(missing_ok=True)
        return
    bucket, _, prefix = landing_bucket.removeprefix("s3://").rstrip("/").partition("/")
    client: S3Deleter = s3 if s3 is not None else _client("s3")
    for key in keys:
        object_key = f"{prefix}/{key}" if prefix else key
        try:
            client.delete_object(Bucket=bucket, Key=object_key)
        except AWS_ERRORS as error:  # the job stops before the ledger: the batch stays ACCEPTED
            message = f"landing s3://{bucket}/{object_key} was not deleted ({_aws_code(error)}); rerun the job"
            raise MaskError("MASK_LANDING_NOT_DELETED", message) from None


def mark_batch_masked(table: str, dataset: str, business_date: dt.date, dynamodb: LedgerUpdater | None = None) -> str:
    """Moves the batch's ledger item from ``ACCEPTED`` to ``MASKED`` (conditionally, as libs/ingestion does).

    Returns ``MASKED``, or the status the batch already had when it was past ``ACCEPTED`` (a rerun). Raises
    ``MaskError`` ``MASK_LEDGER_NOT_UPDATED`` when the ledger has no such batch or the call fails.
    """
    client: LedgerUpdater = dynamodb if dynamodb is not None else _client("dynamodb")
    batch = f"{dataset}/{business_date.isoformat()}"
    try:
        client.update_item(
            TableName=table,
            Key=ledger_key(dataset, business_date),
            UpdateExpression="SET #status = :masked",
            ConditionExpression="#status = :accepted",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":masked": {"S": MASKED}, ":accepted": {"S": ACCEPTED}},
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    except AWS_ERRORS as error:  # a failed condition's item (ALL_OLD) tells a rerun from a missing batch
        if _aws_code(error) == "ConditionalCheckFailedException":
            status = getattr(error, "response", {}).get("Item", {}).get("status", {}).get("S")
            if status is not None:
                return str(status)
            message = f"the ledger table {table} has no batch {batch}: is --ledger_table the ingestion ledger?"
            raise MaskError("MASK_LEDGER_NOT_UPDATED", message) from None
        message = f"the ledger table {table} did not mark {batch} MASKED ({_aws_code(error)}); rerun the job"
        raise MaskError("MASK_LEDGER_NOT_UPDATED", message) from None
    return MASKED


def finish_masked_batch(
    landing_bucket: str, ledger_table: str, dataset: str, business_date: dt.date, inputs: Sequence[str]
) -> str:
    """After the raw manifest: deletes the landing files the manifest lists as inputs (control, data), data file
    first as the local step does, then marks the batch ``MASKED``; returns the ledger's status."""
    delete_landing_files(landing_bucket, list(reversed(inputs)))
    return mark_batch_masked(ledger_table, dataset, business_date)


def _client(service: str) -> Any:  # noqa: ANN401 (boto3's clients are untyped)
    import boto3  # Glue 5.1 ships boto3; imported here so the local --request path does not need it

    return boto3.client(service)


def _aws_code(error: Exception) -> str:
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", type(error).__name__))
    return type(error).__name__
