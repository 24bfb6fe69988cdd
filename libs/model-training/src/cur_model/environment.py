"""Where SageMaker's training conventions put things, read from the environment the training toolkit sets.

SageMaker mounts ``/opt/ml``: hyperparameters in ``/opt/ml/input/config/hyperparameters.json``, each channel in
``/opt/ml/input/data/<channel>`` (``SM_CHANNEL_<CHANNEL>``), the model to save in ``/opt/ml/model`` (``SM_MODEL_DIR``,
uploaded as ``model.tar.gz``), other outputs in ``/opt/ml/output/data`` (``SM_OUTPUT_DATA_DIR``, ``output.tar.gz``)
and a failure reason in ``/opt/ml/output/failure`` (shown as the job's ``FailureReason``). ``cur model train`` sets
the same variables to folders of its scratch area.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cur_model.errors import TrainingError

TRAIN_CHANNEL = "train"
"""The one input channel: the DS role's view of the features and tags, with ``dataset.json``."""


@dataclass(frozen=True)
class TrainingPaths:
    """The folders of one training job."""

    hyperparameters_file: Path
    train_channel: Path
    model_dir: Path
    output_data_dir: Path
    failure_file: Path

    @staticmethod
    def from_environment(env: Mapping[str, str] | None = None) -> TrainingPaths:
        """Reads the SageMaker variables, with SageMaker's own defaults under ``/opt/ml``."""
        source = os.environ if env is None else env
        config_dir = Path(source.get("SM_INPUT_CONFIG_DIR", "/opt/ml/input/config"))
        output_dir = Path(source.get("SM_OUTPUT_DIR", "/opt/ml/output"))
        channel = source.get(f"SM_CHANNEL_{TRAIN_CHANNEL.upper()}", f"/opt/ml/input/data/{TRAIN_CHANNEL}")
        return TrainingPaths(
            hyperparameters_file=config_dir / "hyperparameters.json",
            train_channel=Path(channel),
            model_dir=Path(source.get("SM_MODEL_DIR", "/opt/ml/model")),
            output_data_dir=Path(source.get("SM_OUTPUT_DATA_DIR", str(output_dir / "data"))),
            failure_file=output_dir / "failure",
        )

    def check(self) -> None:
        """Fails when the channel is missing; creates the output folders."""
        if not self.train_channel.is_dir():
            raise TrainingError(f"the {TRAIN_CHANNEL} channel {self.train_channel} does not exist (SM_CHANNEL_TRAIN)")
        self.model_dir.mkdir(parents=True, exist_ok=True)
        self.output_data_dir.mkdir(parents=True, exist_ok=True)
