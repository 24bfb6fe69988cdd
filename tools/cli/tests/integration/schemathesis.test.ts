import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '@cur/contracts';
import { ROUTES } from '@cur/serving';
import { runCurBin, startCur, type RunningCur } from '../helpers/run-cur-bin';

/**
 * Issue 17, point 11: a client nobody here wrote. schemathesis (pinned in the uv workspace, `.venv`) reads the real
 * `cur serve`'s own /openapi.json and fuzzes every operation with each role's token and with none: every check on
 * (no 5xx, status codes, content types, headers and bodies as the document says, refusals as problem+json, auth
 * enforced, unsupported methods 405). Bounded in examples and seeded, so it takes well under a minute.
 */

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SCHEMATHESIS = join(ROOT, '.venv', 'bin', 'schemathesis');
/** Every operation of the document: the routes that need a token (the document does not describe itself). */
const OPERATIONS = ROUTES.filter((route) => route.access !== 'public').length;
const CONFIG = fileURLToPath(new URL('../schemathesis/schemathesis.toml', import.meta.url));

let home: string;
let serve: RunningCur;
let url: string;

beforeAll(async () => {
  if (!existsSync(SCHEMATHESIS)) throw new Error(`no ${SCHEMATHESIS}: run nx run python-env:setup (npm test does)`);
  home = await mkdtemp(join(tmpdir(), 'cur-schemathesis-'));
  const demo = await runCurBin(['demo', '--customers', '60'], home);
  expect(demo.code, demo.stderr).toBe(0);
  serve = startCur(['serve', '--port', '0'], home);
  await serve.waitFor(/retrieval API on http:\/\/\S+/);
  url = /retrieval API on (http:\/\/\S+)/.exec(serve.output())?.[1] ?? '';
}, 240_000);

afterAll(async () => {
  serve?.kill('SIGTERM');
  await serve?.exited;
  await rm(home, { recursive: true, force: true });
});

async function schemathesis(token: string | undefined): Promise<{ code: number; output: string }> {
  const args = [
    '--config-file', CONFIG,
    'run', `${url}/openapi.json`,
    '--checks', 'all',
    '--max-examples', '4',
    // No stateful phase: the document declares no links between operations, so it would only repeat the others.
    '--phases', 'examples,coverage,fuzzing',
    '--seed', '20261125',
    '--workers', '1',
    '--generation-database', 'none',
    '--no-color',
    ...(token === undefined ? [] : ['--header', `Authorization: Bearer ${token}`]),
  ];
  try {
    const { stdout, stderr } = await exec(SCHEMATHESIS, args, { cwd: home, encoding: 'utf8', timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('schemathesis against cur serve (issue 17, point 11)', () => {
  it('finds nothing to report for any role, nor without a token', async () => {
    // Prepare
    const tokens = await Promise.all(ROLES.map(async (role): Promise<[string, string | undefined]> => [role, (await runCurBin(['--role', role, 'token'], home)).stdout.trim()]));

    // Act: two runs at a time (the machine's two cores), each role and one without a token.
    const runs: { who: string; code: number; output: string }[] = [];
    const queue: [string, string | undefined][] = [...tokens, ['no token', undefined]];
    await Promise.all(
      [0, 1].map(async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) runs.push({ who: next[0], ...(await schemathesis(next[1])) });
      }),
    );

    // Assess
    expect(runs).toHaveLength(ROLES.length + 1);
    for (const run of runs) {
      expect(run.code, `${run.who}:\n${run.output}`).toBe(0);
      expect(run.output, run.who).toMatch(/\d+ generated, \d+ passed/);
      expect(run.output, run.who).toContain(`Selected: ${OPERATIONS}/${OPERATIONS}`);
    }
  }, 180_000);
});
