import { DATASET_NAMES, getDataset } from '@cur/contracts';
import type { Caller, TokenService } from '@cur/masking';
import { keyGroupInfo } from '@cur/masking';
import { ManifestStore, createContentVerifier, type Manifest } from '@cur/lake';
import { CurError } from '@cur/platform';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { partitionPrefix, writeZoneFile } from '../lake/lake-writer';
import type { PipelineDependencies, PipelineRun, StepRun } from '../run-pipeline';
import { runPipeline } from '../run-pipeline';
import { makeFallbackScratch, makeStepScratch } from '../scratch/scratch-folder';
import { ROW_NUMBER_COLUMN } from '../steps/mask-step';
import { buildTokenMap, positionalTokenSelect, positionalWholeFrom, tokenColumnsInParts } from '../steps/token-map';

/** How many times the job looks again for partitions published under an older version while it ran. */
const MAX_PASSES = 3;

/** What the re-tokenise job works with. */
export interface RetokenizeDependencies {
  /** The pipeline's own dependencies: the raw bucket is rewritten with its engine, then the pipeline rebuilds. */
  readonly pipeline: PipelineDependencies;
  /**
   * The token service that rotates (audited) and re-tokenises (audited, SYSTEM only). Build it on the pipeline's key
   * ring (`pipeline.maskers.keyRing`), so the rebuild masks any new batch with the version just made active.
   */
  readonly tokens: TokenService;
}

/** Options of {@link rotateAndRetokenize}. */
export interface RetokenizeOptions {
  /** Told about each raw partition once it is rewritten and republished. */
  readonly onPartition?: (partition: RetokenizedPartition) => void;
  /** Told about each step of the downstream rebuild, as `runPipeline` reports it. */
  readonly onStep?: (step: StepRun) => void;
}

/** One raw partition the job rewrote. */
export interface RetokenizedPartition {
  readonly dataset: string;
  readonly businessDate: string;
  readonly rowCount: number;
  /** The key version each rewritten column held before. */
  readonly fromVersions: Readonly<Record<string, number>>;
}

/** What the job did. */
export interface RetokenizeResult {
  readonly keyGroup: string;
  /** The version every published partition now holds. */
  readonly toVersion: number;
  readonly partitions: readonly RetokenizedPartition[];
  /** The business dates whose transformed, consumption, mart and serving outputs were rebuilt, oldest first. */
  readonly businessDates: readonly string[];
  readonly runs: readonly PipelineRun[];
  /** `failed` when a rebuild run failed: rerun `cur run --date <date>` for the dates of its failed steps. */
  readonly status: 'succeeded' | 'failed';
}

/**
 * Rotates a key group and re-tokenises what is published under it, so joins across business dates keep matching:
 * the way to rotate a join-key group (national_id, account_number), which a bare rotation refuses.
 *
 * 1. Plans: every published raw partition of a dataset with a column of the group, each of which must record the
 *    column's key version in its manifest (checked for all before anything changes).
 * 2. Rotates, through the token service (SYSTEM only, audited).
 * 3. Rewrites each partition not yet at the new version: its distinct tokens of each column go through
 *    `TokenService.retokenize` (old version -> plaintext -> new version, inside the service, audited), replace the
 *    old ones in place, and the partition is written as a new file and republished with the new key versions. Rows
 *    keep their order, count and every other value. Then it looks again, in case a mask step published a partition
 *    under the old version meanwhile.
 * 4. Rebuilds, date by date from the oldest, everything downstream of raw: `runPipeline` for each date, so the
 *    transformed partitions, the consumption features (which join up to six months of card transactions to the
 *    day's customers), the mart and the serving store all carry the new tokens.
 *
 * Superseded raw files stay in the bucket, unreferenced (readers only read what a manifest names; the raw bucket's
 * object lock keeps them for its retention anyway). Older key versions stay resolvable: tokens held outside the lake
 * still detokenize. If the job stops half-way, run it again: it rotates once more and brings every partition,
 * whatever version it holds, to the newest.
 *
 * @param keyGroup - checked against the policy
 * @throws MaskingError KEY_GROUP_UNKNOWN, CurError KEY_VERSION_UNKNOWN (before rotating), AccessDeniedError for a
 * caller other than SYSTEM
 */
export async function rotateAndRetokenize(deps: RetokenizeDependencies, caller: Caller, keyGroup: string, options: RetokenizeOptions = {}): Promise<RetokenizeResult> {
  const { pipeline } = deps;
  const group = keyGroupInfo(keyGroup, pipeline.policy);
  const columnsOf = new Map<string, string[]>();
  for (const { dataset, column } of group.columns) {
    if (!(DATASET_NAMES as readonly string[]).includes(dataset)) continue; // derived datasets are rebuilt, not rewritten
    columnsOf.set(dataset, [...(columnsOf.get(dataset) ?? []), column]);
  }
  const verify = createContentVerifier((zone) => (zone === 'landing' ? pipeline.buckets.landing : pipeline.buckets[zone]));
  const manifests = new ManifestStore(pipeline.buckets.system, { verify });
  const published = async (): Promise<{ manifest: Manifest; columns: string[] }[]> => {
    const found: { manifest: Manifest; columns: string[] }[] = [];
    for (const [dataset, columns] of columnsOf) for (const manifest of await manifests.list('raw', dataset)) found.push({ manifest, columns });
    return found;
  };

  for (const { manifest, columns } of await published()) {
    const missing = columns.filter((column) => manifest.keyVersions[column] === undefined);
    if (missing.length > 0) {
      throw new CurError(
        'KEY_VERSION_UNKNOWN',
        `raw.${manifest.dataset} for ${manifest.businessDate}: its manifest records no key version for ${missing.join(', ')}, so its tokens cannot be re-tokenised; nothing was rotated. Remask that batch or record the version first`,
        { details: { dataset: manifest.dataset, businessDate: manifest.businessDate } },
      );
    }
  }

  const toVersion = await deps.tokens.rotate(caller, group.name, { retokenize: true });
  const runId = `retokenize-${group.name}-v${toVersion}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const scratchDir = pipeline.scratchDir ?? (await makeFallbackScratch());
  const partitions: RetokenizedPartition[] = [];
  try {
    for (let pass = 1; ; pass += 1) {
      const pending = (await published()).filter(({ manifest, columns }) => columns.some((column) => manifest.keyVersions[column] !== toVersion));
      if (pending.length === 0) break;
      if (pass > MAX_PASSES) {
        throw new CurError('RETOKENIZE_INCOMPLETE', `${pending.length} raw partition(s) of key group ${group.name} are still published under an older version after ${MAX_PASSES} passes; stop the mask steps and rerun`);
      }
      for (const { manifest, columns } of pending) {
        const partition = await retokenizePartition({ ...deps, manifests, scratchDir, runId }, caller, manifest, columns, toVersion);
        partitions.push(partition);
        options.onPartition?.(partition);
      }
    }
  } finally {
    if (pipeline.scratchDir === undefined) await rm(scratchDir, { recursive: true, force: true });
  }

  const businessDates = [...new Set(partitions.map((partition) => partition.businessDate))].sort();
  const runs: PipelineRun[] = [];
  for (const businessDate of businessDates) runs.push(await runPipeline(pipeline, { businessDate, ...(options.onStep ? { onStep: options.onStep } : {}) }));
  return { keyGroup: group.name, toVersion, partitions, businessDates, runs, status: runs.every((run) => run.status === 'succeeded') ? 'succeeded' : 'failed' };
}

/** Rewrites one raw partition's columns of the key group from their recorded versions to `toVersion`. */
async function retokenizePartition(
  deps: RetokenizeDependencies & { manifests: ManifestStore; scratchDir: string; runId: string },
  caller: Caller,
  manifest: Manifest,
  columns: readonly string[],
  toVersion: number,
): Promise<RetokenizedPartition> {
  const startedAt = new Date();
  const { engine, locate, buckets } = deps.pipeline;
  const { dataset, businessDate } = manifest;
  const scope = `${dataset}_${businessDate.replaceAll('-', '')}`;
  const view = `retokenize_raw_${scope}`;
  // The partition is copied into a database file of the step's own in the scratch folder, as the mask step stages
  // (compressed, where an in-memory table spills uncompressed), and the new tokens are joined to it in parts.
  const stageDb = `retokenize_db_${scope}`;
  const table = `${stageDb}.retokenize_${scope}`;
  const tokensTableOf = (column: string): string => `retokenize_tokens_${scope}_${column}`;
  const fromVersions: Record<string, number> = {};
  const stageDir = await makeStepScratch(deps.scratchDir, 'retokenize-');
  try {
    await engine.execute(`ATTACH '${join(stageDir, 'stage.duckdb').replaceAll("'", "''")}' AS ${stageDb}`);
    await engine.registerParquetView(view, manifest.files.map((key) => locate('raw', key)));
    await engine.execute(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM ${view}`);
    // The new tokens are put back by position: raw's rows must be in source-row order, as the mask step writes them.
    const [order] = await engine.query(`SELECT count(*) AS n FROM ${table} WHERE ${ROW_NUMBER_COLUMN} IS DISTINCT FROM rowid + 1`);
    if (Number(order?.['n']) !== 0) {
      throw new CurError('RETOKENIZE_ORDER_BROKEN', `raw.${dataset} for ${businessDate}: ${String(order?.['n'])} rows are not at their ${ROW_NUMBER_COLUMN}; rerun the mask step for that date; nothing was published`);
    }
    const tokenMaps = new Map<string, string>();
    for (const column of columns) {
      const from = manifest.keyVersions[column] ?? toVersion;
      if (from === toVersion) continue;
      fromVersions[column] = from;
      // Plaintext exists only inside the token service's call; the engine sees old and new tokens only.
      await buildTokenMap(engine, table, column, tokensTableOf(column), (tokens) => deps.tokens.retokenize(caller, { dataset, column, values: tokens, keyVersion: from }, toVersion));
      tokenMaps.set(column, tokensTableOf(column));
    }
    const names = getDataset(dataset).columns.map((column) => column.name);
    const tokenJoin = { source: table, target: `${stageDb}.retokenized_${scope}`, rowNumber: ROW_NUMBER_COLUMN, tokenMaps, rows: manifest.rowCount };
    const counts = await tokenColumnsInParts(engine, tokenJoin);
    for (const [column, { present, replaced }] of counts) {
      if (present !== replaced) {
        throw new CurError('RETOKENIZE_INCOMPLETE', `raw.${dataset} for ${businessDate}: ${column} has ${present} tokens but ${replaced} were re-tokenised; nothing was published`);
      }
    }
    // The mask step's own projection and types: the engine would read the partition folder's business_date as a DATE.
    const select = `SELECT ${positionalTokenSelect(tokenJoin, names)}, '${businessDate}' AS business_date FROM ${positionalWholeFrom(tokenJoin)}`;
    const written = await writeZoneFile(engine, buckets.raw, select, partitionPrefix(dataset, businessDate), deps.scratchDir);
    if (written.rowCount !== manifest.rowCount) {
      throw new CurError('ACCOUNTING_BROKEN', `raw.${dataset} for ${businessDate}: ${manifest.rowCount} rows published but ${written.rowCount} rewritten; nothing was published`);
    }
    await deps.manifests.publish({
      ...manifest,
      step: 'retokenize',
      runId: deps.runId,
      files: [written.key],
      contentSha256: written.sha256,
      keyVersions: { ...manifest.keyVersions, ...Object.fromEntries(columns.map((column) => [column, toVersion])) },
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
    });
    return { dataset, businessDate, rowCount: written.rowCount, fromVersions };
  } finally {
    for (const name of columns.map(tokensTableOf)) await engine.execute(`DROP TABLE IF EXISTS ${name}`).catch(() => undefined);
    await engine.execute(`DETACH DATABASE IF EXISTS ${stageDb}`).catch(() => undefined);
    await rm(stageDir, { recursive: true, force: true });
  }
}

