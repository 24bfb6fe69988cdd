"""The job end to end under SageMaker's conventions: artefacts, metric lines, determinism, nothing identifying."""

from __future__ import annotations

import json
import re
from pathlib import Path

import joblib
import numpy as np
import pytest
from channel_builder import Channel, job_environment, write_channel

from cur_model.dataset import load_training_data, read_description
from cur_model.hyperparameters import Hyperparameters
from cur_model.train import METRIC_DEFINITIONS, METRIC_NAMES, main, model_fn

#: ``METRIC_DEFINITIONS`` as JSON (``json.dumps(list(METRIC_DEFINITIONS), indent=2)``), read by infra's training job.
METRIC_DEFINITIONS_FILE = Path(__file__).resolve().parents[1] / "metric-definitions.json"


def test_trains_saves_the_model_and_prints_every_metric_for_its_definition(
    tmp_path: Path, channel: Channel, capsys: pytest.CaptureFixture[str]
) -> None:
    env = job_environment(tmp_path, channel.path, {"seed": "3"})

    assert main(env) == 0

    out = capsys.readouterr().out
    model_dir = Path(env["SM_MODEL_DIR"])
    summary = json.loads((model_dir / "model.json").read_text())
    for definition in METRIC_DEFINITIONS:
        found = [re.search(definition["Regex"], line) for line in out.splitlines()]
        values = [float(m.group(1)) for m in found if m]
        assert values == [pytest.approx(summary["metrics"][definition["Name"]], abs=1e-6)], definition["Name"]
    assert {d["Name"] for d in METRIC_DEFINITIONS} == set(METRIC_NAMES)
    # The CDK's training job takes its MetricDefinitions from the committed file (infra's test holds it to that).
    assert json.loads(METRIC_DEFINITIONS_FILE.read_text()) == list(METRIC_DEFINITIONS)
    assert "progress: data: 600 customers of 2026-11-25" in out
    # Spend follows transactions, so the propensity is learnt from the other features, not from the rule's column.
    assert summary["metrics"]["validation:auc"] > 0.8
    assert "card_txn_count_1m" not in summary["features"]["numeric"]
    assert summary["lineage"][0]["content_sha256"] == "a" * 64
    assert sum(summary["score_distribution"]["holdout_counts"]) == summary["rows"]["holdout"] == 120
    metrics = json.loads((Path(env["SM_OUTPUT_DATA_DIR"]) / "metrics.json").read_text())
    assert metrics == summary["metrics"]
    pipeline = model_fn(str(model_dir))
    data = load_training_data(channel.path, read_description(channel.path), Hyperparameters())
    assert pipeline.predict_proba(data.x).shape == (600, 2)  # type: ignore[attr-defined]


def test_the_same_seed_gives_the_same_model_and_another_seed_another(tmp_path: Path, channel: Channel) -> None:
    runs = {}
    for name, seed in (("a", "11"), ("b", "11"), ("c", "12")):
        env = job_environment(tmp_path / name, channel.path, {"seed": seed, "model": "gradient_boosting"})
        assert main(env) == 0
        runs[name] = json.loads((Path(env["SM_MODEL_DIR"]) / "model.json").read_text())

    assert runs["a"]["metrics"] == runs["b"]["metrics"]
    assert runs["a"]["score_distribution"] == runs["b"]["score_distribution"]
    assert runs["a"]["metrics"] != runs["c"]["metrics"]
    x = load_training_data(channel.path, read_description(channel.path), Hyperparameters()).x
    first = joblib.load(tmp_path / "a" / "model" / "model.joblib").predict_proba(x)
    second = joblib.load(tmp_path / "b" / "model" / "model.joblib").predict_proba(x)
    np.testing.assert_array_equal(first, second)


def test_the_logistic_model_trains_too(tmp_path: Path, channel: Channel) -> None:
    env = job_environment(tmp_path, channel.path, {"model": "logistic", "c": "0.5", "max_iter": "500"})
    assert main(env) == 0
    summary = json.loads((Path(env["SM_MODEL_DIR"]) / "model.json").read_text())
    assert summary["model"] == "logistic"
    assert summary["metrics"]["validation:auc"] > 0.7


def test_no_artefact_holds_a_customer_token_or_a_non_public_value(
    tmp_path: Path, channel: Channel, capsys: pytest.CaptureFixture[str]
) -> None:
    env = job_environment(tmp_path, channel.path)
    assert main(env) == 0
    printed = capsys.readouterr()

    canaries = [*channel.customer_tokens, *channel.email_tokens]
    artefacts = [
        p for folder in (env["SM_MODEL_DIR"], env["SM_OUTPUT_DIR"]) for p in Path(folder).rglob("*") if p.is_file()
    ]
    assert {p.name for p in artefacts} >= {"model.joblib", "model.json", "metrics.json"}
    texts = [p.read_bytes() for p in artefacts] + [(printed.out + printed.err).encode()]
    for text in texts:
        leaked = [c for c in canaries if c.encode() in text]
        assert leaked == []
    # The scan can fail: the same canaries are found in the channel's own Parquet file.
    features = (channel.path / "features" / "part-0.parquet").read_bytes()
    assert channel.customer_tokens[0].encode() in features


def test_a_failure_writes_the_coded_reason_and_exits_1(
    tmp_path: Path, channel: Channel, capsys: pytest.CaptureFixture[str]
) -> None:
    env = job_environment(tmp_path, channel.path, {"target_tag": "nobody"})

    assert main(env) == 1

    reason = (Path(env["SM_OUTPUT_DIR"]) / "failure").read_text()
    assert reason.endswith("[INVALID_TRAINING_DATA]")
    assert "target_tag nobody" in capsys.readouterr().err
    assert not (Path(env["SM_MODEL_DIR"]) / "model.joblib").exists()


def test_a_missing_channel_fails_with_the_variable_named(tmp_path: Path) -> None:
    env = job_environment(tmp_path, tmp_path / "nowhere")
    assert main(env) == 1
    assert "SM_CHANNEL_TRAIN" in (Path(env["SM_OUTPUT_DIR"]) / "failure").read_text()


def test_a_second_channel_of_other_data_trains_too(tmp_path: Path) -> None:
    other = write_channel(tmp_path / "other", seed=99)
    env = job_environment(tmp_path, other.path, {"target_tag": "high_value"})
    assert main(env) == 0
