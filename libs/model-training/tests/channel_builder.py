"""A training channel as ``cur model train`` writes it, built from seeded synthetic customers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

CUSTOMERS = 600

FEATURE_COLUMNS: list[dict[str, str]] = [
    {"name": "cust_id", "type": "string", "classification": "direct"},
    {"name": "email", "type": "string", "classification": "direct"},
    {"name": "age_band", "type": "string", "classification": "public"},
    {"name": "gender", "type": "string", "classification": "public"},
    {"name": "branch_code", "type": "string", "classification": "public"},
    {"name": "risk_level", "type": "int", "classification": "public"},
    {"name": "tenure_months", "type": "int", "classification": "public"},
    {"name": "aum_total", "type": "decimal(18,2)", "classification": "public"},
    {"name": "card_spend_1m", "type": "decimal(18,2)", "classification": "public"},
    {"name": "card_txn_count_1m", "type": "int", "classification": "public"},
    {"name": "digital_events_30d", "type": "int", "classification": "public"},
    {"name": "app_share", "type": "double", "classification": "public"},
    {"name": "birth_year", "type": "int", "classification": "quasi"},
]

TAGS = [
    {"name": "digital_native", "reads": ["card_txn_count_1m"]},
    {"name": "high_value", "reads": ["aum_total"]},
    {"name": "nobody", "reads": ["risk_level"]},
]


@dataclass(frozen=True)
class Channel:
    """A written channel and the identifying values it holds (canaries for the artefact scans)."""

    path: Path
    customer_tokens: list[str]
    email_tokens: list[str]


def token_of(index: int) -> str:
    """A national-ID-shaped FF1 token, unique per customer."""
    return f"{'ABCDEFGHJK'[index % 10]}{1 + index % 2}{(index * 7919) % 10**8:08d}"


def write_channel(
    root: Path,
    *,
    seed: int = 7,
    columns: list[dict[str, str]] | None = None,
    extra: dict[str, list[object]] | None = None,
) -> Channel:
    """Features with a real signal (spend follows transactions), labels from the tag rules, ``dataset.json``."""
    rng = np.random.default_rng(seed)
    n = CUSTOMERS
    tokens = [token_of(i) for i in range(n)]
    emails = [f"v1.{''.join(rng.choice(list('abcdefghijklmnopqrstuvwxyzABCDEFGH0123456789-_'), 22))}" for _ in range(n)]
    txn = rng.poisson(lam=rng.choice([2, 14], size=n))
    spend = txn * rng.gamma(4, 600, size=n)
    aum = rng.lognormal(13, 1.2, size=n)
    data: dict[str, list[object]] = {
        "cust_id": list(tokens),
        "email": list(emails),
        "age_band": [str(v) for v in rng.choice(["18-24", "25-34", "35-44", "45-54", "55-64"], size=n)],
        "gender": [str(v) if v != "N" else None for v in rng.choice(["M", "F", "N"], size=n, p=[0.48, 0.48, 0.04])],
        "branch_code": [f"B{int(v):03d}" for v in rng.integers(1, 25, size=n)],
        "risk_level": [int(v) for v in rng.integers(1, 6, size=n)],
        "tenure_months": [int(v) for v in rng.integers(0, 240, size=n)],
        "aum_total": [Decimal(f"{v:.2f}") for v in aum],
        "card_spend_1m": [Decimal(f"{v:.2f}") for v in spend],
        "card_txn_count_1m": [int(v) for v in txn],
        "digital_events_30d": [int(v) for v in rng.poisson(txn / 2 + 1)],
        "app_share": [float(v) if i % 17 else None for i, v in enumerate(rng.uniform(0, 1, size=n))],
        "birth_year": [int(v) for v in rng.integers(1950, 2005, size=n)],
    }
    data.update(extra or {})
    declared = columns if columns is not None else FEATURE_COLUMNS
    schema = pa.schema(
        [
            pa.field(c["name"], pa.decimal128(18, 2) if c["type"].startswith("decimal") else _arrow_type(c["type"]))
            for c in declared
        ]
    )
    features = pa.table({c["name"]: data[c["name"]] for c in declared}, schema=schema)
    tag_rows: list[tuple[str, str]] = []
    for i, token in enumerate(tokens):
        if txn[i] >= 10:
            tag_rows.append((token, "digital_native"))
        if aum[i] >= 3_000_000:
            tag_rows.append((token, "high_value"))
    labels = pa.table({"cust_id": [r[0] for r in tag_rows], "tag": [r[1] for r in tag_rows]})
    root.mkdir(parents=True, exist_ok=True)
    (root / "features").mkdir(exist_ok=True)
    (root / "labels").mkdir(exist_ok=True)
    pq.write_table(features, root / "features" / "part-0.parquet")
    pq.write_table(labels, root / "labels" / "part-0.parquet")
    description = {
        "format": 1,
        "role": "DS",
        "business_date": "2026-11-25",
        "features": {
            "dataset": "customer_features",
            "key": ["cust_id"],
            "columns": declared,
            "files": ["features/part-0.parquet"],
        },
        "labels": {
            "dataset": "customer_tags",
            "key": ["cust_id", "tag"],
            "columns": [
                {"name": "cust_id", "type": "string", "classification": "direct"},
                {"name": "tag", "type": "string", "classification": "public"},
            ],
            "files": ["labels/part-0.parquet"],
        },
        "tags": TAGS,
        "lineage": [
            {
                "zone": "consumption",
                "dataset": "customer_features",
                "business_date": "2026-11-25",
                "content_sha256": "a" * 64,
                "rows": n,
            },
            {
                "zone": "consumption",
                "dataset": "customer_tags",
                "business_date": "2026-11-25",
                "content_sha256": "b" * 64,
                "rows": len(tag_rows),
            },
        ],
    }
    (root / "dataset.json").write_text(json.dumps(description), encoding="utf-8")
    return Channel(root, tokens, emails)


def _arrow_type(contract_type: str) -> pa.DataType:
    return {"string": pa.string(), "int": pa.int32(), "bigint": pa.int64(), "double": pa.float64()}[contract_type]


def job_environment(tmp_path: Path, channel: Path, hyperparameters: dict[str, str] | None = None) -> dict[str, str]:
    """The variables SageMaker's training toolkit sets, pointed at folders of ``tmp_path``."""
    config = tmp_path / "input" / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "hyperparameters.json").write_text(json.dumps(hyperparameters or {}), encoding="utf-8")
    return {
        "SM_INPUT_CONFIG_DIR": str(config),
        "SM_CHANNEL_TRAIN": str(channel),
        "SM_MODEL_DIR": str(tmp_path / "model"),
        "SM_OUTPUT_DIR": str(tmp_path / "output"),
        "SM_OUTPUT_DATA_DIR": str(tmp_path / "output" / "data"),
    }
