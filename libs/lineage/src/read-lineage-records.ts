import { ALL_DATASETS } from '@cur/contracts';
import { DqEvaluationSchema } from '@cur/dq-alerts';
import { ManifestStore } from '@cur/lake';
import type { BlobStore } from '@cur/platform';
import type { LineageDqEvaluation, LineageManifest, LineageRun } from './types/lineage-run';

/** What ran, as lineage reads it from the system bucket. */
export interface LineageRecords {
  readonly runs: LineageRun[];
  readonly manifests: LineageManifest[];
  readonly dqResults: LineageDqEvaluation[];
}

/**
 * Reads what ran from the system bucket: the run logs (`runs/<runId>.json`, oldest first; in AWS the DAG's runs are
 * in Airflow and DataHub's Airflow plugin reports them, so there are none), every published manifest and the DQ
 * gates' stored evaluations (`dq/results/`). The same reader serves `cur lineage` and the lineage-emitter Lambda.
 *
 * @param system - the system bucket's store
 * @example
 * const { runs, manifests, dqResults } = await readLineageRecords(runtime.blobStore('system'));
 */
export async function readLineageRecords(system: BlobStore): Promise<LineageRecords> {
  const runs: LineageRun[] = [];
  for await (const info of system.list('runs/')) {
    if (!info.key.endsWith('.json')) continue;
    // libs/pipeline's PipelineRun; buildLineage reads ids, times, statuses, counts and codes of it, never its error text.
    runs.push(JSON.parse(Buffer.from(await system.get(info.key)).toString('utf8')) as LineageRun);
  }
  runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const store = new ManifestStore(system);
  const manifests: LineageManifest[] = [];
  for (const dataset of Object.values(ALL_DATASETS)) {
    for (const zone of dataset.zones) manifests.push(...(await store.list(zone, dataset.name)));
  }
  const dqResults: LineageDqEvaluation[] = [];
  for await (const info of system.list('dq/results/')) {
    dqResults.push(DqEvaluationSchema.parse(JSON.parse(Buffer.from(await system.get(info.key)).toString('utf8'))));
  }
  return { runs, manifests, dqResults };
}
