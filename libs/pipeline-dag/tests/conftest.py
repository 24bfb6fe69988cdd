"""Airflow, configured for tests before it is first imported: a private AIRFLOW_HOME, no example DAGs, and the
repository's DAG folder loaded once into a DagBag for the whole run."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

PROJECT = Path(__file__).resolve().parents[1]
DAG_FOLDER = PROJECT / "dags"
GRAPH_FILE = PROJECT / "pipeline-graph.json"


def _private_folder(prefix: str) -> str:
    """A temp folder removed when the test process exits, so runs do not pile folders up in /tmp."""
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


os.environ["AIRFLOW_HOME"] = _private_folder("cur-airflow-home-")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(DAG_FOLDER)
os.environ["AIRFLOW__CORE__PLUGINS_FOLDER"] = _private_folder("cur-airflow-plugins-")

if TYPE_CHECKING:
    from airflow.dag_processing.dagbag import DagBag


@pytest.fixture(scope="session")
def dagbag() -> DagBag:
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAG_FOLDER))


@pytest.fixture(scope="session")
def graph() -> dict[str, Any]:
    """The graph the definition declares, generated from it by the TypeScript side (`cur lineage dag --graph`)."""
    loaded: dict[str, Any] = json.loads(GRAPH_FILE.read_text(encoding="utf-8"))
    return loaded
