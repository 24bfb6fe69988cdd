import { quote } from './sql-dialect';
import type { TagDefinition } from '../tags/tag-definitions';

/** Reference exchange rates to TWD for AUM and spend features; a real deployment reads the bank's daily rates. */
export const FX_TO_TWD: Readonly<Record<string, number>> = { TWD: 1, USD: 31.5, JPY: 0.21, EUR: 34.2, CNY: 4.35 };

const fxValues = (): string =>
  Object.entries(FX_TO_TWD)
    .map(([currency, rate]) => `(${quote(currency)}, CAST(${rate} AS DECIMAL(18,6)))`)
    .join(', ');

/** One statement of the customer_features plan: a lazy view, or a table materialised before the next one runs. */
export interface FeatureStatement {
  readonly kind: 'view' | 'table';
  readonly name: string;
  readonly sql: string;
}

/**
 * What customer_features joins, as a business date's plan statements over the views `t_customer_profile` (that date),
 * `t_account_balance` (that date), `t_card_transaction` and `t_digital_activity` (up to 183 days back): the exchange
 * rates and the spend rows as views, then four tables of one row per customer (balances, card spend, top merchant
 * category, digital activity; the top category from a table of each customer's spend per category), each
 * materialised on its own.
 *
 * Why tables and not one query's CTEs: in one query, DuckDB held the four aggregates, the window, the four hash joins
 * and the sort at once, and at 10M customers that failed with an out-of-memory error at a 4GiB limit; built one at a
 * time, each gets the whole limit and spills alone (docs/benchmarks.md,
 * "customer_features in bounded memory"). Spark persists each table (`cur_spark.runner`).
 */
export function customerFeatureStatements(businessDate: string): FeatureStatement[] {
  const asOf = `DATE ${quote(businessDate)}`;
  return [
    { kind: 'view', name: 'fx_rates', sql: `SELECT * FROM (VALUES ${fxValues()}) AS rates(currency, rate)` },
    {
      kind: 'view',
      name: 'card_spend',
      sql: `SELECT c.cust_id, CAST(c.txn_time AS DATE) AS txn_date, c.merchant_category, CAST(c.amount * fx.rate AS DECIMAL(18,2)) AS amount_twd
FROM t_card_transaction c JOIN fx_rates fx ON fx.currency = c.currency
WHERE CAST(c.txn_time AS DATE) > ${asOf} - INTERVAL 183 DAY AND CAST(c.txn_time AS DATE) <= ${asOf}`,
    },
    {
      kind: 'table',
      name: 'customer_balances',
      sql: `WITH balances_twd AS (
  -- Each amount in TWD rounded to cents once: summing the exact DECIMAL(36,8) products ran three times slower.
  SELECT b.cust_id, b.product_type, CAST(b.balance * fx.rate AS DECIMAL(18,2)) AS balance_twd
  FROM t_account_balance b JOIN fx_rates fx ON fx.currency = b.currency)
SELECT cust_id,
  SUM(CASE WHEN product_type IN ('SAVINGS', 'TIME_DEPOSIT') THEN balance_twd ELSE 0 END) AS aum_deposit,
  SUM(CASE WHEN product_type IN ('FUND', 'INSURANCE') THEN balance_twd ELSE 0 END) AS aum_investment,
  SUM(CASE WHEN product_type = 'LOAN' THEN balance_twd ELSE 0 END) AS loan_balance
FROM balances_twd
GROUP BY cust_id`,
    },
    {
      kind: 'table',
      name: 'customer_card_spend',
      sql: `SELECT cust_id,
  SUM(CASE WHEN txn_date > ${asOf} - INTERVAL 30 DAY THEN amount_twd ELSE 0 END) AS card_spend_1m,
  SUM(CASE WHEN txn_date > ${asOf} - INTERVAL 91 DAY THEN amount_twd ELSE 0 END) AS card_spend_3m,
  SUM(amount_twd) AS card_spend_6m,
  SUM(CASE WHEN txn_date > ${asOf} - INTERVAL 30 DAY THEN 1 ELSE 0 END) AS card_txn_count_1m
FROM card_spend GROUP BY cust_id`,
    },
    {
      kind: 'table',
      name: 'customer_mcc_spend',
      sql: `SELECT cust_id, merchant_category, SUM(amount_twd) AS spend_1m
FROM card_spend WHERE txn_date > ${asOf} - INTERVAL 30 DAY GROUP BY cust_id, merchant_category`,
    },
    {
      // The category with the most spend in the last 30 days, the first by name on a tie; aggregates and a join
      // rather than a window ranking each customer's categories, because DuckDB's window ran out of memory at 10M
      // customers where the aggregates spill.
      kind: 'table',
      name: 'customer_top_mcc',
      sql: `SELECT s.cust_id, MIN(s.merchant_category) AS merchant_category
FROM customer_mcc_spend s
JOIN (SELECT cust_id, MAX(spend_1m) AS top_spend FROM customer_mcc_spend GROUP BY cust_id) t ON t.cust_id = s.cust_id AND t.top_spend = s.spend_1m
GROUP BY s.cust_id`,
    },
    {
      kind: 'table',
      name: 'customer_digital',
      sql: `SELECT cust_id, COUNT(*) AS digital_events_30d,
  SUM(CASE WHEN event_type = 'LOGIN' THEN 1 ELSE 0 END) AS digital_logins_30d,
  -- DOUBLE, not the literal 1.0: that is a DECIMAL(2,1), whose average DuckDB takes as a DOUBLE but Spark as a
  -- DECIMAL(6,5), which would round the share to five places on Glue.
  AVG(CASE WHEN channel = 'APP' THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END) AS app_share
FROM t_digital_activity
WHERE CAST(event_time AS DATE) > ${asOf} - INTERVAL 30 DAY AND CAST(event_time AS DATE) <= ${asOf}
GROUP BY cust_id`,
    },
  ];
}

/**
 * customer_features as of a business date: `t_customer_profile` joined with the tables of
 * {@link customerFeatureStatements}, which must run first. One row per customer, in `cust_id` order.
 */
export function customerFeaturesSql(businessDate: string): string {
  const asOf = `DATE ${quote(businessDate)}`;
  return `
WITH features AS (
  SELECT p.cust_id,
    CASE WHEN p.birth_date IS NULL THEN NULL
      WHEN year(${asOf}) - CAST(p.birth_date AS INTEGER) < 18 THEN '0-17'
      WHEN year(${asOf}) - CAST(p.birth_date AS INTEGER) < 25 THEN '18-24'
      WHEN year(${asOf}) - CAST(p.birth_date AS INTEGER) < 35 THEN '25-34'
      WHEN year(${asOf}) - CAST(p.birth_date AS INTEGER) < 45 THEN '35-44'
      WHEN year(${asOf}) - CAST(p.birth_date AS INTEGER) < 55 THEN '45-54'
      WHEN year(${asOf}) - CAST(p.birth_date AS INTEGER) < 65 THEN '55-64'
      ELSE '65+' END AS age_band,
    p.gender, p.branch_code, p.risk_level,
    -- open_date is stored as its month (YYYY-MM, a generalised quasi-identifier): all whole months need.
    CAST((year(${asOf}) - CAST(substr(p.open_date, 1, 4) AS INTEGER)) * 12 + month(${asOf}) - CAST(substr(p.open_date, 6, 2) AS INTEGER) AS INTEGER) AS tenure_months,
    CAST(COALESCE(b.aum_deposit, 0) + COALESCE(b.aum_investment, 0) AS DECIMAL(18,2)) AS aum_total,
    CAST(COALESCE(b.aum_deposit, 0) AS DECIMAL(18,2)) AS aum_deposit,
    CAST(COALESCE(b.aum_investment, 0) AS DECIMAL(18,2)) AS aum_investment,
    CAST(COALESCE(b.loan_balance, 0) AS DECIMAL(18,2)) AS loan_balance,
    CAST(COALESCE(c.card_spend_1m, 0) AS DECIMAL(18,2)) AS card_spend_1m,
    CAST(COALESCE(c.card_spend_3m, 0) AS DECIMAL(18,2)) AS card_spend_3m,
    CAST(COALESCE(c.card_spend_6m, 0) AS DECIMAL(18,2)) AS card_spend_6m,
    CAST(COALESCE(c.card_txn_count_1m, 0) AS INTEGER) AS card_txn_count_1m,
    m.merchant_category AS top_mcc_1m,
    CAST(COALESCE(d.digital_events_30d, 0) AS INTEGER) AS digital_events_30d,
    CAST(COALESCE(d.digital_logins_30d, 0) AS INTEGER) AS digital_logins_30d,
    CAST(d.app_share AS DOUBLE) AS app_share
  FROM t_customer_profile p
  LEFT JOIN customer_balances b ON b.cust_id = p.cust_id
  LEFT JOIN customer_card_spend c ON c.cust_id = p.cust_id
  LEFT JOIN customer_top_mcc m ON m.cust_id = p.cust_id
  LEFT JOIN customer_digital d ON d.cust_id = p.cust_id)
SELECT *,
  CASE WHEN aum_total >= 30000000 THEN 'PRIVATE' WHEN aum_total >= 3000000 THEN 'AFFLUENT' WHEN aum_total >= 1000000 THEN 'MASS_AFFLUENT' ELSE 'MASS' END AS segment,
  ${asOf} AS business_date
FROM features
ORDER BY cust_id`;
}

/**
 * customer_tags: one row per customer and tag whose predicate holds, over the view `f_customer_features`, in
 * (`cust_id`, `tag`) order. One scan of the features, crossed with the list of tag names: as a `UNION ALL` of one
 * scan per tag feeding the sort, DuckDB ran out of memory at 10M customers at a 1GiB limit, where this passes at
 * 200MiB (docs/benchmarks.md, "customer_features in bounded memory").
 */
export function customerTagsSql(tags: readonly TagDefinition[], businessDate: string): string {
  const names = tags.map((tag) => `(${quote(tag.name)})`).join(', ');
  const holds = tags.map((tag) => `(t.tag = ${quote(tag.name)} AND (${tag.predicate}))`).join('\n  OR ');
  return `SELECT f.cust_id, t.tag, DATE ${quote(businessDate)} AS business_date
FROM f_customer_features f CROSS JOIN (VALUES ${names}) AS t(tag)
WHERE ${holds}
ORDER BY f.cust_id, t.tag`;
}
