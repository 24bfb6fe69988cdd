import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

describe('Node runtime', () => {
  it('pins Node 22, what Lambda runs the bundles on, for CI and nvm users', () => {
    expect(readFileSync(join(root, '.nvmrc'), 'utf8').trim()).toBe('22');
  });

  it('still lets local development run on Node 20.19 or later', () => {
    const engines = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines;
    expect(engines.node).toBe('>=20.19 <21 || >=22.12');
  });

  it("hides the AWS SDK's Node version warning nowhere: on Node 20 it is the reason to move", () => {
    // The variable's name is split so that this test does not find itself.
    const variable = ['AWS_SDK_JS_NODE_VERSION', 'SUPPORT_WARNING_DISABLED'].join('_');
    // The Node side: sources, scripts, test and CI configuration.
    const nodeFiles = ['*.ts', '*.js', '*.mjs', '*.cjs', '*.json', '*.yml', '*.yaml', '.npmrc', '.env*'];
    const grep = spawnSync('git', ['grep', '-l', '--untracked', '-e', variable, '--', ...nodeFiles, ':!dist'], { cwd: root, encoding: 'utf8' });
    // git grep exits 1 when nothing matches, 0 with the files that do.
    expect(grep.stdout.trim().split('\n').filter(Boolean)).toEqual([]);
    expect(grep.status).toBe(1);
  });
});
