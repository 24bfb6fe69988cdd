import { randomUUID } from 'node:crypto';
import type { BatchAccepted } from '@cur/contracts';
import { MAX_CONTROL_FILE_BYTES, parseLandingFileName } from '@cur/contracts';
import type { BlobStore, Logger } from '@cur/platform';
import { isCurError } from '@cur/platform';
import type { BatchLedger } from './ledger/batch-ledger';
import { batchIdOf } from './ledger/batch-ledger';
import { fileNameOf, landingKey, quarantinePrefix } from './landing-layout';
import { BatchRejectedError, type RejectionReason } from './verify/rejection-reasons';
import { checkControlFileSize, parseControlFile, verifyDataFile } from './verify/verify-batch';

/** What ingestion needs: the two buckets, the ledger, and what to do with an accepted batch. */
export interface IngestionDependencies {
  readonly landing: BlobStore;
  readonly quarantine: BlobStore;
  readonly ledger: BatchLedger;
  /** Starts the pipeline for an accepted batch: an event in AWS, the local orchestrator on a laptop. */
  readonly onAccepted: (batch: BatchAccepted) => Promise<void>;
  readonly logger: Logger;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** What became of one control file. */
export type IngestionOutcome =
  | { readonly outcome: 'accepted'; readonly batch: BatchAccepted }
  | { readonly outcome: 'duplicate'; readonly batchId: string }
  | { readonly outcome: 'quarantined'; readonly batchId: string; readonly reasonCode: RejectionReason; readonly reason: string; readonly quarantinePrefix: string }
  | { readonly outcome: 'gone'; readonly controlKey: string };

/**
 * Ingests one batch from its control file: checks it against the landing contract, records it in the ledger exactly
 * once, and starts the pipeline; a batch that breaks the contract is moved whole to quarantine with a coded reason,
 * so nothing is lost and nothing half-checked goes on.
 */
export async function ingestControlFile(deps: IngestionDependencies, controlKey: string): Promise<IngestionOutcome> {
  const now = deps.now ?? (() => new Date());
  const fileName = fileNameOf(controlKey);
  const named = parseLandingFileName(fileName);
  const batchId = named ? batchIdOf(named.dataset, named.businessDate) : `unknown/${fileName}`;
  const attemptId = randomUUID();
  const at = now().toISOString();

  // A redelivered notification after the batch moved on: nothing left to do.
  const controlHead = await deps.landing.head(controlKey);
  if (!controlHead) return { outcome: 'gone', controlKey };
  // A control file past the limit is not read at all: it is quarantined below as CONTROL_UNREADABLE.
  let controlBytes: Uint8Array = new Uint8Array(0);
  if (controlHead.size <= MAX_CONTROL_FILE_BYTES) {
    try {
      controlBytes = await deps.landing.get(controlKey);
    } catch (error) {
      if (isCurError(error, 'NOT_FOUND')) return { outcome: 'gone', controlKey };
      throw error;
    }
  }

  let dataKey: string | undefined = named ? guessDataKey(controlKey, named.dataset, named.businessDate) : undefined;
  try {
    checkControlFileSize(fileName, controlHead.size);
    const { control, dataset } = parseControlFile(fileName, controlBytes);
    dataKey = landingKey(control.file);
    const head = await deps.landing.head(dataKey);
    if (!head) throw new BatchRejectedError('MISSING_DATA_FILE', `${control.file} is not in the landing zone beside ${fileName}`);
    const verified = await verifyDataFile(control, dataset, await deps.landing.getStream(dataKey));
    const batch: BatchAccepted = { batchId, dataset: control.dataset, businessDate: control.businessDate, rowCount: verified.rowCount, dataKey, controlKey };
    const claim = await deps.ledger.claim({ batchId, dataset: control.dataset, businessDate: control.businessDate, sha256: verified.sha256, rowCount: verified.rowCount, acceptedAt: at, dataKey, controlKey });
    if (claim.kind === 'duplicate') {
      await deps.ledger.recordAttempt({ attemptId, batchId, at, outcome: 'duplicate' });
      deps.logger.info('batch already ingested; nothing to do', { batchId, dataset: control.dataset, businessDate: control.businessDate });
      return { outcome: 'duplicate', batchId };
    }
    if (claim.kind === 'conflict') {
      throw new BatchRejectedError('ALREADY_INGESTED', `${control.dataset} for ${control.businessDate} was ingested on ${claim.record.acceptedAt} with other content; send a correction as a new business date, or have a DE retire the old batch (cur --role DE ingest retire ${control.dataset} ${control.businessDate} --reason corrected-extract) and push this one again`);
    }
    await deps.ledger.recordAttempt({ attemptId, batchId, at, outcome: 'accepted' });
    deps.logger.info('batch accepted', { batchId, dataset: control.dataset, businessDate: control.businessDate, rowCount: verified.rowCount });
    await deps.onAccepted(batch);
    return { outcome: 'accepted', batch };
  } catch (error) {
    if (!(error instanceof BatchRejectedError)) throw error;
    const prefix = quarantinePrefix(error.code, named?.dataset ?? 'unknown', named?.businessDate ?? 'unknown', attemptId);
    const details = Object.keys(error.details).length > 0 ? { details: error.details } : {};
    await moveToQuarantine(deps, prefix, [controlKey, ...(dataKey ? [dataKey] : [])], { reasonCode: error.code, reason: error.message, ...details, batchId, at, controlKey });
    await deps.ledger.recordAttempt({ attemptId, batchId, at, outcome: 'quarantined', reasonCode: error.code, reason: error.message, quarantinePrefix: prefix });
    deps.logger.warn('batch quarantined', { batchId, reasonCode: error.code, objectKey: controlKey });
    return { outcome: 'quarantined', batchId, reasonCode: error.code, reason: error.message, quarantinePrefix: prefix };
  }
}

/**
 * Copies files to quarantine with a reason file, then deletes them from landing: copy first, so nothing is lost. The
 * reason holds codes, positions, counts and names, never a value of the batch.
 */
async function moveToQuarantine(deps: IngestionDependencies, prefix: string, keys: string[], reason: Record<string, unknown>): Promise<void> {
  const moved: string[] = [];
  for (const key of keys) {
    if (!(await deps.landing.head(key))) continue;
    await deps.quarantine.put(`${prefix}${fileNameOf(key)}`, await deps.landing.getStream(key));
    moved.push(key);
  }
  await deps.quarantine.put(`${prefix}reason.json`, `${JSON.stringify({ ...reason, files: moved.map(fileNameOf) }, null, 2)}\n`, { contentType: 'application/json' });
  for (const key of moved) await deps.landing.delete(key);
}

/** Before the control file is read, the data file it most likely names (for quarantining an unreadable control file). */
function guessDataKey(controlKey: string, dataset: string, businessDate: string): string {
  const stem = `${dataset}_${businessDate.replaceAll('-', '')}`;
  return `${controlKey.slice(0, controlKey.lastIndexOf('/') + 1)}${stem}.csv`;
}
