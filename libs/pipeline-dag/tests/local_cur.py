"""The `cur` command and the two cur services the local DAG run needs (tests/local_cur_services.ts), run with node from
this repository's TypeScript sources, as `npx cur` runs them. Every call names its state folder (``CUR_HOME``) and
may add environment variables (``CUR_DYNAMODB_ENDPOINT`` for moto's server)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from airflow.sdk.exceptions import AirflowException

REPO_ROOT = Path(__file__).resolve().parents[3]
CUR = REPO_ROOT / "tools" / "cli" / "bin" / "cur.js"
SERVICES = Path(__file__).resolve().parent / "local_cur_services.ts"


def cur_env(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a cur process on the state folder ``home``."""
    return {
        **os.environ,
        "CUR_HOME": str(home),
        "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED": "true",
        **(extra or {}),
    }


def node() -> str:
    found = shutil.which("node")
    if found is None:
        raise AirflowException("node runs the cur command")
    return found


def run_cur(*args: str, home: Path, env: Mapping[str, str] | None = None) -> str:
    """Runs `cur ARGS` on the state folder ``home``; returns its stdout, or raises with the end of its stderr (cur's
    coded errors name steps, keys and columns, never a value)."""
    done = subprocess.run(  # noqa: S603 - node and this repository's own script
        [node(), str(CUR), *args],
        cwd=REPO_ROOT,
        env=cur_env(home, env),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise AirflowException(f"cur {' '.join(args[:3])} exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout


#: Starts the serving-load handler's response line (its logs and metrics are on stdout too).
RESPONSE_MARK = "@cur-local-lambda@ "


def serving_load(payload: Mapping[str, Any], home: Path, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The serving-load Lambda's handler (apps/serving-load) invoked with ``payload`` over the state folder ``home``,
    its scratch folder a temporary one: its response (version ids, counts), or raises with the end of its stderr."""
    with tempfile.TemporaryDirectory(prefix="cur-serving-load-") as scratch:
        done = subprocess.run(  # noqa: S603 - node and this repository's own script
            [node(), "--import", "tsx", str(SERVICES), "serving-load", json.dumps(payload)],
            cwd=REPO_ROOT,
            env=cur_env(home, {**(env or {}), "CUR_SERVING_SCRATCH_DIR": scratch}),
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise AirflowException(f"the serving-load handler exited {done.returncode}: {done.stderr[-2000:]}")
    [response] = [line[len(RESPONSE_MARK) :] for line in done.stdout.splitlines() if line.startswith(RESPONSE_MARK)]
    loaded: dict[str, Any] = json.loads(response)
    return loaded


class LoopbackKeyService:
    """The masking-key-service's handler on loopback, on the state folder's keys, until :meth:`close`: its tokenize
    URL and the per-run SYSTEM credential, which goes only into the mask job's environment."""

    def __init__(self, home: Path, log: Path, env: Mapping[str, str] | None = None) -> None:
        self._log: IO[bytes] = log.open("ab")
        self._process = subprocess.Popen(  # noqa: S603 - node and this repository's own script
            [node(), "--import", "tsx", str(SERVICES), "key-service"],
            cwd=REPO_ROOT,
            env=cur_env(home, env),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )
        first = self._process.stdout.readline() if self._process.stdout is not None else ""
        if not first:
            self.close()
            raise AirflowException(f"the loopback key service exited {self._process.poll()} (see {log.name})")
        started = json.loads(first)
        self.tokenize_url: str = started["tokenizeUrl"]
        self.credential: str = started["credential"]

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=60)
        self._log.close()
