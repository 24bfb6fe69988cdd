import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli';

describe('cur schedule', () => {
  it('runs the sweep and the pipeline on its cron schedule, then stops after --max-runs', async () => {
    const env = { CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-schedule-')) };
    const run = await runCli(['schedule', '--cron', '* * * * * *', '--max-runs', '2'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.match(/run .*: succeeded/g)).toHaveLength(2);
  });

  it('refuses an expression that is not cron, as a usage error (exit 2)', async () => {
    const run = await runCli(['schedule', '--cron', 'every morning', '--max-runs', '1'], { CUR_HOME: await mkdtemp(join(tmpdir(), 'cur-schedule-')) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not a cron expression');
  });
});
