"""The scoring step's ending in AWS (``cur_model.publish``) against moto's S3 and Glue catalog on loopback.

A fixture makes a real local lake: ``cur demo``, ``cur model train``, ``cur model promote`` and ``cur run`` (the
TypeScript CLI; its scoring step runs ``cur_model.score`` and publishes model_tags' manifest). The date's features
and model tags are then put in moto's buckets as SageMaker would leave them (the Processing job's output file in the
partition, the features' manifest in the system bucket), with the stage's Glue table of model_tags. The SageMaker
Processing job itself cannot run here; what it leaves behind is the local step's file, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]  # boto3 ships no type information
import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # no stubs in the workspace
from moto.server import ThreadedMotoServer

from cur_model.publish import PublishError, main, publish_scored_partition, read_template

ROOT = Path(__file__).resolve().parents[3]
MANIFEST_SCHEMA = json.loads((ROOT / "libs" / "spark-runner" / "manifest.schema.json").read_text(encoding="utf-8"))
CONSUMPTION, SYSTEM, PREFIX = "cur-dev-consumption", "cur-dev-system", "cur_dev"
#: What a run makes its own: the ending runs later than the local step did.
RUN_FIELDS = ("startedAt", "durationMs")


def run_cur(home: Path, *args: str) -> str:
    node = shutil.which("node")
    assert node is not None, "node runs the fixture's cur commands"
    env = {**os.environ, "CUR_HOME": str(home), "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED": "true"}
    done = subprocess.run(  # noqa: S603 - node and this repository's own script
        [node, str(ROOT / "tools" / "cli" / "bin" / "cur.js"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def scored_lake(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dt.date]:
    """A local lake whose date was scored by a promoted version, and that date."""
    home = tmp_path_factory.mktemp("cur-home")
    run_cur(home, "demo", "--customers", "300")
    trained = run_cur(home, "--role", "DS", "model", "train")
    version = next(line for line in trained.splitlines() if "model version" in line and ": Completed" in line)
    run_cur(home, "--role", "DS", "model", "promote", version.split("model version ")[1].split(":")[0])
    manifests = home / "lake" / "system" / "manifests" / "consumption" / "customer_features"
    [date_file] = sorted(manifests.glob("business_date=*.json"))
    business_date = dt.date.fromisoformat(date_file.stem.removeprefix("business_date="))
    run_cur(home, "run", "--date", business_date.isoformat())
    return home / "lake", business_date


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh moto state, and boto3's default clients pointed at it (fake credentials, the stage's region)."""
    request = urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST")  # noqa: S310 - loopback
    with urllib.request.urlopen(request) as response:  # noqa: S310 - loopback
        response.read()
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-northeast-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return moto_endpoint


def client(service: str) -> Any:  # noqa: ANN401 - boto3's clients are untyped
    return boto3.client(service)


def stage(lake: Path, business_date: dt.date, *, features_manifest: bool = True, tags: bool = True) -> None:
    """The buckets and the catalog as the DAG's score task leaves them once its Processing job has ended."""
    s3, glue = client("s3"), client("glue")
    for bucket in (CONSUMPTION, SYSTEM):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
    partition = f"business_date={business_date.isoformat()}"
    for dataset in ("customer_features", *(("model_tags",) if tags else ())):
        for file in sorted((lake / "consumption" / dataset / partition).glob("*.parquet")):
            s3.put_object(Bucket=CONSUMPTION, Key=f"{dataset}/{partition}/{file.name}", Body=file.read_bytes())
    if features_manifest:
        key = f"manifests/consumption/customer_features/{partition}.json"
        s3.put_object(Bucket=SYSTEM, Key=key, Body=(lake / "system" / key).read_bytes())
    glue.create_database(DatabaseInput={"Name": f"{PREFIX}_consumption"})
    glue.create_table(
        DatabaseName=f"{PREFIX}_consumption",
        TableInput={
            "Name": "model_tags",
            "TableType": "EXTERNAL_TABLE",
            "PartitionKeys": [{"Name": "business_date", "Type": "date"}],
            "StorageDescriptor": {
                "Columns": [{"Name": c, "Type": "string"} for c in ("cust_id", "tag", "model_version")],
                "Location": f"s3://{CONSUMPTION}/model_tags/",
                "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"},
            },
        },
    )


def publish(business_date: dt.date) -> Any:  # noqa: ANN401
    return publish_scored_partition(
        client("s3"),
        client("glue"),
        business_date=business_date,
        consumption_bucket=CONSUMPTION,
        system_bucket=SYSTEM,
        database_prefix=PREFIX,
        started_at=dt.datetime.now(dt.UTC),
    )


def partitions(business_date: dt.date) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = client("glue").get_partitions(
        DatabaseName=f"{PREFIX}_consumption", TableName="model_tags"
    )["Partitions"]
    return found


def test_publishes_the_manifest_the_local_scoring_step_published_and_registers_the_partition(
    aws: str, scored_lake: tuple[Path, dt.date], capsys: pytest.CaptureFixture[str]
) -> None:
    # Prepare
    lake, business_date = scored_lake
    stage(lake, business_date)
    key = f"manifests/consumption/model_tags/business_date={business_date.isoformat()}.json"
    local = json.loads((lake / "system" / key).read_text(encoding="utf-8"))

    # Act: the command line, as the score task would run it
    code = main(
        [
            "--business-date", business_date.isoformat(), "--bucket_consumption", f"s3://{CONSUMPTION}",
            "--bucket_system", f"s3://{SYSTEM}", "--database_prefix", PREFIX, "--region", "ap-northeast-1",
        ]
    )  # fmt: skip

    # Assess: valid, and the local step's document but for when it ran
    assert code == 0
    [line] = [json.loads(text) for text in capsys.readouterr().out.splitlines()]
    text = client("s3").get_object(Bucket=SYSTEM, Key=key)["Body"].read().decode("utf-8")
    published = json.loads(text)
    assert list(Draft202012Validator(MANIFEST_SCHEMA).iter_errors(published)) == []
    assert {k: v for k, v in published.items() if k not in RUN_FIELDS} == {
        k: v for k, v in local.items() if k not in RUN_FIELDS
    }
    assert published["counts"]["tagged"] == published["rowCount"] > 0
    assert text == json.dumps(published, indent=2, ensure_ascii=False) + "\n"
    # The hash is of the bytes in the bucket, in the order listed.
    digest = hashlib.sha256()
    for file in published["files"]:
        digest.update(client("s3").get_object(Bucket=CONSUMPTION, Key=file)["Body"].read())
    assert published["contentSha256"] == digest.hexdigest()
    assert line == {
        "manifest": key,
        "files": published["files"],
        "scored": local["counts"]["scored"],
        "tagged": local["rowCount"],
        "partition": f"{PREFIX}_consumption.model_tags",
        "seconds": line["seconds"],
    }
    [partition] = partitions(business_date)
    assert partition["Values"] == [business_date.isoformat()]
    location = f"s3://{CONSUMPTION}/model_tags/business_date={business_date.isoformat()}"
    assert partition["StorageDescriptor"]["Location"] == location
    assert partition["StorageDescriptor"]["Columns"] == [
        {"Name": c, "Type": "string"} for c in ("cust_id", "tag", "model_version")
    ]


def test_a_rerun_keeps_one_partition_and_rewrites_the_manifest(aws: str, scored_lake: tuple[Path, dt.date]) -> None:
    # Prepare
    lake, business_date = scored_lake
    stage(lake, business_date)

    # Act
    first, second = publish(business_date), publish(business_date)

    # Assess
    assert (first.manifest_key, first.files, first.tagged) == (second.manifest_key, second.files, second.tagged)
    assert len(partitions(business_date)) == 1


@pytest.mark.parametrize(
    ("staged", "code"),
    [({"features_manifest": False}, "INPUT_MISSING"), ({"tags": False}, "OUTPUT_MISSING")],
    ids=["no-features-manifest", "no-scored-file"],
)
def test_publishes_nothing_without_the_features_manifest_or_the_scored_file(
    aws: str, scored_lake: tuple[Path, dt.date], staged: dict[str, bool], code: str
) -> None:
    # Prepare
    lake, business_date = scored_lake
    stage(lake, business_date, **staged)

    # Act
    with pytest.raises(PublishError) as raised:
        publish(business_date)

    # Assess
    assert raised.value.code == code
    assert client("s3").list_objects_v2(Bucket=SYSTEM, Prefix="manifests/consumption/model_tags/")["KeyCount"] == 0
    assert partitions(business_date) == []


def test_the_fixed_fields_come_from_the_generated_template() -> None:
    template = read_template()

    assert (template["dataset"], template["zone"], template["step"]) == ("model_tags", "consumption", "score")
    assert template["input"] == {"zone": "consumption", "dataset": "customer_features"}
    assert len(template["schemaSha256"]) == 64
