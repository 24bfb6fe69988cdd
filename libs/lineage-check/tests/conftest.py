"""One demo for the whole run: `cur demo` on a small population in a temporary state folder, keeping its plaintext
extracts as canaries, then `cur lineage export` of what it ran."""

from __future__ import annotations

import json

import pytest

from cur_lineage_check.demo import Demo, ModelRun, run_cur, run_cur_streams


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    home = tmp_path_factory.mktemp("cur-home")
    run_cur("demo", "--customers", "150", "--keep-plaintext-extracts", home=home)
    lineage_file = home.parent / "lineage.json"
    run_cur("lineage", "export", "--out", str(lineage_file), home=home)
    datasets = json.loads(run_cur("datasets", "--json", home=home))
    return Demo(home=home, lineage_file=lineage_file, datasets=datasets)


@pytest.fixture(scope="session")
def model_run(demo: Demo) -> ModelRun:
    """On the demo: `cur model train` (its log), `model history --json` and `--chart`, `model promote`, then
    `cur run` of the trained date, which scores it into `consumption.model_tags`."""
    # On 150 customers the branch code varies like an identifier, which the job refuses as a feature: leave it out.
    train = ("--role", "DS", "model", "train", "--params", "exclude_features=branch_code")
    train_out, train_err = run_cur_streams(*train, home=demo.home)
    chart = demo.home.parent / "model-trend.svg"
    history = run_cur("--role", "DS", "model", "history", "--json", "--chart", str(chart), home=demo.home)
    version = json.loads(history)["versions"][-1]
    run_cur("--role", "DS", "model", "promote", version["versionId"], home=demo.home)
    business_date = version["data"][0]["businessDate"]
    run_out = run_cur("run", "--date", business_date, home=demo.home)
    printed = {
        "cur model train (stdout)": train_out,
        "cur model train (stderr)": train_err,
        "cur model history --json": history,
        "cur model history --chart": chart.read_text(encoding="utf-8"),
        "cur run (scoring)": run_out,
    }
    return ModelRun(home=demo.home, printed=printed)
