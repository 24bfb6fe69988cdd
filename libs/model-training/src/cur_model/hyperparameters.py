"""The job's hyperparameters, as SageMaker passes them: a JSON object of strings.

SageMaker writes every value as a string (a framework estimator JSON-encodes each, so ``"\\"logistic\\""`` arrives as
well as ``"logistic"``), and adds its own ``sagemaker_*`` entries (program, submit directory, region), which are not
the model's. An unknown name or a value out of range is refused, naming the hyperparameter.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cur_model.errors import HyperparameterError

MODEL_KINDS = ("gradient_boosting", "logistic")


class Hyperparameters(BaseModel):
    """What the model is trained with. Defaults give a fast, deterministic model."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    target_tag: str = Field(default="digital_native", pattern=r"^[a-z][a-z0-9_]{0,63}$")
    """The rule-based tag whose propensity is learnt (the label: the customer carries the tag)."""
    model: Literal["gradient_boosting", "logistic"] = "gradient_boosting"
    seed: int = Field(default=42, ge=0, le=2**31 - 1)
    holdout_fraction: float = Field(default=0.2, ge=0.05, le=0.5)
    max_iter: int = Field(default=100, ge=1, le=10_000)
    learning_rate: float = Field(default=0.1, gt=0, le=1)
    max_depth: int = Field(default=3, ge=1, le=32)
    max_leaf_nodes: int = Field(default=15, ge=2, le=1024)
    l2_regularization: float = Field(default=0.0, ge=0)
    c: float = Field(default=1.0, gt=0, le=1e6)
    """Inverse regularisation strength of the logistic model."""
    exclude_features: tuple[str, ...] = ()
    """Features left out besides those the target tag's rule reads (comma-separated)."""

    @field_validator("exclude_features", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value


def parse_hyperparameters(raw: dict[str, object]) -> Hyperparameters:
    """Validates SageMaker's string map; ``sagemaker_*`` entries are SageMaker's own and ignored."""
    values: dict[str, object] = {}
    for name, value in raw.items():
        if name.startswith("sagemaker_"):
            continue
        values[name] = _decode(value)
    try:
        return Hyperparameters.model_validate(values)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(all)'}: {_describe(e['type'], e['msg'])}" for e in error.errors()
        )
        raise HyperparameterError(f"hyperparameters refused: {problems}") from None


def read_hyperparameters(path: Path) -> Hyperparameters:
    """Reads ``hyperparameters.json``; a job without one trains with the defaults."""
    if not path.exists():
        return Hyperparameters()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        raise HyperparameterError(f"{path.name} is not JSON") from None
    if not isinstance(raw, dict):
        raise HyperparameterError(f"{path.name} must be a JSON object of name to value")
    return parse_hyperparameters(raw)


def _decode(value: object) -> object:
    """A framework estimator's JSON-encoded string (``"\\"x\\""``) to its value; any other string stays as is."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _describe(kind: str, message: str) -> str:
    """pydantic's message without the input value it may quote."""
    if kind == "extra_forbidden":
        return f"unknown hyperparameter (known: {', '.join(Hyperparameters.model_fields)})"
    return message
