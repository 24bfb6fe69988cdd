"""DataHub's Airflow plugin as the MWAA environment configures it, read by Airflow 3.3.1 and the plugin itself.

`tests/fixtures/mwaa-datahub.json` holds what the CDK gives MWAA for the plugin (infra's orchestration test compares
the synthesized environment with it): the `datahub.*` Airflow configuration options and the connection the SSM
secrets backend serves as a JSON value, with the dev stage's endpoint. Each is handed to Airflow the way MWAA does
(options as `AIRFLOW__SECTION__KEY`, the connection as a JSON-valued secret), and the plugin's own code reads them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mwaa-datahub.json"


@pytest.fixture(scope="module")
def mwaa() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture
def configured(mwaa: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The options as MWAA exports them, and the connection as a secrets backend returns it (JSON)."""
    for option, value in mwaa["airflowConfigurationOptions"].items():
        section, key = option.split(".", 1)
        monkeypatch.setenv(f"AIRFLOW__{section.upper()}__{key.upper()}", value)
    monkeypatch.setenv(f"AIRFLOW_CONN_{mwaa['connectionId'].upper()}", json.dumps(mwaa["connection"]))
    return mwaa


def test_the_plugin_is_on_and_sends_through_the_connection_on_the_lineage_flow_cluster(
    configured: dict[str, Any],
) -> None:
    from datahub_airflow_plugin._config import get_lineage_config

    config = get_lineage_config()

    assert config.enabled is True
    assert config.datahub_conn_id == configured["connectionId"]
    # libs/lineage names the DAG's data flow (airflow,cur_pipeline,PROD): the plugin's runs land on that flow.
    assert config.cluster == "PROD"


def test_the_connection_gives_the_plugin_its_rest_endpoint(configured: dict[str, Any]) -> None:
    from datahub_airflow_plugin.hooks.datahub import DatahubRestHook

    hook = DatahubRestHook(configured["connectionId"])
    host, token, extra = hook._get_config_v2()  # what the plugin's emitter is built from

    assert host == "https://datahub.dev.cur.example.internal"
    assert token is None
    assert extra == {}
    # Airflow spells connection types with underscores (it normalises the hook's `datahub-rest`).
    assert hook.get_connection(configured["connectionId"]).conn_type == DatahubRestHook.conn_type.replace("-", "_")


def test_the_dag_folder_still_loads_with_the_plugin_configured(configured: dict[str, Any]) -> None:
    from airflow.dag_processing.dagbag import DagBag
    from airflow.plugins_manager import get_plugin_info

    dagbag = DagBag(dag_folder=str(Path(__file__).resolve().parents[1] / "dags"))

    assert dagbag.import_errors == {}
    assert list(dagbag.dag_ids) == ["cur_pipeline"]
    assert "datahub_plugin" in {plugin["name"] for plugin in get_plugin_info()}
