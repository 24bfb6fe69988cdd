"""The long-lived Spark process of a run: ``python -m cur_spark.jobs.serve [--work-dir DIR]``.

Reads JSON-lines requests on stdin and answers each with one JSON line on stdout (see ``cur_spark.server``), in one
Spark session for the process's whole life. stdout carries answers only: the process's own file descriptor 1 is
pointed at stderr before Spark starts, so nothing the JVM or a library prints can corrupt the protocol. Logs go to
stderr (request ids, kinds, codes and durations; never a value). Ends cleanly, stopping the session, on end of input
(exit 0) or SIGTERM / SIGINT (exit 143 / 130).

Locally::

    echo '{"id": 1, "kind": "plan", "plan": {...}}' | .venv/bin/python -m cur_spark.jobs.serve --work-dir /tmp/spark
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from cur_spark.server import HandlerRegistry, Server, default_registry
from cur_spark.session import get_or_create_session


class StopRequestedError(Exception):
    """SIGTERM or SIGINT arrived: stop serving, stop the session, exit 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"signal {signum}")
        self.signum = signum


def _stop(signum: int, _frame: FrameType | None) -> None:
    raise StopRequestedError(signum)


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """``--work-dir``: where Spark keeps its scratch files (the state folder's scratch area when the CLI starts it)."""
    parser = argparse.ArgumentParser(prog="serve", description="Answers plan requests in one Spark session.")
    parser.add_argument("--work-dir", type=Path, default=None, help="Spark's scratch folder (default: the OS temp)")
    return parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None, registry: HandlerRegistry | None = None) -> int:
    """The server's life: protocol stream set aside, signals handled, requests answered until EOF or a signal."""
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    work_dir = arguments.work_dir or Path(tempfile.gettempdir()) / "cur-spark"
    # Answers go to a private copy of stdout; descriptor 1 itself now writes to stderr, for the JVM and libraries.
    responses = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="cur_spark.serve %(levelname)s %(message)s")
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    server = Server(registry or default_registry(), lambda: get_or_create_session(work_dir))
    code = 0
    try:
        answered = server.serve(sys.stdin, responses)
        logging.getLogger("cur_spark.serve").info("end of input after %d request(s): stopping", answered)
    except StopRequestedError as stopped:
        logging.getLogger("cur_spark.serve").info("signal %d: stopping", stopped.signum)
        code = 128 + stopped.signum
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        server.close()
        responses.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
