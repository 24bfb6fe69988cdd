"""SageMaker's hyperparameter map: strings, JSON-encoded strings, its own ``sagemaker_*`` entries."""

from __future__ import annotations

import pytest

from cur_model.errors import HyperparameterError
from cur_model.hyperparameters import Hyperparameters, parse_hyperparameters


def test_strings_as_sagemaker_passes_them() -> None:
    parsed = parse_hyperparameters(
        {
            "model": '"logistic"',
            "seed": "7",
            "holdout_fraction": "0.25",
            "exclude_features": "tenure_months, gender",
            "sagemaker_program": '"train.py"',
            "sagemaker_region": '"ap-northeast-1"',
        }
    )
    assert parsed == Hyperparameters(
        model="logistic", seed=7, holdout_fraction=0.25, exclude_features=("tenure_months", "gender")
    )


def test_an_unknown_name_is_refused_by_name() -> None:
    with pytest.raises(HyperparameterError, match=r"lerning_rate: unknown hyperparameter \(known: target_tag, model"):
        parse_hyperparameters({"lerning_rate": "0.1"})


def test_a_value_out_of_range_names_the_hyperparameter_not_the_value() -> None:
    with pytest.raises(
        HyperparameterError, match=r"holdout_fraction: Input should be less than or equal to 0\.5"
    ) as error:
        parse_hyperparameters({"holdout_fraction": "0.93"})
    assert "0.93" not in str(error.value)
    assert error.value.code == "INVALID_HYPERPARAMETER"


def test_an_unknown_model_names_the_choices() -> None:
    with pytest.raises(HyperparameterError, match="model: Input should be 'gradient_boosting' or 'logistic'"):
        parse_hyperparameters({"model": "xgboost"})
