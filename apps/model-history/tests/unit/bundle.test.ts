import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describeLambdaBundle, lambdaBundlePath } from '@cur/platform/testing';
import { describe, expect, it } from 'vitest';

// 1.39 MB measured with the exports (from 1.15 MB): the S3 client and the DuckDB engine's JavaScript side; sizes and
// the clients' reasons: docs/benchmarks.md (npm run bench:bundles). Its ports: DynamoDB (versions
// and idempotency records) and S3 (the system bucket: the model archives read, the history's exports written).
describeLambdaBundle('model-history', { maxBytes: 1_500_000, sdkClients: ['client-dynamodb', 'client-s3'] });

describe('the native engine beside the bundle of model-history', () => {
  it('loads DuckDB from the bundle folder alone, as Lambda unpacks the asset, and writes and reads Parquet with it', () => {
    // Prepare: the whole asset folder (handler.mjs and node_modules/@duckdb), copied where no other node_modules is above it.
    const dir = mkdtempSync(join(tmpdir(), 'cur-model-history-asset-'));
    try {
      cpSync(dirname(lambdaBundlePath('model-history')), dir, { recursive: true });
      const script = [
        "const { DuckDBInstance } = await import('@duckdb/node-api');",
        "const db = await DuckDBInstance.create(':memory:');",
        'const c = await db.connect();',
        "await c.run(\"COPY (SELECT 'cur-dev-train-' || range AS version_id FROM range(3)) TO 'x.parquet' (FORMAT PARQUET)\");",
        "const r = await c.runAndReadAll(\"SELECT count(*)::INTEGER AS n FROM read_parquet('x.parquet')\");",
        "const m = await import('./handler.mjs');",
        'console.log(JSON.stringify({ rows: r.getRowObjects()[0].n, handler: typeof m.handler }));',
      ].join('\n');
      // Act: plain node in that folder, with no NODE_PATH and nothing of the workspace on the way.
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
      // Assess
      expect(JSON.parse(out.trim())).toEqual({ rows: 3, handler: 'function' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
