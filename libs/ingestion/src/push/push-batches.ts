import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseLandingFileName } from '@cur/contracts';
import type { BlobStore } from '@cur/platform';
import { throwIfCancelled } from '@cur/platform';
import type { BatchLedger } from '../ledger/batch-ledger';
import { batchIdOf } from '../ledger/batch-ledger';
import { landingKey } from '../landing-layout';
import { BatchRejectedError } from '../verify/rejection-reasons';
import { checkControlFileSize, parseControlFile, verifyDataFile } from '../verify/verify-batch';

/** What became of one batch of a push. */
export type PushOutcome =
  | { readonly status: 'pushed'; readonly batchId: string; readonly controlKey: string; readonly dataKey: string; readonly rowCount: number; readonly bytes: number }
  | { readonly status: 'skipped'; readonly batchId: string; readonly reason: string }
  | { readonly status: 'refused'; readonly batchId: string; readonly reasonCode: string; readonly reason: string };

/** Options of {@link pushBatches}. */
export interface PushOptions {
  /**
   * Batches the ledger already holds with the same bytes are skipped, so re-pushing is a no-op; a refused batch is
   * recorded there as a `refused` attempt with its coded reason, so `cur ingest status` lists it.
   */
  readonly ledger?: BatchLedger;
  readonly onProgress?: (outcome: PushOutcome) => void;
  /** Stops before the next batch once it fires (Ctrl-C): each batch is sent whole or not at all. */
  readonly signal?: AbortSignal;
}

/**
 * The on-premises side of ingestion: verifies every batch in a folder against its control file (row count,
 * SHA-256, encoding, header) before sending anything, then uploads the data file and, last, the control file, whose
 * arrival starts ingestion. A batch that fails the checks is not sent; the others still are.
 *
 * @throws CancelledError `CANCELLED` when `options.signal` fires: the batches before are sent, the rest are not
 */
export async function pushBatches(dir: string, landing: BlobStore, options: PushOptions = {}): Promise<PushOutcome[]> {
  const names = (await readdir(dir)).filter((name) => parseLandingFileName(name)?.kind === 'control').sort();
  const outcomes: PushOutcome[] = [];
  for (const controlName of names) {
    throwIfCancelled(options.signal);
    const named = parseLandingFileName(controlName);
    const batchId = named ? batchIdOf(named.dataset, named.businessDate) : controlName;
    let outcome: PushOutcome;
    try {
      checkControlFileSize(controlName, (await stat(join(dir, controlName))).size);
      const { control, dataset } = parseControlFile(controlName, await readFile(join(dir, controlName)));
      const dataPath = join(dir, control.file);
      if (!(await stat(dataPath).then((info) => info.isFile()).catch(() => false))) {
        throw new BatchRejectedError('MISSING_DATA_FILE', `${control.file} is not in ${dir}`);
      }
      const verified = await verifyDataFile(control, dataset, createReadStream(dataPath));
      const ingested = await options.ledger?.get(batchId);
      if (ingested && ingested.sha256 === verified.sha256) {
        outcome = { status: 'skipped', batchId, reason: `already ingested on ${ingested.acceptedAt} with the same bytes` };
      } else {
        const dataKey = landingKey(control.file);
        const controlKey = landingKey(controlName);
        await landing.put(dataKey, createReadStream(dataPath), { sha256: verified.sha256 });
        await landing.put(controlKey, await readFile(join(dir, controlName)), { contentType: 'application/json' });
        outcome = { status: 'pushed', batchId, controlKey, dataKey, rowCount: verified.rowCount, bytes: verified.bytes };
      }
    } catch (error) {
      if (!(error instanceof BatchRejectedError)) throw error;
      outcome = { status: 'refused', batchId, reasonCode: error.code, reason: error.message };
      await options.ledger?.recordAttempt({ attemptId: randomUUID(), batchId, at: new Date().toISOString(), outcome: 'refused', reasonCode: error.code, reason: error.message });
    }
    outcomes.push(outcome);
    options.onProgress?.(outcome);
  }
  return outcomes;
}
