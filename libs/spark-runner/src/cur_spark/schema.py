"""The plan format and the job's summary as JSON Schema files, for the TypeScript side that renders plans.

``python -m cur_spark.schema`` rewrites the files (``nx run spark-runner:schema``); a test fails while they are stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from cur_spark.manifest import Manifest
from cur_spark.mask_request import MaskRequest, MaskResult
from cur_spark.plan import Plan
from cur_spark.platform_events import LayerPublished
from cur_spark.result import PlanResult

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "plan.schema.json": Plan,
    "plan-result.schema.json": PlanResult,
    "mask-request.schema.json": MaskRequest,
    "mask-result.schema.json": MaskResult,
    "manifest.schema.json": Manifest,
    "layer-published.schema.json": LayerPublished,
}
"""Each committed schema file, relative to the project root, and the model it is generated from."""

INPUT_MODELS: tuple[type[BaseModel], ...] = (Plan, MaskRequest, Manifest)
"""Models the TypeScript side writes (their schema says what is accepted; both sides write manifests); the others it
reads."""


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON Schema (draft 2020-12) with camelCase names, as a plan is written in JSON."""
    mode: Literal["validation", "serialization"] = "validation" if model in INPUT_MODELS else "serialization"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": "Generated from libs/spark-runner/src/cur_spark by `nx run spark-runner:schema`; do not edit.",
        **model.model_json_schema(by_alias=True, mode=mode),
    }


def render(model: type[BaseModel]) -> str:
    """The schema file's text: stable key order as generated, two-space indent, final newline."""
    return json.dumps(json_schema(model), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    """Writes every schema file; prints the ones that changed."""
    for name, model in SCHEMA_FILES.items():
        path = PROJECT_ROOT / name
        text = render(model)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
