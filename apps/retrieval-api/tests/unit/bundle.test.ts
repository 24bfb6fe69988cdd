import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bundle = fileURLToPath(new URL('../../../../dist/apps/retrieval-api/handler.mjs', import.meta.url));

describe('bundle', () => {
  it('exists with its sourcemap (the test target builds it first)', () => {
    expect(existsSync(bundle), `${bundle} is missing: run npx nx build retrieval-api`).toBe(true);
    expect(existsSync(`${bundle}.map`)).toBe(true);
  });

  it('imports under plain node with nothing beside it, as Lambda loads it', () => {
    // A folder with the bundle alone: no node_modules to fall back on, so every import must be inside the bundle.
    const dir = mkdtempSync(join(tmpdir(), 'cur-bundle-'));
    copyFileSync(bundle, join(dir, 'handler.mjs'));
    const script = "const m = await import('./handler.mjs'); console.log(typeof m.handler);";
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
    expect(out.trim()).toBe('function');
    expect(statSync(bundle).size).toBeGreaterThan(0);
  });
});
