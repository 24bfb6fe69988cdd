"""DataHub's Airflow plugin as the MWAA environment configures it, read by Airflow 3.3.1 and the plugin itself.

`tests/fixtures/mwaa-datahub.json` holds what the CDK gives MWAA for the plugin (infra's orchestration test compares
the synthesized environment with it): the `datahub.*` Airflow configuration options, the secrets backend and its
prefixes, and the one DataHub secret, the connection `datahub_rest_default`, as CloudFormation creates it (the host,
a generated `description`, since CloudFormation must generate some field, and no password until a person seeds the
token; a key Airflow's Connection does not have would make the backend's value unreadable). The options are handed
to Airflow as MWAA does (`AIRFLOW__SECTION__KEY`); the connection is served by Airflow's own SSM secrets backend, with
the CDK's kwargs, from moto's SSM and Secrets Manager on loopback (Parameter Store's `/aws/reference/secretsmanager/`
path, which moto implements), and the plugin's own code reads it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from moto_dynamodb import moto_server

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mwaa-datahub.json"
REGION = "ap-northeast-1"


@pytest.fixture(scope="module")
def mwaa() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def aws() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def configured(mwaa: dict[str, Any], aws: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The options and the secrets backend as MWAA applies them, its AWS calls pointed at moto."""
    for option, value in mwaa["airflowConfigurationOptions"].items():
        section, key = option.split(".", 1)
        monkeypatch.setenv(f"AIRFLOW__{section.upper()}__{key.upper()}", value)
    monkeypatch.setenv("AIRFLOW__SECRETS__BACKEND", mwaa["secretsBackend"])
    monkeypatch.setenv("AIRFLOW__SECRETS__BACKEND_KWARGS", json.dumps(mwaa["secretsBackendKwargs"]))
    for name, value in {
        "AWS_ENDPOINT_URL": aws,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    return mwaa


def _put_connection(aws: str, name: str, value: dict[str, str]) -> None:
    import boto3  # type: ignore[import-untyped]  # boto3 ships no type information

    client = boto3.client("secretsmanager", endpoint_url=aws, region_name=REGION)
    try:
        client.create_secret(Name=name, SecretString=json.dumps(value))
    except client.exceptions.ResourceExistsException:
        client.put_secret_value(SecretId=name, SecretString=json.dumps(value))


def _hook_config(connection_id: str) -> tuple[Any, Any, Any]:
    from datahub_airflow_plugin.hooks.datahub import DatahubRestHook

    hook = DatahubRestHook(connection_id)
    result: tuple[Any, Any, Any] = hook._get_config_v2()  # what the plugin's emitter is built from
    return result


def test_the_plugin_is_on_and_sends_through_the_connection_on_the_lineage_flow_cluster(
    configured: dict[str, Any],
) -> None:
    from datahub_airflow_plugin._config import get_lineage_config

    config = get_lineage_config()

    assert config.enabled is True
    assert config.datahub_conn_id == configured["connectionId"]
    # libs/lineage names the DAG's data flow (airflow,cur_pipeline,PROD): the plugin's runs land on that flow.
    assert config.cluster == "PROD"


def test_the_secrets_backend_serves_the_connection_secret_as_the_cdk_creates_it(
    configured: dict[str, Any], aws: str
) -> None:
    # As CloudFormation creates it: the template's keys and a generated string under the generated key, no token.
    _put_connection(
        aws,
        configured["connectionSecretName"],
        {**configured["connection"], configured["generatedKey"]: "Xq7generatedPlaceholder"},
    )

    host, token, extra = _hook_config(configured["connectionId"])

    assert host == configured["connection"]["host"]
    assert token is None
    assert extra == {}


def test_the_secrets_backend_serves_the_token_the_rotation_writes(configured: dict[str, Any], aws: str) -> None:
    from airflow.sdk import BaseHook
    from datahub_airflow_plugin.hooks.datahub import DatahubRestHook

    # As apps/datahub-token-rotation leaves it: the connection with the minted token as its password.
    token = "eyJhbGciOiJIUzI1NiJ9.minted-by-the-rotation.c2lnbmF0dXJl"  # noqa: S105 - a stand-in token, not a credential
    _put_connection(aws, configured["connectionSecretName"], {**configured["connection"], "password": token})

    host, served, _ = _hook_config(configured["connectionId"])

    assert (host, served) == (configured["connection"]["host"], token)
    # Airflow spells connection types with underscores (it normalises the hook's `datahub-rest`).
    assert BaseHook.get_connection(configured["connectionId"]).conn_type == DatahubRestHook.conn_type.replace("-", "_")


def test_the_dag_folder_still_loads_with_the_plugin_configured(configured: dict[str, Any]) -> None:
    from airflow.dag_processing.dagbag import DagBag
    from airflow.plugins_manager import get_plugin_info

    dagbag = DagBag(dag_folder=str(Path(__file__).resolve().parents[1] / "dags"))

    assert dagbag.import_errors == {}
    assert list(dagbag.dag_ids) == ["cur_pipeline"]
    assert "datahub_plugin" in {plugin["name"] for plugin in get_plugin_info()}
