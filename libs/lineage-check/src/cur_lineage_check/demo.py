"""Runs the `cur` command of this repository, as the tests' demo does."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: libs/lineage-check/src/cur_lineage_check -> the repository.
REPO_ROOT = Path(__file__).resolve().parents[4]
CUR = REPO_ROOT / "tools" / "cli" / "bin" / "cur.js"


@dataclass(frozen=True)
class Demo:
    """A demo's state folder, the lineage exported from it, and the declared datasets (`cur datasets --json`)."""

    home: Path
    lineage_file: Path
    datasets: list[dict[str, Any]]


@dataclass(frozen=True)
class ModelRun:
    """The demo's state folder after a training, a promotion and a scored run, and what those commands printed or
    drew, by command."""

    home: Path
    printed: dict[str, str]


class CurCommandError(RuntimeError):
    """A `cur` command exited non-zero."""


def run_cur(*args: str, home: Path) -> str:
    """Runs `cur ARGS` (its TypeScript sources, as `npx cur` does) with state folder `home`; returns its stdout."""
    return run_cur_streams(*args, home=home)[0]


def run_cur_streams(*args: str, home: Path) -> tuple[str, str]:
    """Runs `cur ARGS` as :func:`run_cur` does; returns its stdout and stderr (a training's log is both)."""
    node = shutil.which("node")
    if node is None:
        raise CurCommandError("node is needed to run the cur command")
    env = {**os.environ, "CUR_HOME": str(home), "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED": "true"}
    done = subprocess.run(  # noqa: S603 - node and the repository's own script, no shell
        [node, str(CUR), *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise CurCommandError(f"cur {' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout, done.stderr
