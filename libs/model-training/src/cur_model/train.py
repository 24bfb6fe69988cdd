"""The training job's entry: SageMaker runs it in the scikit-learn framework image, ``cur model train`` in the
workspace's Python environment, with the same variables (see :mod:`cur_model.environment`).

Prints ``progress: ...`` lines while it works and one ``metric <name>=<value>`` line per metric, which the job's
metric definitions (:data:`METRIC_DEFINITIONS`) turn into SageMaker metrics. Saves ``model.joblib`` (the fitted
pipeline) and ``model.json`` (target, features, hyperparameters, metrics, data lineage) in ``SM_MODEL_DIR``, and
``metrics.json`` in ``SM_OUTPUT_DATA_DIR``. On failure writes the coded reason to ``/opt/ml/output/failure`` and exits
1. Nothing it prints or writes holds a customer's key, a token or a value of a non-public column.

Locally::

    SM_CHANNEL_TRAIN=... SM_MODEL_DIR=... .venv/bin/python -m cur_model.train
"""

from __future__ import annotations

import json
import platform
import re
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import joblib
import sklearn

from cur_model.dataset import load_training_data, read_description
from cur_model.environment import TrainingPaths
from cur_model.errors import TrainingError
from cur_model.hyperparameters import read_hyperparameters
from cur_model.model import SCORE_BINS, train

METRIC_NAMES = (
    "train:auc",
    "validation:auc",
    "validation:average_precision",
    "validation:log_loss",
    "validation:accuracy",
    "validation:positive_rate",
)

METRIC_DEFINITIONS = tuple({"Name": name, "Regex": f"metric {re.escape(name)}=([-+0-9.eE]+)"} for name in METRIC_NAMES)
"""The training job's ``MetricDefinitions``: one regex per metric over the lines the job prints."""

MODEL_FILE = "model.joblib"
DESCRIPTION_FILE = "model.json"
METRICS_FILE = "metrics.json"


def run(paths: TrainingPaths) -> dict[str, Any]:
    """Trains once and writes the artefacts. Returns what ``model.json`` holds."""
    started = time.monotonic()
    paths.check()
    hyperparameters = read_hyperparameters(paths.hyperparameters_file)
    hp = hyperparameters
    _progress(f"hyperparameters: model {hp.model}, target {hp.target_tag}, seed {hp.seed}")
    description = read_description(paths.train_channel)
    data = load_training_data(paths.train_channel, description, hyperparameters)
    _progress(
        f"data: {len(data.y)} customers of {description.business_date}, {int(data.y.sum())} carry the tag; "
        f"{len(data.features.numeric)} numeric and {len(data.features.categorical)} text features"
    )
    _progress(f"training on {100 - round(hyperparameters.holdout_fraction * 100)}% of the customers")
    model = train(data, hyperparameters)
    for name in METRIC_NAMES:
        print(f"metric {name}={model.metrics[name]:.6f}", flush=True)
    summary: dict[str, Any] = {
        "format": 1,
        "target_tag": hyperparameters.target_tag,
        "model": hyperparameters.model,
        "hyperparameters": hyperparameters.model_dump(mode="json"),
        "features": {"numeric": list(data.features.numeric), "categorical": list(data.features.categorical)},
        "left_out": data.features.left_out,
        "metrics": model.metrics,
        "rows": model.rows,
        "score_distribution": {"bins": SCORE_BINS, "range": [0.0, 1.0], "holdout_counts": model.score_distribution},
        "lineage": [entry.model_dump(mode="json") for entry in description.lineage],
        "runtime": {"python": platform.python_version(), "scikit_learn": sklearn.__version__},
    }
    joblib.dump(model.pipeline, paths.model_dir / MODEL_FILE)
    (paths.model_dir / DESCRIPTION_FILE).write_text(json.dumps(summary, indent=2, sort_keys=True), encoding="utf-8")
    (paths.output_data_dir / METRICS_FILE).write_text(
        json.dumps(model.metrics, indent=2, sort_keys=True), encoding="utf-8"
    )
    _progress(f"saved {MODEL_FILE} and {DESCRIPTION_FILE} in {time.monotonic() - started:.1f} s")
    return summary


def main(env: Mapping[str, str] | None = None) -> int:
    """The job: 0 when the model is saved, 1 with a failure file when not."""
    paths = TrainingPaths.from_environment(env)
    try:
        run(paths)
    except TrainingError as error:
        reason = str(error)
        print(f"error: {reason}", file=sys.stderr, flush=True)
        try:
            paths.failure_file.parent.mkdir(parents=True, exist_ok=True)
            paths.failure_file.write_text(reason, encoding="utf-8")
        except OSError:
            print("error: the failure file could not be written", file=sys.stderr, flush=True)
        return 1
    return 0


def model_fn(model_dir: str) -> object:
    """What SageMaker's scikit-learn serving container calls to load the model for inference."""
    return joblib.load(Path(model_dir) / MODEL_FILE)


def _progress(message: str) -> None:
    print(f"progress: {message}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
