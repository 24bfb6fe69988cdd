import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const nx = (...args: string[]): string =>
  execFileSync(process.execPath, [`${root}node_modules/nx/dist/bin/nx.js`, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } });

describe('nx affected deploys', () => {
  it('a change to one app affects that app and the infra project only, so only its stack and the platform stack deploy', () => {
    const affected = nx('show', 'projects', '--affected', '--files=apps/dq-notifier/src/handler.ts', '--with-target=deploy').trim().split('\n').sort();
    expect(affected).toEqual(['dq-notifier', 'infra']);
  });

  it('each app deploys its own stack and infra the platform and Oracle replica stacks', () => {
    const project = JSON.parse(nx('show', 'project', 'dq-notifier', '--json')) as { targets: Record<string, { options: { command: string } }> };
    expect(project.targets['deploy']?.options.command).toContain('"${CUR_STAGE:-dev}/dq-notifier"');
    const infra = JSON.parse(nx('show', 'project', 'infra', '--json')) as { targets: Record<string, { options: { command: string } }> };
    expect(infra.targets['deploy']?.options.command).toContain('"${CUR_STAGE:-dev}/platform"');
    // The oracle stack belongs to infra, not to an app: a change to it deploys with infra.
    expect(infra.targets['deploy']?.options.command).toContain('"${CUR_STAGE:-dev}/oracle"');
  });
});
