import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { logFormatFor } from '../../src/main';
import { CUR_BIN, runCurBin } from '../helpers/run-cur-bin';

/**
 * Issue 17, point 5: library log lines were Powertools JSON mixed into what a person reads. On a terminal they are
 * one readable line each; piped (a scheduler, CI) or with `--log-format json` they stay JSON. A push that quarantines
 * a batch logs a warning, so each case pushes a conflicting batch into a state folder that has one already.
 */

const SCRIPT = '/usr/bin/script';
const exec = promisify(execFile);
let work: string;

/** A state folder holding one accepted batch set, and another extract set for the same date (conflicts). */
async function conflictingPush(): Promise<{ home: string; extracts: string }> {
  const home = await mkdtemp(join(work, 'home-'));
  expect((await runCurBin(['ingest', 'push', join(work, 'first')], home)).code).toBe(0);
  return { home, extracts: join(work, 'second') };
}

/** The real executable with warnings logged (the test environment silences Powertools). */
async function pushWithWarnings(args: readonly string[], home: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CUR_BIN, ...args], { env: { ...process.env, CUR_HOME: home, POWERTOOLS_LOG_LEVEL: 'WARN' }, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

const jsonLines = (text: string): unknown[] =>
  text.split(/\r?\n/).filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as unknown);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cur-logfmt-'));
  for (const [dir, seed] of [['first', '1'], ['second', '2']] as const) {
    expect((await runCurBin(['generate', '-n', '15', '-s', seed, '-o', join(work, dir)], work)).code).toBe(0);
  }
}, 120_000);

describe('log lines of the cur command (issue 17, point 5)', () => {
  it('piped: JSON lines, one per warning, none human-formatted', async () => {
    const { home, extracts } = await conflictingPush();
    const push = await pushWithWarnings(['ingest', 'push', extracts], home);
    expect(push.code).toBe(3);
    expect(jsonLines(push.stdout + push.stderr)).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'batch quarantined', reasonCode: 'ALREADY_INGESTED' }));
    expect(push.stderr).not.toMatch(/^WARN {2}batch quarantined/m);
  }, 120_000);

  it('--log-format text: readable lines on stderr, no JSON anywhere', async () => {
    const { home, extracts } = await conflictingPush();
    const push = await pushWithWarnings(['--log-format', 'text', 'ingest', 'push', extracts], home);
    expect(push.code).toBe(3);
    expect(push.stderr).toMatch(/^WARN {2}batch quarantined {2}batchId=customer_profile\/2026-11-25 reasonCode=ALREADY_INGESTED/m);
    expect(jsonLines(push.stdout + push.stderr)).toEqual([]);
  }, 120_000);

  it.skipIf(!existsSync(SCRIPT))('on a terminal (a pty from util-linux script): readable by default; --log-format json keeps JSON', async () => {
    const { home, extracts } = await conflictingPush();
    const onTerminal = async (args: string): Promise<string> => {
      const command = `${process.execPath} ${CUR_BIN} ${args} ingest push ${extracts}`;
      const { stdout } = await exec(SCRIPT, ['-qec', command, '/dev/null'], { env: { ...process.env, CUR_HOME: home, POWERTOOLS_LOG_LEVEL: 'WARN' }, encoding: 'utf8' }).catch(
        (error: { stdout: string }) => ({ stdout: error.stdout }),
      );
      return stdout;
    };
    const readable = await onTerminal('');
    expect(readable).toMatch(/^WARN {2}batch quarantined {2}batchId=/m);
    expect(jsonLines(readable)).toEqual([]);
    const json = await onTerminal('--log-format json');
    expect(jsonLines(json)).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'batch quarantined' }));
  }, 120_000);

  it('refuses an unknown format with exit 2 naming the choices', async () => {
    const result = await runCurBin(['--log-format', 'yaml', 'status'], work);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("option '--log-format <format>' argument 'yaml' is invalid. Allowed choices are json, text.");
  });

  it('logFormatFor: the flag, then CUR_LOG_FORMAT, then the terminal decides', () => {
    expect(logFormatFor('json', { CUR_LOG_FORMAT: 'text' }, true)).toBe('json');
    expect(logFormatFor(undefined, { CUR_LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormatFor(undefined, {}, true)).toBe('text');
    expect(logFormatFor(undefined, {}, false)).toBe('json');
  });
});
