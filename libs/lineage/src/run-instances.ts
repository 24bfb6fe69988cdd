import { ZONES, type Zone } from '@cur/contracts';
import { LINEAGE_DEFAULTS } from './constants';
import type { LineageManifest, LineageRun, LineageStepRun } from './types/lineage-run';
import type { PipelineTask } from './types/lineage-step';
import type { JsonValue, MetadataChangeProposal } from './types/metadata-change-proposal';
import { dataFlowUrn, dataJobUrn, dataProcessInstanceUrn, datasetUrn, type LineageNames } from './urns';

type Json = { readonly [key: string]: JsonValue };

const RESULT_TYPES: Readonly<Record<LineageStepRun['status'], string>> = {
  succeeded: 'SUCCESS',
  failed: 'FAILURE',
  skipped: 'SKIPPED',
  // DataHub has no "cancelled": a run stopped at a safe point did not do its work; nativeResultType says why.
  cancelled: 'FAILURE',
};

/**
 * The data process instances of run logs: one per run (its template the data flow) with its result, one per step
 * run that maps to a task (its template the data job, its parent the run), with the outputs the run published
 * according to the manifests; and each manifest's row count as a dataset profile of its partition.
 *
 * @internal
 */
export function runMcps(names: LineageNames, tasks: readonly PipelineTask[], runs: readonly LineageRun[], manifests: readonly LineageManifest[]): MetadataChangeProposal[] {
  const mcps: MetadataChangeProposal[] = [];
  const emit = (entityType: MetadataChangeProposal['entityType'], entityUrn: string, aspectName: string, json: Json): void => {
    mcps.push({ entityType, entityUrn, changeType: 'UPSERT', aspectName, aspect: { json } });
  };
  const flow = dataFlowUrn(names);
  const actor = LINEAGE_DEFAULTS.actor;
  for (const run of runs) {
    const runUrn = dataProcessInstanceUrn(flow, run.runId);
    const started = Date.parse(run.startedAt);
    emit('dataProcessInstance', runUrn, 'dataProcessInstanceProperties', {
      name: run.runId,
      type: 'BATCH_SCHEDULED',
      created: { time: started, actor },
      customProperties: { status: run.status, businessDates: run.businessDates.join(','), steps: String(run.steps.length) },
    });
    emit('dataProcessInstance', runUrn, 'dataProcessInstanceRelationships', { parentTemplate: flow, upstreamInstances: [] });
    emit('dataProcessInstance', runUrn, 'dataProcessInstanceRunEvent', { timestampMillis: started, status: 'STARTED', attempt: 1 });
    emit('dataProcessInstance', runUrn, 'dataProcessInstanceRunEvent', {
      timestampMillis: Date.parse(run.finishedAt),
      status: 'COMPLETE',
      result: { type: run.status === 'succeeded' ? 'SUCCESS' : 'FAILURE', nativeResultType: run.status },
    });
    for (const stepRun of run.steps) {
      const task = taskOf(tasks, stepRun);
      if (task === undefined) continue;
      const job = dataJobUrn(names, task.id);
      const urn = dataProcessInstanceUrn(job, `${run.runId}/${stepRun.target}`);
      const stepStarted = stepRun.startedAt === undefined ? started : Date.parse(stepRun.startedAt);
      const published = manifests.filter((m) => m.runId === run.runId && m.step === stepRun.step && task.outputs.some((o) => o.zone === m.zone && o.dataset === m.dataset) && stepRun.target.includes(m.businessDate));
      emit('dataProcessInstance', urn, 'dataProcessInstanceProperties', {
        name: `${task.id} ${stepRun.target}`,
        type: 'BATCH_SCHEDULED',
        created: { time: stepStarted, actor },
        customProperties: {
          status: stepRun.status,
          attempts: String(stepRun.attempts),
          durationMs: String(stepRun.durationMs),
          ...(stepRun.rowCount === undefined ? {} : { rowCount: String(stepRun.rowCount) }),
          ...(stepRun.errorCode === undefined ? {} : { errorCode: stepRun.errorCode }),
        },
      });
      emit('dataProcessInstance', urn, 'dataProcessInstanceRelationships', { parentTemplate: job, parentInstance: runUrn, upstreamInstances: [] });
      emit('dataProcessInstance', urn, 'dataProcessInstanceInput', { inputs: task.inputs.map((ref) => datasetUrn(names, ref.zone, ref.dataset)) });
      if (published.length > 0) emit('dataProcessInstance', urn, 'dataProcessInstanceOutput', { outputs: published.map((m) => datasetUrn(names, m.zone as Zone, m.dataset)) });
      if (stepRun.status === 'skipped') continue;
      emit('dataProcessInstance', urn, 'dataProcessInstanceRunEvent', { timestampMillis: stepStarted, status: 'STARTED', attempt: Math.max(1, stepRun.attempts) });
      emit('dataProcessInstance', urn, 'dataProcessInstanceRunEvent', {
        timestampMillis: stepStarted + stepRun.durationMs,
        status: 'COMPLETE',
        attempt: Math.max(1, stepRun.attempts),
        result: { type: RESULT_TYPES[stepRun.status], nativeResultType: stepRun.status },
      });
    }
  }
  for (const manifest of manifests) {
    if (!(ZONES as readonly string[]).includes(manifest.zone)) continue;
    emit('dataset', datasetUrn(names, manifest.zone as Zone, manifest.dataset), 'datasetProfile', {
      timestampMillis: Date.parse(manifest.startedAt),
      rowCount: manifest.rowCount,
      partitionSpec: { partition: `business_date=${manifest.businessDate}`, type: 'PARTITION' },
    });
  }
  return mcps;
}

/** The task a step run ran: same step, and for a per-dataset step, a target `<dataset>/<date>`. */
function taskOf(tasks: readonly PipelineTask[], stepRun: LineageStepRun): PipelineTask | undefined {
  return tasks.find((task) => task.step === stepRun.step && (task.dataset === undefined || stepRun.target.startsWith(`${task.dataset}/`)));
}
