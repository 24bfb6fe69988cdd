"""The history analyses in Spark SQL on local Spark 3.5.6: metric trend, PSI of scores and features, tag churn."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from pyspark.sql import SparkSession

from cur_model.history import (
    PSI_BINS,
    PSI_FLOOR,
    feature_psi,
    metric_trend,
    register_history_tables,
    score_psi,
    tag_churn,
)
from cur_spark.session import local_spark_session

VERSIONS = [("v1", datetime(2026, 11, 25, 1)), ("v2", datetime(2026, 11, 26, 1)), ("v3", datetime(2026, 11, 27, 1))]


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkSession]:
    session = local_spark_session(tmp_path_factory.mktemp("spark"), app_name="cur-model-history", shuffle_partitions=2)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def scores() -> dict[str, npt.NDArray[np.float64]]:
    """v2 scores like v1 with a little noise; v3 shifted upwards (a new model that tags many more customers)."""
    rng = np.random.default_rng(5)
    v1 = rng.beta(2, 5, size=1000)
    v2 = np.clip(v1 + rng.normal(0, 0.02, size=1000), 0, 1)
    v3 = np.clip(v1 + 0.25, 0, 1)
    return {"v1": v1, "v2": v2, "v3": v3}


@pytest.fixture(scope="module")
def lake(
    spark: SparkSession, scores: dict[str, npt.NDArray[np.float64]], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The three history tables as the export writes them, with one failed version that must be left out."""
    root = tmp_path_factory.mktemp("history")
    history = [
        (vid, "digital_native", "Completed", created, metric, value)
        for (vid, created), auc in zip(VERSIONS, (0.80, 0.83, 0.79), strict=True)
        for metric, value in (("validation:auc", auc), ("validation:log_loss", 1 - auc))
    ]
    history.append(("v0", "digital_native", "Failed", datetime(2026, 11, 24), "validation:auc", 0.1))
    schema = "version_id STRING, target_tag STRING, status STRING, created_at TIMESTAMP, metric STRING, value DOUBLE"
    spark.createDataFrame(history, schema).write.parquet(str(root / "model_history"))
    rows = [(vid, f"A{i:09d}", float(s)) for vid, values in scores.items() for i, s in enumerate(values)]
    spark.createDataFrame(rows, "version_id STRING, cust_id STRING, score DOUBLE").write.parquet(
        str(root / "model_scores")
    )
    rng = np.random.default_rng(9)
    base = rng.lognormal(10, 1, size=2000)
    features = [("v1", "aum_total", float(x)) for x in base]
    features += [("v2", "aum_total", float(x)) for x in base * rng.uniform(0.98, 1.02, size=2000)]
    features += [("v3", "aum_total", float(x)) for x in base * 3]
    features += [(v, "tenure_months", float(t)) for v in ("v1", "v2", "v3") for t in range(0, 240, 1)]
    spark.createDataFrame(features, "version_id STRING, feature STRING, value DOUBLE").write.parquet(
        str(root / "model_features")
    )
    register_history_tables(spark, {name: root / name for name in ("model_history", "model_scores", "model_features")})
    return root


def reference_psi(
    before: npt.NDArray[np.float64], after: npt.NDArray[np.float64], edges: npt.NDArray[np.float64]
) -> float:
    """PSI as the textbook defines it, in numpy, on the same bins and floor."""
    a = np.maximum(np.histogram(before, bins=edges)[0] / len(before), PSI_FLOOR)
    b = np.maximum(np.histogram(after, bins=edges)[0] / len(after), PSI_FLOOR)
    return float(np.sum((b - a) * np.log(b / a)))


def test_metric_trend_orders_completed_versions_with_their_change(spark: SparkSession, lake: Path) -> None:
    rows = [r.asDict() for r in metric_trend(spark).where("metric = 'validation:auc'").collect()]
    assert [r["version_id"] for r in rows] == ["v1", "v2", "v3"]
    assert [r["version_number"] for r in rows] == [1, 2, 3]
    assert rows[0]["change"] is None
    assert rows[1]["change"] == pytest.approx(0.03)
    assert rows[2]["change"] == pytest.approx(-0.04)


def test_score_psi_matches_the_textbook_and_flags_the_shifted_version(
    spark: SparkSession, lake: Path, scores: dict[str, npt.NDArray[np.float64]]
) -> None:
    result = {(r["previous_version"], r["version_id"]): r["psi"] for r in score_psi(spark).collect()}
    edges = np.linspace(0, 1, PSI_BINS + 1)
    assert set(result) == {("v1", "v2"), ("v2", "v3")}
    assert result[("v1", "v2")] == pytest.approx(reference_psi(scores["v1"], scores["v2"], edges), rel=1e-9)
    assert result[("v2", "v3")] == pytest.approx(reference_psi(scores["v2"], scores["v3"], edges), rel=1e-9)
    assert result[("v1", "v2")] < 0.1 < 0.25 < result[("v2", "v3")]  # stable, then a major shift


def test_feature_psi_is_near_zero_for_the_same_population_and_large_for_a_shifted_one(
    spark: SparkSession, lake: Path
) -> None:
    result = {(r["version_id"], r["feature"]): r["psi"] for r in feature_psi(spark).collect()}
    assert result[("v2", "aum_total")] < 0.02
    assert result[("v3", "aum_total")] > 1.0
    assert result[("v2", "tenure_months")] == pytest.approx(0.0, abs=1e-12)


def test_tag_churn_counts_customers_entering_and_leaving_the_tag(
    spark: SparkSession, lake: Path, scores: dict[str, npt.NDArray[np.float64]]
) -> None:
    rows = {(r["previous_version"], r["version_id"]): r.asDict() for r in tag_churn(spark, threshold=0.5).collect()}
    for before, after in (("v1", "v2"), ("v2", "v3")):
        a, b = scores[before] >= 0.5, scores[after] >= 0.5
        assert rows[(before, after)]["stayed"] == int(np.sum(a & b))
        assert rows[(before, after)]["entered"] == int(np.sum(~a & b))
        assert rows[(before, after)]["left_tag"] == int(np.sum(a & ~b))
    assert rows[("v2", "v3")]["entered"] > 100
    # Counts and versions only: no customer token is in any result.
    for frame in (tag_churn(spark), score_psi(spark), feature_psi(spark), metric_trend(spark)):
        assert "cust_id" not in frame.columns
    assert not math.isnan(rows[("v1", "v2")]["stayed"])


def test_refuses_an_unknown_table_and_a_threshold_out_of_range(spark: SparkSession, lake: Path) -> None:
    with pytest.raises(ValueError, match="unknown history tables: scores"):
        register_history_tables(spark, {"scores": lake})
    with pytest.raises(ValueError, match="threshold must lie strictly between 0 and 1"):
        tag_churn(spark, threshold=1.5)
