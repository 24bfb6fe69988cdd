import { randomUUID } from 'node:crypto';
import { parseLandingFileName } from '@cur/contracts';
import { batchIdOf } from './ledger/batch-ledger';
import { INCOMING_PREFIX, fileNameOf, quarantinePrefix } from './landing-layout';
import { ingestControlFile, type IngestionDependencies, type IngestionOutcome } from './ingest-control-file';

/** How long a data file may wait for its control file before the sweep quarantines it. @default 6 hours */
export const DEFAULT_MISSING_CONTROL_AFTER_MS = 6 * 60 * 60 * 1000;

/**
 * The scheduled pass over the landing zone: ingests every control file still there (a notification may have been
 * lost) and quarantines data files that have waited too long for their control file.
 */
export async function sweepLanding(deps: IngestionDependencies, options: { missingControlAfterMs?: number } = {}): Promise<IngestionOutcome[]> {
  const now = (deps.now ?? (() => new Date()))();
  const maxWait = options.missingControlAfterMs ?? DEFAULT_MISSING_CONTROL_AFTER_MS;
  const objects = [];
  for await (const info of deps.landing.list(INCOMING_PREFIX)) objects.push(info);
  const controlStems = new Set(objects.filter((o) => o.key.endsWith('.ctl')).map((o) => o.key.replace(/\.ctl$/, '')));
  const outcomes: IngestionOutcome[] = [];
  for (const object of objects.filter((o) => o.key.endsWith('.ctl'))) outcomes.push(await ingestControlFile(deps, object.key));
  for (const object of objects.filter((o) => !o.key.endsWith('.ctl'))) {
    const stem = object.key.replace(/\.csv(\.gz)?$/, '');
    if (controlStems.has(stem) || now.getTime() - object.lastModified.getTime() < maxWait) continue;
    const named = parseLandingFileName(fileNameOf(object.key));
    const attemptId = randomUUID();
    const batchId = named ? batchIdOf(named.dataset, named.businessDate) : `unknown/${fileNameOf(object.key)}`;
    const prefix = quarantinePrefix('MISSING_CONTROL_FILE', named?.dataset ?? 'unknown', named?.businessDate ?? 'unknown', attemptId);
    const reason = `${fileNameOf(object.key)} has waited ${Math.round((now.getTime() - object.lastModified.getTime()) / 60000)} minutes without its control file`;
    await deps.quarantine.put(`${prefix}${fileNameOf(object.key)}`, await deps.landing.getStream(object.key));
    await deps.quarantine.put(`${prefix}reason.json`, `${JSON.stringify({ reasonCode: 'MISSING_CONTROL_FILE', reason, batchId, at: now.toISOString() }, null, 2)}\n`);
    await deps.landing.delete(object.key);
    await deps.ledger.recordAttempt({ attemptId, batchId, at: now.toISOString(), outcome: 'quarantined', reasonCode: 'MISSING_CONTROL_FILE', reason, quarantinePrefix: prefix });
    outcomes.push({ outcome: 'quarantined', batchId, reasonCode: 'MISSING_CONTROL_FILE', reason, quarantinePrefix: prefix });
  }
  return outcomes;
}
