"""Airflow, configured for tests before it is first imported: a private AIRFLOW_HOME, no example DAGs, and the
repository's DAG folder loaded once into a DagBag for the whole run."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

PROJECT = Path(__file__).resolve().parents[1]
DAG_FOLDER = PROJECT / "dags"
GRAPH_FILE = PROJECT / "pipeline-graph.json"

os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="cur-airflow-home-")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(DAG_FOLDER)
os.environ["AIRFLOW__CORE__PLUGINS_FOLDER"] = tempfile.mkdtemp(prefix="cur-airflow-plugins-")

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
