"""Compares model versions on one population with the Spark SQL history analyses: ``cur model compare`` runs it.

Input, a JSON file (``--request``)::

    {"threshold": 0.5, "population": "<a training channel: the customers to score>",
     "versions": [{"version_id": ..., "target_tag": ..., "status": ..., "created_at": ISO, "metrics": {...},
                   "model_dir": "<model.joblib and model.json>", "training_channel": "<the data it was trained on>"}]}

It scores the population with every version, writes the history tables (:mod:`cur_model.history`) as Parquet under
``--work`` (``model_scores`` holds customer tokens: the folder is the SYSTEM scratch area, removed by the caller), runs
the analyses on local Spark and prints one JSON line: the metric trend, PSI of scores and of each numeric feature
between consecutive versions, and the tag churn. Counts, statistics and version ids only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cur_model.dataset import feature_matrix, read_description, read_features
from cur_model.errors import TrainingError
from cur_model.history import feature_psi, metric_trend, register_history_tables, score_psi, tag_churn
from cur_spark.session import local_spark_session


class VersionToCompare(BaseModel):
    """One version: its history entry and where its model and training data are."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version_id: str
    target_tag: str
    status: str
    created_at: datetime
    metrics: dict[str, float]
    model_dir: Path
    training_channel: Path


class CompareRequest(BaseModel):
    """What to compare, on which customers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold: float = Field(default=0.5, gt=0, lt=1)
    population: Path
    versions: tuple[VersionToCompare, ...] = Field(min_length=2)


def write_history_tables(request: CompareRequest, work: Path) -> dict[str, Path]:
    """Scores the population with each version and writes ``model_history``, ``model_scores``, ``model_features``."""
    population = read_description(request.population)
    customers = read_features(request.population, population)
    key = population.features.key[0]
    history: dict[str, list[Any]] = {
        n: [] for n in ("version_id", "target_tag", "status", "created_at", "metric", "value")
    }
    scores: dict[str, list[Any]] = {"version_id": [], "cust_id": [], "score": []}
    features: dict[str, list[Any]] = {"version_id": [], "feature": [], "value": []}
    for version in request.versions:
        for metric, value in sorted(version.metrics.items()):
            for name, item in zip(
                history,
                (version.version_id, version.target_tag, version.status, version.created_at, metric, value),
                strict=True,
            ):
                history[name].append(item)
        summary = json.loads((version.model_dir / "model.json").read_text(encoding="utf-8"))
        numeric = tuple(summary["features"]["numeric"])
        categorical = tuple(summary["features"]["categorical"])
        missing = [name for name in (*numeric, *categorical) if name not in customers.column_names]
        if missing:
            raise TrainingError(
                f"version {version.version_id} needs features the population lacks: {', '.join(missing)}"
            )
        pipeline = joblib.load(version.model_dir / "model.joblib")
        probabilities = pipeline.predict_proba(feature_matrix(customers, numeric, categorical))[:, 1]
        scores["version_id"].extend([version.version_id] * customers.num_rows)
        scores["cust_id"].extend(customers.column(key).to_pylist())
        scores["score"].extend(float(p) for p in np.asarray(probabilities, dtype=np.float64))
        trained_on = read_features(version.training_channel, read_description(version.training_channel))
        for name in numeric:
            values = pc.cast(trained_on.column(name), pa.float64()).to_pylist()
            features["version_id"].extend([version.version_id] * len(values))
            features["feature"].extend([name] * len(values))
            features["value"].extend(values)
    work.mkdir(parents=True, exist_ok=True)
    paths = {name: work / f"{name}.parquet" for name in ("model_history", "model_scores", "model_features")}
    pq.write_table(pa.table(history), paths["model_history"])
    pq.write_table(pa.table(scores), paths["model_scores"])
    pq.write_table(pa.table(features), paths["model_features"])
    return paths


def compare(request: CompareRequest, work: Path) -> dict[str, list[dict[str, Any]]]:
    """The analyses' rows, as JSON-ready dictionaries."""
    paths = write_history_tables(request, work / "tables")
    spark = local_spark_session(work / "spark", app_name="cur-model-compare", shuffle_partitions=2)
    try:
        register_history_tables(spark, paths)
        return {
            name: [_plain(row.asDict()) for row in frame.collect()]
            for name, frame in (
                ("metric_trend", metric_trend(spark)),
                ("score_psi", score_psi(spark)),
                ("feature_psi", feature_psi(spark)),
                ("tag_churn", tag_churn(spark, request.threshold)),
            )
        }
    finally:
        spark.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m cur_model.compare --request FILE --work DIR``: one JSON line on stdout, exit 1 on failure."""
    parser = argparse.ArgumentParser(prog="cur_model.compare", description="Compares model versions with Spark SQL.")
    parser.add_argument("--request", required=True, type=Path)
    parser.add_argument("--work", required=True, type=Path)
    arguments = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        request = CompareRequest.model_validate_json(arguments.request.read_bytes())
    except ValidationError as error:
        where = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()[:5])
        print(f"error: the compare request is not valid: {where}", file=sys.stderr, flush=True)
        return 1
    try:
        result = compare(request, arguments.work)
    except TrainingError as error:
        print(f"error: {error}", file=sys.stderr, flush=True)
        return 1
    print(json.dumps(result), flush=True)
    return 0


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, datetime) else value for key, value in row.items()}


if __name__ == "__main__":
    sys.exit(main())
