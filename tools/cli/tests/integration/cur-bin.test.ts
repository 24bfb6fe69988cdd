import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCurBin as cur } from '../helpers/run-cur-bin';

const events = fileURLToPath(new URL('../../../../apps/retrieval-api/tests/events/', import.meta.url));

describe('the cur executable', () => {
  it('runs the main job twice in a fresh state folder: every layer populated, the second run a no-op for ingestion', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cur-demo-'));
    const first = await cur(['demo', '--customers', '400'], home);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('demo, business date 2026-11-25, role DE: succeeded');
    for (const [zone, dataset] of [['raw', 'customer_profile'], ['transformed', 'card_transaction'], ['consumption', 'customer_tags'], ['mart', 'segment_metrics_monthly']]) {
      expect(first.stdout).toMatch(new RegExp(`${zone}\\s+${dataset}\\s+\\d+`));
    }
    expect(first.stderr).toMatch(/4 accepted, 0 quarantined/);
    const second = await cur(['demo', '--customers', '400'], home);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/skipped customer_profile\/2026-11-25: already ingested/);
    expect(await readdir(home)).toEqual(expect.arrayContaining(['lake', 'dynamodb', 'keys']));
    // The generated extracts are plaintext: deleted once pushed (see state-folder-privacy.test.ts).
    expect(await readdir(home)).not.toContain('extracts');
  });

  it('invokes a built Lambda bundle with a real API Gateway v2 event', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cur-invoke-'));
    const result = await cur(['invoke', 'retrieval-api', '--event', join(events, 'apigw-v2-request.json')], home);
    expect(result.code, result.stderr).toBe(0);
    const response = JSON.parse(result.stdout) as { statusCode: number; body: string };
    // A fresh state folder has no serving store loaded: the real handler says so, as problem+json.
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'SERVING_NOT_LOADED' });
  });

  it('explains how to build a bundle that is missing, and refuses unreadable events', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cur-invoke-'));
    const missing = await cur(['invoke', 'no-such-service', '--event', 'x.json'], home);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('npx nx build no-such-service');
    const badEvent = join(home, 'bad.json');
    await writeFile(badEvent, '{ not json');
    const bad = await cur(['invoke', 'retrieval-api', '--event', badEvent], home);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('could not read the event file');
  });
});
