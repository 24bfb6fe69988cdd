"""The model side's outputs as text to scan for canaries: the saved model and its description, the model history's
Parquet exports, the scoring step's ``model_tags``, and what the commands print and draw (a training's log, the
history as JSON, the trend chart).

A file is read the way a person or a tool would find a value in it: Parquet through its rows, text as UTF-8, and any
other file (``model.joblib``, a pickle with numpy buffers) as its bytes decoded every way a string can sit in it:
UTF-8 (pickled ``str``) and UTF-32-LE at each alignment (numpy's fixed-width ``<U`` arrays, such as an encoder's
categories).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

#: The folders of a state folder that hold model outputs, and whether customer tokens are their content by design
#: (``model_tags`` lists the customers a model tags, by token; nothing else may hold one).
MODEL_OUTPUT_FOLDERS: Mapping[str, bool] = {
    "lake/system/model-history/artefacts": False,
    "lake/system/model-history/exports": False,
    "lake/consumption/model_tags": True,
}

_TEXT_SUFFIXES = frozenset({".json", ".jsonl", ".svg", ".txt", ".log", ".csv", ".html"})


@dataclass(frozen=True)
class ModelOutput:
    """One output: where it is (a path under the state folder, or what printed it), its text, and whether tokens
    are its content."""

    where: str
    text: str
    holds_tokens: bool = False


def binary_text(data: bytes) -> str:
    """The strings a binary file can hold, as text: its UTF-8 reading and its UTF-32-LE reading at each alignment."""
    readings = [data.decode("utf-8", errors="replace")]
    readings.extend(data[offset:].decode("utf-32-le", errors="replace") for offset in range(4))
    return "\n".join(readings)


def file_text(path: Path) -> str:
    """A file's content as text: Parquet rows as JSON, text files as they are, anything else by :func:`binary_text`."""
    if path.suffix == ".parquet":
        rows = pq.ParquetFile(path).read().to_pylist()  # one file: no partition folders inferred
        return json.dumps(rows, default=str, ensure_ascii=False)
    if path.suffix in _TEXT_SUFFIXES:
        return path.read_text(encoding="utf-8")
    return binary_text(path.read_bytes())


def model_outputs(home: Path, printed: Mapping[str, str] | None = None) -> list[ModelOutput]:
    """Every model output file of a state folder, and the printed or drawn outputs given by name."""
    outputs: list[ModelOutput] = []
    for folder, holds_tokens in MODEL_OUTPUT_FOLDERS.items():
        root = home / folder
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
        outputs.extend(ModelOutput(str(p.relative_to(home)), file_text(p), holds_tokens) for p in files)
    outputs.extend(ModelOutput(name, text) for name, text in (printed or {}).items())
    return outputs


def leaks(outputs: Iterable[ModelOutput], plaintext: Iterable[str], tokens: Iterable[str] = ()) -> list[str]:
    """Where canaries occur, as ``<where>: <n> plaintext value(s)`` or ``... stored token(s)`` (never which value):
    plaintext values anywhere, tokens in outputs that are not token lists by design."""
    plaintext = list(plaintext)
    tokens = list(tokens)
    found: list[str] = []
    for output in outputs:
        values = sum(1 for canary in plaintext if canary in output.text)
        if values:
            found.append(f"{output.where}: {values} plaintext value(s)")
        stored = 0 if output.holds_tokens else sum(1 for canary in tokens if canary in output.text)
        if stored:
            found.append(f"{output.where}: {stored} stored token(s)")
    return found
