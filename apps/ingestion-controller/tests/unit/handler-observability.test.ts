import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { landingKey } from '@cur/ingestion';
import { createLogger } from '@cur/platform';
import { createMetrics } from '@cur/platform/metrics';
import { lambdaContext } from '@cur/platform/testing';
import { SERVICE_NAME } from '../../src/constants';
import { createIngestionControllerHandler } from '../../src/handler';
import { createIngestionDependencies } from '../../src/wiring';

const event = (name: string): unknown => JSON.parse(readFileSync(new URL(`../events/${name}`, import.meta.url), 'utf8'));
let home: string;
let deps: Awaited<ReturnType<typeof createIngestionDependencies>>;
const logger = createLogger({ serviceName: SERVICE_NAME, logLevel: 'INFO' });

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cur-ingestion-obs-'));
  deps = await createIngestionDependencies({ CUR_HOME: home }, logger);
});
afterAll(() => deps.close());
afterEach(() => vi.restoreAllMocks());

/** Runs `act` with stdout captured, one JSON object per line (Powertools' log lines and EMF lines). */
async function stdoutOf(act: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    await act();
  } finally {
    vi.restoreAllMocks();
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('ingestion-controller handler: Powertools logger context and metrics', () => {
  it('logs with the invocation request ID and emits BatchesAccepted for the real S3 notification of a good batch', async () => {
    // Prepare
    const csv = 'cust_id,cust_name,birth_date,gender,mobile,email,address,branch_code,open_date,risk_level,occupation_code\r\nA123456789,王小明,0780512,M,0912345678,,臺北市中正區,001,1050301,3,\r\n';
    const control = { dataset: 'customer_profile', businessDate: '2026-11-25', file: 'customer_profile_20261125.csv', rowCount: 1, sha256: createHash('sha256').update(csv).digest('hex'), encoding: 'utf-8', schemaVersion: 1 };
    const { FsBlobStore } = await import('@cur/adapters-local/blob-store');
    const landing = new FsBlobStore(join(home, 'lake'), 'landing');
    await landing.put(landingKey('customer_profile_20261125.csv'), csv);
    await landing.put(landingKey('customer_profile_20261125.ctl'), JSON.stringify(control));
    const metrics = createMetrics({ serviceName: SERVICE_NAME, logger });
    const handler = createIngestionControllerHandler(() => Promise.resolve(deps), { logger, metrics });

    // Act
    const out = await stdoutOf(() => handler(event('s3-object-created.json'), lambdaContext('3f9c2a1e-5b7d-4c8e-9a0b-1c2d3e4f5a6b')));

    // Assess
    const logs = out.filter((line) => 'level' in line);
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) expect(line).toMatchObject({ function_request_id: '3f9c2a1e-5b7d-4c8e-9a0b-1c2d3e4f5a6b', service: SERVICE_NAME });
    expect(JSON.stringify(logs)).not.toContain('A123456789');
    const emf = out.filter((line) => '_aws' in line);
    expect(emf).toEqual([expect.objectContaining({ service: SERVICE_NAME, BatchesAccepted: 1, BatchesRefused: 0 })]);
  });

  it('emits BatchesRefused for a batch that breaks the landing contract', async () => {
    // Prepare: a control file whose checksum does not match its data file
    const csv = 'cust_id,cust_name\r\n';
    const control = { dataset: 'customer_profile', businessDate: '2026-11-26', file: 'customer_profile_20261126.csv', rowCount: 1, sha256: '0'.repeat(64), encoding: 'utf-8', schemaVersion: 1 };
    const { FsBlobStore } = await import('@cur/adapters-local/blob-store');
    const landing = new FsBlobStore(join(home, 'lake'), 'landing');
    await landing.put(landingKey('customer_profile_20261126.csv'), csv);
    await landing.put(landingKey('customer_profile_20261126.ctl'), JSON.stringify(control));
    const notification = event('s3-object-created.json') as { Records: { s3: { object: { key: string } } }[] };
    const record = notification.Records[0];
    if (record) record.s3.object.key = landingKey('customer_profile_20261126.ctl');
    const metrics = createMetrics({ serviceName: SERVICE_NAME, logger });
    const handler = createIngestionControllerHandler(() => Promise.resolve(deps), { logger, metrics });

    // Act
    const out = await stdoutOf(() => handler(notification, lambdaContext()));

    // Assess
    expect(out.filter((line) => '_aws' in line)).toEqual([expect.objectContaining({ BatchesAccepted: 0, BatchesRefused: 1 })]);
  });
});
