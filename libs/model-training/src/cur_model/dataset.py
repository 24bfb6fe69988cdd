"""The training channel: ``dataset.json`` (what the files are, as the contracts classify them) and Parquet files of
``consumption.customer_features`` and ``consumption.customer_tags`` exactly as the DS role sees them.

``cur model train`` writes the channel from the lake through the DS role's view (libs/policy); in AWS the same files
and description are the job's S3 input. Features are chosen from the description, never guessed from the data:
only ``public`` columns that are not a key, less the columns the target tag's own rule reads (otherwise the model
would learn the rule back) and the ones the hyperparameters exclude. :func:`assert_no_identifiers` then checks the
chosen features again, against the description and the data, so neither a mis-declared column nor a token-shaped
one can become a feature.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cur_model.errors import DatasetError, FeatureLeakError, HyperparameterError
from cur_model.hyperparameters import Hyperparameters

DESCRIPTION_FILE = "dataset.json"

MISSING_CATEGORY = "(missing)"
"""What a null text feature becomes: its own category."""

TOKEN_SHAPE = re.compile(r"^v\d+\.[A-Za-z0-9_-]{16,}$")
"""An AES-SIV token as the mask step writes it (``v<version>.<base64url>``)."""

MIN_CLASS_SIZE = 10
"""Fewest customers with and without the tag for a holdout metric to mean anything."""

IDENTIFIER_MIN_DISTINCT = 50
"""A text feature with more distinct values than this and than half the rows is taken for an identifier."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnSpec(_Strict):
    """One column as the contract declares it."""

    name: str
    type: str
    classification: Literal["public", "quasi", "direct", "secret"]


class TableSpec(_Strict):
    """One dataset's files in the channel (paths relative to it) and its columns as the role sees them."""

    dataset: str
    key: tuple[str, ...] = Field(min_length=1)
    columns: tuple[ColumnSpec, ...] = Field(min_length=1)
    files: tuple[str, ...] = Field(min_length=1)


class TagSpec(_Strict):
    """A rule-based tag and the feature columns its rule reads."""

    name: str
    reads: tuple[str, ...]


class LineageEntry(_Strict):
    """One published partition the data came from: its manifest's identity and content hash."""

    zone: str
    dataset: str
    business_date: str
    content_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    rows: int = Field(ge=0)


class DatasetDescription(_Strict):
    """``dataset.json``: written by ``cur model train`` (generated from the contracts and the DS role's view)."""

    format: Literal[1]
    role: str
    business_date: str
    features: TableSpec
    labels: TableSpec
    tags: tuple[TagSpec, ...] = Field(min_length=1)
    lineage: tuple[LineageEntry, ...] = Field(min_length=1)


@dataclass(frozen=True)
class FeatureSelection:
    """Which columns are features, and why the others are not."""

    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    left_out: dict[str, str]

    @property
    def all(self) -> tuple[str, ...]:
        return self.numeric + self.categorical


@dataclass(frozen=True)
class TrainingData:
    """Rows ordered by the key (so file order does not change the model), the key itself already dropped."""

    features: FeatureSelection
    x: npt.NDArray[np.object_]
    y: npt.NDArray[np.int_]


def read_description(channel: Path) -> DatasetDescription:
    """Reads and validates ``dataset.json`` of the channel."""
    path = channel / DESCRIPTION_FILE
    if not path.is_file():
        raise DatasetError(f"the training channel has no {DESCRIPTION_FILE}")
    try:
        return DatasetDescription.model_validate_json(path.read_bytes())
    except ValidationError as error:
        where = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()[:5])
        raise DatasetError(f"{DESCRIPTION_FILE} is not a valid description: {where}") from None


def select_features(description: DatasetDescription, hyperparameters: Hyperparameters) -> FeatureSelection:
    """The features: public, non-key columns, less the target rule's columns and the excluded ones."""
    tags = {tag.name: tag for tag in description.tags}
    target = tags.get(hyperparameters.target_tag)
    if target is None:
        raise HyperparameterError(f"target_tag must be one of {', '.join(sorted(tags))}")
    names = {column.name for column in description.features.columns}
    unknown = [name for name in hyperparameters.exclude_features if name not in names]
    if unknown:
        raise HyperparameterError(f"exclude_features names columns customer_features lacks: {', '.join(unknown)}")
    numeric: list[str] = []
    categorical: list[str] = []
    left_out: dict[str, str] = {}
    for column in description.features.columns:
        if column.name in description.features.key:
            left_out[column.name] = "key"
        elif column.classification != "public":
            left_out[column.name] = f"classified {column.classification}"
        elif column.name in target.reads:
            left_out[column.name] = f"read by the rule of {target.name}"
        elif column.name in hyperparameters.exclude_features:
            left_out[column.name] = "exclude_features"
        elif _is_numeric(column.type):
            numeric.append(column.name)
        else:
            categorical.append(column.name)
    if not numeric and not categorical:
        raise HyperparameterError("no feature is left after the exclusions")
    return FeatureSelection(tuple(numeric), tuple(categorical), left_out)


def assert_no_identifiers(selection: FeatureSelection, description: DatasetDescription, table: pa.Table) -> None:
    """The wall: no key, no non-public column, no token-shaped or identifier-like text among the features."""
    declared = {column.name: column for column in description.features.columns}
    for name in selection.all:
        column = declared.get(name)
        if column is None:
            raise FeatureLeakError(f"feature {name} is not a declared column of {description.features.dataset}")
        if name in description.features.key or name in description.labels.key:
            raise FeatureLeakError(f"feature {name} is a key of the customer")
        if column.classification != "public":
            raise FeatureLeakError(f"feature {name} is classified {column.classification}")
    rows = table.num_rows
    for name in selection.categorical:
        values = table.column(name)
        distinct = pc.count_distinct(values).as_py()
        if distinct > IDENTIFIER_MIN_DISTINCT and distinct > rows / 2:
            raise FeatureLeakError(f"feature {name} has {distinct} distinct values in {rows} rows: an identifier")
        if pc.any(pc.match_substring_regex(values, TOKEN_SHAPE.pattern)).as_py():
            raise FeatureLeakError(f"feature {name} holds token-shaped values")


def load_training_data(
    channel: Path, description: DatasetDescription, hyperparameters: Hyperparameters
) -> TrainingData:
    """Reads the channel's files, labels each customer (carries the target tag or not) and builds the feature matrix."""
    features = _read_table(channel, description.features)
    labels = _read_table(channel, description.labels)
    key = description.features.key[0]
    if len(description.features.key) != 1 or description.labels.key[0] != key or "tag" not in labels.column_names:
        raise DatasetError("features and labels must share one key column, and labels need a tag column")
    selection = select_features(description, hyperparameters)
    assert_no_identifiers(selection, description, features)

    features = features.sort_by(key)
    carriers = pc.filter(labels.column(key), pc.equal(labels.column("tag"), hyperparameters.target_tag))
    y = pc.is_in(features.column(key), value_set=carriers.combine_chunks()).to_numpy(zero_copy_only=False)
    y = y.astype(np.int_)
    positives = int(y.sum())
    negatives = int(len(y) - positives)
    if min(positives, negatives) < MIN_CLASS_SIZE:
        raise DatasetError(
            f"target_tag {hyperparameters.target_tag}: {positives} customers carry it and {negatives} do not; "
            f"at least {MIN_CLASS_SIZE} of each are needed"
        )
    x = feature_matrix(features, selection.numeric, selection.categorical)
    return TrainingData(selection, x, y)


def feature_matrix(table: pa.Table, numeric: tuple[str, ...], categorical: tuple[str, ...]) -> npt.NDArray[np.object_]:
    """The matrix the pipeline takes: numbers as floats (nulls as NaN), text with nulls as their own category."""
    columns: list[npt.NDArray[np.object_]] = []
    for name in numeric:
        array = pc.cast(table.column(name), pa.float64()).to_numpy(zero_copy_only=False)
        columns.append(np.asarray(array, dtype=np.float64).astype(object))
    for name in categorical:
        text = pc.fill_null(pc.cast(table.column(name), pa.string()), MISSING_CATEGORY)
        columns.append(np.asarray(text.to_pylist(), dtype=object))
    return np.column_stack(columns) if columns else np.empty((table.num_rows, 0), dtype=object)


def read_features(channel: Path, description: DatasetDescription) -> pa.Table:
    """The channel's features table, checked against the description, ordered by the customer key."""
    return _read_table(channel, description.features).sort_by(description.features.key[0])


def _table_files(channel: Path, spec: TableSpec) -> list[Path]:
    """The files of a table: each entry a file, or a folder (ending in ``/``) whose every file is one, in name order.

    A folder is how the AWS launcher stages a table: Athena's UNLOAD chooses its files' names.
    """
    root = channel.resolve()
    files: list[Path] = []
    for relative in spec.files:
        path = (channel / relative).resolve()
        if root not in path.parents:
            raise DatasetError(f"{spec.dataset}: file {relative} lies outside the channel")
        if relative.endswith("/"):
            found = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []
            if not found:
                raise DatasetError(f"{spec.dataset}: folder {relative} of the channel holds no file")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise DatasetError(f"{spec.dataset}: file {relative} is missing from the channel")
    return files


def _read_table(channel: Path, spec: TableSpec) -> pa.Table:
    tables = [pq.read_table(path) for path in _table_files(channel, spec)]
    table = pa.concat_tables(tables, promote_options="permissive") if len(tables) > 1 else tables[0]
    declared = [column.name for column in spec.columns]
    missing = [name for name in declared if name not in table.column_names]
    undeclared = [name for name in table.column_names if name not in declared]
    if missing or undeclared:
        raise DatasetError(
            f"{spec.dataset}: the files' columns differ from the description"
            f" (missing: {', '.join(missing) or 'none'}; undeclared: {', '.join(undeclared) or 'none'})"
        )
    return table


def _is_numeric(contract_type: str) -> bool:
    return contract_type in ("int", "bigint", "double") or contract_type.startswith("decimal")


def description_json(description: DatasetDescription) -> str:
    """The description as the channel stores it (tests write channels with it)."""
    return json.dumps(description.model_dump(mode="json"), indent=2)
