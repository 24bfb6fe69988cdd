import { ALL_DATASETS } from '@cur/contracts';
import { buildLineage, readLineageRecords, type LineageDefinition, type LineageEmitter } from '@cur/lineage';
import type { BlobStore, Logger } from '@cur/platform';
import { createMaskingPolicy } from '@cur/policy';

/** What one emission needs: the definition, the system bucket, DataHub's endpoint and token, and an emitter for them. */
export interface LineageEmitterDependencies {
  readonly stage: string;
  /** The pipeline definition and its column derivations (`cur lineage definition`, committed beside this app). */
  readonly definition: LineageDefinition;
  readonly system: BlobStore;
  /** DataHub's GMS endpoint, read from SSM (`/cur-<stage>/datahub/endpoint`) on each emission. */
  readonly endpoint: () => Promise<string>;
  /** DataHub's access token, if the stage has one. */
  readonly token: () => Promise<string | undefined>;
  readonly emitter: (endpoint: string, token: string | undefined) => LineageEmitter;
  readonly logger: Logger;
}

/** What a job's state change led to: counts and codes only. */
export type LineageEmission =
  | { readonly outcome: 'ignored'; readonly reason: 'not-a-pipeline-job' | 'run-goes-on' }
  | { readonly outcome: 'emitted'; readonly proposals: number; readonly sent: number; readonly failed: number }
  | { readonly outcome: 'not-sent'; readonly code: string };

/** A Glue job run that ended, as the handler read it from the event. */
export interface EndedJobRun {
  readonly jobName: string;
  readonly state: 'SUCCEEDED' | 'FAILED' | 'TIMEOUT' | 'STOPPED';
}

/**
 * The pipeline's Glue jobs are `cur-<stage>-<step>`. A run has ended, or one of its steps failed, when its last Glue
 * step (the last step of the definition writing a lake zone: the mart) ends, or any of its jobs ends other than
 * SUCCEEDED; then the whole lineage (definition, contracts, what the manifests and DQ results say ran) goes to DataHub.
 * Other jobs, and steps succeeding mid-run, are ignored.
 *
 * Never throws: lineage must not fail or hold up the pipeline. Whatever goes wrong (the endpoint unreadable, the lake
 * unreadable, DataHub down or refusing) is logged with a code and returned, and the function's metrics count it.
 */
export async function emitLineageAfterJobRun(run: EndedJobRun, dependencies: LineageEmitterDependencies): Promise<LineageEmission> {
  const prefix = `cur-${dependencies.stage}-`;
  if (!run.jobName.startsWith(prefix)) return { outcome: 'ignored', reason: 'not-a-pipeline-job' };
  const step = run.jobName.slice(prefix.length);
  const glueSteps = dependencies.definition.steps.filter((candidate) => candidate.to !== 'serving-store').map((candidate) => candidate.name);
  if (!glueSteps.includes(step)) return { outcome: 'ignored', reason: 'not-a-pipeline-job' };
  if (run.state === 'SUCCEEDED' && step !== glueSteps.at(-1)) return { outcome: 'ignored', reason: 'run-goes-on' };
  try {
    const [records, endpoint, token] = await Promise.all([readLineageRecords(dependencies.system), dependencies.endpoint(), dependencies.token()]);
    const policy = createMaskingPolicy();
    const proposals = buildLineage(
      { steps: dependencies.definition.steps, datasets: Object.values(ALL_DATASETS), storageTreatmentFor: (dataset, column) => policy.storageTreatmentFor(dataset, column), columnDerivations: dependencies.definition.columnDerivations, ...records },
      { stage: dependencies.stage },
    );
    const result = await dependencies.emitter(endpoint, token).emit(proposals);
    const codes = [...new Set(result.failures.map((failure) => failure.code))].sort();
    const counts = { proposals: proposals.length, sent: result.sent, failed: result.failed };
    if (result.failed > 0) dependencies.logger.warn('DataHub did not take every lineage proposal', { step, status: run.state, metrics: counts, errorCode: codes.join(',') });
    else dependencies.logger.info('lineage sent to DataHub', { step, status: run.state, metrics: counts });
    return { outcome: 'emitted', proposals: proposals.length, sent: result.sent, failed: result.failed };
  } catch (error) {
    const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'LINEAGE_EMISSION_FAILED';
    // The error's name and code only: a message could quote what it failed on.
    dependencies.logger.error('lineage not sent to DataHub', { step, status: run.state, code, errorCode: error instanceof Error ? error.name : typeof error });
    return { outcome: 'not-sent', code };
  }
}
