import { quote, type SqlDialect } from './sql-dialect';

/**
 * tag_metrics_monthly as of a business date, over `f_customer_features`, the rule-based `f_customer_tags` and the
 * model-based `f_model_tags` (that date; the latter possibly empty) and `m_tag_previous` (the previous month's
 * published metrics, possibly empty). A model tag is counted as any tag: its name says it is a model's. Averages are
 * exact, rounded half away from zero, on both engines (`SqlDialect.averageDecimal`).
 */
export function tagMetricsSql(businessDate: string, dialect: SqlDialect): string {
  const month = quote(businessDate.slice(0, 7));
  return `
WITH current_month AS (
  SELECT f.branch_code, t.tag, COUNT(*) AS customers, ${dialect.averageDecimal('f.aum_total')} AS avg_aum, ${dialect.averageDecimal('f.card_spend_1m')} AS avg_card_spend_1m
  FROM (SELECT cust_id, tag FROM f_customer_tags UNION ALL SELECT cust_id, tag FROM f_model_tags) t JOIN f_customer_features f ON f.cust_id = t.cust_id
  GROUP BY f.branch_code, t.tag)
SELECT ${month} AS month, c.branch_code, c.tag, CAST(c.customers AS BIGINT) AS customers, c.avg_aum, c.avg_card_spend_1m,
  CAST(p.customers AS BIGINT) AS customers_prev_month,
  CASE WHEN p.customers IS NULL OR p.customers = 0 THEN NULL ELSE CAST(c.customers - p.customers AS DOUBLE) / p.customers END AS mom_change,
  DATE ${quote(businessDate)} AS business_date
FROM current_month c LEFT JOIN m_tag_previous p ON p.branch_code = c.branch_code AND p.tag = c.tag
ORDER BY c.branch_code, c.tag`;
}

/** segment_metrics_monthly as of a business date, over `f_customer_features` and `m_segment_previous`. */
export function segmentMetricsSql(businessDate: string, dialect: SqlDialect): string {
  const month = quote(businessDate.slice(0, 7));
  return `
WITH current_month AS (
  SELECT segment, COUNT(*) AS customers, ${dialect.averageDecimal('aum_total')} AS avg_aum, ${dialect.averageDecimal('card_spend_1m')} AS avg_card_spend_1m,
    AVG(CAST(digital_events_30d AS DOUBLE)) AS avg_digital_events_30d
  FROM f_customer_features GROUP BY segment)
SELECT ${month} AS month, c.segment, CAST(c.customers AS BIGINT) AS customers, c.avg_aum, c.avg_card_spend_1m, c.avg_digital_events_30d,
  CAST(p.customers AS BIGINT) AS customers_prev_month,
  CASE WHEN p.customers IS NULL OR p.customers = 0 THEN NULL ELSE CAST(c.customers - p.customers AS DOUBLE) / p.customers END AS mom_change,
  DATE ${quote(businessDate)} AS business_date
FROM current_month c LEFT JOIN m_segment_previous p ON p.segment = c.segment
ORDER BY c.segment`;
}
