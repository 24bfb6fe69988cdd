import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * One real `nx g @cur/tools:lambda-app` in a copy of the workspace: a clone of the repository at HEAD with this
 * working tree's generator laid over it, and a node_modules of links into the workspace's own (the `@cur/*` links
 * point into the copy, as npm would make them), so the copy's infra reads the copy's sources and nothing is
 * installed. Then what a developer runs next: `npm ci` (its dry run checks package-lock.json against every
 * workspace's package.json) and infra's app-list test, which must now cover the new app.
 */
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const APP = 'probe-svc';

/** The environment of the child commands: no Nx daemon or cloud, and none of this vitest run's own variables. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_INTERACTIVE: 'false' };
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key === 'NODE_ENV' || key === 'TEST') delete env[key];
  return env;
}

function run(command: string, args: string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd, env: childEnv(), encoding: 'utf8', timeout: 240_000 });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/** node_modules for the copy: every entry linked to the workspace's, the workspace packages linked into the copy. */
function linkNodeModules(copy: string): void {
  const modules = join(copy, 'node_modules');
  rmSync(modules, { recursive: true, force: true });
  mkdirSync(join(modules, '@cur'), { recursive: true });
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry !== '@cur') symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
  }
  const lock = JSON.parse(readFileSync(join(copy, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string; link?: boolean }> };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key.startsWith('node_modules/@cur/') && entry.link && entry.resolved) symlinkSync(join('..', '..', entry.resolved), join(copy, key));
  }
}

describe(`nx g @cur/tools:lambda-app ${APP} in a copy of the workspace`, () => {
  let copy: string;
  let headLock: string;
  let generated: { status: number | null; output: string };

  beforeAll(() => {
    copy = join(mkdtempSync(join(tmpdir(), 'cur-gen-ws-')), 'workspace');
    execFileSync('git', ['clone', '-q', '--no-hardlinks', root, copy], { env: childEnv() });
    // The generator under test is this working tree's, committed or not.
    rmSync(join(copy, 'tools/generators/src'), { recursive: true, force: true });
    cpSync(join(root, 'tools/generators/src'), join(copy, 'tools/generators/src'), { recursive: true });
    headLock = readFileSync(join(copy, 'package-lock.json'), 'utf8');
    linkNodeModules(copy);
    generated = run(process.execPath, [join(copy, 'node_modules/nx/dist/bin/nx.js'), 'g', '@cur/tools:lambda-app', APP, '--trigger=schedule', '--no-interactive'], copy);
    // What `npm install` would link for the new workspace package.
    linkNodeModules(copy);
  }, 300_000);

  afterAll(() => {
    if (copy) rmSync(join(copy, '..'), { recursive: true, force: true });
  });

  it('generates the app, registers it in infra and updates package-lock.json, and touches nothing else', () => {
    expect(generated.status, generated.output).toBe(0);
    expect(generated.output).toContain('npm install --package-lock-only');
    const changed = execFileSync('git', ['status', '--porcelain', '--untracked-files=normal'], { cwd: copy, encoding: 'utf8', env: childEnv() })
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.includes('tools/generators/') && !line.endsWith(' node_modules'))
      .map((line) => line.slice(3))
      .sort();
    expect(changed).toEqual([`apps/${APP}/`, 'infra/project.json', 'infra/src/config/apps.ts', 'package-lock.json']);
    const lock = JSON.parse(readFileSync(join(copy, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    expect(lock.packages[`apps/${APP}`]).toMatchObject({ name: `@cur/${APP}`, dependencies: { '@cur/contracts': '*', '@cur/platform': '*' } });
    expect(lock.packages[`node_modules/@cur/${APP}`]).toEqual({ resolved: `apps/${APP}`, link: true });
  });

  it("passes infra's app-list test, which now covers the new app", () => {
    const result = run(join(copy, 'node_modules/.bin/vitest'), ['run', 'tests/unit/apps.test.ts', '--reporter=verbose'], join(copy, 'infra'));
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain(`${APP} builds its bundle into the folder its stack takes the code from`);
  });

  it("typechecks infra's app list with the new app's spec", () => {
    writeFileSync(join(copy, 'infra/tsconfig.apps-only.json'), JSON.stringify({ extends: './tsconfig.json', include: ['src/config/apps.ts'] }));
    const result = run(join(copy, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.apps-only.json', '--noEmit'], join(copy, 'infra'));
    expect(result.status, result.output).toBe(0);
  });

  it('leaves a lock `npm ci` accepts; the lock from before the generator is refused', () => {
    // Last: the copy's node_modules goes, so npm cannot touch anything but the copy even if its dry run did.
    rmSync(join(copy, 'node_modules'), { recursive: true, force: true });
    const args = ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'];
    const accepted = run('npm', args, copy);
    expect(accepted.status, accepted.output).toBe(0);
    const updated = readFileSync(join(copy, 'package-lock.json'), 'utf8');
    writeFileSync(join(copy, 'package-lock.json'), headLock);
    const refused = run('npm', args, copy);
    writeFileSync(join(copy, 'package-lock.json'), updated);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain(`Missing: @cur/${APP}@0.1.0 from lock file`);
    expect(existsSync(join(copy, 'node_modules'))).toBe(false);
  });
});
