"""The model: a scikit-learn pipeline (one-hot text features, scaled numbers, then gradient boosting or a logistic
regression), its holdout split and metrics. Deterministic for a seed: the split, the boosting and the solver all take
it, and nothing runs in parallel."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, average_precision_score, log_loss, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from cur_model.dataset import TrainingData
from cur_model.hyperparameters import Hyperparameters

SCORE_BINS = 10
"""Equal-width bins of the holdout scores: the per-version score distribution (PSI between versions)."""


@dataclass(frozen=True)
class TrainedModel:
    """The fitted pipeline, its metrics and the holdout's score distribution."""

    pipeline: Pipeline
    metrics: dict[str, float]
    score_distribution: list[int]
    rows: dict[str, int]


def build_pipeline(data: TrainingData, hyperparameters: Hyperparameters) -> Pipeline:
    """The unfitted pipeline for these features."""
    numeric = list(range(len(data.features.numeric)))
    categorical = list(range(len(data.features.numeric), len(data.features.all)))
    transformers: list[tuple[str, object, list[int]]] = []
    if numeric:
        scale = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
        transformers.append(("numeric", scale, numeric))
    if categorical:
        encode = OneHotEncoder(handle_unknown="ignore", sparse_output=False, dtype=np.float64)
        transformers.append(("categorical", encode, categorical))
    prepare = ColumnTransformer(transformers, remainder="drop")
    classifier: object
    if hyperparameters.model == "gradient_boosting":
        classifier = HistGradientBoostingClassifier(
            learning_rate=hyperparameters.learning_rate,
            max_iter=hyperparameters.max_iter,
            max_depth=hyperparameters.max_depth,
            max_leaf_nodes=hyperparameters.max_leaf_nodes,
            l2_regularization=hyperparameters.l2_regularization,
            early_stopping=False,
            random_state=hyperparameters.seed,
        )
    else:
        classifier = LogisticRegression(C=hyperparameters.c, max_iter=hyperparameters.max_iter, solver="lbfgs")
    return Pipeline([("prepare", prepare), ("classify", classifier)])


def train(data: TrainingData, hyperparameters: Hyperparameters) -> TrainedModel:
    """Splits off a stratified holdout, fits on the rest, measures on the holdout."""
    x_train, x_holdout, y_train, y_holdout = train_test_split(
        data.x,
        data.y,
        test_size=hyperparameters.holdout_fraction,
        random_state=hyperparameters.seed,
        stratify=data.y,
    )
    pipeline = build_pipeline(data, hyperparameters)
    pipeline.fit(x_train, y_train)
    train_scores = _scores(pipeline, x_train)
    holdout_scores = _scores(pipeline, x_holdout)
    metrics = {
        "train:auc": float(roc_auc_score(y_train, train_scores)),
        "validation:auc": float(roc_auc_score(y_holdout, holdout_scores)),
        "validation:average_precision": float(average_precision_score(y_holdout, holdout_scores)),
        "validation:log_loss": float(log_loss(y_holdout, holdout_scores, labels=[0, 1])),
        "validation:accuracy": float(accuracy_score(y_holdout, (holdout_scores >= 0.5).astype(np.int_))),
        "validation:positive_rate": float(np.mean(y_holdout)),
    }
    histogram, _ = np.histogram(holdout_scores, bins=SCORE_BINS, range=(0.0, 1.0))
    rows = {"train": len(y_train), "holdout": len(y_holdout), "positives": int(data.y.sum())}
    return TrainedModel(pipeline, metrics, [int(count) for count in histogram], rows)


def _scores(pipeline: Pipeline, x: npt.NDArray[np.object_]) -> npt.NDArray[np.float64]:
    return np.asarray(pipeline.predict_proba(x)[:, 1], dtype=np.float64)
