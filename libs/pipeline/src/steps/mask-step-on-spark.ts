import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BatchAccepted, ControlFile } from '@cur/contracts';
import { getDataset } from '@cur/contracts';
import type { BatchLedger } from '@cur/ingestion';
import { parseControlFile } from '@cur/ingestion';
import type { Manifest, ManifestStore } from '@cur/lake';
import { KEY_SERVICE_TOKEN_ENV } from '@cur/masking';
import type { BlobStore } from '@cur/platform';
import { CurError } from '@cur/platform';
import type { MaskingPolicy } from '@cur/policy';
import { partitionPrefix, uploadZoneFile } from '../lake/lake-writer';
import { MaskRequestSchema, MaskResultSchema, MASK_REQUEST_VERSION, type MaskRequest, type MaskResult } from '../plan/mask-request';
import { maskColumnsOf } from '../plan/mask-request-template';
import { publishMaskedBatch } from './mask-step';
import { makeStepScratch } from '../scratch/scratch-folder';

/**
 * The port the Spark mask step runs its job through: one mask request in, the job's result out. The one-shot
 * implementation is {@link oneShotSparkMaskJob} (`python -m cur_spark.jobs.mask` per batch); a long-lived Spark process
 * can answer the same request with `cur_spark.mask.run_mask`. Rejects with a `CurError` whose code is the job's
 * (`MASKING_INCOMPLETE`, `KEY_SERVICE_FAILED`, ...), never quoting a value.
 */
export type SparkMaskJobRunner = (request: MaskRequest) => Promise<MaskResult>;

/** Where the Spark mask job finds the tokenize API, and the environment variable its credential is in. */
export interface SparkMaskKeyService {
  /** `POST /v1/tokenize`'s URL: locally `startLoopbackKeyService(...).tokenizeUrl`. */
  readonly tokenizeUrl: string;
  /**
   * How the job authenticates: `{ kind: 'bearer', tokenEnv }` (the credential in that environment variable) or, in
   * AWS, `{ kind: 'sigv4', region, service }` (signed as the job's IAM role).
   * @default { kind: 'bearer', tokenEnv: KEY_SERVICE_TOKEN_ENV }
   */
  readonly auth?: MaskRequest['tokenize']['auth'];
  /** Values per call. @default the API's MAX_BATCH_VALUES */
  readonly batchValues?: number;
}

/** What the Spark mask step works with. It runs as SYSTEM: the job reads the plaintext landing file. */
export interface SparkMaskStepDependencies {
  readonly landing: BlobStore;
  readonly raw: BlobStore;
  readonly manifests: ManifestStore;
  readonly ledger: BatchLedger;
  readonly policy: MaskingPolicy;
  readonly runId: string;
  /** The run's scratch folder: the job writes its Parquet file there before it is put into raw. */
  readonly scratchDir: string;
  /** Where Spark reads a landing object (a local path; in Glue an `s3://` URI). */
  readonly landingPath: (key: string) => string;
  readonly runMaskJob: SparkMaskJobRunner;
  readonly keyService: SparkMaskKeyService;
}

/**
 * The mask request of a batch: the landing file as its control file describes it, and every column the masking
 * policy stores as anything but plaintext, to be tokenised as that column of that dataset. Decided here, never in
 * Python.
 */
export function renderMaskRequest(
  control: ControlFile,
  options: { policy: MaskingPolicy; landingPath: string; outputPath: string; keyService: SparkMaskKeyService },
): MaskRequest {
  const dataset = getDataset(control.dataset);
  const columns = dataset.columns.map((column) => column.name);
  return MaskRequestSchema.parse({
    version: MASK_REQUEST_VERSION,
    dataset: dataset.name,
    businessDate: control.businessDate,
    landing: { path: options.landingPath, encoding: control.encoding, compression: control.file.endsWith('.gz') ? 'gzip' : 'none', columns, rowCount: control.rowCount },
    maskColumns: maskColumnsOf(dataset, options.policy),
    output: { path: options.outputPath },
    tokenize: {
      url: options.keyService.tokenizeUrl,
      ...(options.keyService.batchValues === undefined ? {} : { batchValues: options.keyService.batchValues }),
      auth: options.keyService.auth ?? { kind: 'bearer', tokenEnv: KEY_SERVICE_TOKEN_ENV },
    },
  });
}

/**
 * landing -> raw on Spark: what {@link runMaskStep} does around the engine (manifest with counts and key versions, the
 * file under its content hash, landing deleted only after the manifest is published, the ledger's MASKED status), with
 * the Spark mask job reading the landing file and writing the Parquet file. The job tokenises through the
 * masking-key-service's API, so the tokens are the ones the DuckDB step writes, byte for byte.
 *
 * @throws CurError with the job's code (`MASKING_INCOMPLETE`: nothing written), or `MASK_RESULT_MISMATCH` when the
 * job's result does not account for the batch's rows
 */
export async function runMaskStepOnSpark(deps: SparkMaskStepDependencies, batch: BatchAccepted): Promise<Manifest> {
  const startedAt = new Date();
  const controlName = batch.controlKey.slice(batch.controlKey.lastIndexOf('/') + 1);
  const { control, dataset } = parseControlFile(controlName, await deps.landing.get(batch.controlKey));
  const dir = await makeStepScratch(deps.scratchDir, 'mask-spark-');
  let written: { key: string; rowCount: number; sha256: string };
  let result: MaskResult;
  try {
    const request = renderMaskRequest(control, { policy: deps.policy, landingPath: deps.landingPath(batch.dataKey), outputPath: join(dir, 'raw'), keyService: deps.keyService });
    result = MaskResultSchema.parse(await deps.runMaskJob(request));
    const [file, ...others] = result.files;
    if (result.rowsOut !== control.rowCount || file === undefined || others.length > 0) {
      throw new CurError('MASK_RESULT_MISMATCH', `${batch.batchId}: the Spark mask job wrote ${result.rowsOut} rows in ${result.files.length} file(s); the control file declares ${control.rowCount} rows, in one file`);
    }
    written = await uploadZoneFile(deps.raw, file.startsWith('file:') ? fileURLToPath(file) : file, result.rowsOut, partitionPrefix(dataset.name, batch.businessDate));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return publishMaskedBatch(deps, { batch, control, written: { keys: [written.key], rowCount: written.rowCount, sha256: written.sha256 }, rowsOut: result.rowsOut, keyVersions: result.keyVersions, startedAt });
}
