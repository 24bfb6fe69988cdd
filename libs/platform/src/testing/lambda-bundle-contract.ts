import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Where `nx build <app>` writes an app's Lambda bundle. */
export function lambdaBundlePath(app: string): string {
  return fileURLToPath(new URL(`../../../../dist/apps/${app}/handler.mjs`, import.meta.url));
}

/** What an app's bundle may weigh and which AWS SDK clients it may carry. */
export interface LambdaBundleBudget {
  /** The largest `handler.mjs` allowed, in bytes (minified, without its sourcemap). */
  readonly maxBytes: number;
  /**
   * Exactly the AWS SDK client packages the bundle carries, without the `@aws-sdk/` scope (`client-dynamodb`): the
   * clients of the ports the app wires, and no other.
   */
  readonly sdkClients: readonly string[];
  /**
   * The bundle loads DuckDB's native addon, shipped beside it in the asset folder (`node_modules/@duckdb`): the
   * contract then also loads DuckDB from a copy of that folder alone and writes and reads Parquet with it.
   */
  readonly nativeDuckDb?: boolean;
}

/**
 * The npm packages a bundle was built from, read from its sourcemap's `sources` (esbuild lists every input file that
 * kept code in the bundle): `@aws-sdk/client-s3`, `zod`, ...
 */
export function bundledPackages(bundle: string): string[] {
  const map = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[] };
  const packages = map.sources.map((source) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source)?.[1]).filter((name): name is string => name !== undefined);
  return [...new Set(packages)].sort();
}

/**
 * What every app's Lambda bundle must be: present with its sourcemap, importable under plain node from a folder
 * holding nothing else, as Lambda loads it, within its size budget, and carrying exactly the SDK clients of the
 * ports it wires. Each app's `tests/unit/bundle.test.ts` calls this (its test target builds the bundle first).
 */
export function describeLambdaBundle(app: string, budget: LambdaBundleBudget): void {
  const bundle = lambdaBundlePath(app);
  describe(`bundle of ${app}`, () => {
    it('exists with its sourcemap (the test target builds it first)', () => {
      expect(existsSync(bundle), `${bundle} is missing: run npx nx build ${app}`).toBe(true);
      expect(existsSync(`${bundle}.map`)).toBe(true);
      expect(statSync(bundle).size).toBeGreaterThan(0);
    });

    it(`stays within its budget of ${(budget.maxBytes / 1e6).toFixed(2)} MB`, () => {
      expect(statSync(bundle).size).toBeLessThanOrEqual(budget.maxBytes);
    });

    it(`carries the SDK clients of its own ports only (${budget.sdkClients.join(', ') || 'none'})`, () => {
      const clients = bundledPackages(bundle)
        .filter((name) => name.startsWith('@aws-sdk/client-'))
        .map((name) => name.slice('@aws-sdk/'.length));
      expect(clients).toEqual([...budget.sdkClients].sort());
    });

    it('imports under plain node with nothing beside it, as Lambda loads it', () => {
      // A folder with the bundle alone: no node_modules to fall back on, so every import must be inside the bundle.
      const dir = mkdtempSync(join(tmpdir(), 'cur-bundle-'));
      copyFileSync(bundle, join(dir, 'handler.mjs'));
      const script = "const m = await import('./handler.mjs'); console.log(typeof m.handler);";
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
      expect(out.trim()).toBe('function');
    });

    if (budget.nativeDuckDb) {
      it('loads DuckDB from the asset folder alone, as Lambda unpacks it, and writes and reads Parquet with it', () => {
        // The whole asset folder (handler.mjs and node_modules/@duckdb), copied where no other node_modules is above it.
        const dir = mkdtempSync(join(tmpdir(), `cur-${app}-asset-`));
        try {
          cpSync(dirname(bundle), dir, { recursive: true });
          const script = [
            "const { DuckDBInstance } = await import('@duckdb/node-api');",
            "const db = await DuckDBInstance.create(':memory:');",
            'const c = await db.connect();',
            "await c.run(\"COPY (SELECT 'row-' || range AS id FROM range(3)) TO 'x.parquet' (FORMAT PARQUET)\");",
            "const r = await c.runAndReadAll(\"SELECT count(*)::INTEGER AS n FROM read_parquet('x.parquet')\");",
            "const m = await import('./handler.mjs');",
            'console.log(JSON.stringify({ rows: r.getRowObjects()[0].n, handler: typeof m.handler }));',
          ].join('\n');
          // Plain node in that folder, with no NODE_PATH and nothing of the workspace on the way.
          const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
          expect(JSON.parse(out.trim())).toEqual({ rows: 3, handler: 'function' });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  });
}
