"""Reads a file of metadata change proposals the way DataHub does and reports every one its SDK does not accept."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datahub.emitter.mcp import MetadataChangeProposalWrapper
from datahub.metadata.schema_classes import ASPECT_NAME_MAP
from datahub.utilities.urns.urn import Urn


@dataclass(frozen=True)
class ProposalError:
    """Why one proposal of a file was refused: its position, entity and aspect, and the reason."""

    index: int
    entity_urn: str
    aspect_name: str
    reason: str


def load_proposals(path: Path) -> list[dict[str, Any]]:
    """The proposals of a file in DataHub's file format: one JSON list of objects."""
    proposals = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(proposals, list) or not all(isinstance(item, dict) for item in proposals):
        raise TypeError(f"{path} is not a JSON list of metadata change proposals")
    return proposals


def validate_proposals(
    proposals: list[dict[str, Any]],
) -> tuple[list[MetadataChangeProposalWrapper], list[ProposalError]]:
    """Parses each proposal with DataHub's SDK into its aspect class.

    A proposal is accepted when the SDK parses it into a `MetadataChangeProposalWrapper` (not its untyped fallback)
    whose aspect is the class DataHub registers for the aspect name and passes the class's own validation, when the
    entity URN parses, and when every field the proposal sets survives the SDK's round trip (a field the schema does
    not declare would be silently dropped by DataHub).
    """
    parsed: list[MetadataChangeProposalWrapper] = []
    errors: list[ProposalError] = []
    for index, proposal in enumerate(proposals):
        urn = str(proposal.get("entityUrn"))
        aspect_name = str(proposal.get("aspectName"))
        expected = json.loads(json.dumps(proposal.get("aspect", {}).get("json")))
        try:
            wrapper = MetadataChangeProposalWrapper.from_obj(json.loads(json.dumps(proposal)))
            reason = _refusal(wrapper, urn, aspect_name, expected)
        except Exception as error:  # noqa: BLE001 - any SDK failure is this proposal's refusal, reported with the rest
            reason = f"{type(error).__name__}: {error}"
            wrapper = None
        if reason is None and isinstance(wrapper, MetadataChangeProposalWrapper):
            parsed.append(wrapper)
        else:
            errors.append(ProposalError(index, urn, aspect_name, reason or "not parsed"))
    return parsed, errors


def _refusal(wrapper: object, urn: str, aspect_name: str, expected: Any) -> str | None:  # noqa: ANN401 - JSON
    if not isinstance(wrapper, MetadataChangeProposalWrapper):
        return "the SDK could not parse the aspect into its class"
    aspect_class = ASPECT_NAME_MAP.get(aspect_name)
    if aspect_class is None or not isinstance(wrapper.aspect, aspect_class):
        return f"aspect is {type(wrapper.aspect).__name__}, not DataHub's class for {aspect_name!r}"
    if not wrapper.aspect.validate():
        return "the aspect fails its class's validation"
    if Urn.from_string(urn).entity_type != wrapper.entityType:
        return f"the URN's entity type is not {wrapper.entityType!r}"
    # The file format's own serialisation: unions keyed `com.linkedin.schema.X`, as `datahub ingest` writes them.
    dropped = _missing(expected, wrapper.to_obj(simplified_structure=True)["aspect"]["json"])
    if dropped:
        return f"fields the SDK drops or changes: {', '.join(dropped)}"
    return None


def _missing(expected: Any, actual: Any, path: str = "") -> list[str]:  # noqa: ANN401 - JSON
    """Paths of `expected` that `actual` does not hold with the same value (extra fields in `actual` are defaults)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [path or "."]
        return [miss for key, value in expected.items() for miss in _missing(value, actual.get(key), f"{path}.{key}")]
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [path]
        pairs = enumerate(zip(expected, actual, strict=True))
        return [miss for i, (e, a) in pairs for miss in _missing(e, a, f"{path}[{i}]")]
    return [] if expected == actual else [path]
