"""Spark sessions: Glue's own in AWS, a local one (same engine, Spark 3.5.6 on Java 17) everywhere else."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from pyspark.sql import SparkSession

from cur_spark.errors import SparkEnvironmentError

SPARK_JAVA_MAJOR = 17
"""Glue 5.1 runs Spark 3.5.6 on Java 17; Spark 3.5 does not support newer Java releases."""

DEFAULT_LOCAL_MASTER = "local[2]"
DEFAULT_SHUFFLE_PARTITIONS = 4
"""Spark's default of 200 shuffle partitions suits a cluster; on a laptop each becomes a tiny task and a tiny file."""


def java_major_version(java_home: Path) -> int | None:
    """The major Java version of a JDK or JRE folder, from its ``release`` file; None if it is not one."""
    try:
        text = (java_home / "release").read_text(encoding="utf-8")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("JAVA_VERSION="):
            version = line.split("=", 1)[1].strip().strip('"')
            major = version.split(".")[0]
            return int(major) if major.isdigit() else None
    return None


def find_java_home(candidates: Iterable[Path] | None = None, major: int = SPARK_JAVA_MAJOR) -> Path | None:
    """The first Java installation of ``major``: ``JAVA_HOME``, then the ``java`` on PATH, then ``/usr/lib/jvm/*``."""
    if candidates is None:
        found: list[Path] = []
        if os.environ.get("JAVA_HOME"):
            found.append(Path(os.environ["JAVA_HOME"]))
        java_on_path = shutil.which("java")
        if java_on_path:
            found.append(Path(java_on_path).resolve().parent.parent)
        jvm_folder = Path("/usr/lib/jvm")
        if jvm_folder.is_dir():
            found.extend(sorted(jvm_folder.iterdir()))
        candidates = found
    for home in candidates:
        if java_major_version(home) == major:
            return home
    return None


def local_spark_session(
    work_dir: Path,
    *,
    app_name: str = "cur-spark",
    master: str = DEFAULT_LOCAL_MASTER,
    shuffle_partitions: int = DEFAULT_SHUFFLE_PARTITIONS,
    conf: Mapping[str, str] | None = None,
) -> SparkSession:
    """A local Spark session for tests, the CLI and benchmarks, with every file it writes under ``work_dir``.

    Picks Java 17 (``JAVA_HOME`` may name another release: a machine can have several), turns the web UI off,
    and runs Python workers on this interpreter. Example::

        spark = local_spark_session(Path(".cur/system-scratch/spark"))
        result = run_plan(spark, plan)
    """
    java_home = find_java_home()
    if java_home is None:
        raise SparkEnvironmentError(
            f"Spark 3.5 (Glue 5.1) needs Java {SPARK_JAVA_MAJOR}: none found in JAVA_HOME, on PATH or in /usr/lib/jvm"
        )
    os.environ["JAVA_HOME"] = str(java_home)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")
    work_dir = work_dir.resolve()
    scratch = work_dir / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    settings = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": str(shuffle_partitions),
        "spark.default.parallelism": str(shuffle_partitions),
        "spark.sql.warehouse.dir": str(work_dir / "warehouse"),
        "spark.local.dir": str(scratch),
        "spark.driver.extraJavaOptions": f"-Djava.io.tmpdir={scratch} -Dderby.system.home={work_dir}",
        **(conf or {}),
    }
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def get_or_create_session(work_dir: Path) -> SparkSession:
    """The session a job runs in: the active one (Glue's, a test's), the one spark-submit configured, or a local one.

    Under spark-submit (Glue runs a job script that way) the JVM starts first and hands its gateway to Python in
    ``PYSPARK_GATEWAY_PORT``; its configuration is the submitter's, so the builder adds nothing.
    """
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    if os.environ.get("PYSPARK_GATEWAY_PORT"):
        return SparkSession.builder.getOrCreate()
    return local_spark_session(work_dir)
