"""No model output holds a plaintext value, and none but ``model_tags`` a customer token: the saved model, its
description and metrics, the history's exports, the scoring step's output, the training log, the history as JSON
and its chart. The demo's own extracts and lake are the canaries; a planted value is found in each kind of output."""

from __future__ import annotations

import json
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cur_lineage_check.canaries import extract_canaries, lake_token_canaries, sensitive_columns
from cur_lineage_check.demo import Demo, ModelRun
from cur_lineage_check.model_outputs import MODEL_OUTPUT_FOLDERS, ModelOutput, leaks, model_outputs


def _outputs(run: ModelRun) -> list[ModelOutput]:
    return model_outputs(run.home, run.printed)


def test_the_scan_covers_every_kind_of_model_output(model_run: ModelRun) -> None:
    wheres = [output.where for output in _outputs(model_run)]

    for expected in ("model.joblib", "model.json", "exports/model_history/", "exports/model_score_distributions/"):
        assert any(expected in where for where in wheres), expected
    assert any(where.startswith("lake/consumption/model_tags/") and where.endswith(".parquet") for where in wheres)
    assert "<svg" in model_run.printed["cur model history --chart"]
    assert (
        "metric validation:auc="
        in model_run.printed["cur model train (stdout)"] + model_run.printed["cur model train (stderr)"]
    )


def test_no_model_output_holds_a_plaintext_value(demo: Demo, model_run: ModelRun) -> None:
    canaries = extract_canaries(demo.home / "extracts", sensitive_columns(demo.datasets))

    found = leaks(_outputs(model_run), canaries)

    assert len(canaries) > 500
    assert found == []


def test_no_model_output_but_model_tags_holds_a_stored_token(demo: Demo, model_run: ModelRun) -> None:
    tokens = lake_token_canaries(demo.home / "lake" / "raw", sensitive_columns(demo.datasets, frozenset({"direct"})))
    outputs = _outputs(model_run)

    found = leaks(outputs, [], tokens)

    assert len(tokens) > 500
    assert found == []
    # model_tags lists customers by token, so the token canaries do reach the outputs scanned.
    assert any(output.holds_tokens and any(token in output.text for token in tokens) for output in outputs)


def _plant_in_model(path: Path, value: str) -> None:
    """The value as an encoder keeps a learnt category: a numpy array of fixed-width (UTF-32) strings, pickled as
    joblib pickles arrays, after the model's own bytes."""
    categories = np.array([value, "other"])
    assert categories.dtype.kind == "U"
    path.write_bytes(path.read_bytes() + pickle.dumps(categories))


def _plant_in_json(path: Path, value: str) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    document["note"] = value
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def _plant_in_parquet(path: Path, value: str) -> None:
    table = pq.read_table(path)
    pq.write_table(table.append_column("note", pa.array([value] * table.num_rows, pa.string())), path)


@pytest.mark.parametrize(
    ("kind", "suffix", "plant"),
    [
        ("the saved model", "model.joblib", _plant_in_model),
        ("the model's description", "model.json", _plant_in_json),
        ("the history export", "model_history/part-0.parquet", _plant_in_parquet),
        ("the model tags", ".parquet", _plant_in_parquet),
    ],
)
def test_the_scan_finds_a_plaintext_identifier_planted_in_a_model_file(
    demo: Demo, model_run: ModelRun, tmp_path: Path, kind: str, suffix: str, plant: Callable[[Path, str], None]
) -> None:
    # Prepare: a copy of the model outputs, one file of the kind carrying a national ID from the extracts.
    canaries = extract_canaries(demo.home / "extracts", sensitive_columns(demo.datasets, frozenset({"direct"})))
    national_id = next(value for value in sorted(canaries) if len(value) == 10 and value[1:].isdigit())
    for folder in MODEL_OUTPUT_FOLDERS:
        shutil.copytree(model_run.home / folder, tmp_path / folder)
    folder = "lake/consumption/model_tags" if kind == "the model tags" else "lake/system/model-history"
    target = next(p for p in sorted((tmp_path / folder).rglob("*")) if p.is_file() and str(p).endswith(suffix))
    plant(target, national_id)

    # Act
    found = leaks(model_outputs(tmp_path), canaries)

    # Assess
    assert found == [f"{target.relative_to(tmp_path)}: 1 plaintext value(s)"], kind


@pytest.mark.parametrize(
    "printed", ["cur model train (stdout)", "cur model history --json", "cur model history --chart"]
)
def test_the_scan_finds_a_plaintext_name_planted_in_what_a_command_printed_or_drew(
    demo: Demo, model_run: ModelRun, printed: str
) -> None:
    canaries = extract_canaries(demo.home / "extracts", sensitive_columns(demo.datasets))
    name = next(value for value in sorted(canaries) if not value.isascii())
    texts = {**model_run.printed, printed: model_run.printed[printed] + f"<text>{name}</text>"}

    found = leaks([ModelOutput(where, text) for where, text in texts.items()], canaries)

    assert found == [f"{printed}: 1 plaintext value(s)"]
