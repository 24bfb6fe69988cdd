"""Fixtures: a training channel as ``cur model train`` writes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from channel_builder import Channel, write_channel


@pytest.fixture
def channel(tmp_path: Path) -> Channel:
    return write_channel(tmp_path / "input" / "data" / "train")
