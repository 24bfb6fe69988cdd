"""Canaries: the plaintext values of a demo's extracts, the tokens its lake holds, and the key files of its state
folder, to look for in everything lineage writes."""

from __future__ import annotations

import base64
import csv
import gzip
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyarrow.parquet as pq

#: Values shorter than this are too common to mean anything when found ("M", "1", a branch code).
MIN_CANARY_LENGTH = 6


def sensitive_columns(
    datasets: Iterable[Mapping[str, object]], classifications: frozenset[str] = frozenset({"quasi", "direct", "secret"})
) -> dict[str, set[str]]:
    """Each dataset's columns of these classifications, from `cur datasets --json`."""
    found: dict[str, set[str]] = {}
    for dataset in datasets:
        columns = dataset["columns"]
        if not isinstance(columns, list):
            raise TypeError(f"dataset {dataset['name']!r} has no column list")
        found[str(dataset["name"])] = {str(c["name"]) for c in columns if c["classification"] in classifications}
    return found


def extract_canaries(extracts: Path, sensitive: Mapping[str, set[str]]) -> set[str]:
    """Every value of a sensitive column in the extracts (control file + CSV, Big5 or UTF-8, maybe gzipped)."""
    canaries: set[str] = set()
    for control_path in sorted(extracts.glob("*.ctl")):
        control = json.loads(control_path.read_text(encoding="utf-8"))
        raw = (extracts / control["file"]).read_bytes()
        if control["file"].endswith(".gz"):
            raw = gzip.decompress(raw)
        rows = csv.DictReader(io.StringIO(raw.decode(control["encoding"])))
        columns = sensitive.get(control["dataset"], set())
        canaries.update(value for row in rows for name, value in row.items() if name in columns and value)
    return {value for value in canaries if len(value) >= MIN_CANARY_LENGTH}


def lake_token_canaries(raw_zone: Path, sensitive: Mapping[str, set[str]]) -> set[str]:
    """Every stored value of the given columns in the raw zone's Parquet files (pass the direct and secret columns:
    their tokens; a quasi column's generalised values, a year or a month, are as common as a business date)."""
    canaries: set[str] = set()
    for dataset, columns in sensitive.items():
        for path in sorted((raw_zone / dataset).glob("**/*.parquet")):
            table = pq.ParquetFile(path).read()  # one file: no partition folders inferred
            for name in columns & set(table.column_names):
                canaries.update(str(value) for value in table.column(name).to_pylist() if value is not None)
    return {value for value in canaries if len(value) >= MIN_CANARY_LENGTH}


def key_canaries(keys_dir: Path) -> set[str]:
    """The key files' bytes as text, hex, base64 and base64url, and each line of a text key."""
    canaries: set[str] = set()
    for path in sorted(keys_dir.iterdir()):
        data = path.read_bytes()
        canaries.update(
            {data.hex(), base64.b64encode(data).decode(), base64.urlsafe_b64encode(data).decode().rstrip("=")}
        )
        canaries.update(line.strip() for line in data.decode("latin-1").splitlines() if len(line.strip()) >= 16)
    return canaries


def found_canaries(text: str, canaries: Iterable[str]) -> list[str]:
    """The canaries that occur in `text` (the caller reports how many, never which)."""
    return [canary for canary in canaries if canary in text]
