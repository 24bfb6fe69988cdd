"""Feature selection and the wall against identifiers: what the model may learn from."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from channel_builder import FEATURE_COLUMNS, Channel, write_channel

from cur_model.dataset import load_training_data, read_description, select_features
from cur_model.errors import DatasetError, FeatureLeakError, HyperparameterError
from cur_model.hyperparameters import Hyperparameters


def test_no_identifier_or_token_among_the_features(channel: Channel) -> None:
    description = read_description(channel.path)
    data = load_training_data(channel.path, description, Hyperparameters())

    features = set(data.features.all)
    assert "cust_id" not in features
    assert "email" not in features
    assert "birth_year" not in features  # quasi: never a feature, even generalised
    assert data.features.left_out["cust_id"] == "key"
    assert data.features.left_out["email"] == "classified direct"
    assert data.features.left_out["card_txn_count_1m"] == "read by the rule of digital_native"
    values = {str(value) for value in data.x.ravel()}
    assert not values & set(channel.customer_tokens)
    assert not values & set(channel.email_tokens)


def test_the_rule_of_another_target_is_left_out_instead(channel: Channel) -> None:
    description = read_description(channel.path)
    selection = select_features(
        description, Hyperparameters(target_tag="high_value", exclude_features=("tenure_months",))
    )
    assert "aum_total" not in selection.all
    assert "card_txn_count_1m" in selection.numeric
    assert selection.left_out["tenure_months"] == "exclude_features"


def test_a_token_column_declared_public_is_refused(tmp_path: Path) -> None:
    columns = [dict(c, classification="public") if c["name"] == "email" else c for c in FEATURE_COLUMNS]
    channel = write_channel(tmp_path / "train", columns=columns)

    with pytest.raises(FeatureLeakError, match="email"):
        load_training_data(channel.path, read_description(channel.path), Hyperparameters())


def test_an_identifier_like_text_column_is_refused(tmp_path: Path) -> None:
    columns = [*FEATURE_COLUMNS, {"name": "customer_ref", "type": "string", "classification": "public"}]
    refs: list[object] = [f"R{i:06d}" for i in range(600)]
    channel = write_channel(tmp_path / "train", columns=columns, extra={"customer_ref": refs})

    with pytest.raises(FeatureLeakError, match="customer_ref has 600 distinct values"):
        load_training_data(channel.path, read_description(channel.path), Hyperparameters())


def test_an_undeclared_column_in_the_files_is_refused(tmp_path: Path) -> None:
    columns = [c for c in FEATURE_COLUMNS if c["name"] != "gender"]
    channel = write_channel(tmp_path / "train", columns=columns)
    (channel.path / "dataset.json").write_text(
        (channel.path / "dataset.json").read_text().replace('"name": "age_band"', '"name": "age_band_x"')
    )
    with pytest.raises(DatasetError, match="undeclared: age_band"):
        load_training_data(channel.path, read_description(channel.path), Hyperparameters())


def test_unknown_target_and_exclusions_name_the_hyperparameter(channel: Channel) -> None:
    description = read_description(channel.path)
    with pytest.raises(HyperparameterError, match="target_tag must be one of digital_native, high_value, nobody"):
        select_features(description, Hyperparameters(target_tag="no_such_tag"))
    with pytest.raises(HyperparameterError, match="exclude_features names columns customer_features lacks: shoe_size"):
        select_features(description, Hyperparameters(exclude_features=("shoe_size",)))


def test_a_tag_nobody_carries_cannot_be_learnt(channel: Channel) -> None:
    with pytest.raises(DatasetError, match="nobody: 0 customers carry it"):
        load_training_data(channel.path, read_description(channel.path), Hyperparameters(target_tag="nobody"))


def test_a_channel_without_description_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"no dataset\.json"):
        read_description(tmp_path)


def test_a_folder_entry_reads_every_file_under_it_as_athena_unload_stages_a_table(tmp_path: Path) -> None:
    # Prepare: the same rows split into files named as UNLOAD names them (no extension), in folders listed with "/".
    channel = write_channel(tmp_path / "train")
    expected = load_training_data(channel.path, read_description(channel.path), Hyperparameters())
    for folder in ("features", "labels"):
        table = pq.read_table(channel.path / folder / "part-0.parquet")
        (channel.path / folder / "part-0.parquet").unlink()
        half = table.num_rows // 2
        pq.write_table(table.slice(0, half), channel.path / folder / "20261207_050000_00001_abcde_0")
        pq.write_table(table.slice(half), channel.path / folder / "20261207_050000_00001_abcde_1")
    description = json.loads((channel.path / "dataset.json").read_text())
    description["features"]["files"], description["labels"]["files"] = ["features/"], ["labels/"]
    (channel.path / "dataset.json").write_text(json.dumps(description))

    # Act
    staged = load_training_data(channel.path, read_description(channel.path), Hyperparameters())

    # Assess
    assert staged.features == expected.features
    assert repr(staged.x.tolist()) == repr(expected.x.tolist())  # repr: a missing number is NaN, unequal to itself
    assert (staged.y == expected.y).all()


def test_an_empty_or_escaping_folder_entry_is_refused(tmp_path: Path) -> None:
    channel = write_channel(tmp_path / "train")
    (channel.path / "empty").mkdir()
    for files, message in ((["empty/"], "folder empty/ of the channel holds no file"), (["../"], "lies outside")):
        description = json.loads((channel.path / "dataset.json").read_text())
        description["features"]["files"] = files
        (channel.path / "dataset.json").write_text(json.dumps(description))
        with pytest.raises(DatasetError, match=message):
            load_training_data(channel.path, read_description(channel.path), Hyperparameters())
