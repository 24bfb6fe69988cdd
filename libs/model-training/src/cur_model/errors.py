"""Errors of the training job: one base class with a code; messages name a hyperparameter, a column or a file, never
a field value (a training job's log is read by people who must not see data)."""

from __future__ import annotations


class TrainingError(Exception):
    """Base class of every error the job raises. ``code`` is stable, for the failure file and the model history."""

    code = "TRAINING_FAILED"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.message} [{self.code}]"


class HyperparameterError(TrainingError):
    """A hyperparameter is unknown or its value is out of range."""

    code = "INVALID_HYPERPARAMETER"


class DatasetError(TrainingError):
    """The training channel does not hold what ``dataset.json`` promises (a file, a column, a label)."""

    code = "INVALID_TRAINING_DATA"


class FeatureLeakError(TrainingError):
    """A column that identifies a customer (a key, a token, a non-public column) would have become a feature."""

    code = "IDENTIFIER_AMONG_FEATURES"
