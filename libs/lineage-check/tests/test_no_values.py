"""No lineage record holds a plaintext value, a stored token, or a key: the demo's own data are the canaries."""

from __future__ import annotations

from cur_lineage_check.canaries import (
    extract_canaries,
    found_canaries,
    key_canaries,
    lake_token_canaries,
    sensitive_columns,
)
from cur_lineage_check.demo import Demo


def test_no_proposal_holds_a_plaintext_value_of_a_sensitive_column(demo: Demo) -> None:
    canaries = extract_canaries(demo.home / "extracts", sensitive_columns(demo.datasets))

    found = found_canaries(demo.lineage_file.read_text(encoding="utf-8"), canaries)

    assert len(canaries) > 500  # national IDs, names, addresses, card and account numbers of 150 customers
    assert len(found) == 0, f"{len(found)} plaintext values in the lineage file"


def test_no_proposal_holds_a_stored_token(demo: Demo) -> None:
    tokenised = sensitive_columns(demo.datasets, frozenset({"direct", "secret"}))
    canaries = lake_token_canaries(demo.home / "lake" / "raw", tokenised)

    found = found_canaries(demo.lineage_file.read_text(encoding="utf-8"), canaries)

    assert len(canaries) > 500
    assert len(found) == 0, f"{len(found)} stored tokens in the lineage file"


def test_no_proposal_holds_a_key(demo: Demo) -> None:
    canaries = key_canaries(demo.home / "keys")

    found = found_canaries(demo.lineage_file.read_text(encoding="utf-8"), canaries)

    assert len(canaries) >= 6
    assert len(found) == 0, f"{len(found)} key encodings in the lineage file"


def test_the_scan_finds_a_planted_value(demo: Demo) -> None:
    canaries = extract_canaries(demo.home / "extracts", sensitive_columns(demo.datasets))
    planted = sorted(canaries)[0]

    assert found_canaries(f'{{"description": "{planted}"}}', canaries) == [planted]
