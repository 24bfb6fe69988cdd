"""The Glue mask job's ending (``cur_spark.mask_finish``) against moto's S3 and DynamoDB on loopback: the ledger's
real table and state item shape (libs/adapters-aws, libs/ingestion), the landing keys the raw manifest lists."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from cur_spark.errors import MaskError
from cur_spark.mask_finish import delete_landing_files, finish_masked_batch, mark_batch_masked

if TYPE_CHECKING:
    from conftest import MotoAws

LEDGER_TABLE = "cur-dev-batch-ledger"
"""The ledger's physical name in the dev stage (``<table prefix>-batch-ledger``), the fixture's default."""

DATE = dt.date(2026, 11, 25)
INPUTS = [
    "incoming/customer_profile/customer_profile_20261125.ctl",
    "incoming/customer_profile/customer_profile_20261125.csv",
]


def landing_bucket(aws: MotoAws, name: str = "cur-dev-landing") -> str:
    """A landing bucket holding the batch's two files and another dataset's file."""
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
    for key in [*INPUTS, "incoming/card_transaction/card_transaction_20261125.ctl"]:
        s3.put_object(Bucket=name, Key=key, Body=b"plaintext")
    return name


def keys_in(aws: MotoAws, bucket: str) -> list[str]:
    return sorted(o["Key"] for o in aws.client("s3").list_objects_v2(Bucket=bucket).get("Contents", []))


class TestLandingDeletion:
    def test_deletes_only_the_batchs_files_and_a_second_time_is_no_error(self, aws: MotoAws) -> None:
        # Prepare
        bucket = landing_bucket(aws)

        # Act: twice, as a rerun would
        delete_landing_files(f"s3://{bucket}", INPUTS)
        delete_landing_files(f"s3://{bucket}/", INPUTS)

        # Assess
        assert keys_in(aws, bucket) == ["incoming/card_transaction/card_transaction_20261125.ctl"]

    def test_a_refused_deletion_is_coded_and_names_the_key_not_the_content(self, aws: MotoAws) -> None:
        with pytest.raises(MaskError) as raised:
            delete_landing_files("s3://no-such-landing", INPUTS)
        assert raised.value.code == "MASK_LANDING_NOT_DELETED"
        assert "NoSuchBucket" in str(raised.value)
        assert "s3://no-such-landing/incoming/customer_profile/customer_profile_20261125.ctl" in str(raised.value)


class TestLedger:
    def test_moves_an_accepted_batch_to_masked_and_keeps_the_rest_of_its_item(self, aws: MotoAws) -> None:
        # Prepare
        aws.create_ledger_table()
        aws.put_batch("customer_profile", "2026-11-25")
        aws.put_batch("customer_profile", "2026-11-24")
        before = aws.batch("customer_profile", "2026-11-25")

        # Act
        status = mark_batch_masked(LEDGER_TABLE, "customer_profile", DATE)

        # Assess: only status changed, only this batch
        assert status == "MASKED"
        assert aws.batch("customer_profile", "2026-11-25") == {**(before or {}), "status": "MASKED"}
        assert (aws.batch("customer_profile", "2026-11-24") or {})["status"] == "ACCEPTED"

    @pytest.mark.parametrize("status", ["MASKED", "PUBLISHED", "RETIRED"])
    def test_leaves_a_batch_past_accepted_as_it_is_and_says_what_it_is(self, aws: MotoAws, status: str) -> None:
        aws.create_ledger_table()
        aws.put_batch("customer_profile", "2026-11-25", status=status)
        assert mark_batch_masked(LEDGER_TABLE, "customer_profile", DATE) == status
        assert (aws.batch("customer_profile", "2026-11-25") or {})["status"] == status

    def test_a_batch_the_ledger_lacks_or_a_missing_table_is_coded(self, aws: MotoAws) -> None:
        with pytest.raises(MaskError) as missing_table:
            mark_batch_masked(LEDGER_TABLE, "customer_profile", DATE)
        assert missing_table.value.code == "MASK_LEDGER_NOT_UPDATED"
        assert "ResourceNotFoundException" in str(missing_table.value)
        aws.create_ledger_table()
        with pytest.raises(MaskError) as missing_batch:
            mark_batch_masked(LEDGER_TABLE, "customer_profile", DATE)
        assert missing_batch.value.code == "MASK_LEDGER_NOT_UPDATED"
        assert "customer_profile/2026-11-25" in str(missing_batch.value)
        assert aws.batch("customer_profile", "2026-11-25") is None


class TestFinish:
    def test_deletes_landing_then_marks_masked(self, aws: MotoAws) -> None:
        bucket = landing_bucket(aws)
        aws.create_ledger_table()
        aws.put_batch("customer_profile", "2026-11-25")

        assert finish_masked_batch(f"s3://{bucket}", LEDGER_TABLE, "customer_profile", DATE, INPUTS) == "MASKED"

        assert keys_in(aws, bucket) == ["incoming/card_transaction/card_transaction_20261125.ctl"]
        assert (aws.batch("customer_profile", "2026-11-25") or {})["status"] == "MASKED"

    def test_leaves_the_batch_accepted_while_landing_could_not_be_deleted(self, aws: MotoAws) -> None:
        # Never MASKED while its plaintext may still be in landing: the ledger is not touched
        aws.create_ledger_table()
        aws.put_batch("customer_profile", "2026-11-25")

        with pytest.raises(MaskError) as raised:
            finish_masked_batch("s3://no-such-landing", LEDGER_TABLE, "customer_profile", DATE, INPUTS)

        assert raised.value.code == "MASK_LANDING_NOT_DELETED"
        assert (aws.batch("customer_profile", "2026-11-25") or {})["status"] == "ACCEPTED"
