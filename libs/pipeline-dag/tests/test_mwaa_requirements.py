"""What MWAA installs is what the tests load: the same pins, and DataHub's Airflow plugin among Airflow's plugins."""

from __future__ import annotations

import tomllib
from pathlib import Path

from airflow import plugins_manager

PROJECT = Path(__file__).resolve().parents[1]


def _pins(lines: list[str]) -> dict[str, str]:
    pins = (line.split("==", 1) for line in lines if line.strip() and not line.lstrip().startswith("#"))
    return {name.strip(): version.strip() for name, version in pins}


def test_mwaa_requirements_pin_what_the_tests_run_beside_mwaas_airflow() -> None:
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    tested = _pins(project["dependencies"])

    required = _pins((PROJECT / "requirements.txt").read_text(encoding="utf-8").splitlines())

    assert tested.pop("apache-airflow") == "3.3.1"  # MWAA's, provided by the environment itself
    assert required == tested


def test_datahubs_airflow_plugin_is_loaded() -> None:
    names = [plugin["name"] for plugin in plugins_manager.get_plugin_info()]

    assert "datahub_plugin" in names
