"""Two trained versions compared on one population through the Spark SQL analyses, as cur model compare runs it."""

from __future__ import annotations

import json
from pathlib import Path

import joblib
import numpy as np
import pytest
from channel_builder import Channel, job_environment

from cur_model.compare import main
from cur_model.dataset import feature_matrix, read_description, read_features
from cur_model.train import main as train


def test_compares_two_versions_scores_features_and_churn(
    tmp_path: Path, channel: Channel, capsys: pytest.CaptureFixture[str]
) -> None:
    # Prepare: two versions trained on the same channel with other hyperparameters
    versions = []
    for name, params, created in (
        ("v-a", {"seed": "1"}, "2026-11-25T01:00:00Z"),
        ("v-b", {"model": "logistic", "max_iter": "500"}, "2026-11-25T02:00:00Z"),
    ):
        env = job_environment(tmp_path / name, channel.path, params)
        assert train(env) == 0
        summary = json.loads((Path(env["SM_MODEL_DIR"]) / "model.json").read_text())
        versions.append(
            {
                "version_id": name,
                "target_tag": "digital_native",
                "status": "Completed",
                "created_at": created,
                "metrics": summary["metrics"],
                "model_dir": env["SM_MODEL_DIR"],
                "training_channel": str(channel.path),
            }
        )
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"threshold": 0.5, "population": str(channel.path), "versions": versions}))
    capsys.readouterr()

    # Act
    assert main(["--request", str(request), "--work", str(tmp_path / "work")]) == 0

    # Assess: every analysis has the pair, churn equals numpy's count on the same scores, nothing identifying
    out = capsys.readouterr().out
    result = json.loads(out.strip().splitlines()[-1])
    assert [(r["previous_version"], r["version_id"]) for r in result["score_psi"]] == [("v-a", "v-b")]
    assert result["score_psi"][0]["psi"] >= 0
    assert {r["feature"] for r in result["feature_psi"]} >= {"aum_total", "tenure_months"}
    assert all(r["psi"] == pytest.approx(0, abs=1e-12) for r in result["feature_psi"])  # same training data
    description = read_description(channel.path)
    customers = read_features(channel.path, description)
    tagged = {}
    for version in versions:
        summary = json.loads((Path(version["model_dir"]) / "model.json").read_text())
        x = feature_matrix(customers, tuple(summary["features"]["numeric"]), tuple(summary["features"]["categorical"]))
        tagged[version["version_id"]] = (
            joblib.load(Path(version["model_dir"]) / "model.joblib").predict_proba(x)[:, 1] >= 0.5
        )
    churn = result["tag_churn"][0]
    assert churn["entered"] == int(np.sum(~tagged["v-a"] & tagged["v-b"]))
    assert churn["left_tag"] == int(np.sum(tagged["v-a"] & ~tagged["v-b"]))
    assert churn["stayed"] == int(np.sum(tagged["v-a"] & tagged["v-b"]))
    assert [r["version_id"] for r in result["metric_trend"] if r["metric"] == "validation:auc"] == ["v-a", "v-b"]
    for token in channel.customer_tokens:
        assert token not in out


def test_a_request_with_one_version_is_refused(
    tmp_path: Path, channel: Channel, capsys: pytest.CaptureFixture[str]
) -> None:
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"population": str(channel.path), "versions": []}))
    assert main(["--request", str(request), "--work", str(tmp_path / "work")]) == 1
    assert "versions: Tuple should have at least 2 items" in capsys.readouterr().err
