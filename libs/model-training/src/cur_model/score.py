"""The scoring step: applies the scoring version to ``consumption.customer_features`` and writes its model tag.

The pipeline runs it after the consumption step when a version is promoted::

    .venv/bin/python -m cur_model.score --model-dir DIR --version-id V --features F.parquet [F.parquet ...] \
        --output model_tags.parquet [--threshold 0.5]

It reads only the key and the features the version was trained on (``model.json``), refuses a model trained by
another scikit-learn minor version (a pickled pipeline is only loadable by the version that wrote it), scores every
customer and writes one row per customer at or above the threshold: ``cust_id`` (the token, as in
``customer_tags``), ``tag`` (``<target>_propensity``) and ``model_version``, ordered by token so a rerun writes the
same rows. The output stays in the pipeline's zones; on stdout goes one JSON line of counts, the tag, the threshold
and the version, never a token or a score of a customer. Exit 1 with ``error: ... [CODE]`` on stderr when it cannot.

In AWS the same module is the entry of the MWAA DAG's ``score`` task, a SageMaker Processing job on the scikit-learn
image the training job uses: the consumption partition is copied into a folder (``--features`` takes a folder for its
Parquet files), and the model folder holds what the training job left, ``model.tar.gz`` (unpacked here, into a
temporary folder, refusing any member that is not a plain file at its top). Verified on paper only beyond that.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import sklearn

from cur_model.dataset import feature_matrix
from cur_model.errors import TrainingError
from cur_model.train import DESCRIPTION_FILE, MODEL_FILE

KEY = "cust_id"
"""The customer token column of ``customer_features`` and of the output."""

TAG_SUFFIX = "_propensity"
"""A model tag is its target tag's name with this suffix: ``digital_native`` -> ``digital_native_propensity``."""

OUTPUT_SCHEMA = pa.schema(
    [
        pa.field("cust_id", pa.string(), nullable=False),
        pa.field("tag", pa.string(), nullable=False),
        pa.field("model_version", pa.string(), nullable=False),
    ]
)
"""The rows the step writes: ``consumption.model_tags`` without its partition column."""

SAGEMAKER_MODEL_ARCHIVE = "model.tar.gz"
"""What a SageMaker training job leaves of ``SM_MODEL_DIR`` under its output path: the folder's files, gzipped."""

_VERSION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")


class ScoringError(TrainingError):
    """The model or the features cannot be scored: a missing file or column, another scikit-learn version."""

    code = "SCORING_FAILED"


@dataclass(frozen=True)
class ScoringResult:
    """What a scoring run did: counts only."""

    version_id: str
    tag: str
    threshold: float
    scored: int
    tagged: int


def model_tag_name(target_tag: str) -> str:
    """The model tag of a target tag."""
    return f"{target_tag}{TAG_SUFFIX}"


def score(model_dir: Path, version_id: str, features: Sequence[Path], output: Path, threshold: float) -> ScoringResult:
    """Scores every customer of ``features`` with the model of ``model_dir``; writes the tagged ones to ``output``."""
    if not _VERSION_ID.match(version_id):
        raise ScoringError("the version id is not a model version id")
    if not 0 < threshold < 1:
        raise ScoringError("the threshold must lie strictly between 0 and 1")
    with _unpacked(model_dir) as model_files:
        return _score(model_files, version_id, _feature_files(features), output, threshold)


def _score(model_dir: Path, version_id: str, features: Sequence[Path], output: Path, threshold: float) -> ScoringResult:
    summary = _read_summary(model_dir)
    numeric = tuple(str(name) for name in summary["features"]["numeric"])
    categorical = tuple(str(name) for name in summary["features"]["categorical"])
    tag = model_tag_name(str(summary["target_tag"]))
    table = _read_features(features, (KEY, *numeric, *categorical))
    if table.num_rows == 0:
        pipeline = None
        tokens: list[str] = []
    else:
        pipeline = joblib.load(model_dir / MODEL_FILE)
        probabilities = np.asarray(
            pipeline.predict_proba(feature_matrix(table, numeric, categorical))[:, 1], dtype=np.float64
        )
        chosen = pa.array(probabilities >= threshold)
        tokens = sorted(pc.filter(table.column(KEY), chosen).to_pylist())
    rows = pa.table(
        {"cust_id": tokens, "tag": [tag] * len(tokens), "model_version": [version_id] * len(tokens)},
        schema=OUTPUT_SCHEMA,
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(rows, output)
    return ScoringResult(version_id, tag, threshold, table.num_rows, len(tokens))


def main(argv: Sequence[str] | None = None) -> int:
    """The step's entry: one JSON line of counts on stdout, or exit 1 with the coded reason on stderr."""
    parser = argparse.ArgumentParser(prog="cur_model.score", description="Applies the scoring model version.")
    parser.add_argument("--model-dir", required=True, type=Path)
    parser.add_argument("--version-id", required=True)
    parser.add_argument("--features", required=True, nargs="+", type=Path)
    parser.add_argument("--output", required=True, type=Path)
    parser.add_argument("--threshold", type=float, default=0.5)
    arguments = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        result = score(
            arguments.model_dir, arguments.version_id, arguments.features, arguments.output, arguments.threshold
        )
    except TrainingError as error:
        print(f"error: {error}", file=sys.stderr, flush=True)
        return 1
    print(
        json.dumps(
            {
                "version_id": result.version_id,
                "tag": result.tag,
                "threshold": result.threshold,
                "scored": result.scored,
                "tagged": result.tagged,
            }
        ),
        flush=True,
    )
    return 0


@contextmanager
def _unpacked(model_dir: Path) -> Iterator[Path]:
    """The model folder as the training job wrote it: ``model_dir`` itself, or its ``model.tar.gz`` unpacked."""
    archive = model_dir / SAGEMAKER_MODEL_ARCHIVE
    if (model_dir / MODEL_FILE).is_file() or not archive.is_file():
        yield model_dir
        return
    with tempfile.TemporaryDirectory(prefix="cur-model-") as folder, tarfile.open(archive, "r:gz") as packed:
        wanted = {MODEL_FILE, DESCRIPTION_FILE}
        members = [m for m in packed.getmembers() if m.name.removeprefix("./") in wanted]
        if any(not m.isfile() for m in members):
            raise ScoringError(f"{SAGEMAKER_MODEL_ARCHIVE} holds a model file that is not a plain file")
        for member in members:
            source = packed.extractfile(member)
            if source is None:
                raise ScoringError(f"{SAGEMAKER_MODEL_ARCHIVE} holds a model file that is not a plain file")
            # Written by name, never by the member's path or mode: nothing lands outside the folder.
            (Path(folder) / member.name.removeprefix("./")).write_bytes(source.read())
        yield Path(folder)


def _feature_files(paths: Sequence[Path]) -> list[Path]:
    """Each path, a folder standing for its Parquet files (a Processing job's input folder), in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.parquet"))
            if not found:
                raise ScoringError(f"the features folder {path.name} holds no Parquet file")
            files.extend(found)
        else:
            files.append(path)
    return files


def _read_summary(model_dir: Path) -> dict[str, Any]:
    for name in (MODEL_FILE, DESCRIPTION_FILE):
        if not (model_dir / name).is_file():
            raise ScoringError(f"the model folder has no {name}")
    invalid = ScoringError(f"{DESCRIPTION_FILE} is not a model description")
    try:
        summary: dict[str, Any] = json.loads((model_dir / DESCRIPTION_FILE).read_text(encoding="utf-8"))
        trained_with = str(summary["runtime"]["scikit_learn"])
        described = summary["features"]
        shaped = isinstance(described["numeric"], list) and isinstance(described["categorical"], list)
        target = summary["target_tag"]
    except (ValueError, KeyError, TypeError):
        raise invalid from None
    if not shaped or not isinstance(target, str):
        raise invalid
    if _minor(trained_with) != _minor(sklearn.__version__):
        raise ScoringError(
            f"the model was trained with scikit-learn {trained_with}, this environment has {sklearn.__version__}"
        )
    return summary


def _read_features(files: Sequence[Path], columns: tuple[str, ...]) -> pa.Table:
    tables: list[pa.Table] = []
    for path in files:
        if not path.is_file():
            raise ScoringError(f"features file {path.name} is missing")
        present = pq.read_schema(path).names
        missing = [name for name in columns if name not in present]
        if missing:
            raise ScoringError(f"the features lack columns the model needs: {', '.join(missing)}")
        # One file as it is: no Hive partition discovery from a lake path (business_date=...), which the file holds.
        tables.append(pq.ParquetFile(path).read(columns=list(columns)))
    return pa.concat_tables(tables, promote_options="permissive") if len(tables) > 1 else tables[0]


def _minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


if __name__ == "__main__":
    sys.exit(main())
