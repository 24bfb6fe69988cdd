"""The scoring step: a trained version applied to customer_features, as the pipeline runs python -m cur_model.score."""

from __future__ import annotations

import json
import tarfile
from datetime import date
from pathlib import Path

import joblib
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from channel_builder import Channel, job_environment

from cur_model.dataset import feature_matrix, read_description, read_features
from cur_model.score import main, model_tag_name
from cur_model.train import main as train


@pytest.fixture
def model_dir(tmp_path: Path, channel: Channel) -> Path:
    env = job_environment(tmp_path / "job", channel.path, {"seed": "3"})
    assert train(env) == 0
    return Path(env["SM_MODEL_DIR"])


def _features_file(channel: Channel) -> Path:
    return channel.path / "features" / "part-0.parquet"


def test_tags_exactly_the_customers_scored_at_or_above_the_threshold(
    tmp_path: Path, channel: Channel, model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Prepare: the expected carriers, computed from the same model on the same features
    capsys.readouterr()
    customers = read_features(channel.path, read_description(channel.path))
    summary = json.loads((model_dir / "model.json").read_text())
    x = feature_matrix(customers, tuple(summary["features"]["numeric"]), tuple(summary["features"]["categorical"]))
    probabilities = joblib.load(model_dir / "model.joblib").predict_proba(x)[:, 1]
    threshold = float(np.median(probabilities))
    expected = sorted(
        t for t, p in zip(customers.column("cust_id").to_pylist(), probabilities, strict=True) if p >= threshold
    )
    output = tmp_path / "out" / "model_tags.parquet"

    # Act
    code = main(
        [
            "--model-dir", str(model_dir), "--version-id", "cur-model-20261207-a", "--features",
            str(_features_file(channel)), "--output", str(output), "--threshold", str(threshold),
        ]
    )  # fmt: skip

    # Assess: the rows, their order and columns, and a stdout of counts only
    assert code == 0
    rows = pq.read_table(output)
    assert rows.column_names == ["cust_id", "tag", "model_version"]
    assert rows.column("cust_id").to_pylist() == expected
    assert 0 < len(expected) < customers.num_rows
    assert set(rows.column("tag").to_pylist()) == {model_tag_name("digital_native")} == {"digital_native_propensity"}
    assert set(rows.column("model_version").to_pylist()) == {"cur-model-20261207-a"}
    out = capsys.readouterr().out
    line = json.loads(out.strip())
    assert line == {
        "version_id": "cur-model-20261207-a",
        "tag": "digital_native_propensity",
        "threshold": threshold,
        "scored": customers.num_rows,
        "tagged": len(expected),
    }
    assert not any(token in out for token in customers.column("cust_id").to_pylist())


def test_reruns_write_the_same_rows_whatever_the_input_order(tmp_path: Path, channel: Channel, model_dir: Path) -> None:
    # Prepare: the same customers in reverse order, split over two files
    table = pq.read_table(_features_file(channel))
    reversed_rows = table.take(pa.array(range(table.num_rows - 1, -1, -1)))
    half = table.num_rows // 2
    pq.write_table(reversed_rows.slice(0, half), tmp_path / "a.parquet")
    pq.write_table(reversed_rows.slice(half), tmp_path / "b.parquet")
    args = ["--model-dir", str(model_dir), "--version-id", "v1"]

    # Act
    assert main([*args, "--features", str(_features_file(channel)), "--output", str(tmp_path / "one.parquet")]) == 0
    parts = [str(tmp_path / "a.parquet"), str(tmp_path / "b.parquet")]
    assert main([*args, "--features", *parts, "--output", str(tmp_path / "two.parquet")]) == 0

    # Assess
    assert pq.read_table(tmp_path / "one.parquet").equals(pq.read_table(tmp_path / "two.parquet"))


def test_refuses_features_without_a_column_the_model_reads(
    tmp_path: Path, channel: Channel, model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Prepare: customer_features without tenure_months
    table = pq.read_table(_features_file(channel)).drop_columns(["tenure_months"])
    pq.write_table(table, tmp_path / "features.parquet")
    capsys.readouterr()

    # Act
    code = main(
        [
            "--model-dir", str(model_dir), "--version-id", "v1", "--features", str(tmp_path / "features.parquet"),
            "--output", str(tmp_path / "out.parquet"),
        ]
    )  # fmt: skip

    # Assess: coded, names the column, writes nothing
    assert code == 1
    err = capsys.readouterr().err
    assert "tenure_months" in err
    assert "[SCORING_FAILED]" in err
    assert not (tmp_path / "out.parquet").exists()


def test_refuses_a_model_of_another_scikit_learn_version(
    tmp_path: Path, channel: Channel, model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Prepare: the description says another minor version trained it
    summary = json.loads((model_dir / "model.json").read_text())
    summary["runtime"]["scikit_learn"] = "0.24.2"
    (model_dir / "model.json").write_text(json.dumps(summary))
    capsys.readouterr()

    # Act
    code = main(
        [
            "--model-dir", str(model_dir), "--version-id", "v1", "--features", str(_features_file(channel)),
            "--output", str(tmp_path / "out.parquet"),
        ]
    )  # fmt: skip

    # Assess
    assert code == 1
    assert "scikit-learn 0.24.2" in capsys.readouterr().err
    assert not (tmp_path / "out.parquet").exists()


def test_refuses_a_version_id_that_is_not_one(tmp_path: Path, channel: Channel, model_dir: Path) -> None:
    args = ["--model-dir", str(model_dir), "--features", str(_features_file(channel)), "--output", str(tmp_path / "o")]
    assert main([*args, "--version-id", "../etc"]) == 1
    assert main([*args, "--version-id", "v1", "--threshold", "1"]) == 1


def test_reads_a_lake_partition_file_that_also_holds_its_partition_column(
    tmp_path: Path, channel: Channel, model_dir: Path
) -> None:
    # Prepare: customer_features as the pipeline publishes it, under business_date=... and with that column
    table = pq.read_table(_features_file(channel))
    dates = pa.array([date(2026, 11, 25)] * table.num_rows, pa.date32())
    partition = tmp_path / "customer_features" / "business_date=2026-11-25"
    partition.mkdir(parents=True)
    pq.write_table(table.append_column("business_date", dates), partition / "part-0.parquet")
    args = ["--model-dir", str(model_dir), "--version-id", "v1"]

    # Act
    assert main([*args, "--features", str(partition / "part-0.parquet"), "--output", str(tmp_path / "a.parquet")]) == 0
    assert main([*args, "--features", str(_features_file(channel)), "--output", str(tmp_path / "b.parquet")]) == 0

    # Assess: the same rows as from the bare features
    assert pq.read_table(tmp_path / "a.parquet").equals(pq.read_table(tmp_path / "b.parquet"))


def test_scores_as_the_processing_job_does_from_a_features_folder_and_the_training_jobs_model_archive(
    tmp_path: Path, channel: Channel, model_dir: Path
) -> None:
    # Prepare: the folders the DAG's score task gives the script (tests/test_scoring_task.py of libs/pipeline-dag):
    # the partition's files copied into one folder, and SM_MODEL_DIR as SageMaker packs it, model.tar.gz
    features = tmp_path / "processing" / "input"
    features.mkdir(parents=True)
    table = pq.read_table(_features_file(channel))
    half = table.num_rows // 2
    pq.write_table(table.slice(0, half), features / "part-a.parquet")
    pq.write_table(table.slice(half), features / "part-b.parquet")
    archive_dir = tmp_path / "processing" / "model"
    archive_dir.mkdir()
    with tarfile.open(archive_dir / "model.tar.gz", "w:gz") as packed:
        for name in ("model.joblib", "model.json"):
            packed.add(model_dir / name, arcname=name)
    args = ["--version-id", "v1", "--threshold", "0.5"]
    local = [*args, "--features", str(_features_file(channel)), "--output", str(tmp_path / "local.parquet")]
    job = [*args, "--features", str(features), "--output", str(tmp_path / "job.parquet")]

    # Act
    assert main(["--model-dir", str(model_dir), *local]) == 0
    assert main(["--model-dir", str(archive_dir), *job]) == 0

    # Assess: the same rows as the local step's
    assert pq.read_table(tmp_path / "job.parquet").equals(pq.read_table(tmp_path / "local.parquet"))


def test_refuses_a_model_archive_whose_model_file_is_a_link(
    tmp_path: Path, model_dir: Path, channel: Channel, capsys: pytest.CaptureFixture[str]
) -> None:
    # Prepare
    archive_dir = tmp_path / "model"
    archive_dir.mkdir()
    with tarfile.open(archive_dir / "model.tar.gz", "w:gz") as packed:
        packed.add(model_dir / "model.json", arcname="model.json")
        link = tarfile.TarInfo("model.joblib")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        packed.addfile(link)
    output = tmp_path / "out.parquet"

    # Act
    args = ["--version-id", "v1", "--features", str(_features_file(channel)), "--output", str(output)]
    code = main(["--model-dir", str(archive_dir), *args])

    # Assess
    assert code == 1
    assert "not a plain file" in capsys.readouterr().err
    assert not output.exists()
