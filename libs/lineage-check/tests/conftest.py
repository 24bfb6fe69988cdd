"""One demo for the whole run: `cur demo` on a small population in a temporary state folder, keeping its plaintext
extracts as canaries, then `cur lineage export` of what it ran."""

from __future__ import annotations

import json

import pytest

from cur_lineage_check.demo import Demo, run_cur


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    home = tmp_path_factory.mktemp("cur-home")
    run_cur("demo", "--customers", "150", "--keep-plaintext-extracts", home=home)
    lineage_file = home.parent / "lineage.json"
    run_cur("lineage", "export", "--out", str(lineage_file), home=home)
    datasets = json.loads(run_cur("datasets", "--json", home=home))
    return Demo(home=home, lineage_file=lineage_file, datasets=datasets)
