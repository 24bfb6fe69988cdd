import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Where `nx build <app>` writes an app's Lambda bundle. */
export function lambdaBundlePath(app: string): string {
  return fileURLToPath(new URL(`../../../../dist/apps/${app}/handler.mjs`, import.meta.url));
}

/**
 * What every app's Lambda bundle must be: present with its sourcemap, and importable under plain node from a folder
 * holding nothing else, as Lambda loads it. Each app's `tests/unit/bundle.test.ts` calls this (its test target
 * builds the bundle first).
 */
export function describeLambdaBundle(app: string): void {
  const bundle = lambdaBundlePath(app);
  describe(`bundle of ${app}`, () => {
    it('exists with its sourcemap (the test target builds it first)', () => {
      expect(existsSync(bundle), `${bundle} is missing: run npx nx build ${app}`).toBe(true);
      expect(existsSync(`${bundle}.map`)).toBe(true);
      expect(statSync(bundle).size).toBeGreaterThan(0);
    });

    it('imports under plain node with nothing beside it, as Lambda loads it', () => {
      // A folder with the bundle alone: no node_modules to fall back on, so every import must be inside the bundle.
      const dir = mkdtempSync(join(tmpdir(), 'cur-bundle-'));
      copyFileSync(bundle, join(dir, 'handler.mjs'));
      const script = "const m = await import('./handler.mjs'); console.log(typeof m.handler);";
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
      expect(out.trim()).toBe('function');
    });
  });
}
