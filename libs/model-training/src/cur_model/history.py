"""The model history analysed with Spark SQL (user story 4.1.1): how models change across versions.

Three tables, as the model history is exported to the lake (Parquet; ``register_history_tables`` makes them views):

- ``model_history``: one row per version and metric: ``version_id``, ``target_tag``, ``status``, ``created_at``
  (timestamp), ``metric``, ``value`` (double);
- ``model_scores``: each version's scores of one population: ``version_id``, ``cust_id`` (the customer's token, a
  join key only), ``score`` (double in [0, 1]);
- ``model_features``: the numeric features each version was trained on, long: ``version_id``, ``feature``,
  ``value`` (double).

The analyses are SQL statements over those views, so they run as they are on EMR, Glue or Athena for Spark:
:data:`METRIC_TREND_SQL` (each metric across a target's completed versions, with the change from the one before),
:data:`SCORE_PSI_SQL` and :data:`FEATURE_PSI_SQL` (population stability between consecutive versions) and
:data:`TAG_CHURN_SQL` (customers entering and leaving the model's tag between consecutive versions). Every result
holds versions, names, counts and statistics: never a customer's token.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession

HISTORY_TABLES = ("model_history", "model_scores", "model_features")

PSI_BINS = 10
"""Bins of a PSI: equal-width over [0, 1] for scores, the earlier version's deciles for features."""

PSI_FLOOR = 1e-4
"""The share an empty bin counts as, so a PSI stays finite (the usual convention)."""

_CUTS = ", ".join(f"{i / PSI_BINS:.1f}" for i in range(1, PSI_BINS))
"""The deciles a feature's bins are cut at."""

CONSECUTIVE_VERSIONS_SQL = """
SELECT target_tag, version_id,
       LAG(version_id) OVER (PARTITION BY target_tag ORDER BY created_at, version_id) AS previous_version
FROM (SELECT DISTINCT target_tag, version_id, created_at FROM model_history WHERE status = 'Completed')
"""
"""Each completed version with the one before it for the same target (NULL for the first)."""

METRIC_TREND_SQL = """
SELECT target_tag, metric, version_id, created_at,
       ROW_NUMBER() OVER (PARTITION BY target_tag, metric ORDER BY created_at, version_id) AS version_number,
       value,
       value - LAG(value) OVER (PARTITION BY target_tag, metric ORDER BY created_at, version_id) AS change
FROM model_history
WHERE status = 'Completed'
ORDER BY target_tag, metric, version_number
"""

# Built from this module's constants only: nothing from outside reaches the SQL text.
SCORE_PSI_SQL = f"""
WITH pairs AS (SELECT * FROM ({CONSECUTIVE_VERSIONS_SQL}) WHERE previous_version IS NOT NULL),
bins AS (SELECT explode(sequence(0, {PSI_BINS - 1})) AS bin),
counts AS (
  SELECT version_id, LEAST(CAST(FLOOR(score * {PSI_BINS}) AS INT), {PSI_BINS - 1}) AS bin, COUNT(*) AS n
  FROM model_scores GROUP BY 1, 2
),
totals AS (SELECT version_id, SUM(n) AS total FROM counts GROUP BY version_id),
shares AS (
  SELECT t.version_id, b.bin, GREATEST(COALESCE(c.n, 0) / t.total, {PSI_FLOOR}) AS share
  FROM totals t CROSS JOIN bins b LEFT JOIN counts c ON c.version_id = t.version_id AND c.bin = b.bin
)
SELECT p.target_tag, p.previous_version, p.version_id,
       SUM((cur.share - prev.share) * LN(cur.share / prev.share)) AS psi
FROM pairs p
JOIN shares prev ON prev.version_id = p.previous_version
JOIN shares cur ON cur.version_id = p.version_id AND cur.bin = prev.bin
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
"""  # noqa: S608

FEATURE_PSI_SQL = f"""
WITH pairs AS (SELECT * FROM ({CONSECUTIVE_VERSIONS_SQL}) WHERE previous_version IS NOT NULL),
edges AS (
  SELECT version_id, feature,
         array_distinct(percentile_approx(value, array({_CUTS}), 10000)) AS cuts
  FROM model_features WHERE value IS NOT NULL GROUP BY 1, 2
),
binned AS (
  SELECT p.target_tag, p.previous_version, p.version_id AS compared_version, f.version_id, f.feature,
         size(filter(e.cuts, cut -> cut < f.value)) AS bin
  FROM pairs p
  JOIN edges e ON e.version_id = p.previous_version
  JOIN model_features f ON f.feature = e.feature AND f.version_id IN (p.previous_version, p.version_id)
  WHERE f.value IS NOT NULL
),
counts AS (
  SELECT target_tag, previous_version, compared_version, feature, version_id, bin, COUNT(*) AS n
  FROM binned GROUP BY 1, 2, 3, 4, 5, 6
),
shares AS (
  SELECT *, n / SUM(n) OVER (PARTITION BY previous_version, compared_version, feature, version_id) AS share
  FROM counts
),
sides AS (
  SELECT target_tag, previous_version, compared_version, feature, bin,
         GREATEST(COALESCE(MAX(CASE WHEN version_id = previous_version THEN share END), 0), {PSI_FLOOR}) AS before,
         GREATEST(COALESCE(MAX(CASE WHEN version_id = compared_version THEN share END), 0), {PSI_FLOOR}) AS after
  FROM shares GROUP BY 1, 2, 3, 4, 5
)
SELECT target_tag, previous_version, compared_version AS version_id, feature,
       SUM((after - before) * LN(after / before)) AS psi
FROM sides
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4
"""  # noqa: S608

TAG_CHURN_SQL = """
WITH pairs AS (SELECT * FROM ({consecutive}) WHERE previous_version IS NOT NULL),
tagged AS (SELECT version_id, cust_id, score >= {threshold} AS tagged FROM model_scores),
sides AS (
  SELECT p.target_tag, p.previous_version, p.version_id, t.cust_id,
         COALESCE(MAX(CASE WHEN t.version_id = p.previous_version THEN t.tagged END), false) AS before,
         COALESCE(MAX(CASE WHEN t.version_id = p.version_id THEN t.tagged END), false) AS after
  FROM pairs p JOIN tagged t ON t.version_id IN (p.previous_version, p.version_id)
  GROUP BY 1, 2, 3, 4
)
SELECT target_tag, previous_version, version_id,
       COUNT_IF(before AND after) AS stayed,
       COUNT_IF(NOT before AND after) AS entered,
       COUNT_IF(before AND NOT after) AS left_tag
FROM sides
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
"""


def register_history_tables(spark: SparkSession, paths: Mapping[str, Path | str]) -> None:
    """Registers each exported table (a Parquet file or folder) as a temporary view of its name."""
    unknown = sorted(set(paths) - set(HISTORY_TABLES))
    if unknown:
        raise ValueError(f"unknown history tables: {', '.join(unknown)} (known: {', '.join(HISTORY_TABLES)})")
    for name, path in paths.items():
        spark.read.parquet(str(path)).createOrReplaceTempView(name)


def metric_trend(spark: SparkSession) -> DataFrame:
    """Each metric of each target's completed versions, oldest first, with the change from the version before."""
    return spark.sql(METRIC_TREND_SQL)


def score_psi(spark: SparkSession) -> DataFrame:
    """PSI of the score distribution between each completed version and the one before it (same target)."""
    return spark.sql(SCORE_PSI_SQL)


def feature_psi(spark: SparkSession) -> DataFrame:
    """PSI of each numeric feature between consecutive versions' training data, on the earlier one's deciles."""
    return spark.sql(FEATURE_PSI_SQL)


def tag_churn(spark: SparkSession, threshold: float = 0.5) -> DataFrame:
    """Customers entering, leaving and staying in the model's tag (score at or above ``threshold``) between
    consecutive versions: counts only."""
    if not 0 < threshold < 1:
        raise ValueError("threshold must lie strictly between 0 and 1")
    return spark.sql(TAG_CHURN_SQL.format(consecutive=CONSECUTIVE_VERSIONS_SQL, threshold=repr(float(threshold))))
