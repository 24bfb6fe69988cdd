import { DuckDbSqlEngine } from '@cur/adapters-local';
import type { ModelScoringPort, ScoringVersion } from '../../src/index';

/**
 * A scorer with a model anyone can check: a customer scores 1 when digital_events_30d >= 3, else 0, written by DuckDB
 * as `python -m cur_model.score` writes it (one Parquet file, token order). The real script is held by its pytest and
 * by the CLI's test through the real binary; here the step's contract is under test: the manifest, the DQ gate, the
 * skip, and the mart counting the tag.
 */
export function digitalScorer(versions: (ScoringVersion | undefined)[]): ModelScoringPort & { calls: number } {
  const scorer = {
    calls: 0,
    scoringVersion: () => Promise.resolve(versions.shift()),
    async score(version: ScoringVersion, features: readonly string[], outputPath: string) {
      scorer.calls += 1;
      const engine = await DuckDbSqlEngine.open({ threads: 1 });
      try {
        await engine.registerParquetView('f', [...features]);
        const sql = `SELECT cust_id, 'digital_native_propensity' AS tag, '${version.versionId}' AS model_version FROM f WHERE digital_events_30d >= 3 ORDER BY cust_id`;
        const tagged = await engine.writeParquet(sql, outputPath);
        const scored = Number((await engine.query('SELECT COUNT(*) AS n FROM f'))[0]?.['n']);
        return { tag: 'digital_native_propensity', scored, tagged };
      } finally {
        await engine.close();
      }
    },
  };
  return scorer;
}
