"""The local stand-in of Glue's job runs for the DAG's `dag.test()`: one process of the workspace's Python (pyspark and
`cur_spark`, which Airflow's environment does not hold), one Spark session for every job run of the DAG run.

It reads one JSON request a line on stdin and answers one JSON line on stdout, after ``MARK``:

- ``{"kind": "glue", "argv": [...]}``: runs the Glue job script, ``cur_spark.jobs.glue_entry.main(argv)``, with the
  arguments Glue would pass (the job's defaults, the run's, Glue's own); answers its exit code and the JSON lines it
  printed (plans, counts, partitions, coded errors: never a value).
- ``{"kind": "mask", "argv": [...]}``: runs the mask job's script, ``cur_spark.jobs.mask.main(argv)``, likewise; its
  one JSON line holds counts, key versions, files and coded errors (never a value).
- ``{"kind": "rows", "path": "..."}``: the row count of a Parquet partition folder (``rows`` null when absent).
- ``{"kind": "query", "views": {"name": "folder"}, "sql": "..."}``: a test's Spark SQL over Parquet folders (each a
  view by its name); answers the rows as lists. The tests ask for counts and names only.
- ``{"kind": "copy", "source": "...", "target": "...", "businessDate": "...", "keep": 0.5, "copies": 1}``: a test
  fixture's partition for another date: the source folder's rows with ``business_date`` set to the date, the first
  ``keep`` share of them, written ``copies`` times (a second copy repeats every row); answers the rows written.

Spark logs on stderr. It is started by ``tests/local_glue.py`` with the workspace's ``.venv/bin/python``; the modules
are imported by name so this file type-checks in the DAG's environment, which has no pyspark.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

MARK = "@cur-local-glue@ "
"""Starts each answer line: anything else the JVM may print on stdout is not an answer."""

JOBS = {"glue": "cur_spark.jobs.glue_entry", "mask": "cur_spark.jobs.mask"}
"""The job scripts, by request kind: the transform, consumption and mart jobs' and the mask job's."""


def job(module: str, argv: list[str]) -> dict[str, Any]:
    entry = importlib.import_module(module)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = int(entry.main(argv))
    lines = [json.loads(line) for line in printed.getvalue().splitlines() if line.startswith("{")]
    return {"code": code, "lines": lines}


def spark_session() -> Any:  # noqa: ANN401 - pyspark is not in the DAG's environment
    session = importlib.import_module("cur_spark.session")
    return session.get_or_create_session(Path(tempfile.gettempdir()) / "cur-spark")


def rows(path: str) -> dict[str, Any]:
    if not Path(path).is_dir():
        return {"rows": None}
    return {"rows": int(spark_session().read.parquet(path).count())}


def query(views: dict[str, str], sql: str) -> dict[str, Any]:
    spark = spark_session()
    for name, path in views.items():
        spark.read.parquet(path).createOrReplaceTempView(name)
    return {"rows": [list(row) for row in spark.sql(sql).collect()]}


def copy(source: str, target: str, business_date: str, keep: float, copies: int) -> dict[str, Any]:
    pa = importlib.import_module("pyarrow")
    pq = importlib.import_module("pyarrow.parquet")
    tables = [pq.ParquetFile(path).read() for path in sorted(Path(source).glob("*.parquet"))]
    table = pa.concat_tables(tables)
    if "business_date" in table.column_names:
        index = table.column_names.index("business_date")
        table = table.set_column(index, "business_date", pa.array([business_date] * table.num_rows, pa.string()))
    table = table.slice(0, max(1, int(table.num_rows * keep)))
    Path(target).mkdir(parents=True, exist_ok=True)
    for number in range(copies):
        pq.write_table(table, str(Path(target) / f"part-{number:05d}.parquet"))
    return {"rows": table.num_rows * copies}


def main() -> int:
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request["kind"] in JOBS:
                answer = job(JOBS[request["kind"]], [str(arg) for arg in request["argv"]])
            elif request["kind"] == "rows":
                answer = rows(str(request["path"]))
            elif request["kind"] == "query":
                answer = query({str(k): str(v) for k, v in request["views"].items()}, str(request["sql"]))
            elif request["kind"] == "copy":
                answer = copy(
                    str(request["source"]),
                    str(request["target"]),
                    str(request["businessDate"]),
                    float(request.get("keep", 1.0)),
                    int(request.get("copies", 1)),
                )
            else:
                answer = {"error": f"unknown request kind {request['kind']!r}"}
        except Exception as error:  # noqa: BLE001 - answered, never a value: the type only
            answer = {"error": type(error).__name__}
        sys.stdout.write(MARK + json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
